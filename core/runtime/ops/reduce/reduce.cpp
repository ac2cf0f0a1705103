// ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceLogSum,
// ReduceLogSumExp, ReduceSumSquare over a ReducePlan's [outer, reduced, inner] view. Axes are an
// attribute, or for ReduceSum from opset 13 an optional input (with noop_with_empty_axes).
// Accumulation is in float for half types and in the element type otherwise.
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/reduce/reduce_plan.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cmath>
#include <limits>
#include <optional>

namespace qs::ops {

namespace {

enum class Reduction { Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

template<typename T>
using AccumulatorOf
    = std::conditional_t<std::is_same_v<T, Eigen::half> || std::is_same_v<T, Eigen::bfloat16>,
                         float, T>;

template<typename A>
A initialValue(Reduction reduction)
{
    switch (reduction) {
    case Reduction::Max: return std::numeric_limits<A>::lowest();
    case Reduction::Min: return std::numeric_limits<A>::max();
    case Reduction::Prod: return A(1);
    default: return A(0);
    }
}

template<typename A>
inline A combine(Reduction reduction, A acc, A v, A shift)
{
    switch (reduction) {
    case Reduction::Max: return v > acc || v != v ? v : acc;
    case Reduction::Min: return v < acc || v != v ? v : acc;
    case Reduction::Prod: return A(acc * v);
    case Reduction::L1: return A(acc + (v < A(0) ? A(-v) : v));
    case Reduction::L2:
    case Reduction::SumSquare: return A(acc + v * v);
    case Reduction::LogSumExp: return A(acc + A(std::exp(double(v - shift))));
    default: return A(acc + v);
    }
}

template<typename A>
inline A finish(Reduction reduction, A acc, int64_t count, A shift)
{
    switch (reduction) {
    case Reduction::Mean: return count ? A(acc / A(count)) : acc;
    case Reduction::L2: return A(std::sqrt(double(acc)));
    case Reduction::LogSum: return A(std::log(double(acc)));
    case Reduction::LogSumExp: return A(double(shift) + std::log(double(acc)));
    default: return acc;
    }
}

// Reduces `x` laid out as [outer, reduced, inner] into `out` [outer, inner]. `shift` (per output,
// may be null) is subtracted before exp for LogSumExp.
template<typename T>
void reduceBlock(Reduction reduction, const T *x, T *out, const ReducePlan &plan, const T *shift,
                 int threads)
{
    using A = AccumulatorOf<T>;
    const int64_t outer = plan.outer, reduced = plan.reduced, inner = plan.inner;
    const bool parallel = outer * reduced * inner > (1 << 16) && threads > 1;
    if (inner == 1) {
#pragma omp parallel for num_threads(threads) schedule(static) if (parallel)
        for (int64_t o = 0; o < outer; ++o) {
            const T *row = x + o * reduced;
            const A s = shift ? A(shift[o]) : A(0);
            A acc = initialValue<A>(reduction);
            for (int64_t r = 0; r < reduced; ++r)
                acc = combine(reduction, acc, A(row[r]), s);
            out[o] = T(finish(reduction, acc, reduced, s));
        }
        return;
    }
#pragma omp parallel for num_threads(threads) schedule(static) if (parallel)
    for (int64_t o = 0; o < outer; ++o) {
        std::vector<A> acc(static_cast<size_t>(inner), initialValue<A>(reduction));
        std::vector<A> shifts(static_cast<size_t>(inner), A(0));
        if (shift) {
            for (int64_t i = 0; i < inner; ++i)
                shifts[i] = A(shift[o * inner + i]);
        }
        for (int64_t r = 0; r < reduced; ++r) {
            const T *slice = x + (o * reduced + r) * inner;
            for (int64_t i = 0; i < inner; ++i)
                acc[i] = combine(reduction, acc[i], A(slice[i]), shifts[i]);
        }
        for (int64_t i = 0; i < inner; ++i)
            out[o * inner + i] = T(finish(reduction, acc[i], reduced, shifts[i]));
    }
}

class ReduceKernel : public Kernel
{
public:
    ReduceKernel(Reduction reduction, bool keepDims, bool noopWithEmptyAxes, IntListParam axes)
        : m_reduction(reduction)
        , m_keepDims(keepDims)
        , m_noopWithEmptyAxes(noopWithEmptyAxes)
        , m_axes(std::move(axes))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        auto axes = m_axes.get(ctx, "axes");
        if (!axes)
            return axes.status();
        std::vector<int64_t> axisList = axes->value_or(std::vector<int64_t>{});
        if (axisList.empty() && m_noopWithEmptyAxes) {
            ctx.output(0) = x;
            return Status::ok();
        }
        auto plan = ReducePlan::make(x.shape(), axisList, m_keepDims);
        if (!plan)
            return ctx.error(plan.status().message());
        if (plan->reduced == 0 && (m_reduction == Reduction::Max || m_reduction == Reduction::Min))
            return ctx.error("cannot take the max/min of an empty set (input "
                             + shapeToString(x.shape()) + ")");
        const Tensor laid = reduceLayout(*plan, x, ctx.threads());
        Tensor &out = ctx.allocateOutput(0, x.dtype(), plan->outputShape);
        bool handled = false;
        dispatchNumeric(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (!std::is_same_v<T, bool>) {
                if constexpr (std::is_integral_v<T>) {
                    if (m_reduction == Reduction::L2 || m_reduction == Reduction::LogSum
                        || m_reduction == Reduction::LogSumExp)
                        return;
                }
                const T *data = laid.data<T>();
                T *result = out.mutableData<T>();
                if (m_reduction == Reduction::LogSumExp) {
                    Tensor maxima = Tensor::allocate(x.dtype(), plan->outputShape);
                    reduceBlock<T>(Reduction::Max, data, maxima.mutableData<T>(), *plan, nullptr,
                                   ctx.threads());
                    reduceBlock<T>(m_reduction, data, result, *plan, maxima.data<T>(),
                                   ctx.threads());
                } else {
                    reduceBlock<T>(m_reduction, data, result, *plan, nullptr, ctx.threads());
                }
                handled = true;
            }
        });
        if (!handled)
            return ctx.error(std::string("type ") + dtypeName(x.dtype()) + " is not supported");
        return Status::ok();
    }

private:
    Reduction m_reduction;
    bool m_keepDims;
    bool m_noopWithEmptyAxes;
    IntListParam m_axes;
};

Result<std::unique_ptr<Kernel>> createReduce(const KernelInfo &info, Reduction reduction,
                                             int axesInputSince)
{
    auto keepDims = info.getInt("keepdims", 1);
    auto noop = info.getInt("noop_with_empty_axes", 0);
    if (!keepDims || !noop)
        return !keepDims ? keepDims.status() : noop.status();
    IntListParam axes;
    QS_RETURN_IF_ERROR(axes.init(info, "axes", 1, axesInputSince));
    return makeKernel<ReduceKernel>(reduction, *keepDims != 0, *noop != 0, std::move(axes));
}

// Opset 18 moved the other reductions' axes to an input; we implement up to 17.
constexpr int kAxesInputSince = 18;

} // namespace

Result<std::unique_ptr<Kernel>> createReduceSum(const KernelInfo &info)
{
    return createReduce(info, Reduction::Sum, 13);
}
Result<std::unique_ptr<Kernel>> createReduceMean(const KernelInfo &info)
{
    return createReduce(info, Reduction::Mean, kAxesInputSince);
}
Result<std::unique_ptr<Kernel>> createReduceMax(const KernelInfo &info)
{
    return createReduce(info, Reduction::Max, kAxesInputSince);
}
Result<std::unique_ptr<Kernel>> createReduceMin(const KernelInfo &info)
{
    return createReduce(info, Reduction::Min, kAxesInputSince);
}
Result<std::unique_ptr<Kernel>> createReduceProd(const KernelInfo &info)
{
    return createReduce(info, Reduction::Prod, kAxesInputSince);
}
Result<std::unique_ptr<Kernel>> createReduceL1(const KernelInfo &info)
{
    return createReduce(info, Reduction::L1, kAxesInputSince);
}
Result<std::unique_ptr<Kernel>> createReduceL2(const KernelInfo &info)
{
    return createReduce(info, Reduction::L2, kAxesInputSince);
}
Result<std::unique_ptr<Kernel>> createReduceLogSum(const KernelInfo &info)
{
    return createReduce(info, Reduction::LogSum, kAxesInputSince);
}
Result<std::unique_ptr<Kernel>> createReduceLogSumExp(const KernelInfo &info)
{
    return createReduce(info, Reduction::LogSumExp, kAxesInputSince);
}
Result<std::unique_ptr<Kernel>> createReduceSumSquare(const KernelInfo &info)
{
    return createReduce(info, Reduction::SumSquare, kAxesInputSince);
}

} // namespace qs::ops
