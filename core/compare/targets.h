#pragma once
// Verdicts against the user's targets (issue 16, item 4): "cosine>=0.99", "top1>=99%",
// "speedup>=1.2", "smaller>=2", "sqnr>=30" parsed once, then each variant of a Report judged:
// "3.9x smaller, 2.6x faster, top-1 99.5%: meets targets". Front ends prefix the variant's name.
#include "quantscope.pb.h"
#include "util/status.h"

#include <optional>
#include <string>
#include <vector>

namespace qs {

enum class TargetMetric { Cosine, Sqnr, Top1, Speedup, Smaller };

struct Target
{
    TargetMetric metric = TargetMetric::Cosine;
    bool atLeast = true; // >= (else <=)
    double value = 0;
    std::string text; // as the user wrote it, normalised: "top1>=0.99"
};

// "NAME>=VALUE" or "NAME<=VALUE"; NAME one of cosine, sqnr, top1, speedup, smaller; a top1
// value may be a percentage ("99%").
Result<Target> parseTarget(const std::string &text);

// The variant's figure for a metric: worst cosine / SQNR / top-1 agreement over its outputs,
// the reference's median latency over its own, the reference's size over its own; nullopt when
// not measured (top-1 without a score output, latency of 0).
std::optional<double> targetFigure(const quantscope::Report &report, int variant,
                                   TargetMetric metric);

// Sets every variant's verdict but the reference's (variants[0]) and the report's targets.
void addVerdicts(quantscope::Report &report, const std::vector<Target> &targets);

} // namespace qs
