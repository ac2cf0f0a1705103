#include "runtime/ops/quant/requantize.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace qs::ops {

namespace {

// Below this many elements a parallel region costs more than it saves.
constexpr int64_t kParallelElements = 1 << 15;

struct Bounds
{
    float low, high, zeroPoint, min, max;
    float dequantizeScale; // for a float output
};

// The 8-bit value `q` (already saturated, as a float) stored as Y: as it is, or dequantized.
template<typename Y>
Y store(float q, const Bounds &b)
{
    if constexpr (std::is_same_v<Y, float>)
        return (q - b.zeroPoint) * b.dequantizeScale;
    else
        return static_cast<Y>(q);
}

// One run of `count` elements that share one multiplier and bias (a convolution channel's map).
template<typename Y>
void requantizeUniform(const int32_t *acc, Y *y, int64_t count, float multiplier, int32_t bias,
                       const Bounds &b)
{
    for (int64_t i = 0; i < count; ++i) {
        const float scaled = float(acc[i] + bias) * multiplier;
        const float q = std::nearbyint(std::clamp(scaled, b.low, b.high)) + b.zeroPoint;
        y[i] = store<Y>(std::clamp(q, b.min, b.max), b);
    }
}

// One row of `count` channels, each with its own multiplier and bias (a matmul's output row).
template<typename Y>
void requantizePerElement(const int32_t *acc, Y *y, int64_t count, const float *multipliers,
                          const int32_t *bias, const Bounds &b)
{
    for (int64_t i = 0; i < count; ++i) {
        const float scaled = float(acc[i] + bias[i]) * multipliers[i];
        const float q = std::nearbyint(std::clamp(scaled, b.low, b.high)) + b.zeroPoint;
        y[i] = store<Y>(std::clamp(q, b.min, b.max), b);
    }
}

// Q is the 8-bit grid (its bounds), Y what is stored: Q, or float when dequantizing.
template<typename Q, typename Y>
void requantizeAll(const int32_t *acc, Y *y, const ChannelLayout &layout, const Requantization &r,
                   float zeroPoint, int threads)
{
    const Bounds bounds{r.clamp.low,
                        r.clamp.high,
                        zeroPoint,
                        float(std::numeric_limits<Q>::min()),
                        float(std::numeric_limits<Q>::max()),
                        r.dequantizeScale.value_or(1.0f)};
    const int64_t channels = layout.channels, inner = layout.inner;
    const bool parallel = threads > 1 && layout.outer * channels * inner >= kParallelElements;
    if (inner == 1) {
        // Rows of channels: spread the per-tensor constants into per-channel rows once.
        std::vector<float> multipliers(size_t(channels), r.multipliers.front());
        if (r.multipliers.size() > 1)
            std::copy_n(r.multipliers.begin(), channels, multipliers.begin());
        std::vector<int32_t> bias(size_t(channels), 0);
        if (r.bias)
            std::copy_n(r.bias, channels, bias.begin());
#pragma omp parallel for num_threads(threads) schedule(static) if (parallel)
        for (int64_t row = 0; row < layout.outer; ++row)
            requantizePerElement(acc + row * channels, y + row * channels, channels,
                                 multipliers.data(), bias.data(), bounds);
        return;
    }
#pragma omp parallel for num_threads(threads) schedule(static) if (parallel)
    for (int64_t line = 0; line < layout.outer * channels; ++line) {
        const int64_t c = line % channels;
        const float multiplier = r.multipliers[r.multipliers.size() > 1 ? size_t(c) : 0];
        requantizeUniform(acc + line * inner, y + line * inner, inner, multiplier,
                          r.bias ? r.bias[c] : 0, bounds);
    }
}

} // namespace

Status requantizeToOutput(KernelContext &ctx, const Tensor &acc, const Tensor &yZeroPoint,
                          const ChannelLayout &layout, const Requantization &requantization)
{
    if (requantization.multipliers.empty()
        || (requantization.multipliers.size() != 1
            && int64_t(requantization.multipliers.size()) != layout.channels)
        || layout.outer * layout.channels * layout.inner != acc.elementCount())
        return ctx.error("internal: requantization constants do not fit the accumulator "
                         + acc.describe());
    const int32_t *in = acc.data<int32_t>();
    const bool dequantize = requantization.dequantizeScale.has_value();
    auto run = [&](auto grid, float zeroPoint) {
        using Q = decltype(grid);
        if (dequantize) {
            Tensor &y = ctx.allocateOutput(0, DType::Float32, acc.shape());
            requantizeAll<Q>(in, y.mutableData<float>(), layout, requantization, zeroPoint,
                             ctx.threads());
        } else {
            Tensor &y = ctx.allocateOutput(0, DTypeOf<Q>::value, acc.shape());
            requantizeAll<Q>(in, y.mutableData<Q>(), layout, requantization, zeroPoint,
                             ctx.threads());
        }
    };
    if (yZeroPoint.dtype() == DType::UInt8) {
        run(uint8_t{}, float(yZeroPoint.data<uint8_t>()[0]));
    } else if (yZeroPoint.dtype() == DType::Int8) {
        run(int8_t{}, float(yZeroPoint.data<int8_t>()[0]));
    } else {
        return ctx.error("y_zero_point must be int8 or uint8, got " + yZeroPoint.describe());
    }
    return Status::ok();
}

} // namespace qs::ops
