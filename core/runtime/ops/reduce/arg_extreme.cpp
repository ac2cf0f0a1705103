// ArgMax and ArgMin along one axis (keepdims, select_last_index from opset 12); int64 indices.
#include "runtime/ops/dispatch.h"
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/reduce/reduce_plan.h"
#include "runtime/ops/tensor/tensor_util.h"

namespace qs::ops {

namespace {

class ArgExtremeKernel : public Kernel
{
public:
    ArgExtremeKernel(bool maximum, int64_t axis, bool keepDims, bool selectLast)
        : m_maximum(maximum)
        , m_axis(axis)
        , m_keepDims(keepDims)
        , m_selectLast(selectLast)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, x));
        if (x.dim(axis) == 0)
            return ctx.error("cannot take the arg-" + std::string(m_maximum ? "max" : "min")
                             + " of an empty axis (input " + shapeToString(x.shape()) + ")");
        Shape outShape = x.shape();
        if (m_keepDims)
            outShape[static_cast<size_t>(axis)] = 1;
        else
            outShape.erase(outShape.begin() + axis);
        const AxisSplit split = splitAtAxis(x.shape(), axis);
        Tensor &y = ctx.allocateOutput(0, DType::Int64, outShape);
        int64_t *out = y.mutableData<int64_t>();
        return dispatchNonBool(ctx, x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T *in = x.data<T>();
            for (int64_t o = 0; o < split.outer; ++o) {
                for (int64_t i = 0; i < split.inner; ++i) {
                    const T *base = in + o * split.extent * split.inner + i;
                    int64_t best = 0;
                    for (int64_t k = 1; k < split.extent; ++k) {
                        const T v = base[k * split.inner], b = base[best * split.inner];
                        const bool better = m_maximum ? (m_selectLast ? v >= b : v > b)
                                                      : (m_selectLast ? v <= b : v < b);
                        if (better)
                            best = k;
                    }
                    out[o * split.inner + i] = best;
                }
            }
        });
    }

private:
    bool m_maximum;
    int64_t m_axis;
    bool m_keepDims;
    bool m_selectLast;
};

Result<std::unique_ptr<Kernel>> createArgExtreme(const KernelInfo &info, bool maximum)
{
    auto axis = info.getInt("axis", 0);
    auto keepDims = info.getInt("keepdims", 1);
    auto selectLast = info.getInt("select_last_index", 0);
    if (!axis || !keepDims || !selectLast)
        return !axis ? axis.status() : !keepDims ? keepDims.status() : selectLast.status();
    return makeKernel<ArgExtremeKernel>(maximum, *axis, *keepDims != 0, *selectLast != 0);
}

} // namespace

Result<std::unique_ptr<Kernel>> createArgMax(const KernelInfo &info)
{
    return createArgExtreme(info, true);
}
Result<std::unique_ptr<Kernel>> createArgMin(const KernelInfo &info)
{
    return createArgExtreme(info, false);
}

} // namespace qs::ops
