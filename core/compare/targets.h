#pragma once
// Verdicts against the user's targets (issue 16, item 4; issue 17): "cosine>=0.99", "top1>=99%",
// "top5>=0.99", "iou@0.3>=0.97", "maxabs<=0.05", "speedup>=1.2", "smaller>=2", "sqnr>=30"
// parsed once, then each variant of a Report judged: "3.9x smaller, 2.6x faster, top-1 99.5%:
// meets targets". A list of targets is a conjunction. Front ends prefix the variant's name.
#include "compare/accuracy.h"
#include "quantscope.pb.h"
#include "util/status.h"

#include <optional>
#include <string>
#include <vector>

namespace qs {

enum class TargetMetric { Cosine, Sqnr, Top1, TopK, MaskIou, MaxAbs, Speedup, Smaller };

struct Target
{
    TargetMetric metric = TargetMetric::Cosine;
    bool atLeast = true; // >= (else <=)
    double value = 0;
    double parameter = 0; // TopK: k; MaskIou: the threshold T
    std::string text;     // as the user wrote it, normalised: "top1>=0.99"
    // The metric's name with its parameter: "cosine", "top5", "iou@0.3".
    std::string metricName() const;
    // Does `figure` satisfy the comparison?
    bool metBy(double figure) const { return atLeast ? figure >= value : figure <= value; }
};

// "NAME>=VALUE" or "NAME<=VALUE"; NAME one of cosine, sqnr, top1, topK (k >= 2), iou@T, maxabs,
// speedup, smaller; a top1/topK/iou value may be a percentage ("99%").
Result<Target> parseTarget(const std::string &text);

// Is the target about the outputs (cosine, sqnr, top-k, IoU, max abs) rather than speed/size?
bool isAccuracyTarget(TargetMetric metric);

// The optional figures the targets need measured (top-k for each k, IoU at each threshold).
MetricRequests metricRequests(const std::vector<Target> &targets);

// The worst figure over the outputs for an accuracy target: the lowest cosine / SQNR / top-k /
// IoU, the highest max abs error; nullopt when no output measured it.
std::optional<double> accuracyFigure(
    const google::protobuf::RepeatedPtrField<quantscope::OutputAccuracy> &outputs,
    const Target &target);

// The variant's figure for a metric: worst cosine / SQNR / top-1 agreement over its outputs,
// the reference's median latency over its own, the reference's size over its own; nullopt when
// not measured (top-1 without a score output, latency of 0).
std::optional<double> targetFigure(const quantscope::Report &report, int variant,
                                   TargetMetric metric);
std::optional<double> targetFigure(const quantscope::Report &report, int variant,
                                   const Target &target);

// "0.98512", "31.2 dB", "99.5%", "1.80x": a figure as verdicts print it.
std::string figureText(TargetMetric metric, double value);

// Sets every variant's verdict but the reference's (variants[0]) and the report's targets.
void addVerdicts(quantscope::Report &report, const std::vector<Target> &targets);

} // namespace qs
