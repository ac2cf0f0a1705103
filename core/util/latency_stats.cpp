#include "util/latency_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace qs {

namespace {

// Nearest-rank percentile: the smallest sample with at least `fraction` of the samples <= it.
double percentile(const std::vector<double> &sorted, double fraction)
{
    const auto rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
    return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

} // namespace

LatencyStats summarizeLatencies(std::vector<double> samplesMs)
{
    LatencyStats stats;
    if (samplesMs.empty())
        return stats;
    std::sort(samplesMs.begin(), samplesMs.end());
    const size_t n = samplesMs.size();
    stats.iterations = static_cast<int>(n);
    stats.minMs = samplesMs.front();
    stats.maxMs = samplesMs.back();
    // The median of an even count is the mean of the two middle samples.
    stats.medianMs = n % 2 ? samplesMs[n / 2] : (samplesMs[n / 2 - 1] + samplesMs[n / 2]) / 2;
    stats.p90Ms = percentile(samplesMs, 0.90);
    stats.p99Ms = percentile(samplesMs, 0.99);
    stats.meanMs = std::accumulate(samplesMs.begin(), samplesMs.end(), 0.0)
                   / static_cast<double>(n);
    return stats;
}

} // namespace qs
