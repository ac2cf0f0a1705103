// Sum, Mean, Min, Max: one or more inputs, broadcast together; folded pairwise into the output
// (each step a broadcast run loop), Mean divides once at the end.
#include "runtime/ops/dispatch.h"
#include "runtime/ops/elementwise/binary_kernel.h"
#include "runtime/ops/elementwise/elementwise_kernels.h"

#include <algorithm>
#include <cmath>

namespace qs::ops {

namespace {

enum class Fold { Sum, Mean, Min, Max };

class VariadicKernel : public Kernel
{
public:
    explicit VariadicKernel(Fold fold)
        : m_fold(fold)
    {}

    Status compute(KernelContext &ctx) const override
    {
        std::vector<Shape> shapes;
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            if (!ctx.hasInput(i))
                return ctx.error("input " + std::to_string(i) + " is missing");
            if (ctx.input(i).dtype() != ctx.input(0).dtype())
                return ctx.error("all inputs must have one type");
            shapes.push_back(ctx.input(i).shape());
        }
        if (shapes.empty())
            return ctx.error("needs at least one input");
        auto plan = BroadcastPlan::make(shapes);
        if (!plan)
            return ctx.error(plan.status().message());
        const DType type = ctx.input(0).dtype();
        const bool floating = isFloatingDType(type);
        if (m_fold == Fold::Mean && !floating)
            return ctx.error(std::string("Mean needs floating inputs, got ") + dtypeName(type));
        return dispatchNonBool(ctx, type,
                               [&](auto tag) { fold<decltype(tag)>(ctx, plan->outputShape()); });
    }

private:
    template<typename T>
    void fold(KernelContext &ctx, const Shape &outputShape) const
    {
        // Start from input 0 broadcast to the output shape, then fold the others in place.
        Tensor &out = ctx.allocateOutput(0, DTypeOf<T>::value, outputShape);
        T *result = out.mutableData<T>();
        {
            const Shape shapes[] = {ctx.input(0).shape(), outputShape};
            auto plan = BroadcastPlan::make(shapes).value();
            broadcastBinary(plan, ctx.input(0).data<T>(), result, result, ctx.threads(),
                            [](T a, T) { return a; });
        }
        for (size_t i = 1; i < ctx.inputCount(); ++i) {
            const Shape shapes[] = {outputShape, ctx.input(i).shape()};
            auto plan = BroadcastPlan::make(shapes).value();
            const T *other = ctx.input(i).data<T>();
            switch (m_fold) {
            case Fold::Sum:
            case Fold::Mean:
                broadcastBinary(plan, result, other, result, ctx.threads(),
                                [](T a, T b) { return T(a + b); });
                break;
            case Fold::Min:
                broadcastBinary(plan, result, other, result, ctx.threads(),
                                [](T a, T b) { return pickPropagatingNaN<false>(a, b); });
                break;
            case Fold::Max:
                broadcastBinary(plan, result, other, result, ctx.threads(),
                                [](T a, T b) { return pickPropagatingNaN<true>(a, b); });
                break;
            }
        }
        if (m_fold == Fold::Mean) {
            const T count = T(static_cast<float>(ctx.inputCount()));
            for (T &value : out.mutableValues<T>())
                value = T(value / count);
        }
    }

    // The smaller of a and b (kLarger: the larger); NaN when either is NaN, as ONNX asks.
    template<bool kLarger, typename T>
    static T pickPropagatingNaN(T a, T b)
    {
        if constexpr (!std::is_integral_v<T>) {
            if (a != a || b != b)
                return T(NAN);
        }
        return (kLarger ? a < b : b < a) ? b : a;
    }

    Fold m_fold;
};

} // namespace

Result<std::unique_ptr<Kernel>> createSum(const KernelInfo &)
{
    return makeKernel<VariadicKernel>(Fold::Sum);
}
Result<std::unique_ptr<Kernel>> createMean(const KernelInfo &)
{
    return makeKernel<VariadicKernel>(Fold::Mean);
}
Result<std::unique_ptr<Kernel>> createMin(const KernelInfo &)
{
    return makeKernel<VariadicKernel>(Fold::Min);
}
Result<std::unique_ptr<Kernel>> createMax(const KernelInfo &)
{
    return makeKernel<VariadicKernel>(Fold::Max);
}

} // namespace qs::ops
