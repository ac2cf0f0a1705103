#include "compare/report_io.h"

#include "util/atomic_file.h"
#include "util/json_writer.h"

#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace qs {

std::string reportToText(const quantscope::Report &report)
{
    std::string text;
    google::protobuf::TextFormat::PrintToString(report, &text);
    return text;
}

Result<quantscope::Report> parseReportText(const std::string &text, const std::string &origin)
{
    quantscope::Report report;
    if (!google::protobuf::TextFormat::ParseFromString(text, &report))
        return invalidArgument(origin + ": not a valid report");
    return report;
}

namespace {

void writeOrtJson(const quantscope::OrtMeasurement &ort, JsonWriter &json)
{
    json.key("ort").beginObject();
    if (!ort.error().empty()) {
        json.member("error", ort.error());
        json.endObject();
        return;
    }
    json.key("latency_ms").beginObject();
    json.member("median", ort.median_ms());
    json.member("p90", ort.p90_ms());
    json.member("min", ort.min_ms());
    json.member("max", ort.max_ms());
    json.key("runs").beginArray();
    for (const double run : ort.run_ms())
        json.value(run);
    json.endArray();
    json.endObject();
    json.member("ours_over_ort", ort.ours_over_ort());
    json.key("outputs").beginObject();
    for (const auto &output : ort.outputs()) {
        json.key(output.name()).beginObject();
        json.member("cosine", output.cosine());
        json.member("max_abs", output.max_abs());
        json.endObject();
    }
    json.endObject();
    json.endObject();
}

} // namespace

void writeReportJson(const quantscope::Report &report, std::ostream &out)
{
    JsonWriter json(out);
    json.beginObject();
    json.member("reference", report.reference());
    json.member("data", report.data());
    json.member("samples", report.samples());
    json.member("warmup", report.warmup());
    json.member("iterations", report.iterations());
    json.member("threads", report.threads());
    json.member("rounds", report.rounds());
    // Only when ONNX Runtime ran too, so that reports without it stay as they were.
    if (!report.ort_runtime().empty())
        json.member("ort_runtime", report.ort_runtime());
    json.key("targets").beginArray();
    for (const auto &target : report.targets())
        json.value(target);
    json.endArray();
    json.key("variants").beginArray();
    for (const auto &variant : report.variants()) {
        json.beginObject();
        json.member("path", variant.path());
        json.member("size_bytes", int64_t(variant.size_bytes()));
        json.member("size_ratio", variant.size_ratio());
        json.key("latency_ms").beginObject();
        json.member("median", variant.latency().median_ms());
        json.member("p90", variant.latency().p90_ms());
        json.member("p99", variant.latency().p99_ms());
        json.member("min", variant.latency().min_ms());
        json.member("mean", variant.latency().mean_ms());
        json.member("p90_over_median", variant.latency().p90_over_median());
        json.key("round_medians").beginArray();
        for (const double median : variant.latency().round_median_ms())
            json.value(median);
        json.endArray();
        json.member("round_variation", variant.latency().round_variation());
        json.endObject();
        json.member("throughput_per_s", variant.throughput_per_s());
        json.member("has_nan", variant.has_nan());
        if (variant.has_verdict()) {
            json.key("verdict").beginObject();
            json.member("summary", variant.verdict().summary());
            json.member("meets_targets", variant.verdict().meets_targets());
            json.key("missed").beginArray();
            for (const auto &missed : variant.verdict().missed())
                json.value(missed);
            json.endArray();
            json.endObject();
        } else {
            json.key("verdict").null();
        }
        json.key("accuracy").beginObject().key("outputs").beginObject();
        for (const auto &output : variant.outputs()) {
            json.key(output.name()).beginObject();
            json.member("max_abs", output.max_abs());
            json.member("mean_abs", output.mean_abs());
            json.member("cosine", output.cosine());
            json.member("sqnr_db", output.sqnr_db()); // +inf (identical) becomes null
            if (output.has_top1_agreement())
                json.member("top1_agreement", output.top1_agreement());
            else
                json.key("top1_agreement").null();
            json.member("nan_count", int64_t(output.nan_count()));
            json.endObject();
        }
        json.endObject().endObject();
        if (variant.has_ort())
            writeOrtJson(variant.ort(), json);
        json.key("per_node").beginArray();
        for (const auto &error : variant.per_node()) {
            json.beginObject();
            json.member("node", error.node());
            json.member("tensor", error.tensor());
            json.member("sqnr_db", error.sqnr_db());
            json.member("cosine", error.cosine());
            json.endObject();
        }
        json.endArray();
        json.endObject();
    }
    json.endArray();
    json.key("diagnostics").beginArray();
    for (const auto &diagnostic : report.diagnostics()) {
        json.beginObject();
        json.member("severity", diagnostic.severity());
        json.member("code", diagnostic.code());
        json.member("message", diagnostic.message());
        json.member("node", diagnostic.node());
        json.member("output", diagnostic.output());
        json.key("variants").beginArray();
        for (const auto &variant : diagnostic.variants())
            json.value(variant);
        json.endArray();
        json.endObject();
    }
    json.endArray();
    json.endObject();
    out << "\n";
}

namespace {

std::string csvField(const std::string &text)
{
    if (text.find_first_of(",\"\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (const char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string number(double value)
{
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    if (std::isnan(value))
        return "nan";
    std::ostringstream text;
    text << std::setprecision(9) << value;
    return text.str();
}

// The codes of the report's diagnostics that concern one variant's output, ';'-separated.
std::string warningCodes(const quantscope::Report &report, const std::string &variant,
                         const std::string &output)
{
    std::string codes;
    for (const auto &diagnostic : report.diagnostics()) {
        const auto &variants = diagnostic.variants();
        const bool ours = variants.empty()
                          || std::find(variants.begin(), variants.end(), variant) != variants.end();
        if (!ours || (!diagnostic.output().empty() && diagnostic.output() != output))
            continue;
        if (codes.find(diagnostic.code()) == std::string::npos)
            codes += (codes.empty() ? "" : ";") + diagnostic.code();
    }
    return codes;
}

std::string ortCsvFields(const quantscope::OrtMeasurement &ort, const std::string &output)
{
    if (!ort.error().empty() || ort.median_ms() <= 0)
        return ",,,," + csvField(ort.error());
    std::string fields = ',' + number(ort.median_ms()) + ',' + number(ort.ours_over_ort());
    auto it = std::find_if(ort.outputs().begin(), ort.outputs().end(),
                           [&](const auto &o) { return o.name() == output; });
    if (it == ort.outputs().end())
        return fields + ",,,";
    return fields + ',' + number(it->cosine()) + ',' + number(it->max_abs()) + ',';
}

} // namespace

void writeReportCsv(const quantscope::Report &report, std::ostream &out)
{
    out << "variant,output,size_bytes,size_ratio,median_ms,p90_ms,p99_ms,min_ms,"
           "throughput_per_s,max_abs,mean_abs,cosine,sqnr_db,top1_agreement,nan_count,"
           "p90_over_median,round_variation,warnings,verdict,meets_targets";
    // ONNX Runtime's columns come last and only when it ran, so existing readers keep working.
    const bool withOrt = !report.ort_runtime().empty();
    if (withOrt)
        out << ",ort_median_ms,ours_over_ort,ort_cosine,ort_max_abs,ort_error";
    out << '\n';
    for (const auto &variant : report.variants()) {
        for (const auto &output : variant.outputs()) {
            out << csvField(variant.path()) << ',' << csvField(output.name()) << ','
                << variant.size_bytes() << ',' << number(variant.size_ratio()) << ','
                << number(variant.latency().median_ms()) << ','
                << number(variant.latency().p90_ms()) << ',' << number(variant.latency().p99_ms())
                << ',' << number(variant.latency().min_ms()) << ','
                << number(variant.throughput_per_s()) << ',' << number(output.max_abs()) << ','
                << number(output.mean_abs()) << ',' << number(output.cosine()) << ','
                << number(output.sqnr_db()) << ','
                << (output.has_top1_agreement() ? number(output.top1_agreement()) : "") << ','
                << output.nan_count() << ',' << number(variant.latency().p90_over_median()) << ','
                << number(variant.latency().round_variation()) << ','
                << csvField(warningCodes(report, variant.path(), output.name())) << ','
                << csvField(variant.verdict().summary()) << ','
                << (variant.has_verdict() && report.targets_size() > 0
                        ? (variant.verdict().meets_targets() ? "yes" : "no")
                        : "");
            if (withOrt)
                out << ortCsvFields(variant.ort(), output.name());
            out << '\n';
        }
    }
}

Status saveReport(const quantscope::Report &report, const std::string &path, ReportFormat format)
{
    return writeFileAtomically(path, [&](std::ostream &out) {
        switch (format) {
        case ReportFormat::Text: out << reportToText(report); break;
        case ReportFormat::Json: writeReportJson(report, out); break;
        case ReportFormat::Csv: writeReportCsv(report, out); break;
        }
        return Status::ok();
    });
}

} // namespace qs
