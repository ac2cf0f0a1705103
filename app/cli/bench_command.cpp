#include "cli/bench_command.h"

#include "cli/arguments.h"
#include "cli/cli.h"
#include "cli/cli_progress.h"
#include "cli/text_table.h"
#include "compare/benchmark.h"
#include "compare/report_io.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <ostream>

namespace qs::cli {

namespace {

const std::string kBenchUsageText
    = std::string(
          "usage: quantscope-cli bench REF [VARIANT...] [--data DIR | --random] [--samples N]\n"
          "       [--dim SYMBOL=VALUE]... [--iterations N] [--rounds N] [--warmup N] "
          "[--threads N]\n"
          "       [--per-node] [--json FILE] [--csv FILE] [--report FILE] [--min-cosine X] "
          "[--min-sqnr DB]\n"
          "       [--target METRIC>=X]... (cosine, sqnr, top1, speedup, smaller; e.g. "
          "top1>=99%)\n"
          "       [--ort] [--ort-runner PATH] (time the variants in ONNX Runtime too)\n    "
          "   ")
      + kPreprocessingUsage + "\n";

} // namespace

// Initialized after kBenchUsageText (same file, declared later).
const CommandUsage kBenchUsage{"bench", kBenchUsageText};

namespace {

struct BenchArguments
{
    BenchSettings settings;
    std::string json, csv, report;
    std::optional<double> minCosine, minSqnr;
    // ONNX Runtime only when asked: it doubles the run, and the report should not change with
    // what happens to be installed on the machine.
    bool ort = false;
    std::string ortRunner;
};

Result<BenchArguments> parseArguments(const std::vector<std::string> &args)
{
    BenchArguments parsed;
    BenchSettings &s = parsed.settings;
    ArgumentCursor cursor(args);
    bool random = false;
    while (cursor.next()) {
        const std::string arg = cursor.current();
        if (isPreprocessingOption(arg)) {
            QS_CLI_ASSIGN_OR_RETURN(const PreprocessingEdit prep, parsePreprocessingOption(cursor));
            prep(s.preprocessing);
        } else if (arg == "--dim") {
            QS_CLI_ASSIGN_OR_RETURN(const auto dim, parseDimOption(cursor));
            s.dimValues[dim.first] = dim.second;
        } else if (arg == "--data") {
            QS_CLI_ASSIGN_OR_RETURN(s.dataDir, cursor.value());
        } else if (arg == "--random") {
            random = true;
        } else if (arg == "--samples") {
            QS_CLI_ASSIGN_OR_RETURN(s.samples, cursor.count(1));
        } else if (arg == "--iterations") {
            QS_CLI_ASSIGN_OR_RETURN(s.iterations, cursor.count(1));
        } else if (arg == "--rounds") {
            QS_CLI_ASSIGN_OR_RETURN(s.rounds, cursor.count(1));
        } else if (arg == "--warmup") {
            QS_CLI_ASSIGN_OR_RETURN(s.warmup, cursor.count(0));
        } else if (arg == "--threads") {
            QS_CLI_ASSIGN_OR_RETURN(s.threads, cursor.count(0));
        } else if (arg == "--per-node") {
            s.perNode = true;
        } else if (arg == "--json") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.json, cursor.value());
        } else if (arg == "--csv") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.csv, cursor.value());
        } else if (arg == "--report") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.report, cursor.value());
        } else if (arg == "--min-cosine") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.minCosine, cursor.number());
        } else if (arg == "--target") {
            QS_CLI_ASSIGN_OR_RETURN(const std::string text, cursor.value());
            QS_CLI_ASSIGN_OR_RETURN(const Target target, parseTarget(text));
            s.targets.push_back(target);
        } else if (arg == "--ort") {
            parsed.ort = true;
        } else if (arg == "--ort-runner") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.ortRunner, cursor.value());
            parsed.ort = true;
        } else if (arg == "--min-sqnr") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.minSqnr, cursor.number());
        } else if (arg.starts_with("-")) {
            return invalidArgument("unknown option '" + arg + "'");
        } else if (s.reference.empty()) {
            s.reference = arg;
        } else {
            s.variants.push_back(arg);
        }
    }
    if (s.reference.empty())
        return invalidArgument("no reference model given");
    if (random && !s.dataDir.empty())
        return invalidArgument("--data and --random exclude each other");
    return parsed;
}

std::string fixed(double value, int decimals)
{
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

double worstCosine(const quantscope::VariantReport &variant)
{
    double worst = 1.0;
    for (const auto &output : variant.outputs())
        worst = std::min(worst, output.cosine());
    return worst;
}

double worstSqnr(const quantscope::VariantReport &variant)
{
    double worst = std::numeric_limits<double>::infinity();
    for (const auto &output : variant.outputs())
        worst = std::min(worst, output.sqnr_db());
    return worst;
}

// How far the round medians spread: (max - min) / their median as a percentage, the
// report's round_variation; "-" with one round, which shows no spread.
std::string roundSpread(const quantscope::LatencySummary &latency)
{
    if (latency.round_median_ms_size() < 2)
        return "-";
    return fixed(100.0 * latency.round_variation(), 1) + "%";
}

double worstOrtCosine(const quantscope::OrtMeasurement &ort)
{
    double worst = 1.0;
    for (const auto &output : ort.outputs())
        worst = std::min(worst, output.cosine());
    return worst;
}

double largestOrtMaxAbs(const quantscope::OrtMeasurement &ort)
{
    double largest = 0.0;
    for (const auto &output : ort.outputs())
        largest = std::max(largest, output.max_abs());
    return largest;
}

// The variants in ONNX Runtime beside our engine; nothing when ORT did not run.
void printOrtTable(const quantscope::Report &report, std::ostream &out)
{
    if (report.ort_runtime().empty())
        return;
    using Align = TextTable::Align;
    TextTable table({{"variant"},
                     {"ours ms", Align::Right},
                     {"ORT ms", Align::Right},
                     {"ORT p90 ms", Align::Right},
                     {"ours/ORT", Align::Right},
                     {"cosine vs ours", Align::Right},
                     {"max abs vs ours", Align::Right}});
    std::vector<std::string> failures;
    for (const auto &variant : report.variants()) {
        const auto &ort = variant.ort();
        if (!ort.error().empty()) {
            failures.push_back(variant.path() + ": " + ort.error());
            table.addRow({variant.path(), fixed(variant.latency().median_ms(), 2), "failed", "-",
                          "-", "-", "-"});
            continue;
        }
        table.addRow({variant.path(), fixed(variant.latency().median_ms(), 2),
                      fixed(ort.median_ms(), 2), fixed(ort.p90_ms(), 2),
                      fixed(ort.ours_over_ort(), 2) + "x", fixed(worstOrtCosine(ort), 5),
                      fixed(largestOrtMaxAbs(ort), 6)});
    }
    out << "\nONNX Runtime (" << report.ort_runtime()
        << "), same threads and runs, first sample:\n";
    table.write(out);
    for (const auto &failure : failures)
        out << "ONNX Runtime failed on " << failure << "\n";
}

void printTable(const quantscope::Report &report, std::ostream &out)
{
    const auto &variants = report.variants();
    const double referenceMs = variants.empty() ? 0 : variants[0].latency().median_ms();
    using Align = TextTable::Align;
    TextTable table({{"variant"},
                     {"size MB", Align::Right},
                     {"ratio", Align::Right},
                     {"median ms", Align::Right},
                     {"p90 ms", Align::Right},
                     {"p90/median", Align::Right},
                     {"round spread", Align::Right},
                     {"speedup", Align::Right},
                     {"worst cosine", Align::Right},
                     {"worst SQNR dB", Align::Right},
                     {"NaN/Inf", Align::Right}});
    for (const auto &variant : variants) {
        int64_t nans = 0;
        for (const auto &output : variant.outputs())
            nans += output.nan_count();
        const double median = variant.latency().median_ms();
        table.addRow(
            {variant.path(), fixed(double(variant.size_bytes()) / 1e6, 2),
             fixed(variant.size_ratio(), 3), fixed(median, 2), fixed(variant.latency().p90_ms(), 2),
             fixed(variant.latency().p90_over_median(), 2), roundSpread(variant.latency()),
             median > 0 ? fixed(referenceMs / median, 2) + "x" : "-",
             fixed(worstCosine(variant), 5), fixed(worstSqnr(variant), 1), std::to_string(nans)});
    }
    out << report.samples() << " samples (" << report.data() << "), " << report.threads()
        << " threads, latency over " << report.iterations() << " runs in " << report.rounds()
        << " interleaved rounds after " << report.warmup() << " warm-up\n";
    table.write(out);
    // In the report itself (not only on stderr): these say which figures above mislead.
    // One line per variant that answers "which one should I ship?".
    for (const auto &variant : variants)
        if (variant.has_verdict())
            out << variant.path() << ": " << variant.verdict().summary() << "\n";
    for (const auto &diagnostic : report.diagnostics())
        out << diagnostic.severity() << ": " << diagnostic.message() << "\n";
    printOrtTable(report, out);
    for (const auto &variant : variants) {
        if (variant.per_node().empty())
            continue;
        out << "\nper-node error of " << variant.path() << " (worst first):\n";
        TextTable nodes({{"node"},
                         {"tensor"},
                         {"SQNR dB", TextTable::Align::Right},
                         {"cosine", TextTable::Align::Right}});
        const int shown = std::min(variant.per_node_size(), 15);
        for (int i = 0; i < shown; ++i) {
            const auto &error = variant.per_node(i);
            nodes.addRow({error.node(), error.tensor(), fixed(error.sqnr_db(), 1),
                          fixed(error.cosine(), 5)});
        }
        nodes.write(out);
        if (variant.per_node_size() > shown)
            out << "(" << variant.per_node_size() - shown << " more in --json/--report)\n";
    }
}

} // namespace

int benchCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    auto parsed = parseArguments(args);
    if (!parsed)
        return reportUsageError(err, kBenchUsage, parsed.status());
    BenchArguments &arguments = *parsed;
    auto fail = [&err](const Status &status) { return reportError(err, status); };
    TerminalProgress progress(err);
    if (arguments.ort) {
        // No runner is not a failure of the bench: our figures are still worth having, so a
        // note says how to get one and the exit code stays what the bench itself decides.
        auto runner = findOrtRunner(arguments.ortRunner, progress);
        if (runner)
            arguments.settings.ortRunner = *runner;
        else if (runner.status().code() == StatusCode::Cancelled)
            return fail(runner.status());
        else
            err << "note: ONNX Runtime not measured: " << runner.status().message() << "\n";
    }
    auto report = runBenchmark(arguments.settings, progress);
    if (!report)
        return fail(report.status());
    printTable(*report, out);
    const std::pair<const std::string *, ReportFormat> outputs[]
        = {{&arguments.report, ReportFormat::Text},
           {&arguments.json, ReportFormat::Json},
           {&arguments.csv, ReportFormat::Csv}};
    for (const auto &[path, format] : outputs)
        if (!path->empty())
            if (Status saved = saveReport(*report, *path, format); !saved)
                return fail(saved);

    int exitCode = kSuccess;
    for (const auto &variant : report->variants()) {
        if (variant.has_nan())
            err << "WARNING: " << variant.path() << " produces NaN/Inf values\n";
        if (arguments.minCosine && worstCosine(variant) < *arguments.minCosine) {
            err << "gate: " << variant.path() << " worst cosine " << fixed(worstCosine(variant), 5)
                << " is below --min-cosine " << *arguments.minCosine << "\n";
            exitCode = kGateFailed;
        }
        if (arguments.minSqnr && worstSqnr(variant) < *arguments.minSqnr) {
            err << "gate: " << variant.path() << " worst SQNR " << fixed(worstSqnr(variant), 1)
                << " dB is below --min-sqnr " << *arguments.minSqnr << "\n";
            exitCode = kGateFailed;
        }
        if (variant.has_nan() && (arguments.minCosine || arguments.minSqnr))
            exitCode = kGateFailed;
        // Targets gate as --min-cosine does: a variant that misses one fails the run.
        if (!arguments.settings.targets.empty() && variant.has_verdict()
            && !variant.verdict().meets_targets()) {
            err << "gate: " << variant.path() << " misses its targets\n";
            exitCode = kGateFailed;
        }
    }
    return exitCode;
}

} // namespace qs::cli
