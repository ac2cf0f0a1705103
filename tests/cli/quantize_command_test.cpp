// quantscope-cli quantize: outputs and the effective recipe written, --recipe loaded with flags
// overriding it, and bad input answered with exit code 2, one clear message and no output file.
#include "cli/cli.h"
#include "quant/recipe_io.h"
#include "sequence_model.h"
#include "support/cli_runner.h"
#include "support/model_builder.h"
#include "support/temp_dir.h"
#include "tensor/tensor_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace qs {
namespace {

using namespace qs::test;

Outcome cli(const std::vector<std::string> &args)
{
    return runCli(args);
}

// x[1,8] -> MatMul 'fc1' -> Relu 'act' -> MatMul 'fc2' -> y[1,4]
std::string writeMlp(const TempDir &dir)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &g = *proto.mutable_graph();
    addInput(g, "x", {1, 8});
    addOutput(g, "y", {1, 4});
    std::mt19937 random(3);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    for (const auto &[name, dims] :
         {std::pair<std::string, std::vector<int64_t>>{"w1", {8, 16}}, {"w2", {16, 4}}}) {
        onnx::TensorProto &t = *g.add_initializer();
        t.set_name(name);
        t.set_data_type(onnx::TensorProto::FLOAT);
        for (const int64_t d : dims)
            t.add_dims(d);
        for (int64_t i = 0; i < dims[0] * dims[1]; ++i)
            t.add_float_data(normal(random));
    }
    addNode(g, "MatMul", {"x", "w1"}, {"h"}, "fc1");
    addNode(g, "Relu", {"h"}, {"a"}, "act");
    addNode(g, "MatMul", {"a", "w2"}, {"y"}, "fc2");
    dir.write("mlp.onnx", proto.SerializeAsString());
    return dir.file("mlp.onnx");
}

// The MLP with fc2's weight scaled by the mean of x ('w2_mul'): no fold makes it a constant.
std::string writeMlpWithComputedWeight(const TempDir &dir)
{
    const std::string path = writeMlp(dir);
    onnx::ModelProto proto;
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(proto.ParseFromIstream(&in));
    onnx::GraphProto &g = *proto.mutable_graph();
    google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
    onnx::NodeProto &mean = *nodes.Add();
    mean = makeNode("ReduceMean", {"x"}, {"x_mean"}, "x_mean");
    setIntAttribute(mean, "keepdims", 0);
    *nodes.Add() = makeNode("Mul", {"w2", "x_mean"}, {"w2_scaled"}, "w2_mul");
    for (onnx::NodeProto &node : *g.mutable_node()) {
        if (node.name() == "fc2")
            node.set_input(1, "w2_scaled");
        *nodes.Add() = node;
    }
    g.mutable_node()->Swap(&nodes);
    dir.write("mlp_computed.onnx", proto.SerializeAsString());
    return dir.file("mlp_computed.onnx");
}

TEST(QuantizeCommand, EveryModeWritesTheModelAndItsRecipe)
{
    TempDir dir;
    const std::string model = writeMlp(dir);
    for (const std::string mode : {"dynamic", "static", "fp16"}) {
        const std::string out = dir.file("mlp_" + mode + ".onnx");
        const Outcome outcome = cli({"quantize", model, "-o", out, "--mode", mode});
        ASSERT_EQ(outcome.exitCode, cli::kSuccess) << mode << ": " << outcome.err;
        EXPECT_TRUE(std::filesystem::exists(out)) << mode;
        auto recipe = loadRecipe(dir.file("mlp_" + mode + ".recipe.textproto"));
        ASSERT_TRUE(recipe.isOk()) << recipe.status().message();
        EXPECT_EQ(recipe->input_model(), model);
        EXPECT_EQ(recipe->output_model(), out);
        EXPECT_NE(outcome.out.find("wrote " + out), std::string::npos) << outcome.out;
        const Outcome ran = cli({"run", out, "--random"});
        EXPECT_EQ(ran.exitCode, cli::kSuccess) << mode << ": " << ran.err;
    }
}

// Accuracy recovery (issue 17): --equalize, --bias-correction and --calib-method mse reach the
// recipe, and the summary says what ran.
TEST(QuantizeCommand, AccuracyRecoveryFlags)
{
    TempDir dir;
    const std::string model = writeMlp(dir);
    const std::string out = dir.file("mlp_recovered.onnx");
    const Outcome outcome = cli({"quantize", model, "-o", out, "--mode", "static", "--equalize",
                                 "--bias-correction", "--calib-method", "mse"});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    EXPECT_NE(outcome.out.find("cross-layer equalization: 1 Conv/Gemm pairs rescaled"),
              std::string::npos)
        << outcome.out;
    EXPECT_NE(outcome.out.find("bias correction: 0"), std::string::npos) << outcome.out;
    auto recipe = loadRecipe(dir.file("mlp_recovered.recipe.textproto"));
    ASSERT_TRUE(recipe.isOk()) << recipe.status().message();
    EXPECT_TRUE(recipe->cross_layer_equalization());
    EXPECT_TRUE(recipe->bias_correction());
    EXPECT_EQ(recipe->calibration().method(), quantscope::CALIBRATION_METHOD_MSE);

    const Outcome dynamic = cli(
        {"quantize", model, "-o", dir.file("d.onnx"), "--mode", "dynamic", "--bias-correction"});
    EXPECT_EQ(dynamic.exitCode, cli::kBadInput);
    EXPECT_NE(dynamic.err.find("static mode only"), std::string::npos) << dynamic.err;
}

TEST(QuantizeCommand, FlagsOverrideTheRecipeFile)
{
    TempDir dir;
    const std::string model = writeMlp(dir);
    dir.write("base.textproto", "mode: QUANT_MODE_STATIC\nformat: QUANT_FORMAT_QOPERATOR\n"
                                "nodes_to_exclude: \"fc2\"\n");
    const std::string out = dir.file("q.onnx");
    const Outcome outcome
        = cli({"quantize", model, "-o", out, "--recipe", dir.file("base.textproto"), "--format",
               "qdq", "--calib-samples", "3"});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    auto recipe = loadRecipe(dir.file("q.recipe.textproto"));
    ASSERT_TRUE(recipe.isOk());
    EXPECT_EQ(recipe->format(), quantscope::QUANT_FORMAT_QDQ);
    ASSERT_EQ(recipe->nodes_to_exclude_size(), 1);
    EXPECT_EQ(recipe->nodes_to_exclude(0), "fc2");
    EXPECT_EQ(recipe->calibration().max_samples(), 3);
}

TEST(QuantizeCommand, DimSizesRandomCalibrationAndIsSavedInTheRecipe)
{
    TempDir dir;
    const std::string model = writeSequenceModel(dir);
    const std::string out = dir.file("seq_static.onnx");
    const std::vector<std::string> args = {"quantize",        model, "-o", out, "--mode", "static",
                                           "--calib-samples", "2"};
    const Outcome missing = cli(args);
    EXPECT_EQ(missing.exitCode, cli::kBadInput) << missing.err;
    EXPECT_NE(missing.err.find("input 'x' (float32[batch,seq,8]): dim 1 ('seq') is dynamic"),
              std::string::npos)
        << missing.err;
    EXPECT_NE(missing.err.find("--dim seq=N"), std::string::npos) << missing.err;
    EXPECT_FALSE(std::filesystem::exists(out));

    std::vector<std::string> withDim = args;
    withDim.insert(withDim.end(), {"--dim", "seq=3"});
    const Outcome outcome = cli(withDim);
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    EXPECT_NE(outcome.out.find("calibrated on 2 samples"), std::string::npos) << outcome.out;
    const std::string recipeFile = dir.file("seq_static.recipe.textproto");
    auto recipe = loadRecipe(recipeFile);
    ASSERT_TRUE(recipe.isOk()) << recipe.status().message();
    const auto &dims = recipe->calibration().dim_values();
    ASSERT_EQ(dims.size(), 1u);
    ASSERT_EQ(dims.count("seq"), 1u);
    EXPECT_EQ(dims.at("seq"), 3);

    // The saved recipe alone reproduces the run, --dim included.
    const Outcome again = cli({"quantize", "--recipe", recipeFile, "-o", dir.file("again.onnx")});
    EXPECT_EQ(again.exitCode, cli::kSuccess) << again.err;
    const Outcome ran = cli({"run", out, "--random", "--dim", "seq=3"});
    EXPECT_EQ(ran.exitCode, cli::kSuccess) << ran.err;
}

// Calibration files that cannot be used are skipped: each is printed with its reason, and the
// summary counts them beside the samples used.
TEST(QuantizeCommand, PrintsEachSkippedCalibrationFileAndCountsThem)
{
    TempDir dir;
    const std::string model = writeMlp(dir);
    TempDir calib;
    const Tensor sample = Tensor::fromVector<float>({1, 8}, std::vector<float>(8, 0.5f));
    ASSERT_TRUE(writeNpyFile(sample, calib.file("a.npy")));
    ASSERT_TRUE(writeNpyFile(sample, calib.file("c.npy")));
    calib.write("b.npy", "");
    const std::string out = dir.file("mlp_static.onnx");
    const Outcome outcome
        = cli({"quantize", model, "-o", out, "--mode", "static", "--calib-dir", calib.path()});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    EXPECT_NE(outcome.err.find("warning: " + calib.file("b.npy")
                               + ": cannot read (not a NumPy .npy file (bad magic)), skipped\n"),
              std::string::npos)
        << outcome.err;
    EXPECT_NE(outcome.out.find("calibrated on 2 samples (1 file skipped)"), std::string::npos)
        << outcome.out;
}

struct BadCase
{
    std::vector<std::string> extra;
    std::string problem;
};

// Issue 16: the summary counts the eligible nodes, and each one left in float is printed with
// its name and reason and saved in the recipe.
TEST(QuantizeCommand, ReportsEveryEligibleNodeLeftInFloat)
{
    TempDir dir;
    const std::string model = writeMlpWithComputedWeight(dir);
    const std::string out = dir.file("q.onnx");
    const Outcome outcome = cli({"quantize", model, "-o", out, "--mode", "dynamic"});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    EXPECT_NE(outcome.out.find("1 of 2 eligible nodes quantized (MatMul 1); 1 left in float "
                               "(MatMul 1)"),
              std::string::npos)
        << outcome.out;
    EXPECT_NE(outcome.err.find("node 'fc2': MatMul left in float: B comes from node 'w2_mul' "
                               "(Mul), computed from the model's inputs, not a constant"),
              std::string::npos)
        << outcome.err;
    auto recipe = loadRecipe(dir.file("q.recipe.textproto"));
    ASSERT_TRUE(recipe) << recipe.status().message();
    ASSERT_EQ(recipe->left_in_float_size(), 1);
    EXPECT_EQ(recipe->left_in_float(0).node(), "fc2");
}

// Issue 16: a recipe that carries the FP16 options of another model (a node this one does not
// have) runs in INT8 mode, and its saved recipe drops them.
TEST(QuantizeCommand, OptionsOfOtherModesAreIgnored)
{
    TempDir dir;
    const std::string model = writeMlp(dir);
    dir.write("other.textproto", "mode: QUANT_MODE_FP16\n"
                                 "fp16 { node_block_list: \"/layer1/layer1.0/conv1/Conv\" }\n");
    const Outcome int8
        = cli({"quantize", model, "-o", dir.file("int8.onnx"), "--recipe",
               dir.file("other.textproto"), "--mode", "static", "--calib-samples", "2"});
    EXPECT_EQ(int8.exitCode, cli::kSuccess) << int8.err;
    auto saved = loadRecipe(dir.file("int8.recipe.textproto"));
    ASSERT_TRUE(saved) << saved.status().message();
    EXPECT_FALSE(saved->has_fp16());
}

// Issue 16: FP16 keeps --exclude-op-types in float32, as the INT8 modes do.
TEST(QuantizeCommand, Fp16KeepsExcludedOpTypesInFloat)
{
    TempDir dir;
    const std::string model = writeMlp(dir);
    const Outcome fp16 = cli({"quantize", model, "-o", dir.file("fp16.onnx"), "--mode", "fp16",
                              "--exclude-op-types", "Relu"});
    ASSERT_EQ(fp16.exitCode, cli::kSuccess) << fp16.err;
    onnx::ModelProto written;
    std::ifstream in(dir.file("fp16.onnx"), std::ios::binary);
    ASSERT_TRUE(written.ParseFromIstream(&in));
    // Relu reads float32: the converted fc1's output is cast back for it.
    int relus = 0;
    for (const auto &node : written.graph().node()) {
        if (node.name() != "act")
            continue;
        ++relus;
        bool castToFloat = false;
        for (const auto &cast : written.graph().node())
            castToFloat |= cast.op_type() == "Cast" && cast.output(0) == node.input(0)
                           && intAttribute(cast, "to", 0) == onnx::TensorProto::FLOAT;
        EXPECT_TRUE(castToFloat) << "Relu 'act' reads " << node.input(0);
    }
    EXPECT_EQ(relus, 1);
}

TEST(QuantizeCommand, BadInputExitsTwoAndWritesNothing)
{
    TempDir dir;
    const std::string model = writeMlp(dir);
    dir.write("garbage.onnx", "not a model");
    dir.write("broken.textproto", "mode: QUANT_MODE_BOGUS\n");
    const std::string out = dir.file("out.onnx");
    const BadCase cases[] = {
        {{"--mode", "int4"}, "--mode expects one of dynamic, static, fp16"},
        {{"--mode", "static", "--exclude-nodes", "fc3"}, "no node 'fc3' (closest: fc1"},
        {{"--mode", "static", "--op-types", "Matmul"}, "'Matmul' is not an ONNX op type"},
        {{"--mode", "static", "--calib-dir", dir.file("missing")}, "missing"},
        {{"--mode", "dynamic", "--activation-type", "int8"}, "uint8 only"},
        {{"--mode", "static", "--activation-type", "int8", "--weight-type", "uint8"},
         "uint8 weights"},
        {{"--recipe", dir.file("broken.textproto")}, "broken.textproto"},
        {{}, "no mode"},
        {{"--mode", "fp16", "--mean", "1,2"}, "--mean expects 1 or 3 values"},
        {{"--mode", "fp16", "--wat"}, "unknown option '--wat'"},
    };
    for (const auto &c : cases) {
        std::vector<std::string> args = {"quantize", model, "-o", out};
        args.insert(args.end(), c.extra.begin(), c.extra.end());
        const Outcome outcome = cli(args);
        EXPECT_EQ(outcome.exitCode, cli::kBadInput) << c.problem << "\n" << outcome.err;
        EXPECT_NE(outcome.err.find(c.problem), std::string::npos) << outcome.err;
        EXPECT_FALSE(std::filesystem::exists(out)) << c.problem;
        EXPECT_FALSE(std::filesystem::exists(dir.file("out.recipe.textproto"))) << c.problem;
    }
    const Outcome notModel
        = cli({"quantize", dir.file("garbage.onnx"), "-o", out, "--mode", "dynamic"});
    EXPECT_EQ(notModel.exitCode, cli::kBadInput);
    EXPECT_NE(notModel.err.find("garbage.onnx"), std::string::npos) << notModel.err;
    EXPECT_FALSE(std::filesystem::exists(out));
    const Outcome sameFile = cli({"quantize", model, "-o", model, "--mode", "dynamic"});
    EXPECT_EQ(sameFile.exitCode, cli::kBadInput);
    EXPECT_NE(sameFile.err.find("overwrite the input"), std::string::npos);
}

// An input that ONNX's checker refuses (here: fc2 reads a value nothing produces) is refused
// before any work, as the input's fault (exit 2), in every mode; "a bug in Quantscope" stays
// for an invalid output made from a valid input.
TEST(QuantizeCommand, InvalidInputModelIsRefusedFirst)
{
    TempDir dir;
    const std::string valid = writeMlp(dir);
    onnx::ModelProto proto;
    std::ifstream in(valid, std::ios::binary);
    ASSERT_TRUE(proto.ParseFromIstream(&in));
    for (onnx::NodeProto &node : *proto.mutable_graph()->mutable_node())
        if (node.name() == "fc2")
            node.set_input(0, "nowhere");
    dir.write("dangling.onnx", proto.SerializeAsString());
    const std::string out = dir.file("out.onnx");
    for (const std::string mode : {"dynamic", "fp16", "static"}) {
        const Outcome outcome
            = cli({"quantize", dir.file("dangling.onnx"), "-o", out, "--mode", mode});
        EXPECT_EQ(outcome.exitCode, cli::kBadInput) << mode << "\n" << outcome.err;
        EXPECT_NE(outcome.err.find("dangling.onnx"), std::string::npos) << outcome.err;
        EXPECT_NE(outcome.err.find("is not a valid ONNX model"), std::string::npos) << outcome.err;
        EXPECT_NE(outcome.err.find("nowhere"), std::string::npos) << outcome.err;
        EXPECT_EQ(outcome.err.find("a bug in Quantscope"), std::string::npos) << outcome.err;
        EXPECT_FALSE(std::filesystem::exists(out)) << mode;
    }
}

} // namespace
} // namespace qs
