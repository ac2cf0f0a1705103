#include "compare/latency_noise.h"

#include <algorithm>
#include <cstdio>

namespace qs {

// The rule: two variants can be ranked only when their round medians do not overlap, that is
// when the slower one's fastest round is still slower than the faster one's slowest round. The
// rounds interleave the variants, so a load burst lands on all of them; if it moves one variant
// by more than the gap between two, the gap is the machine's, not the models'. This is the
// brief's "round-to-round variation exceeds the difference" in a form a user can check in the
// table (each variant's range of round medians). Two rounds are the least that show a spread:
// with one there is no verdict rather than a confident one.

namespace {

struct Range
{
    double low = 0, high = 0;
};

Range rangeOf(const std::vector<double> &values)
{
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    return {*low, *high};
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string milliseconds(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, value < 10 ? "%.2f" : "%.1f", value);
    return text;
}

} // namespace

double roundVariation(const std::vector<double> &roundMediansMs)
{
    if (roundMediansMs.size() < 2)
        return 0.0;
    const Range range = rangeOf(roundMediansMs);
    const double middle = median(roundMediansMs);
    return middle > 0 ? (range.high - range.low) / middle : 0.0;
}

std::vector<UnrankablePair> unrankablePairs(const std::vector<std::vector<double>> &roundMediansMs)
{
    std::vector<UnrankablePair> pairs;
    for (size_t a = 0; a < roundMediansMs.size(); ++a) {
        if (roundMediansMs[a].size() < 2)
            continue;
        const Range first = rangeOf(roundMediansMs[a]);
        for (size_t b = a + 1; b < roundMediansMs.size(); ++b) {
            if (roundMediansMs[b].size() < 2)
                continue;
            const Range second = rangeOf(roundMediansMs[b]);
            if (first.low <= second.high && second.low <= first.high)
                pairs.push_back({a, b});
        }
    }
    return pairs;
}

std::vector<quantscope::BenchDiagnostic> latencyNoiseDiagnostics(const quantscope::Report &report)
{
    std::vector<std::vector<double>> rounds;
    for (const auto &variant : report.variants())
        rounds.emplace_back(variant.latency().round_median_ms().begin(),
                            variant.latency().round_median_ms().end());
    std::vector<quantscope::BenchDiagnostic> diagnostics;
    for (const UnrankablePair &pair : unrankablePairs(rounds)) {
        const auto &a = report.variants(int(pair.first)), &b = report.variants(int(pair.second));
        const Range ra = rangeOf(rounds[pair.first]), rb = rangeOf(rounds[pair.second]);
        const std::vector<std::string> args = {a.path(),
                                               b.path(),
                                               milliseconds(ra.low),
                                               milliseconds(ra.high),
                                               milliseconds(rb.low),
                                               milliseconds(rb.high)};
        quantscope::BenchDiagnostic diagnostic;
        diagnostic.set_severity("warning");
        diagnostic.set_code("latency_unrankable");
        for (const auto &arg : args)
            diagnostic.add_args(arg);
        diagnostic.set_message("latency too noisy to rank " + a.path() + " and " + b.path()
                               + ": their round medians overlap (" + args[2] + "-" + args[3]
                               + " ms and " + args[4] + "-" + args[5]
                               + " ms). Close other programs, or raise --iterations.");
        diagnostic.add_variants(a.path());
        diagnostic.add_variants(b.path());
        diagnostics.push_back(std::move(diagnostic));
    }
    return diagnostics;
}

} // namespace qs
