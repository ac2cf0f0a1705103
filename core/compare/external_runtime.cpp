#include "compare/external_runtime.h"

#include "util/json_reader.h"
#include "util/json_writer.h"
#include "util/subprocess.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unistd.h>

namespace qs {

const char *const kOrtRunnerHint
    = "install onnxruntime-node (npm install onnxruntime-node, with NODE_PATH reaching its "
      "node_modules) or Python's onnxruntime (pip install onnxruntime numpy), or set the runner "
      "with --ort-runner PATH, QUANTSCOPE_ORT_RUNNER or the GUI's Preferences";

std::string OrtRunner::describe() const
{
    return runtime + " " + version + " (" + path + ")";
}

std::vector<std::string> ortRunnerCommand(const std::string &path)
{
    const std::string extension = std::filesystem::path(path).extension().string();
    if (extension == ".js")
        return {"node", path};
    if (extension == ".py")
        return {"python3", path};
    return {path};
}

std::vector<std::string> shippedOrtRunners()
{
    // The build tree puts the runners in build/share/quantscope/runners beside build/bin, as the
    // install rules put them beside PREFIX/bin: one rule finds both.
    std::error_code error;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error)
        return {};
    const std::filesystem::path dir = exe.parent_path().parent_path() / "share" / "quantscope"
                                      / "runners";
    return {(dir / "quantscope-ort-runner.js").string(),
            (dir / "quantscope-ort-runner.py").string()};
}

std::vector<std::string> ortRunnersOnPath(std::string_view pathVariable)
{
    std::vector<std::string> found;
    size_t start = 0;
    while (start <= pathVariable.size()) {
        size_t end = pathVariable.find(':', start);
        if (end == std::string_view::npos)
            end = pathVariable.size();
        const std::filesystem::path dir(std::string(pathVariable.substr(start, end - start)));
        start = end + 1;
        if (dir.empty())
            continue;
        for (const char *name : {"quantscope-ort-runner.js", "quantscope-ort-runner.py"}) {
            std::error_code error;
            if (std::filesystem::is_regular_file(dir / name, error))
                found.push_back((dir / name).string());
        }
    }
    return found;
}

namespace {

std::string trimmed(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

// The runner's own message, else its stderr, else its exit code: the most useful thing to show.
std::string failureOf(const ProcessOutput &output)
{
    if (auto parsed = parseJson(trimmed(output.out)); parsed && parsed->isObject())
        if (const JsonValue *error = parsed->find("error"); error && error->isString()) {
            std::string message = error->string();
            if (!trimmed(output.err).empty())
                message += " (stderr: " + trimmed(output.err) + ")";
            return message;
        }
    if (!trimmed(output.err).empty())
        return trimmed(output.err);
    return "exited with code " + std::to_string(output.exitCode) + " and no answer";
}

Result<OrtRunner> probeUncached(const std::string &path, Progress &progress,
                                std::chrono::milliseconds timeout)
{
    if (!std::filesystem::exists(path))
        return notFound("ONNX Runtime runner '" + path + "' does not exist");
    OrtRunner runner;
    runner.path = path;
    runner.command = ortRunnerCommand(path);
    std::vector<std::string> argv = runner.command;
    argv.push_back("--probe");
    auto ran = runProcess(argv, timeout, progress);
    if (!ran)
        return ran.status().withContext("ONNX Runtime runner '" + path + "'");
    if (ran->exitCode != 0)
        return unsupported("ONNX Runtime runner '" + path + "' does not work: " + failureOf(*ran));
    auto answer = parseOrtResponse(trimmed(ran->out));
    if (!answer)
        return answer.status().withContext("ONNX Runtime runner '" + path + "'");
    runner.runtime = answer->runtime;
    runner.version = answer->version;
    return runner;
}

} // namespace

Result<OrtRunner> probeOrtRunner(const std::string &path, Progress &progress,
                                 std::chrono::milliseconds timeout)
{
    static std::mutex mutex;
    static std::map<std::string, Result<OrtRunner>> cache;
    {
        std::lock_guard lock(mutex);
        if (auto it = cache.find(path); it != cache.end())
            return it->second;
    }
    auto probed = probeUncached(path, progress, timeout);
    // A cancelled probe says nothing about the runner: the next caller probes again.
    if (!probed && probed.status().code() == StatusCode::Cancelled)
        return probed;
    std::lock_guard lock(mutex);
    return cache.emplace(path, probed).first->second;
}

Result<OrtRunner> findOrtRunner(const std::string &explicitPath, Progress &progress)
{
    const auto withHint = [](const Status &status) {
        if (status.code() == StatusCode::Cancelled)
            return status;
        return Status(status.code(), status.message() + "; " + kOrtRunnerHint);
    };
    if (!explicitPath.empty()) {
        auto runner = probeOrtRunner(explicitPath, progress);
        return runner ? runner : Result<OrtRunner>(withHint(runner.status()));
    }
    if (const char *fromEnvironment = std::getenv("QUANTSCOPE_ORT_RUNNER");
        fromEnvironment && *fromEnvironment) {
        auto runner = probeOrtRunner(fromEnvironment, progress);
        return runner ? runner
                      : Result<OrtRunner>(
                          withHint(runner.status().withContext("QUANTSCOPE_ORT_RUNNER")));
    }
    std::vector<std::string> candidates = shippedOrtRunners();
    if (const char *path = std::getenv("PATH"))
        for (std::string &onPath : ortRunnersOnPath(path))
            if (std::find(candidates.begin(), candidates.end(), onPath) == candidates.end())
                candidates.push_back(std::move(onPath));
    std::string tried;
    for (const std::string &path : candidates) {
        auto runner = probeOrtRunner(path, progress);
        if (runner || runner.status().code() == StatusCode::Cancelled)
            return runner;
        tried += (tried.empty() ? "" : "; ") + runner.status().message();
    }
    return withHint(notFound("no ONNX Runtime runner works"
                             + (tried.empty() ? std::string() : " (" + tried + ")")));
}

std::string ortRequestJson(const OrtRunRequest &request)
{
    std::ostringstream text;
    JsonWriter json(text);
    json.beginObject();
    json.member("protocol", kOrtRunnerProtocol);
    json.member("model", request.model);
    json.key("inputs").beginObject();
    for (const auto &[name, file] : request.inputs)
        json.member(name, file);
    json.endObject();
    json.member("threads", request.threads);
    json.member("warmup", request.warmup);
    json.member("iterations", request.iterations);
    json.member("optimization", request.optimization);
    if (!request.outputDir.empty())
        json.member("output_dir", request.outputDir);
    json.endObject();
    text << "\n";
    return text.str();
}

Result<OrtRunResult> parseOrtResponse(std::string_view text)
{
    auto parsed = parseJson(text);
    if (!parsed)
        return parsed.status().withContext("the runner's answer");
    const JsonValue &answer = *parsed;
    if (!answer.isObject())
        return invalidArgument("the runner's answer is not a JSON object");
    const JsonValue *protocol = answer.find("protocol");
    if (!protocol || !protocol->isNumber() || protocol->number() != kOrtRunnerProtocol)
        return unsupported("the runner speaks another protocol than "
                           + std::to_string(kOrtRunnerProtocol));
    if (const JsonValue *error = answer.find("error"); error && error->isString())
        return invalidArgument(error->string());
    OrtRunResult result;
    const auto textOf = [&](const char *key) {
        const JsonValue *value = answer.find(key);
        return value && value->isString() ? value->string() : std::string();
    };
    result.runtime = textOf("runtime");
    result.version = textOf("version");
    if (result.runtime.empty())
        return invalidArgument("the runner's answer names no runtime");
    if (const JsonValue *latency = answer.find("latency_ms")) {
        const auto number = [&](const char *key) {
            const JsonValue *value = latency->find(key);
            return value && value->isNumber() ? value->number() : 0.0;
        };
        result.medianMs = number("median");
        result.p90Ms = number("p90");
        result.minMs = number("min");
        result.maxMs = number("max");
        if (const JsonValue *runs = latency->find("runs"); runs && runs->isArray())
            for (const JsonValue &run : runs->array())
                if (run.isNumber())
                    result.runsMs.push_back(run.number());
    }
    if (const JsonValue *outputs = answer.find("outputs"); outputs && outputs->isObject())
        for (const auto &[name, file] : outputs->object())
            if (file.isString())
                result.outputs[name] = file.string();
    return result;
}

Result<OrtRunResult> runOrtRunner(const OrtRunner &runner, const OrtRunRequest &request,
                                  Progress &progress, std::chrono::milliseconds timeout)
{
    // Requests of concurrent calls in one process must not share a file.
    static std::atomic<int> requestCounter{0};
    // The request goes in a file beside the outputs (or the temp dir): no pipe to keep fed.
    const std::filesystem::path dir = request.outputDir.empty()
                                          ? std::filesystem::temp_directory_path()
                                          : std::filesystem::path(request.outputDir);
    std::error_code ignored;
    std::filesystem::create_directories(dir, ignored);
    const std::filesystem::path requestFile
        = dir
          / ("quantscope-ort-request-" + std::to_string(::getpid()) + "-"
             + std::to_string(requestCounter.fetch_add(1)) + ".json");
    {
        std::ofstream file(requestFile);
        file << ortRequestJson(request);
        if (!file)
            return internalError("cannot write " + requestFile.string());
    }
    std::vector<std::string> argv = runner.command;
    argv.push_back(requestFile.string());
    auto ran = runProcess(argv, timeout, progress);
    std::filesystem::remove(requestFile, ignored);
    const std::string context = runner.runtime + " runner '" + runner.path + "'";
    if (!ran)
        return ran.status().withContext(context);
    if (ran->exitCode != 0)
        return invalidArgument(context + " on " + request.model + ": " + failureOf(*ran));
    auto result = parseOrtResponse(trimmed(ran->out));
    if (!result)
        return result.status().withContext(context);
    return result;
}

} // namespace qs
