// ScatterElements (and the deprecated Scatter): a copy of data where
// out[index[i][j]][j] = updates[i][j] (axis 0), or reduced into it (opset 16+).
#include "runtime/ops/tensor/scatter_reduction.h"
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

namespace qs::ops {

namespace {

class ScatterElementsKernel final : public Kernel
{
public:
    ScatterElementsKernel(int64_t axis, ScatterReduction reduction)
        : m_axis(axis)
        , m_reduction(reduction)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        const Tensor &indices = ctx.input(1);
        const Tensor &updates = ctx.input(2);
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, data));
        if (indices.shape() != updates.shape() || indices.rank() != data.rank()
            || updates.dtype() != data.dtype())
            return ctx.error("indices " + indices.describe() + " and updates " + updates.describe()
                             + " do not match data " + data.describe());
        const int64_t rank = data.rank();
        for (int64_t d = 0; d < rank; ++d) {
            if (indices.dim(d) > data.dim(d))
                return ctx.error("indices " + indices.describe() + " exceed data " + data.describe()
                                 + " in dim " + std::to_string(d));
        }
        Tensor &out = ctx.allocateOutput(0, data.dtype(), data.shape());
        copyElements(out.mutableRawData(), data.rawData(), data.elementCount(),
                     dtypeSize(data.dtype()));
        Status status = Status::ok();
        const bool known = dispatchNumeric(data.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T *dst = out.mutableData<T>();
            const T *src = updates.data<T>();
            status = forEachAxisIndex(ctx, data, indices, axis, [&](int64_t e, int64_t offset) {
                scatterReduce(m_reduction, dst[offset], src[e]);
            });
        });
        if (!known)
            return ctx.error("dtype " + dtypeName(data.dtype()) + " is not supported");
        return status;
    }

private:
    int64_t m_axis;
    ScatterReduction m_reduction;
};

} // namespace

Result<std::unique_ptr<Kernel>> createScatterElements(const KernelInfo &info)
{
    Result<int64_t> axis = info.getInt("axis", 0);
    if (!axis)
        return axis.status();
    Result<ScatterReduction> reduction = parseScatterReduction(info);
    if (!reduction)
        return reduction.status();
    return makeKernel<ScatterElementsKernel>(*axis, *reduction);
}

} // namespace qs::ops
