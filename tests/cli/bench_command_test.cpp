// quantscope-cli bench: the table, the report files, the accuracy gates' exit code 3, --dim for
// random data and bad input's exit code 2.
#include "cli/bench_command.h"
#include "sequence_model.h"
#include "support/cli_runner.h"
#include "support/model_builder.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace qs {
namespace {

using namespace qs::test;

// x[1,10] -> Mul 'scale' (k) -> y[1,10]
std::string writeScale(const TempDir &dir, const std::string &file, float k)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {1, 10});
    onnx::TensorProto &t = *g.add_initializer();
    t.set_name("k");
    t.set_data_type(onnx::TensorProto::FLOAT);
    t.add_float_data(k);
    addNode(g, "Mul", {"x", "k"}, {"y"}, "scale");
    addOutput(g, "y", {1, 10});
    dir.write(file, model.SerializeAsString());
    return dir.file(file);
}

TEST(BenchCommand, PrintsTheTableAndWritesEveryReport)
{
    TempDir dir;
    const std::string ref = writeScale(dir, "ref.onnx", 2.0f);
    const std::string var = writeScale(dir, "var.onnx", 2.0f);
    const Outcome outcome
        = runCli({"bench", ref, var, "--random", "--samples", "2", "--iterations", "2", "--warmup",
                  "0", "--per-node", "--json", dir.file("r.json"), "--csv", dir.file("r.csv"),
                  "--report", dir.file("r.textproto"), "--min-cosine", "0.999"});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    EXPECT_NE(outcome.out.find("worst cosine"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("1.00000"), std::string::npos) << outcome.out;
    for (const char *file : {"r.json", "r.csv", "r.textproto"})
        EXPECT_TRUE(std::filesystem::exists(dir.file(file))) << file;
}

TEST(BenchCommand, GatesExitThreeBelowTheThreshold)
{
    TempDir dir;
    const std::string ref = writeScale(dir, "ref.onnx", 2.0f);
    const std::string var = writeScale(dir, "var.onnx", -2.0f); // cosine -1
    const Outcome cosine
        = runCli({"bench", ref, var, "--random", "--iterations", "1", "--min-cosine", "0.99"});
    EXPECT_EQ(cosine.exitCode, cli::kGateFailed) << cosine.err;
    EXPECT_NE(cosine.err.find("below --min-cosine"), std::string::npos) << cosine.err;
    const Outcome sqnr
        = runCli({"bench", ref, var, "--random", "--iterations", "1", "--min-sqnr", "30"});
    EXPECT_EQ(sqnr.exitCode, cli::kGateFailed) << sqnr.err;
    const Outcome passing
        = runCli({"bench", ref, ref, "--random", "--iterations", "1", "--min-sqnr", "30"});
    EXPECT_EQ(passing.exitCode, cli::kSuccess) << passing.err;
}

TEST(BenchCommand, DimSizesRandomData)
{
    TempDir dir;
    const std::string model = writeSequenceModel(dir);
    const std::vector<std::string> args = {"bench", model,          model, "--random", "--samples",
                                           "2",     "--iterations", "1",   "--warmup", "0"};
    const Outcome missing = runCli(args);
    EXPECT_EQ(missing.exitCode, cli::kBadInput) << missing.err;
    EXPECT_NE(missing.err.find("dim 1 ('seq') is dynamic"), std::string::npos) << missing.err;
    EXPECT_NE(missing.err.find("--dim seq=N"), std::string::npos) << missing.err;

    std::vector<std::string> withDim = args;
    withDim.insert(withDim.end(), {"--dim", "seq=3", "--min-cosine", "0.999"});
    const Outcome outcome = runCli(withDim);
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    EXPECT_NE(outcome.out.find("1.00000"), std::string::npos) << outcome.out;
}

TEST(BenchCommand, BadInputExitsTwo)
{
    TempDir dir;
    const std::string ref = writeScale(dir, "ref.onnx", 2.0f);
    EXPECT_EQ(runCli({"bench"}).exitCode, cli::kBadInput);
    EXPECT_EQ(runCli({"bench", ref, "--data", dir.path(), "--random"}).exitCode, cli::kBadInput);
    const Outcome missing = runCli({"bench", ref, dir.file("nope.onnx"), "--random"});
    EXPECT_EQ(missing.exitCode, cli::kBadInput);
    EXPECT_NE(missing.err.find("nope.onnx"), std::string::npos) << missing.err;
    const Outcome empty = runCli({"bench", ref, "--data", dir.file("void")});
    EXPECT_EQ(empty.exitCode, cli::kBadInput);
}

} // namespace
} // namespace qs
