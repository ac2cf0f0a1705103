// Compress (opset 9/11): keeps the slices along `axis` whose condition is true (of the flattened
// input without an axis). A condition shorter than the axis keeps nothing past its end.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>
#include <optional>

namespace qs::ops {

namespace {

class CompressKernel final : public Kernel
{
public:
    explicit CompressKernel(std::optional<int64_t> axis)
        : m_axis(axis)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &input = ctx.input(0);
        const Tensor &condition = ctx.input(1);
        if (condition.dtype() != DType::Bool || condition.rank() != 1)
            return ctx.error("condition must be a 1-D bool tensor, got " + condition.describe());
        Tensor data = m_axis ? input : input.reshaped({input.elementCount()});
        int64_t axis = m_axis.value_or(0);
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, data));
        const int64_t dim = data.dim(axis);
        if (condition.dim(0) > dim)
            return ctx.error("condition has " + std::to_string(condition.dim(0))
                             + " entries, more than the " + std::to_string(dim) + " of axis "
                             + std::to_string(axis));
        std::vector<int64_t> kept;
        const bool *flags = condition.data<bool>();
        for (int64_t i = 0; i < condition.dim(0); ++i) {
            if (flags[i])
                kept.push_back(i);
        }
        Shape outShape = data.shape();
        outShape[static_cast<size_t>(axis)] = static_cast<int64_t>(kept.size());
        Tensor &out = ctx.allocateOutput(0, data.dtype(), outShape);
        int64_t outer = 1, block = dtypeSize(data.dtype());
        for (int64_t d = 0; d < axis; ++d)
            outer *= data.dim(d);
        for (int64_t d = axis + 1; d < data.rank(); ++d)
            block *= data.dim(d);
        const auto *src = static_cast<const char *>(data.rawData());
        auto *dst = static_cast<char *>(out.mutableRawData());
        for (int64_t o = 0; o < outer; ++o) {
            for (int64_t index : kept) {
                std::memcpy(dst, src + (o * dim + index) * block, static_cast<size_t>(block));
                dst += block;
            }
        }
        return Status::ok();
    }

private:
    std::optional<int64_t> m_axis;
};

} // namespace

Result<std::unique_ptr<Kernel>> createCompress(const KernelInfo &info)
{
    std::optional<int64_t> axis;
    if (info.hasAttribute("axis")) {
        auto value = info.getInt("axis", 0);
        if (!value)
            return value.status();
        axis = *value;
    }
    return makeKernel<CompressKernel>(axis);
}

} // namespace qs::ops
