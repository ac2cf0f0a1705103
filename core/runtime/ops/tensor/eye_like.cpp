// EyeLike (opset 9): a 2-D tensor shaped like the input, ones on the diagonal shifted by k
// (j - i == k), zeros elsewhere; of the `dtype` attribute's type, else the input's.
#include "runtime/ops/tensor/tensor_kernels.h"

#include <optional>

namespace qs::ops {

namespace {

class EyeLikeKernel final : public Kernel
{
public:
    EyeLikeKernel(std::optional<DType> type, int64_t k)
        : m_type(type)
        , m_k(k)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.rank() != 2)
            return ctx.error("input must be 2-D, got " + x.describe());
        const DType type = m_type.value_or(x.dtype());
        if (!isSupportedDType(type) || type == DType::String)
            return ctx.error("type " + dtypeName(type) + " is not supported");
        Tensor &y = ctx.allocateOutput(0, type, x.shape(), true);
        const int64_t rows = x.dim(0), columns = x.dim(1);
        dispatchNumeric(type, [&](auto tag) {
            using T = decltype(tag);
            T *out = y.mutableData<T>();
            for (int64_t i = 0; i < rows; ++i) {
                const int64_t j = i + m_k;
                if (j >= 0 && j < columns)
                    out[i * columns + j] = T(1);
            }
        });
        return Status::ok();
    }

private:
    std::optional<DType> m_type;
    int64_t m_k;
};

} // namespace

Result<std::unique_ptr<Kernel>> createEyeLike(const KernelInfo &info)
{
    auto k = info.getInt("k", 0);
    if (!k)
        return k.status();
    std::optional<DType> type;
    if (info.hasAttribute("dtype")) {
        auto code = info.getInt("dtype", 0);
        if (!code)
            return code.status();
        type = static_cast<DType>(*code);
        if (!isSupportedDType(*type) || *type == DType::String)
            return info.unsupportedError("dtype code " + std::to_string(*code)
                                         + " is not supported");
    }
    return makeKernel<EyeLikeKernel>(type, *k);
}

} // namespace qs::ops
