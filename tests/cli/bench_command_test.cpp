// quantscope-cli bench: the table, the report files, the accuracy gates' exit code 3, --dim for
// random data and bad input's exit code 2; the warnings about a saturated output and about latency
// too noisy to rank, and the latency spread fields (issue 16, items 6 and 7); verdicts against
// --target (item 4).
#include "cli/bench_command.h"
#include "sequence_model.h"
#include "support/cli_runner.h"
#include "support/model_builder.h"
#include "support/scale_model.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace qs {
namespace {

using namespace qs::test;

TEST(BenchCommand, PrintsTheTableAndWritesEveryReport)
{
    TempDir dir;
    const std::string ref = writeScaleModel(dir, "ref.onnx", 2.0f);
    const std::string var = writeScaleModel(dir, "var.onnx", 2.0f);
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
    const std::string ref = writeScaleModel(dir, "ref.onnx", 2.0f);
    const std::string var = writeScaleModel(dir, "var.onnx", -2.0f); // cosine -1
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

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// x[1,10] (random: uniform 0..1) -> Sub 0.5 -> Mul 'gain' (k) -> Sigmoid 'sig' -> y[1,10]: with a
// large k every value sits at 0 or 1, as DeepFM's output did on random inputs.
std::string writeSaturatedSigmoid(const TempDir &dir, const std::string &file, float k)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {1, 10});
    for (const auto &[name, value] : {std::pair{"half", 0.5f}, std::pair{"k", k}}) {
        onnx::TensorProto &t = *g.add_initializer();
        t.set_name(name);
        t.set_data_type(onnx::TensorProto::FLOAT);
        t.add_float_data(value);
    }
    addNode(g, "Sub", {"x", "half"}, {"centred"}, "centre");
    addNode(g, "Mul", {"centred", "k"}, {"logits"}, "gain");
    addNode(g, "Sigmoid", {"logits"}, {"y"}, "sig");
    addOutput(g, "y", {1, 10});
    dir.write(file, model.SerializeAsString());
    return dir.file(file);
}

// Issue 16, item 6: cosine 1.00000 on a saturated output, with no word that it means nothing.
TEST(BenchCommand, SaturatedOutputIsReported)
{
    TempDir dir;
    const std::string ref = writeSaturatedSigmoid(dir, "ref.onnx", 1e4f);
    const std::string var = writeSaturatedSigmoid(dir, "var.onnx", 1.2e4f); // 20% off inside
    const Outcome outcome
        = runCli({"bench", ref, var, "--random", "--samples", "4", "--iterations", "2", "--warmup",
                  "0", "--per-node", "--json", dir.file("r.json"), "--csv", dir.file("r.csv")});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    EXPECT_NE(outcome.out.find("warning: output 'y' is saturated"), std::string::npos)
        << outcome.out;
    EXPECT_NE(outcome.out.find("bounds of Sigmoid"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("real data"), std::string::npos) << outcome.out;
    // The variant's view: its output is far better than the tensors inside.
    EXPECT_NE(outcome.out.find("hides the error"), std::string::npos) << outcome.out;
    const std::string json = readFile(dir.file("r.json"));
    EXPECT_NE(json.find("\"code\": \"saturated_output\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"node\": \"sig\""), std::string::npos) << json;
    const std::string csv = readFile(dir.file("r.csv"));
    EXPECT_NE(csv.find(",warnings,"), std::string::npos) << csv;
    EXPECT_NE(csv.find("saturated_output;hidden_error"), std::string::npos) << csv;

    // A sigmoid in its slope is judged as usual: no warning.
    const std::string gentle = writeSaturatedSigmoid(dir, "gentle.onnx", 2.0f);
    const Outcome normal = runCli({"bench", gentle, gentle, "--random", "--samples", "4",
                                   "--iterations", "1", "--warmup", "0"});
    ASSERT_EQ(normal.exitCode, cli::kSuccess) << normal.err;
    EXPECT_EQ(normal.out.find("saturated"), std::string::npos) << normal.out;
    EXPECT_EQ(normal.out.find("constant"), std::string::npos) << normal.out;
}

// Issue 16, item 7: the latency spread in every report (the verdict itself, which depends on the
// machine's load here, is tested on synthetic timings in tests/compare/latency_noise_test.cpp).
TEST(BenchCommand, ReportsTheLatencySpread)
{
    TempDir dir;
    const std::string ref = writeScaleModel(dir, "ref.onnx", 2.0f);
    const Outcome outcome
        = runCli({"bench", ref, ref, "--random", "--samples", "1", "--iterations", "8", "--rounds",
                  "4", "--warmup", "1", "--json", dir.file("r.json"), "--csv", dir.file("r.csv"),
                  "--report", dir.file("r.textproto")});
    ASSERT_EQ(outcome.exitCode, cli::kSuccess) << outcome.err;
    for (const char *column : {"p90/median", "round spread", "4 interleaved rounds"})
        EXPECT_NE(outcome.out.find(column), std::string::npos) << column << "\n" << outcome.out;
    const std::string json = readFile(dir.file("r.json"));
    for (const char *field : {"\"rounds\": 4", "\"p90_over_median\"", "\"round_medians\"",
                              "\"round_variation\"", "\"diagnostics\""})
        EXPECT_NE(json.find(field), std::string::npos) << field << "\n" << json;
    const std::string csv = readFile(dir.file("r.csv"));
    EXPECT_NE(csv.find(",p90_over_median,round_variation,warnings,"), std::string::npos) << csv;
    const std::string text = readFile(dir.file("r.textproto"));
    EXPECT_NE(text.find("round_median_ms"), std::string::npos) << text;
    EXPECT_NE(text.find("round_variation"), std::string::npos) << text;
}

// Issue 16, item 4: one line per variant against the user's targets, a gate like --min-cosine.
TEST(BenchCommand, TargetsGiveEachVariantAVerdict)
{
    TempDir dir;
    const std::string ref = writeScaleModel(dir, "ref.onnx", 2.0f);
    const std::string same = writeScaleModel(dir, "same.onnx", 2.0f);
    const std::string flipped = writeScaleModel(dir, "flipped.onnx", -2.0f); // cosine -1
    const Outcome outcome
        = runCli({"bench", ref, same, flipped, "--random", "--iterations", "1", "--warmup", "0",
                  "--target", "cosine>=0.99", "--target", "smaller>=0.5", "--json",
                  dir.file("r.json"), "--csv", dir.file("r.csv")});
    EXPECT_EQ(outcome.exitCode, cli::kGateFailed) << outcome.err;
    EXPECT_NE(outcome.out.find(same + ": 1.0x smaller"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("top-1 100.0%: meets targets"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find(flipped + ": "), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("misses cosine>=0.99 (-1.00000)"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.err.find("gate: " + flipped + " misses its targets"), std::string::npos)
        << outcome.err;
    EXPECT_EQ(outcome.err.find("gate: " + same), std::string::npos) << outcome.err;
    const std::string json = readFile(dir.file("r.json"));
    for (const char *field : {"\"targets\"", "\"cosine>=0.99\"", "\"verdict\"",
                              "\"meets_targets\": true", "\"meets_targets\": false"})
        EXPECT_NE(json.find(field), std::string::npos) << field << "\n" << json;
    const std::string csv = readFile(dir.file("r.csv"));
    EXPECT_NE(csv.find(",verdict,meets_targets\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find(": meets targets\",yes\n"), std::string::npos) << csv;

    const Outcome passing = runCli({"bench", ref, same, "--random", "--iterations", "1", "--target",
                                    "top1>=99%", "--target", "cosine>=0.99"});
    EXPECT_EQ(passing.exitCode, cli::kSuccess) << passing.err;
    const Outcome bad = runCli({"bench", ref, "--random", "--target", "latency<=3"});
    EXPECT_EQ(bad.exitCode, cli::kBadInput);
    EXPECT_NE(bad.err.find("unknown metric 'latency'"), std::string::npos) << bad.err;
}

TEST(BenchCommand, BadInputExitsTwo)
{
    TempDir dir;
    const std::string ref = writeScaleModel(dir, "ref.onnx", 2.0f);
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
