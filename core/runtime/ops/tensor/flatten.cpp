// Flatten: [d0..d(axis-1)] x [d(axis)..] as a 2-D view of the input's storage.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

namespace qs::ops {

namespace {

class FlattenKernel final : public Kernel
{
public:
    explicit FlattenKernel(int64_t axis)
        : m_axis(axis)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        int64_t axis = m_axis;
        // axis may equal rank (all dims go to the first factor).
        if (axis != data.rank() && !normalizeAxis(axis, data.rank()))
            return ctx.error("axis " + std::to_string(m_axis) + " is out of range for input "
                             + data.describe());
        int64_t outer = 1;
        for (int64_t i = 0; i < axis; ++i)
            outer *= data.dim(i);
        int64_t inner = 1;
        for (int64_t i = axis; i < data.rank(); ++i)
            inner *= data.dim(i);
        ctx.output(0) = data.reshaped({outer, inner});
        return Status::ok();
    }

private:
    int64_t m_axis;
};

} // namespace

Result<std::unique_ptr<Kernel>> createFlatten(const KernelInfo &info)
{
    Result<int64_t> axis = info.getInt("axis", 1);
    if (!axis)
        return axis.status();
    return makeKernel<FlattenKernel>(*axis);
}

} // namespace qs::ops
