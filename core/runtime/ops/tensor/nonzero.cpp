// NonZero: the int64 [rank, count] coordinates of the non-zero elements, in row-major order.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

namespace qs::ops {

namespace {

class NonZeroKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        std::vector<int64_t> hits;
        const bool known = dispatchNumeric(data.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T *values = data.data<T>();
            for (int64_t i = 0; i < data.elementCount(); ++i) {
                if (values[i] != T(0))
                    hits.push_back(i);
            }
        });
        if (!known)
            return ctx.error("dtype " + dtypeName(data.dtype()) + " is not supported");
        const int64_t rank = data.rank();
        const auto count = static_cast<int64_t>(hits.size());
        Tensor &out = ctx.allocateOutput(0, DType::Int64, {rank, count});
        int64_t *dst = out.mutableData<int64_t>();
        for (int64_t k = 0; k < count; ++k) {
            int64_t rest = hits[static_cast<size_t>(k)];
            for (int64_t d = rank - 1; d >= 0; --d) {
                dst[d * count + k] = rest % data.dim(d);
                rest /= data.dim(d);
            }
        }
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createNonZero(const KernelInfo &)
{
    return makeKernel<NonZeroKernel>();
}

} // namespace qs::ops
