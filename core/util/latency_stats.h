#pragma once
// Summary statistics of repeated timings, shared by `run --iterations` and the benchmark.
// Percentiles use the nearest-rank method on the sorted samples, like most latency reports.

#include <vector>

namespace qs {

struct LatencyStats
{
    int iterations = 0;
    double minMs = 0;
    double medianMs = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    double meanMs = 0;
};

LatencyStats summarizeLatencies(std::vector<double> samplesMs);

} // namespace qs
