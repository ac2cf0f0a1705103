// Expand: broadcast the input to broadcast(input shape, shape) with zero source strides.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

namespace qs::ops {

namespace {

class ExpandKernel final : public Kernel
{
public:
    explicit ExpandKernel(IntListParam shape)
        : m_shape(std::move(shape))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        Result<std::vector<int64_t>> requested = m_shape.require(ctx, "shape");
        if (!requested)
            return requested.status();
        Shape outShape;
        if (!broadcastShapes(data.shape(), *requested, outShape))
            return ctx.error("input " + data.describe() + " cannot be broadcast to shape "
                             + intsToString(*requested));
        Tensor &out = ctx.allocateOutput(0, data.dtype(), outShape);
        stridedCopy(out.mutableRawData(), data.rawData(), outShape,
                    broadcastStrides(data.shape(), outShape), dtypeSize(data.dtype()),
                    ctx.threads());
        return Status::ok();
    }

private:
    IntListParam m_shape;
};

} // namespace

Result<std::unique_ptr<Kernel>> createExpand(const KernelInfo &info)
{
    IntListParam shape;
    QS_RETURN_IF_ERROR(shape.init(info, "shape", 1, 1));
    return makeKernel<ExpandKernel>(std::move(shape));
}

} // namespace qs::ops
