// quantscope-cli run and ops: outputs written as .npy, --random reproducible by seed and sized by
// the sample opener's rule for dynamic dims (beside --input files too), --json shape, --profile's
// tables and JSON, --no-fusion's same results, and every kind of bad input answered with exit
// code 2 and one clear message.
#include "cli/cli.h"
#include "cli/run_command.h"
#include "sequence_model.h"
#include "support/cli_runner.h"
#include "support/conv_bn_relu_model.h"
#include "support/model_builder.h"
#include "support/temp_dir.h"
#include "tensor/tensor_io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace qs {
namespace {

using namespace qs::test;

Outcome cli(const std::vector<std::string> &args)
{
    return runCli(args);
}

// y = x + 0.5 (x: float32[batch, 3]); "odd/name" tests output-file sanitising.
std::string writeAddModel(const TempDir &dir, const std::string &opType = "Add")
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {-1, 3});
    addOutput(graph, "odd/name", {-1, 3});
    addInitializer(graph, "half", {3});
    addNode(graph, opType, {"x", "half"}, {"odd/name"}, "add_half");
    dir.write("add.onnx", proto.SerializeAsString());
    return dir.file("add.onnx");
}

void expectBadInput(const Outcome &outcome, const std::string &problem)
{
    EXPECT_EQ(outcome.exitCode, cli::kBadInput) << outcome.err;
    EXPECT_NE(outcome.err.find(problem), std::string::npos) << outcome.err;
}

TEST(RunCommand, WritesOutputsAsNpyUnderSanitisedNames)
{
    TempDir dir;
    const std::string model = writeAddModel(dir);
    ASSERT_TRUE(
        writeNpyFile(Tensor::fromVector<float>({2, 3}, {0, 1, 2, 3, 4, 5}), dir.file("x.npy")));

    const Outcome outcome
        = cli({"run", model, "--input", "x=" + dir.file("x.npy"), "--output-dir", dir.file("out")});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    auto y = readNpyFile(dir.file("out/odd_name.npy"));
    ASSERT_TRUE(y) << y.status().message();
    EXPECT_EQ(y->shape(), (Shape{2, 3}));
    const std::vector<float> expected = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f};
    EXPECT_EQ(std::vector<float>(y->values<float>().begin(), y->values<float>().end()), expected);
}

TEST(RunCommand, RandomInputsAreReproducibleBySeed)
{
    TempDir dir;
    const std::string model = writeAddModel(dir);
    auto runWithSeed = [&](const std::string &seed, const std::string &outDir) {
        const Outcome outcome = cli({"run", model, "--random", "--seed", seed, "--dim", "batch=4",
                                     "--output-dir", dir.file(outDir)});
        EXPECT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
        auto y = readNpyFile(dir.file(outDir + "/odd_name.npy"));
        if (!y) {
            ADD_FAILURE() << y.status().message();
            return std::vector<float>{};
        }
        EXPECT_EQ(y->shape(), (Shape{4, 3}));
        for (const float value : y->values<float>()) {
            EXPECT_GE(value, 0.5f);
            EXPECT_LT(value, 1.5f);
        }
        return std::vector<float>(y->values<float>().begin(), y->values<float>().end());
    };
    EXPECT_EQ(runWithSeed("7", "a"), runWithSeed("7", "b"));
    EXPECT_NE(runWithSeed("7", "a"), runWithSeed("8", "c"));
}

// The output written to DIR/y.npy by a run that must succeed.
Tensor runForY(const std::vector<std::string> &args, const TempDir &dir)
{
    std::vector<std::string> all = args;
    all.insert(all.end(), {"--output-dir", dir.file("out")});
    const Outcome outcome = cli(all);
    EXPECT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    auto y = readNpyFile(dir.file("out/y.npy"));
    EXPECT_TRUE(y) << y.status().message();
    return y ? std::move(y).value() : Tensor();
}

TEST(RunCommand, RandomDataHasBatchOne)
{
    TempDir dir;
    const Outcome outcome
        = cli({"run", writeAddModel(dir), "--random", "--output-dir", dir.file("out")});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    auto y = readNpyFile(dir.file("out/odd_name.npy"));
    ASSERT_TRUE(y) << y.status().message();
    EXPECT_EQ(y->shape(), (Shape{1, 3}));
}

TEST(RunCommand, NamedSymbolTakesTheDimValue)
{
    TempDir dir;
    const Tensor y = runForY({"run", writeSequenceModel(dir), "--random", "--dim", "seq=5"}, dir);
    EXPECT_EQ(y.shape(), (Shape{1, 5, 4}));
}

TEST(RunCommand, RandomInputsBesideAFileTakeItsSymbolSizes)
{
    TempDir dir;
    const std::string model = writeSequenceModel(dir);
    ASSERT_TRUE(writeNpyFile(Tensor::fromVector<float>({2, 3, 8}, std::vector<float>(48, 1.0f)),
                             dir.file("x.npy")));
    // mask[batch,seq,1] is random: [2,3,1] from x's batch and seq, values in [0, 1).
    const Tensor y = runForY({"run", model, "--input", "x=" + dir.file("x.npy"), "--random"}, dir);
    ASSERT_EQ(y.shape(), (Shape{2, 3, 4}));
    const auto values = y.values<float>();
    for (size_t row = 0; row < 6; ++row) {
        // x . w is 8 x 1 x 0.5 = 4 everywhere, times the row's mask value.
        EXPECT_GE(values[row * 4], 0.0f);
        EXPECT_LT(values[row * 4], 4.0f);
        for (size_t column = 1; column < 4; ++column)
            EXPECT_EQ(values[row * 4 + column], values[row * 4]);
    }
    // The user's --dim wins; the file then contradicts it.
    expectBadInput(cli({"run", model, "--input", "x=" + dir.file("x.npy"), "--random", "--dim",
                        "seq=5"}),
                   "dim 1 should be 5");
}

TEST(RunCommand, ImageSizeSizesRandomImages)
{
    TempDir dir;
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    setSymbolicTensorType(*graph.add_input(), "image", {"batch", "3", "h", "w"});
    addNode(graph, "Relu", {"image"}, {"y"}, "relu");
    setSymbolicTensorType(*graph.add_output(), "y", {"batch", "3", "h", "w"});
    dir.write("image.onnx", proto.SerializeAsString());
    const std::string model = dir.file("image.onnx");
    expectBadInput(cli({"run", model, "--random"}), "an image size (--image-size HxW)");
    const Tensor y = runForY({"run", model, "--random", "--image-size", "4x6"}, dir);
    EXPECT_EQ(y.shape(), (Shape{1, 3, 4, 6}));
}

TEST(RunCommand, JsonReportsOutputShapesAndLatency)
{
    TempDir dir;
    const Outcome outcome = cli({"run", writeAddModel(dir), "--random", "--shape", "x=5x3",
                                 "--warmup", "1", "--iterations", "3", "--json"});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    for (const char *key : {"\"outputs\"", "\"odd/name\"", "\"latency_ms\"", "\"median\"",
                            "\"min\"", "\"max\"", "\"p90\""})
        EXPECT_NE(outcome.out.find(key), std::string::npos) << key << " in " << outcome.out;
    EXPECT_NE(outcome.out.find("\"iterations\": 3"), std::string::npos) << outcome.out;
}

TEST(RunCommand, ProfilePrintsOpTypesAndSlowestNodes)
{
    TempDir dir;
    const Outcome outcome
        = cli({"run", writeAddModel(dir), "--random", "--iterations", "2", "--profile"});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    for (const char *text : {"latency over 2 iteration(s)", "profile over 2 iteration(s)", "op type",
                             "share", "nodes", "slowest 1 of 1 node(s)", "add_half", "100.0%"})
        EXPECT_NE(outcome.out.find(text), std::string::npos) << text << " in " << outcome.out;
    // The latency line comes first: --profile only adds to the normal output.
    EXPECT_LT(outcome.out.find("latency over"), outcome.out.find("profile over"));
}

TEST(RunCommand, JsonProfileListsEveryNode)
{
    TempDir dir;
    dir.write("conv.onnx", convBnReluModel().SerializeAsString());
    auto run = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = {"run", dir.file("conv.onnx"), "--random", "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        const Outcome outcome = cli(args);
        EXPECT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
        return outcome.out;
    };
    EXPECT_EQ(run({}).find("\"profile\""), std::string::npos);
    const std::string fused = run({"--profile"});
    for (const char *key :
         {"\"profile\"", "\"total_ms\"", "\"op_types\"", "\"op_type\": \"Conv\"", "\"nodes\": 2",
          "\"share\"", "\"name\": \"conv\"", "\"name\": \"conv2\"", "\"name\": \"pool\""})
        EXPECT_NE(fused.find(key), std::string::npos) << key << " in " << fused;
    // Fused: BatchNorm and Relu ran inside the Convs, so they are not rows.
    EXPECT_EQ(fused.find("\"name\": \"bn\""), std::string::npos) << fused;
    const std::string plain = run({"--profile", "--no-fusion"});
    for (const char *key :
         {"\"name\": \"bn\"", "\"name\": \"relu2\"", "\"op_type\": \"BatchNormalization\""})
        EXPECT_NE(plain.find(key), std::string::npos) << key << " in " << plain;
}

TEST(RunCommand, NoFusionGivesTheFusedResultsWithinRounding)
{
    TempDir dir;
    dir.write("conv.onnx", convBnReluModel().SerializeAsString());
    const std::string model = dir.file("conv.onnx");
    ASSERT_TRUE(writeNpyFile(Tensor::fromVector<float>({1, 3, 8, 8}, randomNormal(3 * 64, 9)),
                             dir.file("x.npy")));
    auto runTo = [&](const std::string &outDir, std::vector<std::string> extra) {
        std::vector<std::string> args
            = {"run", model, "--input", "x=" + dir.file("x.npy"), "--output-dir", dir.file(outDir)};
        args.insert(args.end(), extra.begin(), extra.end());
        const Outcome outcome = cli(args);
        EXPECT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
        auto y = readNpyFile(dir.file(outDir + "/y.npy"));
        EXPECT_TRUE(y) << y.status().message();
        return y ? std::move(y).value() : Tensor();
    };
    const Tensor fused = runTo("fused", {});
    const Tensor plain = runTo("plain", {"--no-fusion"});
    ASSERT_EQ(fused.shape(), (Shape{1, 4, 1, 1}));
    ASSERT_EQ(plain.shape(), fused.shape());
    const auto a = fused.values<float>(), b = plain.values<float>();
    float scale = 1.0f;
    for (const float v : b)
        scale = std::max(scale, std::fabs(v));
    for (size_t i = 0; i < b.size(); ++i)
        EXPECT_NEAR(a[i], b[i], 1e-5f * scale) << "at " << i;
}

TEST(RunCommand, TensorProtoInputsFromOnnxBackendTests)
{
    // ONNX's own test_add: inputs and expected output as TensorProto .pb files.
    const std::string dir = "/usr/share/libonnx-testdata/data/node/test_add/";
    TempDir out;
    const Outcome outcome
        = cli({"run", dir + "model.onnx", "--input", "x=" + dir + "test_data_set_0/input_0.pb",
               "--input", "y=" + dir + "test_data_set_0/input_1.pb", "--output-dir", out.path()});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    auto ours = readNpyFile(out.file("sum.npy"));
    auto expected = readTensorProtoFile(dir + "test_data_set_0/output_0.pb");
    ASSERT_TRUE(ours) << ours.status().message();
    ASSERT_TRUE(expected) << expected.status().message();
    ASSERT_EQ(ours->shape(), expected->shape());
    for (int64_t i = 0; i < ours->elementCount(); ++i)
        EXPECT_FLOAT_EQ(ours->values<float>()[i], expected->values<float>()[i]);
}

TEST(RunCommand, OutputFileNames)
{
    EXPECT_EQ(cli::outputFileName("sigmoid_0.tmp_0"), "sigmoid_0.tmp_0.npy");
    EXPECT_EQ(cli::outputFileName("a/b:c d"), "a_b_c_d.npy");
    EXPECT_EQ(cli::outputFileName(".."), "__.npy");
}

TEST(RunCommandBadInput, UnknownInputName)
{
    TempDir dir;
    ASSERT_TRUE(writeNpyFile(Tensor::fromVector<float>({1, 3}, {0, 1, 2}), dir.file("x.npy")));
    expectBadInput(cli({"run", writeAddModel(dir), "--input", "y=" + dir.file("x.npy")}),
                   "the model has no input 'y' (its inputs: 'x')");
}

TEST(RunCommandBadInput, WrongDtype)
{
    TempDir dir;
    ASSERT_TRUE(writeNpyFile(Tensor::fromVector<int64_t>({1, 3}, {0, 1, 2}), dir.file("x.npy")));
    expectBadInput(cli({"run", writeAddModel(dir), "--input", "x=" + dir.file("x.npy")}),
                   "input 'x' must be float32");
}

TEST(RunCommandBadInput, WrongRankAndDim)
{
    TempDir dir;
    const std::string model = writeAddModel(dir);
    ASSERT_TRUE(writeNpyFile(Tensor::fromVector<float>({3}, {0, 1, 2}), dir.file("rank1.npy")));
    expectBadInput(cli({"run", model, "--input", "x=" + dir.file("rank1.npy")}), "input 'x'");
    ASSERT_TRUE(writeNpyFile(Tensor::fromVector<float>({1, 2}, {0, 1}), dir.file("dim.npy")));
    expectBadInput(cli({"run", model, "--input", "x=" + dir.file("dim.npy")}), "dim 1 should be 3");
}

TEST(RunCommandBadInput, UnreadableAndCorruptFiles)
{
    TempDir dir;
    const std::string model = writeAddModel(dir);
    expectBadInput(cli({"run", model, "--input", "x=" + dir.file("missing.npy")}), "missing.npy");
    dir.write("garbage.npy", "not a numpy file at all");
    expectBadInput(cli({"run", model, "--input", "x=" + dir.file("garbage.npy")}), "garbage.npy");
}

TEST(RunCommandBadInput, UnsupportedOpNamesTheNode)
{
    TempDir dir;
    expectBadInput(cli({"run", writeAddModel(dir, "NoSuchOp"), "--random", "--dim", "batch=1"}),
                   "NoSuchOp (opset 13) in node 'add_half'");
}

TEST(RunCommandBadInput, DynamicDimWithoutValueSaysHowToGiveIt)
{
    TempDir dir;
    const Outcome outcome = cli({"run", writeSequenceModel(dir), "--random"});
    expectBadInput(outcome, "input 'x' (float32[batch,seq,8]): dim 1 ('seq') is dynamic");
    expectBadInput(outcome, "--dim seq=N");
}

TEST(RunCommandBadInput, MissingInputWithoutRandom)
{
    TempDir dir;
    expectBadInput(cli({"run", writeAddModel(dir)}), "input 'x' (float32[batch,3]) is missing");
}

TEST(RunCommandBadInput, BadOptions)
{
    TempDir dir;
    const std::string model = writeAddModel(dir);
    expectBadInput(cli({"run", model, "--iterations", "0"}),
                   "--iterations expects an integer >= 1");
    expectBadInput(cli({"run", model, "--input", "x"}), "--input expects NAME=VALUE");
    expectBadInput(cli({"run", model, "--frobnicate"}), "unknown option '--frobnicate'");
    expectBadInput(cli({"run"}), "no model given");
}

TEST(OpsCommand, ListsRegisteredKernelsAsJson)
{
    const Outcome outcome = cli({"ops", "--json"});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess);
    EXPECT_NE(outcome.out.find("\"op_type\": \"Loop\""), std::string::npos);
    EXPECT_NE(outcome.out.find("\"domain\": \"\""), std::string::npos);
    EXPECT_NE(outcome.out.find("\"since_version\": 1"), std::string::npos);
    expectBadInput(cli({"ops", "--xml"}), "unknown argument '--xml'");
}

} // namespace
} // namespace qs
