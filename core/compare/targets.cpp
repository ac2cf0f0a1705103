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

constexpr MetricName kMetrics[] = {{"cosine", TargetMetric::Cosine},
                                   {"sqnr", TargetMetric::Sqnr},
                                   {"top1", TargetMetric::Top1},
                                   {"speedup", TargetMetric::Speedup},
                                   {"smaller", TargetMetric::Smaller}};

std::string format(const char *pattern, double value)
{
    char text[48];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

std::string figureText(TargetMetric metric, double value)
{
    switch (metric) {
    case TargetMetric::Cosine: return format("%.5f", value);
    case TargetMetric::Sqnr: return std::isinf(value) ? "inf dB" : format("%.1f dB", value);
    case TargetMetric::Top1: return format("%.1f%%", 100.0 * value);
    case TargetMetric::Speedup:
    case TargetMetric::Smaller: return format("%.2fx", value);
    }
    return {};
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

} // namespace

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
    if (known == std::end(kMetrics))
        return invalidArgument("target '" + text + "': unknown metric '" + name
                               + "' (cosine, sqnr, top1, speedup, smaller)");
    target.metric = known->metric;
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
        if (target.metric != TargetMetric::Top1)
            return invalidArgument("target '" + text + "': only top1 takes a percentage");
        target.value /= 100.0;
    }
    target.text = name + (target.atLeast ? ">=" : "<=") + format("%g", target.value);
    return target;
}

std::optional<double> targetFigure(const quantscope::Report &report, int variant,
                                   TargetMetric metric)
{
    const quantscope::VariantReport &v = report.variants(variant);
    switch (metric) {
    case TargetMetric::Cosine:
    case TargetMetric::Sqnr:
    case TargetMetric::Top1: {
        std::optional<double> worst;
        for (const auto &output : v.outputs()) {
            if (metric == TargetMetric::Top1 && !output.has_top1_agreement())
                continue;
            const double value = metric == TargetMetric::Cosine ? output.cosine()
                                 : metric == TargetMetric::Sqnr ? output.sqnr_db()
                                                                : output.top1_agreement();
            worst = worst ? std::min(*worst, value) : value;
        }
        return worst;
    }
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
    }
    return std::nullopt;
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
            const auto figure = targetFigure(report, v, target.metric);
            // A target on a figure that was not measured is missed: a verdict must not pass on
            // what nobody checked.
            const bool met
                = figure && (target.atLeast ? *figure >= target.value : *figure <= target.value);
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
