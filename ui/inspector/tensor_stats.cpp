#include "tensor_stats.h"

#include <algorithm>
#include <cmath>

namespace qs::ui {

namespace {

template<typename T>
std::vector<double> sampleValues(const Tensor &tensor, int64_t maxSamples)
{
    const T *data = tensor.data<T>();
    const int64_t n = tensor.elementCount();
    const int64_t stride = n <= maxSamples ? 1 : (n + maxSamples - 1) / maxSamples;
    std::vector<double> values;
    values.reserve(size_t(n / stride + 1));
    for (int64_t i = 0; i < n; i += stride)
        values.push_back(static_cast<double>(data[i]));
    return values;
}

} // namespace

TensorStats computeTensorStats(const Tensor &tensor, int bins, int64_t maxSamples)
{
    TensorStats stats;
    stats.elements = tensor.elementCount();
    if (tensor.empty() || stats.elements == 0)
        return stats;
    std::vector<double> values;
    const bool numeric = dispatchNumeric(tensor.dtype(), [&](auto zero) {
        using T = decltype(zero);
        values = sampleValues<T>(tensor, std::max<int64_t>(1, maxSamples));
    });
    if (!numeric)
        return stats;
    stats.sampled = int64_t(values.size());

    // Two passes (mean, then squared deviations) keep the std exact enough for tiny weights.
    double sum = 0;
    int64_t finite = 0;
    stats.min = INFINITY;
    stats.max = -INFINITY;
    for (const double v : values) {
        if (!std::isfinite(v)) {
            ++stats.nonFinite;
            continue;
        }
        ++finite;
        sum += v;
        stats.min = std::min(stats.min, v);
        stats.max = std::max(stats.max, v);
    }
    if (finite == 0) {
        stats.min = stats.max = 0;
        return stats;
    }
    stats.mean = sum / double(finite);
    double squares = 0;
    for (const double v : values) {
        if (std::isfinite(v))
            squares += (v - stats.mean) * (v - stats.mean);
    }
    stats.stddev = std::sqrt(squares / double(finite));

    stats.histogram.assign(size_t(std::max(1, bins)), 0);
    const double range = stats.max - stats.min;
    const auto last = int64_t(stats.histogram.size()) - 1;
    for (const double v : values) {
        if (!std::isfinite(v))
            continue;
        int64_t bin = range > 0 ? int64_t((v - stats.min) / range * double(last + 1)) : 0;
        stats.histogram[size_t(std::clamp<int64_t>(bin, 0, last))] += 1;
    }
    stats.valid = true;
    return stats;
}

} // namespace qs::ui
