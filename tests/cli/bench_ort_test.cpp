// quantscope-cli bench --ort: ONNX Runtime's latency and agreement beside our engine's in the
// text, JSON and CSV reports (the node runner on the fetched onnxruntime-node), and a runner that
// cannot be found: a one-line note on how to get one, the reports and exit code unchanged.
#include "cli/bench_command.h"
#include "support/cli_runner.h"
#include "support/model_builder.h"
#include "support/scale_model.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace qs {
namespace {

using namespace qs::test;

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(BenchOrt, AddsOrtLatencyAndAgreementToEveryReport)
{
    ::setenv("NODE_PATH", QS_ORT_NODE_MODULES, 1);
    TempDir dir;
    const std::string ref = writeScaleModel(dir, "ref.onnx", 2.0f);
    const std::string var = writeScaleModel(dir, "var.onnx", 2.0f);
    const Outcome outcome = runCli({"bench", ref, var, "--random", "--samples", "2", "--iterations",
                                    "3", "--warmup", "1", "--ort-runner", QS_ORT_RUNNER_JS,
                                    "--json", dir.file("r.json"), "--csv", dir.file("r.csv")});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    EXPECT_NE(outcome.out.find("ONNX Runtime (onnxruntime-node"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("ours/ORT"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("1.00000"), std::string::npos) << outcome.out;

    const std::string json = readFile(dir.file("r.json"));
    EXPECT_NE(json.find("\"ort_runtime\": \"onnxruntime-node"), std::string::npos) << json;
    EXPECT_NE(json.find("\"ours_over_ort\""), std::string::npos) << json;
    const std::string csv = readFile(dir.file("r.csv"));
    const std::string header = csv.substr(0, csv.find('\n'));
    EXPECT_TRUE(header.ends_with(
        "meets_targets,ort_median_ms,ours_over_ort,ort_cosine,ort_max_abs,ort_error"))
        << header;
}

TEST(BenchOrt, NoRunnerIsANoteAndChangesNothingElse)
{
    TempDir dir;
    const std::string ref = writeScaleModel(dir, "ref.onnx", 2.0f);
    const Outcome outcome
        = runCli({"bench", ref, ref, "--random", "--iterations", "1", "--warmup", "0",
                  "--ort-runner", "/nonexistent/runner.js", "--csv", dir.file("r.csv")});
    EXPECT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    EXPECT_NE(outcome.err.find("note: ONNX Runtime not measured: ONNX Runtime runner "
                               "'/nonexistent/runner.js' does not exist"),
              std::string::npos)
        << outcome.err;
    EXPECT_NE(outcome.err.find("npm install onnxruntime-node"), std::string::npos) << outcome.err;
    EXPECT_EQ(outcome.out.find("ONNX Runtime"), std::string::npos) << outcome.out;
    const std::string csv = readFile(dir.file("r.csv"));
    EXPECT_EQ(csv.find("ort_"), std::string::npos) << csv;
}

} // namespace
} // namespace qs
