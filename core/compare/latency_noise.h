#pragma once
// Is the latency of the variants steady enough to rank them? The benchmark times the variants in
// interleaved rounds (benchmark.cpp); each round's median per variant shows how far the machine's
// load moved the figures during the run. On a shared machine one variant went from 94 to 582 ms
// between runs without a word (issue 16): this says when the figures cannot be trusted. The rule
// is explained in the .cpp.
#include "quantscope.pb.h"

#include <string>
#include <vector>

namespace qs {

// (max - min) / median of one variant's round medians; 0 with fewer than two rounds.
double roundVariation(const std::vector<double> &roundMediansMs);

// Two variants whose latency the rounds cannot tell apart (indices into the timed variants).
struct UnrankablePair
{
    size_t first = 0, second = 0;
};

// Every pair of variants whose round medians overlap; empty with fewer than two rounds, when
// there is no spread to judge. `roundMediansMs[v]` holds variant v's round medians.
std::vector<UnrankablePair> unrankablePairs(const std::vector<std::vector<double>> &roundMediansMs);

// One warning per unrankable pair of the report's variants (from their round_median_ms).
std::vector<quantscope::BenchDiagnostic> latencyNoiseDiagnostics(const quantscope::Report &report);

} // namespace qs
