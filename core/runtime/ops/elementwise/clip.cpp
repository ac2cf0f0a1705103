// Clip: bounds as attributes (opset 6) or as optional scalar inputs (opset 11; integer types from
// 12). Constant bounds are read once in the factory.
#include "runtime/ops/dispatch.h"
#include "runtime/ops/elementwise/elementwise_kernels.h"

#include <Eigen/Core>
#include <limits>
#include <optional>

namespace qs::ops {

namespace {

class ClipKernel : public Kernel
{
public:
    ClipKernel(std::optional<double> low, std::optional<double> high, bool boundsAreInputs)
        : m_low(low)
        , m_high(high)
        , m_boundsAreInputs(boundsAreInputs)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        std::optional<double> low = m_low, high = m_high;
        if (m_boundsAreInputs) {
            for (size_t index : {size_t(1), size_t(2)}) {
                if (!ctx.hasInput(index))
                    continue;
                const Tensor &bound = ctx.input(index);
                if (bound.elementCount() != 1)
                    return ctx.error(std::string(index == 1 ? "min" : "max")
                                     + " must be a scalar, got shape "
                                     + shapeToString(bound.shape()));
                (index == 1 ? low : high) = bound.doubleAt(0);
            }
        }
        Tensor &y = ctx.allocateOutput(0, x.dtype(), x.shape());
        return dispatchNonBool(ctx, x.dtype(), [&](auto tag) {
            clip<decltype(tag)>(x, y, low, high, ctx.threads());
        });
    }

private:
    template<typename T>
    static void clip(const Tensor &x, Tensor &y, std::optional<double> low,
                     std::optional<double> high, int threads)
    {
        using C = std::conditional_t<
            std::is_same_v<T, Eigen::half> || std::is_same_v<T, Eigen::bfloat16>, float, T>;
        const C lo = low ? static_cast<C>(*low) : std::numeric_limits<C>::lowest();
        const C hi = high ? static_cast<C>(*high) : std::numeric_limits<C>::max();
        const T *in = x.data<T>();
        T *out = y.mutableData<T>();
        const int64_t n = x.elementCount();
#pragma omp parallel for num_threads(threads) schedule(static) if (n > (1 << 16))
        for (int64_t i = 0; i < n; ++i) {
            const C v = static_cast<C>(in[i]);
            out[i] = T(v < lo ? lo : (v > hi ? hi : v));
        }
    }

    std::optional<double> m_low, m_high;
    bool m_boundsAreInputs;
};

} // namespace

Result<std::unique_ptr<Kernel>> createClip(const KernelInfo &info)
{
    if (info.opsetVersion() < 11) {
        auto low = info.getFloat("min", std::numeric_limits<float>::lowest());
        auto high = info.getFloat("max", std::numeric_limits<float>::max());
        if (!low || !high)
            return !low ? low.status() : high.status();
        return makeKernel<ClipKernel>(double(*low), double(*high), false);
    }
    // Bounds known now when both given inputs are constants; else read per run.
    std::optional<double> low, high;
    bool allConstant = true;
    for (size_t index : {size_t(1), size_t(2)}) {
        if (!info.hasInput(index))
            continue;
        const Tensor *bound = info.constantInput(index);
        if (!bound) {
            allConstant = false;
            continue;
        }
        if (bound->elementCount() != 1)
            return info.error(std::string(index == 1 ? "min" : "max") + " must be a scalar");
        (index == 1 ? low : high) = bound->doubleAt(0);
    }
    if (allConstant)
        return makeKernel<ClipKernel>(low, high, false);
    return makeKernel<ClipKernel>(std::nullopt, std::nullopt, true);
}

} // namespace qs::ops
