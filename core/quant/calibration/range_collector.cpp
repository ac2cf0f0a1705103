#include "quant/calibration/range_collector.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>
#include <utility>

namespace qs {

namespace {

// Min and max of the finite values (NaN/Inf would make every range useless).
bool finiteExtremes(const float *values, int64_t count, float &low, float &high)
{
    low = std::numeric_limits<float>::infinity();
    high = -low;
    for (int64_t i = 0; i < count; ++i) {
        const float v = values[i];
        if (std::isfinite(v)) {
            low = std::min(low, v);
            high = std::max(high, v);
        }
    }
    return low <= high;
}

} // namespace

MinMaxCollector::MinMaxCollector(bool movingAverage, float averagingConstant)
    : m_movingAverage(movingAverage)
    , m_averagingConstant(averagingConstant)
{}

void MinMaxCollector::add(const float *values, int64_t count)
{
    float low = 0, high = 0;
    if (!finiteExtremes(values, count, low, high))
        return;
    if (!m_seen) {
        m_range = {low, high};
        m_seen = true;
    } else if (m_movingAverage) {
        m_range.min += m_averagingConstant * (low - m_range.min);
        m_range.max += m_averagingConstant * (high - m_range.max);
    } else {
        m_range.min = std::min(m_range.min, low);
        m_range.max = std::max(m_range.max, high);
    }
}

HistogramCollector::HistogramCollector(int bins)
    // A multiple of 4 so that doubling the range maps two old bins onto one new bin exactly.
    : m_counts(static_cast<size_t>(std::max(4, (bins + 3) / 4 * 4)), 0)
{}

void HistogramCollector::widenTo(double absMax)
{
    if (m_threshold == 0.0) {
        m_threshold = absMax;
        return;
    }
    const auto bins = static_cast<int64_t>(m_counts.size());
    while (m_threshold < absMax) {
        // Old [-T, T] is the middle half of new [-2T, 2T]: old bin i lands in bins/4 + i/2.
        std::vector<int64_t> merged(m_counts.size(), 0);
        for (int64_t i = 0; i < bins; ++i)
            merged[static_cast<size_t>(bins / 4 + i / 2)] += m_counts[static_cast<size_t>(i)];
        m_counts.swap(merged);
        m_threshold *= 2.0;
    }
}

void HistogramCollector::add(const float *values, int64_t count)
{
    float low = 0, high = 0;
    if (!finiteExtremes(values, count, low, high))
        return;
    m_min = m_total == 0 ? low : std::min(m_min, low);
    m_max = m_total == 0 ? high : std::max(m_max, high);
    const double absMax = std::max(std::fabs(double(low)), std::fabs(double(high)));
    // An all-zero first sample has no scale to start from; any positive T works for zeros.
    widenTo(std::max(absMax, m_threshold == 0.0 ? std::numeric_limits<float>::min() : 0.0));
    const auto bins = static_cast<int64_t>(m_counts.size());
    const double toBin = static_cast<double>(bins) / (2.0 * m_threshold);
    for (int64_t i = 0; i < count; ++i) {
        const float v = values[i];
        if (!std::isfinite(v))
            continue;
        const auto bin = static_cast<int64_t>((static_cast<double>(v) + m_threshold) * toBin);
        ++m_counts[static_cast<size_t>(std::clamp<int64_t>(bin, 0, bins - 1))];
        ++m_total;
        m_zeros += v == 0.0f;
    }
}

double HistogramCollector::binEdge(int64_t index) const
{
    const auto bins = static_cast<double>(m_counts.size());
    return -m_threshold + 2.0 * m_threshold * static_cast<double>(index) / bins;
}

TensorRange HistogramCollector::clipToObserved(TensorRange range) const
{
    return {std::max(range.min, m_min), std::min(range.max, m_max)};
}

TensorRange HistogramCollector::percentileRange(double percentile, bool symmetric) const
{
    if (m_total == 0)
        return {};
    const auto bins = static_cast<int64_t>(m_counts.size());
    const double total = static_cast<double>(m_total);
    if (symmetric) {
        // |x| histogram: bin j covers [j, j+1) * width on both sides of zero.
        const int64_t half = bins / 2;
        double cumulative = 0;
        const double keep = percentile / 100.0;
        int64_t j = 0;
        for (; j < half; ++j) {
            cumulative += double(m_counts[size_t(half + j)] + m_counts[size_t(half - 1 - j)]);
            if (cumulative / total >= keep)
                break;
        }
        const double t = binEdge(half + std::min(j + 1, half));
        return clipToObserved({static_cast<float>(-t), static_cast<float>(t)});
    }
    const double cut = (100.0 - percentile) / 200.0;
    double cumulative = 0;
    int64_t left = 0;
    for (; left < bins; ++left) {
        cumulative += double(m_counts[size_t(left)]);
        if (cumulative / total > cut)
            break;
    }
    cumulative = 0;
    int64_t right = bins - 1;
    for (; right >= 0; --right) {
        cumulative += double(m_counts[size_t(right)]);
        if (cumulative / total > cut)
            break;
    }
    return clipToObserved({static_cast<float>(binEdge(left)),
                           static_cast<float>(binEdge(std::max(left, right) + 1))});
}

namespace {

// Adds a small mass to empty bins (taken from the others) so that KL divergence stays finite,
// then normalizes; false when every bin is empty.
bool smoothAndNormalize(std::vector<double> &distribution)
{
    constexpr double kEpsilon = 1e-4;
    const auto zeros = std::count(distribution.begin(), distribution.end(), 0.0);
    const auto nonZeros = static_cast<int64_t>(distribution.size()) - zeros;
    if (nonZeros == 0)
        return false;
    const double taken = kEpsilon * double(zeros) / double(nonZeros);
    for (double &value : distribution)
        value += value == 0.0 ? kEpsilon : -taken;
    const double sum = std::accumulate(distribution.begin(), distribution.end(), 0.0);
    for (double &value : distribution)
        value /= sum;
    return true;
}

double klDivergence(const std::vector<double> &p, const std::vector<double> &q)
{
    double sum = 0;
    for (size_t i = 0; i < p.size(); ++i)
        if (p[i] > 0 && q[i] > 0)
            sum += p[i] * std::log(p[i] / q[i]);
    return sum;
}

} // namespace

TensorRange HistogramCollector::entropyRange(int quantizedBins) const
{
    if (m_total == 0)
        return {};
    const auto bins = static_cast<int64_t>(m_counts.size());
    const int64_t zeroBin = bins / 2;
    const int64_t halfQuantized = std::clamp<int64_t>(quantizedBins / 2, 1, zeroBin);
    double bestDivergence = std::numeric_limits<double>::infinity();
    int64_t bestHalfWidth = zeroBin;
    std::vector<double> p, q;
    for (int64_t halfWidth = halfQuantized; halfWidth <= zeroBin; ++halfWidth) {
        const int64_t start = zeroBin - halfWidth;
        const int64_t end = std::min(zeroBin + halfWidth, bins); // exclusive
        const int64_t width = end - start;
        // p: the clipped distribution, outliers added to the edge bins.
        p.assign(m_counts.begin() + start, m_counts.begin() + end);
        for (int64_t i = 0; i < start; ++i)
            p.front() += double(m_counts[size_t(i)]);
        for (int64_t i = end; i < bins; ++i)
            p.back() += double(m_counts[size_t(i)]);
        // q: the unclipped slice merged into `quantizedBins` levels, each level's mass spread
        // evenly over the bins that were non-empty.
        const int64_t levels = std::min<int64_t>(2 * halfQuantized, width);
        const int64_t perLevel = width / levels;
        q.assign(size_t(width), 0.0);
        for (int64_t level = 0; level < levels; ++level) {
            const int64_t from = level * perLevel;
            const int64_t to = level == levels - 1 ? width : from + perLevel;
            double mass = 0;
            int64_t used = 0;
            for (int64_t i = from; i < to; ++i) {
                const auto count = double(m_counts[size_t(start + i)]);
                mass += count;
                used += p[size_t(i)] != 0.0;
            }
            if (used == 0)
                continue;
            for (int64_t i = from; i < to; ++i)
                if (p[size_t(i)] != 0.0)
                    q[size_t(i)] = mass / double(used);
        }
        if (!smoothAndNormalize(p) || !smoothAndNormalize(q))
            continue;
        const double divergence = klDivergence(p, q);
        if (divergence < bestDivergence) {
            bestDivergence = divergence;
            bestHalfWidth = halfWidth;
        }
    }
    const double t = binEdge(zeroBin + bestHalfWidth);
    return clipToObserved({static_cast<float>(-t), static_cast<float>(t)});
}

double HistogramCollector::quantizationMse(double low, double high, int levels) const
{
    if (m_total == 0)
        return 0.0;
    const auto bins = static_cast<int64_t>(m_counts.size());
    const double width = 2.0 * m_threshold / static_cast<double>(bins);
    const double step = (high - low) / std::max(levels, 1);
    if (!(step > 0))
        return 0.0;
    // Rounding error of a bin inside the range: a bin narrower than the step rounds its values
    // to the grid point nearest its centre (the grid holds 0, so it is the multiples of the
    // step), off by that distance plus the spread inside the bin; a wider bin spreads its values
    // over several steps, each off by step^2 / 12 on average.
    const bool fineBins = width < step;
    double sum = 0;
    for (int64_t i = 0; i < bins; ++i) {
        double count = static_cast<double>(m_counts[size_t(i)]);
        if (count == 0)
            continue;
        const double left = binEdge(i);
        if (left <= 0.0 && 0.0 < left + width)
            count -= static_cast<double>(m_zeros);
        const double center = left + 0.5 * width;
        double error = 0;
        if (center < low) {
            error = (low - center) * (low - center);
        } else if (center > high) {
            error = (center - high) * (center - high);
        } else if (fineBins) {
            const double offset = center - step * std::nearbyint(center / step);
            error = offset * offset + width * width / 12.0;
        } else {
            error = step * step / 12.0;
        }
        sum += count * error;
    }
    return sum / static_cast<double>(m_total);
}

TensorRange HistogramCollector::mseRange(bool symmetric, int levels) const
{
    if (m_total == 0)
        return {};
    constexpr int kCandidates = 512;
    double low = std::min(0.0, double(m_min));
    double high = std::max(0.0, double(m_max));
    if (symmetric) {
        high = std::max(-low, high);
        low = -high;
    }
    // The best fraction of [from, to] for one end (or both): fractions k / kCandidates.
    auto search = [&](double fullLow, double fullHigh, bool moveLow, bool moveHigh) {
        double bestError = std::numeric_limits<double>::infinity();
        std::pair<double, double> best{fullLow, fullHigh};
        for (int k = kCandidates; k >= 1; --k) {
            const double fraction = double(k) / kCandidates;
            const double a = moveLow ? fullLow * fraction : fullLow;
            const double b = moveHigh ? fullHigh * fraction : fullHigh;
            if (b - a <= 0)
                continue;
            const double error = quantizationMse(a, b, levels);
            if (error < bestError) {
                bestError = error;
                best = {a, b};
            }
        }
        return best;
    };
    const double observedLow = low, observedHigh = high;
    std::tie(low, high) = search(observedLow, observedHigh, true, true);
    if (!symmetric) {
        // Each end on its own, from the common fraction's range, over the observed extent.
        low = search(observedLow, high, true, false).first;
        high = search(low, observedHigh, false, true).second;
    }
    return clipToObserved({static_cast<float>(low), static_cast<float>(high)});
}

} // namespace qs
