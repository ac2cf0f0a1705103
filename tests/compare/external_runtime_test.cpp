// ONNX Runtime beside our engine (compare/external_runtime.h, ort_comparison.h): the protocol's
// JSON both ways, the node runner on a model built here (onnxruntime-node as `make assets`
// fetches it), a runner that is missing, broken, hangs or is cancelled, and runBenchmark with a
// runner filling each variant's ORT figures.
#include "compare/benchmark.h"
#include "compare/external_runtime.h"
#include "support/model_builder.h"
#include "support/scale_model.h"
#include "support/temp_dir.h"
#include "tensor/tensor_io.h"
#include "util/json_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

namespace qs {
namespace {

using namespace qs::test;

// The runners reach onnxruntime-node through NODE_PATH, as a user's shell would.
void useFetchedOnnxRuntime()
{
    ::setenv("NODE_PATH", QS_ORT_NODE_MODULES, 1);
}

std::string writeScript(const TempDir &dir, const std::string &name, const std::string &body)
{
    dir.write(name, "#!/bin/sh\n" + body + "\n");
    std::filesystem::permissions(dir.file(name), std::filesystem::perms::owner_all);
    return dir.file(name);
}

TEST(JsonReader, ReadsTheShapesTheRunnersWrite)
{
    auto parsed = parseJson(R"( {"a": [1, -2.5e3, true, null], "b": {"c": "x\"\u00e9\n"}} )");
    ASSERT_TRUE(parsed) << parsed.status().message();
    const JsonValue *a = parsed->find("a");
    ASSERT_TRUE(a && a->isArray());
    ASSERT_EQ(a->array().size(), 4u);
    EXPECT_EQ(a->array()[1].number(), -2500.0);
    EXPECT_TRUE(a->array()[2].boolean());
    EXPECT_TRUE(a->array()[3].isNull());
    EXPECT_EQ(parsed->find("b")->find("c")->string(), "x\"\xc3\xa9\n");
    for (const char *bad : {"", "{", "[1,]", "{\"a\" 1}", "\"open", "1 2", "{'a': 1}"})
        EXPECT_FALSE(parseJson(bad)) << bad;
}

TEST(OrtProtocol, RequestAndResponse)
{
    OrtRunRequest request;
    request.model = "m.onnx";
    request.inputs = {{"x", "x.npy"}};
    request.iterations = 3;
    auto parsed = parseJson(ortRequestJson(request));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->find("protocol")->number(), kOrtRunnerProtocol);
    EXPECT_EQ(parsed->find("inputs")->find("x")->string(), "x.npy");
    EXPECT_EQ(parsed->find("iterations")->number(), 3);
    EXPECT_EQ(parsed->find("output_dir"), nullptr);

    auto answer = parseOrtResponse(
        R"({"protocol":1,"runtime":"rt","version":"9","latency_ms":{"median":2,"p90":3,)"
        R"("min":1,"max":4,"runs":[1,2,3]},"outputs":{"y":"y.npy"}})");
    ASSERT_TRUE(answer) << answer.status().message();
    EXPECT_EQ(answer->medianMs, 2);
    EXPECT_EQ(answer->runsMs.size(), 3u);
    EXPECT_EQ(answer->outputs.at("y"), "y.npy");
    auto error = parseOrtResponse(R"({"protocol":1,"error":"no such file"})");
    ASSERT_FALSE(error);
    EXPECT_EQ(error.status().message(), "no such file");
    EXPECT_FALSE(parseOrtResponse(R"({"protocol":2,"runtime":"rt"})"));
}

TEST(OrtRunner, NodeRunnerTimesAModelAndWritesItsOutputs)
{
    useFetchedOnnxRuntime();
    TempDir dir;
    auto runner = probeOrtRunner(QS_ORT_RUNNER_JS, silentProgress());
    ASSERT_TRUE(runner) << runner.status().message();
    EXPECT_EQ(runner->runtime, "onnxruntime-node");
    EXPECT_FALSE(runner->version.empty());

    Tensor x = Tensor::allocate(DType::Float32, {1, 10});
    for (int i = 0; i < 10; ++i)
        x.mutableData<float>()[i] = float(i) - 4.5f;
    ASSERT_TRUE(writeNpyFile(x, dir.file("x.npy")));
    OrtRunRequest request;
    request.model = writeScaleModel(dir, "scale.onnx", 3.0f);
    request.inputs = {{"x", dir.file("x.npy")}};
    request.threads = 1;
    request.iterations = 4;
    request.outputDir = dir.file("out");
    auto ran = runOrtRunner(*runner, request, silentProgress());
    ASSERT_TRUE(ran) << ran.status().message();
    EXPECT_EQ(ran->runsMs.size(), 4u);
    EXPECT_GT(ran->medianMs, 0.0);
    EXPECT_LE(ran->minMs, ran->medianMs);
    EXPECT_LE(ran->medianMs, ran->maxMs);
    auto y = readNpyFile(ran->outputs.at("y"));
    ASSERT_TRUE(y) << y.status().message();
    for (int i = 0; i < 10; ++i)
        EXPECT_FLOAT_EQ(float(y->doubleAt(i)), 3.0f * (float(i) - 4.5f));

    request.model = dir.file("missing.onnx");
    auto failed = runOrtRunner(*runner, request, silentProgress());
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.status().message().find("missing.onnx"), std::string::npos)
        << failed.status().message();
}

TEST(OrtRunner, AMissingRunnerSaysHowToGetOne)
{
    auto runner = findOrtRunner("/nonexistent/quantscope-ort-runner.js", silentProgress());
    ASSERT_FALSE(runner);
    const std::string &message = runner.status().message();
    EXPECT_NE(message.find("/nonexistent/quantscope-ort-runner.js"), std::string::npos) << message;
    EXPECT_NE(message.find("npm install onnxruntime-node"), std::string::npos) << message;
    EXPECT_NE(message.find("pip install onnxruntime"), std::string::npos) << message;
}

TEST(OrtRunner, RunnersOnPathAreFoundInItsOrder)
{
    TempDir first, second;
    first.write("quantscope-ort-runner.py", "");
    second.write("quantscope-ort-runner.js", "");
    second.write("quantscope-ort-runner.py", "");
    const auto found = ortRunnersOnPath("/nonexistent::" + first.path() + ":" + second.path());
    const std::vector<std::string> expected = {first.file("quantscope-ort-runner.py"),
                                               second.file("quantscope-ort-runner.js"),
                                               second.file("quantscope-ort-runner.py")};
    EXPECT_EQ(found, expected);
}

TEST(OrtRunner, ABrokenRunnerShowsItsStderr)
{
    TempDir dir;
    const std::string broken = writeScript(dir, "broken-runner",
                                           "echo 'Cannot find module' >&2\n"
                                           "exit 1");
    auto runner = probeOrtRunner(broken, silentProgress());
    ASSERT_FALSE(runner);
    EXPECT_NE(runner.status().message().find("Cannot find module"), std::string::npos)
        << runner.status().message();
    EXPECT_NE(runner.status().message().find(broken), std::string::npos);
}

TEST(OrtRunner, AHangingRunnerTimesOutAndCancelStopsIt)
{
    TempDir dir;
    const std::string hanging = writeScript(dir, "hanging-runner", "sleep 30");
    const auto start = std::chrono::steady_clock::now();
    auto timedOut = probeOrtRunner(hanging, silentProgress(), std::chrono::milliseconds(300));
    ASSERT_FALSE(timedOut);
    EXPECT_NE(timedOut.status().message().find("did not finish"), std::string::npos)
        << timedOut.status().message();

    OrtRunner runner{hanging, {hanging}, "fake", "0"};
    Progress progress;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        progress.cancel();
    });
    auto cancelledRun = runOrtRunner(runner, OrtRunRequest{}, progress);
    canceller.join();
    ASSERT_FALSE(cancelledRun);
    EXPECT_EQ(cancelledRun.status().code(), StatusCode::Cancelled);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(OrtRunner, BenchmarkPutsOrtBesideOurFigures)
{
    useFetchedOnnxRuntime();
    TempDir dir;
    auto runner = probeOrtRunner(QS_ORT_RUNNER_JS, silentProgress());
    ASSERT_TRUE(runner) << runner.status().message();
    BenchSettings settings;
    settings.reference = writeScaleModel(dir, "ref.onnx", 2.0f);
    settings.variants = {writeScaleModel(dir, "var.onnx", 2.0f)};
    settings.samples = 2;
    settings.warmup = 0;
    settings.iterations = 3;
    settings.rounds = 1;
    settings.ortRunner = *runner;
    auto report = runBenchmark(settings, silentProgress());
    ASSERT_TRUE(report) << report.status().message();
    EXPECT_EQ(report->ort_runtime(), "onnxruntime-node " + runner->version);
    for (const auto &variant : report->variants()) {
        ASSERT_TRUE(variant.has_ort()) << variant.path();
        EXPECT_TRUE(variant.ort().error().empty()) << variant.ort().error();
        EXPECT_EQ(variant.ort().run_ms_size(), 3);
        EXPECT_GT(variant.ort().ours_over_ort(), 0.0);
        ASSERT_EQ(variant.ort().outputs_size(), 1);
        EXPECT_NEAR(variant.ort().outputs(0).cosine(), 1.0, 1e-6);
        EXPECT_LT(variant.ort().outputs(0).max_abs(), 1e-5);
    }
}

} // namespace
} // namespace qs
