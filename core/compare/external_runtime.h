#pragma once
// ONNX Runtime beside our engine: a runner process shipped with Quantscope
// (runners/quantscope-ort-runner.js for onnxruntime-node, .py for Python's onnxruntime) times a
// model in ORT and writes its outputs, so that Compare and `bench` can show ORT's latency and
// how far its outputs are from ours. A process rather than a linked library: users already have
// ORT installed for node or Python, and its version is theirs to choose.
//
// The protocol, version 1 (the runners' header comments spell out every field):
//   runner REQUEST.json | runner < request | runner --probe
//   request  {"protocol":1, "model", "inputs": {name: npy}, "threads", "warmup", "iterations",
//             "optimization": disabled|basic|extended|all, "output_dir"}
//   response {"protocol":1, "runtime", "version", "latency_ms": {median, p90, min, max, runs},
//             "outputs": {name: npy}}  or  {"protocol":1, "error": message}, exit code 2
//
// Which runner: an explicit path (`--ort-runner`, Preferences), else $QUANTSCOPE_ORT_RUNNER, else
// the shipped runners (share/quantscope/runners beside the binary), then those on PATH, the
// first whose interpreter and module answer a probe. Probes are cached per process.
#include "util/progress.h"
#include "util/status.h"

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

inline constexpr int kOrtRunnerProtocol = 1;

// What to tell a user who has no working runner.
extern const char *const kOrtRunnerHint;

struct OrtRunner
{
    std::string path;                 // the runner script (or program)
    std::vector<std::string> command; // how it is started: interpreter and script
    std::string runtime;              // "onnxruntime-node", "onnxruntime-python"
    std::string version;              // ORT's version, as the runner reports it

    std::string describe() const; // "onnxruntime-node 1.20.1 (/path/quantscope-ort-runner.js)"
};

struct OrtRunRequest
{
    std::string model;
    std::map<std::string, std::string> inputs; // input name -> .npy path
    int threads = 0;                           // 0: ORT's default
    int warmup = 1;
    int iterations = 10;
    std::string optimization = "all";
    std::string outputDir; // empty: outputs are not written
};

struct OrtRunResult
{
    std::string runtime;
    std::string version;
    double medianMs = 0, p90Ms = 0, minMs = 0, maxMs = 0;
    std::vector<double> runsMs;
    std::map<std::string, std::string> outputs; // output name -> .npy path
};

// The command that starts the runner at `path`: node for .js, python3 for .py, else the file.
std::vector<std::string> ortRunnerCommand(const std::string &path);

// The shipped runners, in the order they are tried (the node one first: the tests fetch its
// module), whether or not they exist.
std::vector<std::string> shippedOrtRunners();

// quantscope-ort-runner.js / .py in the folders of `pathVariable` (PATH's syntax), in its order.
std::vector<std::string> ortRunnersOnPath(std::string_view pathVariable);

// Starts the runner with --probe (at most `timeout`) and checks its answer; cached per path.
Result<OrtRunner> probeOrtRunner(const std::string &path, Progress &progress,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The runner to use (see the header comment); the error says what was tried and kOrtRunnerHint.
Result<OrtRunner> findOrtRunner(const std::string &explicitPath, Progress &progress);

// Runs one request. The runner's error message and its stderr end up in the Status.
Result<OrtRunResult> runOrtRunner(const OrtRunner &runner, const OrtRunRequest &request,
                                  Progress &progress,
                                  std::chrono::milliseconds timeout = std::chrono::minutes(10));

// The protocol's two documents, public for the tests.
std::string ortRequestJson(const OrtRunRequest &request);
Result<OrtRunResult> parseOrtResponse(std::string_view text);

} // namespace qs
