#include "compare/targets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace qs {

namespace {

struct MetricName
{
    const char *name;
    TargetMetric metric;
};

constexpr MetricName kMetrics[]
    = {{"cosine", TargetMetric::Cosine},   {"sqnr", TargetMetric::Sqnr},
       {"top1", TargetMetric::Top1},       {"maxabs", TargetMetric::MaxAbs},
       {"speedup", TargetMetric::Speedup}, {"smaller", TargetMetric::Smaller}};

std::string format(const char *pattern, double value)
{
    char text[48];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

// "3.9x smaller, 2.6x faster, top-1 99.5%" (cosine when no output has top-1).
std::string summaryOf(const quantscope::Report &report, int variant)
{
    std::string summary;
    if (auto smaller = targetFigure(report, variant, TargetMetric::Smaller))
        summary += *smaller >= 1 ? format("%.1fx smaller", *smaller)
                                 : format("%.1fx larger", 1.0 / *smaller);
    if (auto faster = targetFigure(report, variant, TargetMetric::Speedup))
        summary += *faster >= 1 ? format(", %.1fx faster", *faster)
                                : format(", %.1fx slower", 1.0 / *faster);
    if (auto top1 = targetFigure(report, variant, TargetMetric::Top1))
        summary += format(", top-1 %.1f%%", 100.0 * *top1);
    else if (auto cosine = targetFigure(report, variant, TargetMetric::Cosine))
        summary += format(", cosine %.5f", *cosine);
    if (summary.starts_with(", "))
        summary.erase(0, 2);
    return summary;
}

// "top5" -> k = 5, "iou@0.3" -> T = 0.3; false when `name` is neither form.
bool parseParameterised(const std::string &name, Target &target, std::string &error)
{
    auto number = [](const std::string &text, double &value) {
        char *end = nullptr;
        value = std::strtod(text.c_str(), &end);
        return !text.empty() && end == text.c_str() + text.size() && std::isfinite(value);
    };
    if (name.starts_with("top") && name.size() > 3) {
        double k = 0;
        if (!number(name.substr(3), k) || k < 2 || k != std::floor(k) || k > 1e6) {
            error = "'" + name + "': write topK with a whole K >= 2 (top5), or top1";
            return true;
        }
        target.metric = TargetMetric::TopK;
        target.parameter = k;
        return true;
    }
    if (name.starts_with("iou@")) {
        double threshold = 0;
        if (!number(name.substr(4), threshold)) {
            error = "'" + name + "': write iou@T with a number T (iou@0.3)";
            return true;
        }
        target.metric = TargetMetric::MaskIou;
        target.parameter = threshold;
        return true;
    }
    return false;
}

} // namespace

std::string figureText(TargetMetric metric, double value)
{
    switch (metric) {
    case TargetMetric::Cosine: return format("%.5f", value);
    case TargetMetric::Sqnr: return std::isinf(value) ? "inf dB" : format("%.1f dB", value);
    case TargetMetric::Top1:
    case TargetMetric::TopK: return format("%.1f%%", 100.0 * value);
    case TargetMetric::MaskIou: return format("%.4f", value);
    case TargetMetric::MaxAbs: return format("%.4g", value);
    case TargetMetric::Speedup:
    case TargetMetric::Smaller: return format("%.2fx", value);
    }
    return {};
}

std::string Target::metricName() const
{
    if (metric == TargetMetric::TopK)
        return "top" + format("%g", parameter);
    if (metric == TargetMetric::MaskIou)
        return "iou@" + format("%g", parameter);
    for (const MetricName &m : kMetrics)
        if (m.metric == metric)
            return m.name;
    return {};
}

bool isAccuracyTarget(TargetMetric metric)
{
    return metric != TargetMetric::Speedup && metric != TargetMetric::Smaller;
}

MetricRequests metricRequests(const std::vector<Target> &targets)
{
    MetricRequests requests;
    for (const Target &target : targets) {
        if (target.metric == TargetMetric::TopK)
            requests.topK.push_back(int(target.parameter));
        else if (target.metric == TargetMetric::MaskIou)
            requests.maskThresholds.push_back(target.parameter);
    }
    return requests;
}

Result<Target> parseTarget(const std::string &text)
{
    const auto at = text.find_first_of("<>");
    if (at == std::string::npos || at + 1 >= text.size() || text[at + 1] != '=')
        return invalidArgument("target '" + text
                               + "': write NAME>=VALUE or NAME<=VALUE, e.g. "
                                 "cosine>=0.99");
    Target target;
    target.atLeast = text[at] == '>';
    const std::string name = text.substr(0, at);
    const auto known = std::find_if(std::begin(kMetrics), std::end(kMetrics),
                                    [&](const MetricName &m) { return name == m.name; });
    std::string parameterError;
    if (known != std::end(kMetrics))
        target.metric = known->metric;
    else if (!parseParameterised(name, target, parameterError))
        return invalidArgument("target '" + text + "': unknown metric '" + name
                               + "' (cosine, sqnr, top1, topK, iou@T, maxabs, speedup, smaller)");
    if (!parameterError.empty())
        return invalidArgument("target '" + text + "': " + parameterError);
    std::string number = text.substr(at + 2);
    const bool percent = !number.empty() && number.back() == '%';
    if (percent)
        number.pop_back();
    char *end = nullptr;
    target.value = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(target.value))
        return invalidArgument("target '" + text + "': '" + text.substr(at + 2)
                               + "' is not a number");
    if (percent) {
        if (target.metric != TargetMetric::Top1 && target.metric != TargetMetric::TopK
            && target.metric != TargetMetric::MaskIou)
            return invalidArgument("target '" + text
                                   + "': only top1, topK and iou@T take a percentage");
        target.value /= 100.0;
    }
    target.text = target.metricName() + (target.atLeast ? ">=" : "<=") + format("%g", target.value);
    return target;
}

std::optional<double> accuracyFigure(
    const google::protobuf::RepeatedPtrField<quantscope::OutputAccuracy> &outputs,
    const Target &target)
{
    std::optional<double> worst;
    for (const auto &output : outputs) {
        std::optional<double> value;
        switch (target.metric) {
        case TargetMetric::Cosine: value = output.cosine(); break;
        case TargetMetric::Sqnr: value = output.sqnr_db(); break;
        case TargetMetric::MaxAbs: value = output.max_abs(); break;
        case TargetMetric::Top1:
            if (output.has_top1_agreement())
                value = output.top1_agreement();
            break;
        case TargetMetric::TopK:
            for (const auto &topK : output.top_k())
                if (topK.k() == int(target.parameter))
                    value = topK.agreement();
            break;
        case TargetMetric::MaskIou:
            for (const auto &mask : output.mask_iou())
                if (mask.threshold() == target.parameter)
                    value = mask.iou();
            break;
        case TargetMetric::Speedup:
        case TargetMetric::Smaller: break;
        }
        if (!value)
            continue;
        // The worst output decides: the largest error, the lowest agreement.
        const bool higherIsWorse = target.metric == TargetMetric::MaxAbs;
        if (!worst || (higherIsWorse ? *value > *worst : *value < *worst))
            worst = value;
    }
    return worst;
}

std::optional<double> targetFigure(const quantscope::Report &report, int variant,
                                   TargetMetric metric)
{
    Target target;
    target.metric = metric;
    return targetFigure(report, variant, target);
}

std::optional<double> targetFigure(const quantscope::Report &report, int variant,
                                   const Target &target)
{
    const quantscope::VariantReport &v = report.variants(variant);
    switch (target.metric) {
    case TargetMetric::Speedup: {
        const double reference = report.variants(0).latency().median_ms();
        const double own = v.latency().median_ms();
        if (reference <= 0 || own <= 0)
            return std::nullopt;
        return reference / own;
    }
    case TargetMetric::Smaller:
        if (v.size_bytes() <= 0 || report.variants(0).size_bytes() <= 0)
            return std::nullopt;
        return double(report.variants(0).size_bytes()) / double(v.size_bytes());
    default: return accuracyFigure(v.outputs(), target);
    }
}

void addVerdicts(quantscope::Report &report, const std::vector<Target> &targets)
{
    report.clear_targets();
    for (const Target &target : targets)
        report.add_targets(target.text);
    for (int v = 1; v < report.variants_size(); ++v) {
        quantscope::Verdict verdict;
        std::string summary = summaryOf(report, v);
        for (const Target &target : targets) {
            const auto figure = targetFigure(report, v, target);
            // A target on a figure that was not measured is missed: a verdict must not pass on
            // what nobody checked.
            const bool met = figure && target.metBy(*figure);
            if (!met)
                verdict.add_missed(
                    target.text + " ("
                    + (figure ? figureText(target.metric, *figure) : std::string("not measured"))
                    + ")");
        }
        verdict.set_meets_targets(!targets.empty() && verdict.missed_size() == 0);
        if (!targets.empty()) {
            summary += verdict.meets_targets() ? ": meets targets" : ": misses ";
            for (int i = 0; i < verdict.missed_size(); ++i)
                summary += (i ? ", " : "") + verdict.missed(i);
        }
        verdict.set_summary(summary);
        *report.mutable_variants(v)->mutable_verdict() = std::move(verdict);
    }
}

} // namespace qs
