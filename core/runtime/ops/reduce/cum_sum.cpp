// CumSum along the axis given as an input (opset 11), with exclusive and reverse attributes.
#include "runtime/ops/dispatch.h"
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/reduce/reduce_plan.h"
#include "runtime/ops/tensor/tensor_util.h"

namespace qs::ops {

namespace {

class CumSumKernel : public Kernel
{
public:
    CumSumKernel(bool exclusive, bool reverse)
        : m_exclusive(exclusive)
        , m_reverse(reverse)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const Tensor &axisInput = ctx.input(1);
        if (axisInput.elementCount() != 1)
            return ctx.error("axis must hold one value, got shape "
                             + shapeToString(axisInput.shape()));
        int64_t axis = axisInput.intAt(0);
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, x));
        const AxisSplit split = splitAtAxis(x.shape(), axis);
        Tensor &y = ctx.allocateOutput(0, x.dtype(), x.shape());
        return dispatchNonBool(ctx, x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T *in = x.data<T>();
            T *out = y.mutableData<T>();
            for (int64_t o = 0; o < split.outer; ++o) {
                for (int64_t i = 0; i < split.inner; ++i) {
                    const int64_t base = o * split.extent * split.inner + i;
                    T running = T(0);
                    for (int64_t step = 0; step < split.extent; ++step) {
                        const int64_t k = m_reverse ? split.extent - 1 - step : step;
                        const int64_t at = base + k * split.inner;
                        if (m_exclusive) {
                            out[at] = running;
                            running = T(running + in[at]);
                        } else {
                            running = T(running + in[at]);
                            out[at] = running;
                        }
                    }
                }
            }
        });
    }

private:
    bool m_exclusive;
    bool m_reverse;
};

} // namespace

Result<std::unique_ptr<Kernel>> createCumSum(const KernelInfo &info)
{
    auto exclusive = info.getInt("exclusive", 0);
    auto reverse = info.getInt("reverse", 0);
    if (!exclusive || !reverse)
        return !exclusive ? exclusive.status() : reverse.status();
    return makeKernel<CumSumKernel>(*exclusive != 0, *reverse != 0);
}

} // namespace qs::ops
