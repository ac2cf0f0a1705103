// Where(condition, X, Y): X where the condition holds, else Y, all three broadcast together.
// Any element type: values are copied by element size, so one body serves all dtypes.
#include "runtime/ops/elementwise/broadcast.h"
#include "runtime/ops/elementwise/elementwise_kernels.h"

#include <cstring>

namespace qs::ops {

namespace {

template<typename Word>
void selectRun(const bool *c, int64_t sc, const Word *x, int64_t sx, const Word *y, int64_t sy,
               Word *out, int64_t n)
{
    for (int64_t i = 0; i < n; ++i)
        out[i] = c[i * sc] ? x[i * sx] : y[i * sy];
}

class WhereKernel : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        const Tensor &condition = ctx.input(0);
        const Tensor &x = ctx.input(1);
        const Tensor &y = ctx.input(2);
        if (condition.dtype() != DType::Bool)
            return ctx.error(std::string("condition must be bool, got ")
                             + dtypeName(condition.dtype()));
        if (x.dtype() != y.dtype())
            return ctx.error(std::string("X and Y must have one type, got ") + dtypeName(x.dtype())
                             + " and " + dtypeName(y.dtype()));
        const Shape shapes[] = {condition.shape(), x.shape(), y.shape()};
        auto plan = BroadcastPlan::make(shapes);
        if (!plan)
            return ctx.error(plan.status().message());
        Tensor &out = ctx.allocateOutput(0, x.dtype(), plan->outputShape());
        switch (dtypeSize(x.dtype())) {
        case 1: run<uint8_t>(*plan, condition, x, y, out, ctx.threads()); break;
        case 2: run<uint16_t>(*plan, condition, x, y, out, ctx.threads()); break;
        case 4: run<uint32_t>(*plan, condition, x, y, out, ctx.threads()); break;
        case 8: run<uint64_t>(*plan, condition, x, y, out, ctx.threads()); break;
        default:
            return ctx.error(std::string("type ") + dtypeName(x.dtype()) + " is not supported");
        }
        return Status::ok();
    }

private:
    template<typename Word>
    static void run(const BroadcastPlan &plan, const Tensor &condition, const Tensor &x,
                    const Tensor &y, Tensor &out, int threads)
    {
        const auto *c = condition.data<bool>();
        const auto *xs = static_cast<const Word *>(x.rawData());
        const auto *ys = static_cast<const Word *>(y.rawData());
        auto *result = static_cast<Word *>(out.mutableRawData());
        const int64_t length = plan.rowLength();
        const int64_t rows = plan.rowCount();
#pragma omp parallel for num_threads(threads) if (plan.outputCount() > (1 << 16) && rows > 1)
        for (int64_t row = 0; row < rows; ++row)
            selectRun(c + plan.rowOffset(0, row), plan.innerStride(0), xs + plan.rowOffset(1, row),
                      plan.innerStride(1), ys + plan.rowOffset(2, row), plan.innerStride(2),
                      result + row * length, length);
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createWhere(const KernelInfo &)
{
    return makeKernel<WhereKernel>();
}

} // namespace qs::ops
