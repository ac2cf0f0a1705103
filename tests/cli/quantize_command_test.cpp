// quantscope-cli quantize: outputs and the effective recipe written, --recipe loaded with flags
// overriding it, and bad input answered with exit code 2, one clear message and no output file.
#include "cli/cli.h"
#include "quant/recipe_io.h"
#include "sequence_model.h"
#include "support/cli_runner.h"
#include "support/model_builder.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
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

struct BadCase
{
    std::vector<std::string> extra;
    std::string problem;
};

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

} // namespace
} // namespace qs
