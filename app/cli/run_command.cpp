#include "cli/run_command.h"

#include "cli/arguments.h"
#include "cli/cli.h"
#include "cli/cli_progress.h"
#include "cli/text_table.h"
#include "compare/verify.h"
#include "data/sample_source.h"
#include "model/model.h"
#include "runtime/profile.h"
#include "runtime/session.h"
#include "tensor/tensor_io.h"
#include "util/json_writer.h"
#include "util/latency_stats.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>

namespace qs::cli {

const CommandUsage
    kRunUsage{"run",
              "usage: quantscope-cli run MODEL [--input NAME=PATH]... [--random [--seed N]]\n"
              "       [--dim SYMBOL=VALUE]... [--shape NAME=D1xD2...]... [--image-size HxW]\n"
              "       [--output-dir DIR] [--threads N] [--warmup N] [--iterations N]\n"
              "       [--profile] [--no-fusion] [--json]\n"};

namespace {

struct RunArguments
{
    std::string modelPath;
    std::vector<std::pair<std::string, std::string>> inputFiles; // name, path
    std::map<std::string, Shape> inputShapes;                    // --shape, for --random
    std::map<std::string, int64_t> dimValues;
    quantscope::ImagePreprocessing imageSize; // --image-size, for random image inputs
    bool random = false;
    uint64_t seed = 0;
    std::string outputDir;
    int threads = 0;
    int warmup = 0;
    int iterations = 1;
    bool profile = false;  // time per node and op type over the timed iterations
    bool noFusion = false; // every node as written, to tell a fusion's rounding from a kernel's
    bool json = false;
};

// Rows of the text output's node table; --json lists every node.
constexpr size_t kTopNodes = 25;

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
            QS_CLI_ASSIGN_OR_RETURN(const auto dim, parseDimOption(cursor));
            parsed.dimValues[dim.first] = dim.second;
        } else if (arg == "--image-size") {
            QS_CLI_ASSIGN_OR_RETURN(const PreprocessingEdit size, parsePreprocessingOption(cursor));
            size(parsed.imageSize);
        } else if (arg == "--random") {
            parsed.random = true;
        } else if (arg == "--seed") {
            QS_CLI_ASSIGN_OR_RETURN(const std::string text, cursor.value());
            const auto seed = parseNumber<uint64_t>(text);
            if (!seed)
                return invalidArgument("--seed expects a non-negative integer, got '" + text + "'");
            parsed.seed = *seed;
        } else if (arg == "--output-dir") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.outputDir, cursor.value());
        } else if (arg == "--threads") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.threads, cursor.count(0));
        } else if (arg == "--warmup") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.warmup, cursor.count(0));
        } else if (arg == "--iterations") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.iterations, cursor.count(1));
        } else if (arg == "--profile") {
            parsed.profile = true;
        } else if (arg == "--no-fusion") {
            parsed.noFusion = true;
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

// The sizes of the symbols in the --input files' shapes ("seq" is 7 in a [1,7] file), for the
// random inputs beside them: a symbol has one size on every input that uses it. The user's --dim
// wins; a file that contradicts it fails the session's input check.
std::map<std::string, int64_t> symbolSizes(const std::map<std::string, Tensor> &given,
                                           const std::vector<InputSpec> &inputs,
                                           std::map<std::string, int64_t> dimValues)
{
    for (const InputSpec &input : inputs) {
        const auto file = given.find(input.name);
        if (file == given.end() || size_t(file->second.rank()) != input.symbols.size())
            continue;
        for (size_t axis = 0; axis < input.symbols.size(); ++axis)
            if (!input.symbols[axis].empty())
                dimValues.emplace(input.symbols[axis], file->second.dim(int64_t(axis)));
    }
    return dimValues;
}

// Reads the --input files; with --random, the other inputs are one sample of openSampleSource's
// random data, sized by its rule for dynamic dims, as quantize and bench would make them.
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
    if (!arguments.random) {
        for (const auto &[name, shape] : arguments.inputShapes)
            if (!inputs.count(name))
                return invalidArgument("--shape " + name + " makes random values: add --random");
        return inputs; // a missing input is the session's error, which names it
    }
    const std::vector<InputSpec> specs = inputSpecs(session);
    std::vector<InputSpec> missing;
    std::copy_if(specs.begin(), specs.end(), std::back_inserter(missing),
                 [&](const InputSpec &input) { return !inputs.count(input.name); });
    SampleSourceSettings settings;
    settings.maxSamples = 1;
    settings.seed = arguments.seed;
    settings.preprocessing = arguments.imageSize;
    settings.dimValues = symbolSizes(inputs, specs, arguments.dimValues);
    // A file wins over a --shape for the same input, as it always has.
    for (const auto &[name, shape] : arguments.inputShapes)
        if (!inputs.count(name))
            settings.inputShapes.emplace(name, shape);
    auto source = openSampleSource(missing, settings);
    if (!source)
        return source.status();
    auto sample = (*source)->next();
    if (!sample)
        return sample.status();
    if (sample->has_value())
        inputs.merge((*sample)->inputs);
    return inputs;
}

Status writeOutputs(const NamedTensors &outputs, const std::string &directory)
{
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return invalidArgument(directory
                               + ": cannot create the output directory: " + error.message());
    for (const auto &[name, tensor] : outputs) {
        const std::string path = (std::filesystem::path(directory) / outputFileName(name)).string();
        QS_RETURN_IF_ERROR(writeNpyFile(tensor, path));
    }
    return Status::ok();
}

void writeProfileJson(const Profile &profile, JsonWriter &json)
{
    json.key("profile").beginObject();
    json.member("total_ms", profile.totalMs);
    json.key("op_types").beginArray();
    for (const OpTypeTime &opType : profile.opTypes) {
        json.beginObject().member("op_type", opType.opType).member("ms", opType.ms);
        json.member("nodes", opType.nodes).member("share", opType.share).endObject();
    }
    json.endArray();
    json.key("nodes").beginArray();
    for (const NodeTime &node : profile.nodes) {
        json.beginObject().member("name", node.name).member("op_type", node.opType);
        json.member("ms", node.ms).member("share", node.share).endObject();
    }
    json.endArray();
    json.endObject();
}

void printJson(const NamedTensors &outputs, const LatencyStats &latency,
               const std::optional<Profile> &profile, std::ostream &out)
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
    if (profile)
        writeProfileJson(*profile, json);
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
        << " thread(s): median " << latency.medianMs << " ms, min " << latency.minMs << " ms, p90 "
        << latency.p90Ms << " ms, max " << latency.maxMs << " ms\n";
}

std::string formatMs(double ms)
{
    std::ostringstream text;
    text.setf(std::ios::fixed);
    text.precision(3);
    text << ms;
    return text.str();
}

std::string formatShare(double share)
{
    std::ostringstream text;
    text.setf(std::ios::fixed);
    text.precision(1);
    text << share * 100.0 << "%";
    return text.str();
}

void printProfileText(const Profile &profile, std::ostream &out)
{
    out << "\nprofile over " << profile.iterations << " iteration(s): " << formatMs(profile.totalMs)
        << " ms per iteration in " << profile.nodes.size()
        << " node(s) as the engine runs them (a fused node includes what it absorbed)\n";
    using Align = TextTable::Align;
    TextTable opTypes(
        {{"op type"}, {"ms", Align::Right}, {"share", Align::Right}, {"nodes", Align::Right}});
    for (const OpTypeTime &opType : profile.opTypes)
        opTypes.addRow({opType.opType, formatMs(opType.ms), formatShare(opType.share),
                        std::to_string(opType.nodes)});
    opTypes.write(out);

    const size_t shown = std::min(profile.nodes.size(), kTopNodes);
    out << "\nslowest " << shown << " of " << profile.nodes.size() << " node(s):\n";
    TextTable nodes({{"node"}, {"op type"}, {"ms", Align::Right}, {"share", Align::Right}});
    for (size_t i = 0; i < shown; ++i) {
        const NodeTime &node = profile.nodes[i];
        nodes.addRow({node.name, node.opType, formatMs(node.ms), formatShare(node.share)});
    }
    nodes.write(out);
}

} // namespace

std::string outputFileName(const std::string &valueName)
{
    // The same names the GUI's "against saved outputs" reads (compare/verify.h).
    return npyFileName(valueName);
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
    options.fuse = !arguments.noFusion;
    auto session = Session::create(model.value(), options, progress);
    if (!session)
        return fail(session.status().withContext(arguments.modelPath));
    auto inputs = gatherInputs(arguments, **session);
    if (!inputs)
        return fail(inputs.status().withContext(arguments.modelPath));

    RunOptions runOptions;
    runOptions.progress = &progress;
    // The timed iterations are the profiled ones: latency and profile describe the same runs
    // (the recorder's cost is two clock reads per node).
    ProfileRecorder recorder;
    std::vector<double> timesMs;
    NamedTensors outputs;
    const int totalRuns = arguments.warmup + arguments.iterations;
    for (int run = 0; run < totalRuns; ++run) {
        progress.report(run, totalRuns, run < arguments.warmup ? "warm-up" : "timed runs");
        runOptions.profile = arguments.profile && run >= arguments.warmup ? &recorder : nullptr;
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
    std::optional<Profile> profile;
    if (arguments.profile)
        profile = summarizeProfile(recorder, arguments.iterations);
    if (arguments.json) {
        printJson(outputs, latency, profile, out);
    } else {
        printText(outputs, latency, (*session)->threads(), out);
        if (profile)
            printProfileText(*profile, out);
    }
    return kSuccess;
}

} // namespace qs::cli
