#include "cli/run_command.h"

#include "cli/arguments.h"
#include "cli/cli.h"
#include "cli/cli_progress.h"
#include "data/random_inputs.h"
#include "model/model.h"
#include "runtime/session.h"
#include "tensor/tensor_io.h"
#include "util/json_writer.h"
#include "util/latency_stats.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>

namespace qs::cli {

const CommandUsage kRunUsage{
    "run",
    "usage: quantscope-cli run MODEL [--input NAME=PATH]... [--random [--seed N]]\n"
    "       [--dim SYMBOL=VALUE]... [--shape NAME=D1xD2...]... [--output-dir DIR]\n"
    "       [--threads N] [--warmup N] [--iterations N] [--json]\n"};

namespace {

struct RunArguments
{
    std::string modelPath;
    std::vector<std::pair<std::string, std::string>> inputFiles; // name, path
    std::map<std::string, Shape> inputShapes;                    // --shape, for --random
    std::map<std::string, int64_t> dimValues;
    bool random = false;
    uint64_t seed = 0;
    std::string outputDir;
    int threads = 0;
    int warmup = 0;
    int iterations = 1;
    bool json = false;
};

Result<Shape> parseShape(const std::string &name, const std::string &text)
{
    Shape shape;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t end = text.find_first_of("x,", start);
        const std::string piece = text.substr(start, end == std::string::npos ? end : end - start);
        const auto dim = parseNumber<int64_t>(piece);
        if (!dim || *dim < 0)
            return invalidArgument("--shape " + name + ": '" + text
                                   + "' is not a shape like 1x3x224x224");
        shape.push_back(*dim);
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return shape;
}

Result<RunArguments> parseArguments(const std::vector<std::string> &args)
{
    RunArguments parsed;
    ArgumentCursor cursor(args);
    while (cursor.next()) {
        const std::string arg = cursor.current();
        if (arg == "--input") {
            QS_CLI_ASSIGN_OR_RETURN(auto input, cursor.assignment());
            parsed.inputFiles.push_back(std::move(input));
        } else if (arg == "--shape") {
            QS_CLI_ASSIGN_OR_RETURN(const auto assignment, cursor.assignment());
            const auto &[name, text] = assignment;
            QS_CLI_ASSIGN_OR_RETURN(parsed.inputShapes[name], parseShape(name, text));
        } else if (arg == "--dim") {
            QS_CLI_ASSIGN_OR_RETURN(const auto assignment, cursor.assignment());
            const auto &[symbol, text] = assignment;
            const auto value = parseNumber<int64_t>(text);
            if (!value || *value < 0)
                return invalidArgument("--dim " + symbol + ": '" + text + "' is not a size");
            parsed.dimValues[symbol] = *value;
        } else if (arg == "--random") {
            parsed.random = true;
        } else if (arg == "--seed") {
            QS_CLI_ASSIGN_OR_RETURN(const std::string text, cursor.value());
            const auto seed = parseNumber<uint64_t>(text);
            if (!seed)
                return invalidArgument("--seed expects a non-negative integer, got '" + text
                                       + "'");
            parsed.seed = *seed;
        } else if (arg == "--output-dir") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.outputDir, cursor.value());
        } else if (arg == "--threads") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.threads, cursor.count(0));
        } else if (arg == "--warmup") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.warmup, cursor.count(0));
        } else if (arg == "--iterations") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.iterations, cursor.count(1));
        } else if (arg == "--json") {
            parsed.json = true;
        } else {
            QS_RETURN_IF_ERROR(takeModelPath(arg, parsed.modelPath));
        }
    }
    if (parsed.modelPath.empty())
        return invalidArgument("no model given");
    return parsed;
}

// Reads --input files and makes --shape / --random inputs.
Result<std::map<std::string, Tensor>> gatherInputs(const RunArguments &arguments,
                                                   const Session &session)
{
    std::map<std::string, Tensor> inputs;
    for (const auto &[name, path] : arguments.inputFiles) {
        auto tensor = readTensorFile(path);
        if (!tensor)
            return tensor.status().withContext("input '" + name + "'");
        inputs[name] = std::move(tensor).value();
    }
    std::mt19937_64 generator(arguments.seed);
    for (const auto &[name, shape] : arguments.inputShapes) {
        if (inputs.count(name))
            continue;
        const auto declared = std::find_if(session.inputs().begin(), session.inputs().end(),
                                           [&](const auto &value) { return value.name == name; });
        if (declared == session.inputs().end())
            return invalidArgument("--shape: the model has no input '" + name + "'");
        if (!arguments.random)
            return invalidArgument("--shape " + name + " makes random values: add --random");
        auto tensor = randomTensor(static_cast<DType>(declared->type.elementType), shape,
                                   generator);
        if (!tensor)
            return tensor.status().withContext("input '" + name + "'");
        inputs[name] = std::move(tensor).value();
    }
    if (arguments.random)
        QS_RETURN_IF_ERROR(addRandomInputs(session, inputs, arguments.seed + 1));
    return inputs;
}

Status writeOutputs(const NamedTensors &outputs, const std::string &directory)
{
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return invalidArgument(directory + ": cannot create the output directory: " +
                               error.message());
    for (const auto &[name, tensor] : outputs) {
        const std::string path = (std::filesystem::path(directory) / outputFileName(name)).string();
        QS_RETURN_IF_ERROR(writeNpyFile(tensor, path));
    }
    return Status::ok();
}

void printJson(const NamedTensors &outputs, const LatencyStats &latency, std::ostream &out)
{
    JsonWriter json(out);
    json.beginObject().key("outputs").beginObject();
    for (const auto &[name, tensor] : outputs) {
        json.key(name).beginArray();
        for (const int64_t dim : tensor.shape())
            json.value(dim);
        json.endArray();
    }
    json.endObject();
    json.key("latency_ms").beginObject();
    json.member("median", latency.medianMs).member("min", latency.minMs);
    json.member("max", latency.maxMs).member("p90", latency.p90Ms);
    json.endObject();
    json.member("iterations", latency.iterations);
    json.endObject();
    out << "\n";
}

void printText(const NamedTensors &outputs, const LatencyStats &latency, int threads,
               std::ostream &out)
{
    for (const auto &[name, tensor] : outputs)
        out << "output '" << name << "': " << tensor.describe() << "\n";
    out.setf(std::ios::fixed);
    out.precision(3);
    out << "latency over " << latency.iterations << " iteration(s), " << threads
        << " thread(s): median " << latency.medianMs << " ms, min " << latency.minMs
        << " ms, p90 " << latency.p90Ms << " ms, max " << latency.maxMs << " ms\n";
}

} // namespace

std::string outputFileName(const std::string &valueName)
{
    std::string file = valueName;
    for (char &c : file) {
        const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        if (!safe)
            c = '_';
    }
    // "." and ".." would name directories, not files.
    if (file.find_first_not_of('.') == std::string::npos)
        file = std::string(file.size(), '_');
    return file + ".npy";
}

int runCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    auto parsed = parseArguments(args);
    if (!parsed)
        return reportUsageError(err, kRunUsage, parsed.status());
    const RunArguments &arguments = *parsed;
    auto fail = [&err](const Status &status) { return reportError(err, status); };

    TerminalProgress progress(err);
    auto model = Model::load(arguments.modelPath, progress);
    if (!model)
        return fail(model.status());
    SessionOptions options;
    options.threads = arguments.threads;
    options.dimValues = arguments.dimValues;
    auto session = Session::create(model.value(), options, progress);
    if (!session)
        return fail(session.status().withContext(arguments.modelPath));
    auto inputs = gatherInputs(arguments, **session);
    if (!inputs)
        return fail(inputs.status());

    RunOptions runOptions;
    runOptions.progress = &progress;
    std::vector<double> timesMs;
    NamedTensors outputs;
    const int totalRuns = arguments.warmup + arguments.iterations;
    for (int run = 0; run < totalRuns; ++run) {
        progress.report(run, totalRuns, run < arguments.warmup ? "warm-up" : "timed runs");
        const auto start = std::chrono::steady_clock::now();
        auto result = (*session)->run(*inputs, runOptions);
        const auto stop = std::chrono::steady_clock::now();
        if (!result)
            return fail(result.status().withContext(arguments.modelPath));
        if (run >= arguments.warmup)
            timesMs.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
        outputs = std::move(result).value();
    }
    progress.report(totalRuns, totalRuns, "done");

    if (!arguments.outputDir.empty()) {
        const Status written = writeOutputs(outputs, arguments.outputDir);
        if (!written)
            return fail(written);
    }
    const LatencyStats latency = summarizeLatencies(std::move(timesMs));
    if (arguments.json)
        printJson(outputs, latency, out);
    else
        printText(outputs, latency, (*session)->threads(), out);
    return kSuccess;
}

} // namespace qs::cli
