#include "cli/verify_command.h"

#include "cli/arguments.h"
#include "cli/cli.h"
#include "cli/cli_progress.h"
#include "compare/verify.h"
#include "model/model.h"
#include "tensor/tensor_io.h"
#include "util/atomic_file.h"
#include "util/json_writer.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

namespace qs::cli {

const CommandUsage kVerifyUsage{
    "verify",
    "usage: quantscope-cli verify MODEL --input NAME=FILE... --expected NAME=FILE.npy...\n"
    "       [--rtol R] [--atol A] [--batch N,N...] [--threads N] [--json FILE]\n"
    "  Compares the model's outputs with saved ones: |actual - expected| <= atol + rtol *\n"
    "  |expected| per element, NaN never equal (numpy's allclose; defaults rtol 1e-3, atol\n"
    "  1e-5). --batch: runs each batch size with the given sample(s) repeated and checks\n"
    "  every sample against its batch-1 run. Exit 0 pass, 3 mismatch, 2 bad input.\n"};

namespace {

struct VerifyArguments
{
    std::string modelPath;
    std::vector<std::pair<std::string, std::string>> inputFiles;    // name, path
    std::vector<std::pair<std::string, std::string>> expectedFiles; // name, path
    Tolerance tolerance;
    std::vector<int64_t> batches;
    int threads = 0;
    std::string json;
};

Result<std::vector<int64_t>> parseBatches(ArgumentCursor &cursor)
{
    QS_CLI_ASSIGN_OR_RETURN(const std::vector<std::string> items, cursor.list());
    std::vector<int64_t> batches;
    for (const std::string &item : items) {
        const auto batch = parseNumber<int64_t>(item);
        if (!batch || *batch < 1)
            return invalidArgument("--batch: '" + item + "' is not a batch size >= 1");
        batches.push_back(*batch);
    }
    return batches;
}

Result<double> parseTolerance(ArgumentCursor &cursor)
{
    const std::string option = cursor.current();
    QS_CLI_ASSIGN_OR_RETURN(const double value, cursor.number());
    if (!(value >= 0))
        return invalidArgument(option + " expects a non-negative number");
    return value;
}

Result<VerifyArguments> parseArguments(const std::vector<std::string> &args)
{
    VerifyArguments parsed;
    ArgumentCursor cursor(args);
    while (cursor.next()) {
        const std::string arg = cursor.current();
        if (arg == "--input") {
            QS_CLI_ASSIGN_OR_RETURN(auto input, cursor.assignment());
            parsed.inputFiles.push_back(std::move(input));
        } else if (arg == "--expected") {
            QS_CLI_ASSIGN_OR_RETURN(auto expected, cursor.assignment());
            parsed.expectedFiles.push_back(std::move(expected));
        } else if (arg == "--rtol") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.tolerance.rtol, parseTolerance(cursor));
        } else if (arg == "--atol") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.tolerance.atol, parseTolerance(cursor));
        } else if (arg == "--batch") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.batches, parseBatches(cursor));
        } else if (arg == "--threads") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.threads, cursor.count(0));
        } else if (arg == "--json") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.json, cursor.value());
        } else {
            QS_RETURN_IF_ERROR(takeModelPath(arg, parsed.modelPath));
        }
    }
    if (parsed.modelPath.empty())
        return invalidArgument("no model given");
    if (parsed.expectedFiles.empty() && parsed.batches.empty())
        return invalidArgument("nothing to check: give --expected NAME=FILE.npy or --batch");
    return parsed;
}

// The files of --input or --expected, by name; the error names the option, value and file.
Result<std::map<std::string, Tensor>> readTensors(
    const std::string &option, const std::vector<std::pair<std::string, std::string>> &files)
{
    std::map<std::string, Tensor> tensors;
    for (const auto &[name, path] : files) {
        if (tensors.count(name))
            return invalidArgument(option + " '" + name + "' is given twice");
        auto tensor = readTensorFile(path);
        if (!tensor)
            return tensor.status().withContext(option + " '" + name + "'");
        tensors[name] = std::move(tensor).value();
    }
    return tensors;
}

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

std::string percent(double share)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f%%", share * 100.0);
    return text;
}

void printCheck(const TensorCheck &check, const Tolerance &tolerance, std::ostream &out)
{
    out << "  output '" << check.name << "' " << dtypeName(check.dtype)
        << shapeToString(check.shape) << ": " << (check.passed ? "PASS" : "FAIL");
    if (!check.problem.empty()) {
        out << ": " << check.problem << "\n";
        return;
    }
    out << "  max abs " << number(check.maxAbsError) << ", max rel " << number(check.maxRelError)
        << ", mismatched " << check.mismatches << " of " << check.elements << " ("
        << percent(check.mismatchShare()) << ")\n";
    // The worst element of an exact match says nothing.
    const bool hasWorst = !check.worstIndex.empty() || check.elements == 1;
    if (hasWorst && (!check.passed || check.maxAbsError > 0)) {
        const double allowed = tolerance.atol + tolerance.rtol * std::abs(check.worstExpected);
        out << "    worst at " << shapeToString(check.worstIndex) << ": "
            << number(check.worstActual) << ", expected " << number(check.worstExpected)
            << " (|diff| " << number(std::abs(check.worstActual - check.worstExpected))
            << ", allowed " << number(allowed) << ")\n";
    }
}

void printText(const VerifyReport &report, std::ostream &out)
{
    out << "tolerance: rtol " << number(report.tolerance.rtol) << ", atol "
        << number(report.tolerance.atol) << "\n";
    if (!report.outputs.empty() || !report.unchecked.empty())
        out << "outputs against the expected values:\n";
    for (const TensorCheck &check : report.outputs)
        printCheck(check, report.tolerance, out);
    for (const std::string &name : report.unchecked)
        out << "  output '" << name << "': not checked (no --expected)\n";
    if (!report.batchNotApplicable.empty())
        out << "batch check does not apply: " << report.batchNotApplicable << "\n";
    for (const BatchCheck &batch : report.batches) {
        out << "batch " << batch.batch << ": " << (batch.passed ? "PASS" : "FAIL")
            << " (each sample against its batch-1 run)\n";
        if (!batch.engineError.empty())
            out << "  the engine failed: " << batch.engineError << "\n";
        for (const TensorCheck &check : batch.outputs)
            printCheck(check, report.tolerance, out);
        for (const std::string &culprit : batch.culprits)
            out << "  batch " << batch.batch << ": " << culprit << "\n";
        if (!batch.passed && batch.culprits.empty())
            out << "  no Reshape, Expand, Tile, ConstantOfShape or Slice node stands out\n";
    }
    out << "result: " << (report.passed() ? "PASS" : "FAIL") << "\n";
}

void writeShape(JsonWriter &json, const Shape &shape)
{
    json.beginArray();
    for (const int64_t dim : shape)
        json.value(dim);
    json.endArray();
}

void writeCheckJson(JsonWriter &json, const TensorCheck &check)
{
    json.beginObject().member("name", check.name).member("passed", check.passed);
    json.member("dtype", dtypeName(check.dtype)).key("shape");
    writeShape(json, check.shape);
    if (!check.problem.empty())
        json.member("problem", check.problem);
    json.member("elements", check.elements).member("mismatches", check.mismatches);
    json.member("mismatch_share", check.mismatchShare());
    json.member("max_abs_error", check.maxAbsError).member("max_rel_error", check.maxRelError);
    if (!check.worstIndex.empty() || check.elements == 1) {
        json.key("worst").beginObject().key("index");
        writeShape(json, check.worstIndex);
        json.member("actual", check.worstActual).member("expected", check.worstExpected);
        json.endObject();
    }
    json.endObject();
}

void writeJson(const VerifyReport &report, const std::string &modelPath, std::ostream &out)
{
    JsonWriter json(out);
    json.beginObject().member("model", modelPath).member("passed", report.passed());
    json.key("tolerance").beginObject();
    json.member("rtol", report.tolerance.rtol).member("atol", report.tolerance.atol).endObject();
    json.key("outputs").beginArray();
    for (const TensorCheck &check : report.outputs)
        writeCheckJson(json, check);
    json.endArray();
    json.key("unchecked").beginArray();
    for (const std::string &name : report.unchecked)
        json.value(name);
    json.endArray();
    if (!report.batchNotApplicable.empty())
        json.member("batch_not_applicable", report.batchNotApplicable);
    json.key("batches").beginArray();
    for (const BatchCheck &batch : report.batches) {
        json.beginObject().member("batch", batch.batch).member("passed", batch.passed);
        if (!batch.engineError.empty())
            json.member("engine_error", batch.engineError);
        json.key("outputs").beginArray();
        for (const TensorCheck &check : batch.outputs)
            writeCheckJson(json, check);
        json.endArray();
        json.key("culprits").beginArray();
        for (const std::string &culprit : batch.culprits)
            json.value(culprit);
        json.endArray().endObject();
    }
    json.endArray().endObject();
    out << "\n";
}

} // namespace

int verifyCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    auto parsed = parseArguments(args);
    if (!parsed)
        return reportUsageError(err, kVerifyUsage, parsed.status());
    const VerifyArguments &arguments = *parsed;
    auto fail = [&err](const Status &status) { return reportError(err, status); };

    // Files first: a missing one is reported before a large model is loaded.
    auto inputs = readTensors("--input", arguments.inputFiles);
    if (!inputs)
        return fail(inputs.status());
    auto expected = readTensors("--expected", arguments.expectedFiles);
    if (!expected)
        return fail(expected.status());

    TerminalProgress progress(err);
    auto model = Model::load(arguments.modelPath, progress);
    if (!model)
        return fail(model.status());
    VerifyRequest request;
    request.model = *model;
    request.inputs = std::move(inputs).value();
    request.expected = std::move(expected).value();
    request.tolerance = arguments.tolerance;
    request.batches = arguments.batches;
    request.threads = arguments.threads;
    auto report = verifyModel(request, progress);
    if (!report)
        return fail(report.status().withContext(arguments.modelPath));

    printText(*report, out);
    if (!arguments.json.empty()) {
        const Status saved = writeFileAtomically(arguments.json, [&](std::ostream &file) {
            writeJson(*report, arguments.modelPath, file);
            return Status::ok();
        });
        if (!saved)
            return fail(saved);
    }
    return report->passed() ? kSuccess : kVerifyMismatch;
}

} // namespace qs::cli
