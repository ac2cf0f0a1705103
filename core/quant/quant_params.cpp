#include "quant/quant_params.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {

QuantRange quantRange(quantscope::QuantType type, bool reduceRange, bool symmetric)
{
    if (type == quantscope::QUANT_TYPE_UINT8)
        return reduceRange ? QuantRange{0, 127} : QuantRange{0, 255};
    if (reduceRange)
        return {-64, 64};
    // Symmetric int8 drops -128 so that the range is balanced around the zero point 0.
    return symmetric ? QuantRange{-127, 127} : QuantRange{-128, 127};
}

DType quantDType(quantscope::QuantType type)
{
    return type == quantscope::QUANT_TYPE_UINT8 ? DType::UInt8 : DType::Int8;
}

DType sixteenBitDType(quantscope::QuantType activationType)
{
    return activationType == quantscope::QUANT_TYPE_INT8 ? DType::Int16 : DType::UInt16;
}

QuantRange sixteenBitRange(quantscope::QuantType activationType, bool symmetric)
{
    if (activationType != quantscope::QUANT_TYPE_INT8)
        return {0, 65535};
    return symmetric ? QuantRange{-32767, 32767} : QuantRange{-32768, 32767};
}

QuantParams computeQuantParams(float rmin, float rmax, QuantRange range, bool symmetric)
{
    rmin = std::min(rmin, 0.0f);
    rmax = std::max(rmax, 0.0f);
    if (symmetric) {
        const float absMax = std::max(std::fabs(rmin), std::fabs(rmax));
        rmin = -absMax;
        rmax = absMax;
    }
    const double realSpan = static_cast<double>(rmax) - static_cast<double>(rmin);
    const double quantSpan = static_cast<double>(range.qmax - range.qmin);
    const double scale = realSpan > 0 ? realSpan / quantSpan : 1.0;
    if (!(scale >= std::numeric_limits<float>::min()) || !std::isfinite(scale))
        return {1.0f, 0};
    QuantParams params;
    params.scale = static_cast<float>(scale);
    if (symmetric) {
        params.zeroPoint = static_cast<int32_t>(std::nearbyint((range.qmin + range.qmax) / 2.0));
    } else {
        const double zero = std::nearbyint(range.qmin - rmin / scale);
        params.zeroPoint = static_cast<int32_t>(
            std::clamp(zero, static_cast<double>(range.qmin), static_cast<double>(range.qmax)));
    }
    return params;
}

int32_t quantizeValue(float value, const QuantParams &params, QuantRange range)
{
    const double q = std::nearbyint(static_cast<double>(value) / params.scale) + params.zeroPoint;
    if (!(q >= range.qmin)) // NaN too
        return range.qmin;
    return static_cast<int32_t>(std::min(q, static_cast<double>(range.qmax)));
}

namespace {

template<typename Q>
void quantizeChannels(const float *source, Q *target, int64_t outer, int64_t channels,
                      int64_t inner, const WeightQuantOptions &options, QuantizedTensor &result)
{
    const QuantRange range = quantRange(options.type, options.reduceRange, options.symmetric);
    const bool perChannel = options.axis >= 0;
    const int64_t groups = perChannel ? channels : 1;
    result.scales.assign(static_cast<size_t>(groups), 1.0f);
    result.zeroPoints.assign(static_cast<size_t>(groups), 0);
    std::vector<float> lows(static_cast<size_t>(groups), 0.0f);
    std::vector<float> highs(static_cast<size_t>(groups), 0.0f);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c) {
            const float *row = source + (o * channels + c) * inner;
            const size_t g = perChannel ? static_cast<size_t>(c) : 0;
            for (int64_t i = 0; i < inner; ++i) {
                if (std::isfinite(row[i])) {
                    lows[g] = std::min(lows[g], row[i]);
                    highs[g] = std::max(highs[g], row[i]);
                }
            }
        }
    std::vector<QuantParams> params(static_cast<size_t>(groups));
    for (size_t g = 0; g < params.size(); ++g) {
        params[g] = computeQuantParams(lows[g], highs[g], range, options.symmetric);
        result.scales[g] = params[g].scale;
        result.zeroPoints[g] = params[g].zeroPoint;
    }
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c) {
            const int64_t offset = (o * channels + c) * inner;
            const QuantParams &p = params[perChannel ? static_cast<size_t>(c) : 0];
            for (int64_t i = 0; i < inner; ++i)
                target[offset + i] = static_cast<Q>(quantizeValue(source[offset + i], p, range));
        }
}

} // namespace

QuantizedTensor quantizeWeights(const Tensor &weights, const WeightQuantOptions &options)
{
    QuantizedTensor result;
    result.axis = options.axis;
    const Shape &shape = weights.shape();
    int64_t outer = 1, channels = 1, inner = weights.elementCount();
    if (options.axis >= 0) {
        const auto axis = static_cast<size_t>(options.axis);
        outer = 1;
        for (size_t d = 0; d < axis; ++d)
            outer *= shape[d];
        channels = shape[axis];
        inner = 1;
        for (size_t d = axis + 1; d < shape.size(); ++d)
            inner *= shape[d];
    }
    result.values = Tensor::allocate(quantDType(options.type), shape);
    const float *source = weights.data<float>();
    if (options.type == quantscope::QUANT_TYPE_UINT8)
        quantizeChannels(source, result.values.mutableData<uint8_t>(), outer, channels, inner,
                         options, result);
    else
        quantizeChannels(source, result.values.mutableData<int8_t>(), outer, channels, inner,
                         options, result);
    return result;
}

QuantizedTensor quantizeBias(const Tensor &bias, float inputScale,
                             const std::vector<float> &weightScales)
{
    QuantizedTensor result;
    const int64_t count = bias.elementCount();
    result.values = Tensor::allocate(DType::Int32, bias.shape());
    result.axis = weightScales.size() > 1 ? 0 : -1;
    result.scales.resize(weightScales.size());
    result.zeroPoints.assign(weightScales.size(), 0);
    for (size_t c = 0; c < weightScales.size(); ++c) {
        // A zero scale (an all-zero weight channel gets scale 1, but the input scale can be
        // tiny) would divide by zero: fall back to 1 like ORT's too-small-scale rule.
        const float scale = inputScale * weightScales[c];
        result.scales[c] = scale >= std::numeric_limits<float>::min() ? scale : 1.0f;
    }
    const float *source = bias.data<float>();
    int32_t *target = result.values.mutableData<int32_t>();
    constexpr double kLimit = std::numeric_limits<int32_t>::max();
    for (int64_t i = 0; i < count; ++i) {
        const float scale = result.scales[weightScales.size() > 1 ? static_cast<size_t>(i) : 0];
        const double q = std::nearbyint(static_cast<double>(source[i]) / scale);
        target[i] = static_cast<int32_t>(std::clamp(q, -kLimit, kLimit));
    }
    return result;
}

} // namespace qs
