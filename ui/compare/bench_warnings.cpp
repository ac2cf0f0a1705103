#include "bench_warnings.h"

#include "compare_charts.h"
#include "workbench/core_messages.h"

#include <algorithm>

namespace qs::ui {

namespace {

QString arg(const quantscope::BenchDiagnostic &diagnostic, int index)
{
    return index < diagnostic.args_size() ? QString::fromStdString(diagnostic.args(index))
                                          : QString();
}

// Variants are named as the charts and the table name them, not by their full path.
QString variantName(const quantscope::Report &report, const QString &path)
{
    for (const auto &variant : report.variants())
        if (QString::fromStdString(variant.path()) == path)
            return CompareCharts::variantLabel(variant);
    return path;
}

bool concerns(const quantscope::BenchDiagnostic &diagnostic, const std::string &path)
{
    const auto &variants = diagnostic.variants();
    return variants.empty() || std::find(variants.begin(), variants.end(), path) != variants.end();
}

bool isLatencyCode(const std::string &code)
{
    return code == "latency_unrankable";
}

QStringList warningsFor(const quantscope::Report &report, int variant, bool latency)
{
    QStringList texts;
    if (variant < 0 || variant >= report.variants_size())
        return texts;
    // The reference compared with itself is exact: an insensitive metric changes nothing there.
    if (!latency && variant == 0)
        return texts;
    for (const auto &diagnostic : report.diagnostics())
        // A skipped data file concerns the data, not a variant: the Diagnostics dock lists it.
        if (diagnostic.code() != "skipped_sample" && isLatencyCode(diagnostic.code()) == latency
            && concerns(diagnostic, report.variants(variant).path()))
            texts << BenchWarnings::text(diagnostic, report);
    return texts;
}

} // namespace

QString BenchWarnings::text(const quantscope::BenchDiagnostic &diagnostic,
                            const quantscope::Report &report)
{
    const std::string &code = diagnostic.code();
    const QString realData = tr("Compare on a data folder of real inputs to judge it.");
    if (code == "constant_output")
        return tr("Output '%1' is (nearly) constant on these inputs (mean %2, standard deviation "
                  "%3): cosine and SQNR cannot see a variant's error there. %4")
            .arg(arg(diagnostic, 0), arg(diagnostic, 1), arg(diagnostic, 2), realData);
    if (code == "saturated_output")
        return tr("Output '%1' is saturated: %3% of its values sit at the bounds of %2 (%4 or %5), "
                  "where errors made before it vanish; cosine and SQNR are insensitive there. %6")
            .arg(arg(diagnostic, 0), arg(diagnostic, 1), arg(diagnostic, 2), arg(diagnostic, 3),
                 arg(diagnostic, 4), realData);
    if (code == "hidden_error")
        return tr("%2: output '%1' is at %3 dB SQNR while the tensors inside are at %4 dB "
                  "(median): the output hides the error made before it. %5")
            .arg(arg(diagnostic, 0), variantName(report, arg(diagnostic, 1)), arg(diagnostic, 2),
                 arg(diagnostic, 3), realData);
    if (code == "latency_unrankable")
        return tr("Latency too noisy to rank %1 and %2: their round medians overlap (%3-%4 ms and "
                  "%5-%6 ms). Close other programs, or raise the iterations.")
            .arg(variantName(report, arg(diagnostic, 0)), variantName(report, arg(diagnostic, 1)),
                 arg(diagnostic, 2), arg(diagnostic, 3), arg(diagnostic, 4), arg(diagnostic, 5));
    if (code == "skipped_sample") {
        // args[0] is core's English line, the coded message follows it (compare/benchmark.cpp).
        const std::vector<std::string> args(diagnostic.args().begin(), diagnostic.args().end());
        const QString worded = CoreMessages::text(args, 1);
        if (!worded.isEmpty())
            return worded;
    }
    return QString::fromStdString(diagnostic.message());
}

quantscope::Report BenchWarnings::namesOnly(const quantscope::Report &report)
{
    quantscope::Report names;
    for (const auto &variant : report.variants())
        names.add_variants()->set_path(variant.path());
    return names;
}

QStringList BenchWarnings::latencyWarnings(const quantscope::Report &report, int variant)
{
    return warningsFor(report, variant, true);
}

QStringList BenchWarnings::accuracyWarnings(const quantscope::Report &report, int variant)
{
    return warningsFor(report, variant, false);
}

} // namespace qs::ui
