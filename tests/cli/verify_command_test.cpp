// quantscope-cli verify: a pass, a perturbed expected file (exit 3, the worst element's index),
// NaN, the batch check on a model that keeps the batch and one whose Reshape loses it (exit 3,
// the Reshape named), --json written, and bad input answered with exit 2 and one line.
#include "cli/cli.h"
#include "cli/verify_command.h"
#include "support/batch_models.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"
#include "tensor/tensor_io.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace qs {
namespace {

using namespace qs::test;

// A model with dynamic batch whose Reshape has `shape`, its batch-1 input x.npy and the right
// answer y.npy (x flattened, plus one).
struct Fixture
{
    TempDir dir;
    std::string model;
    std::string x, y;

    explicit Fixture(const std::vector<int64_t> &shape = {-1, 8})
    {
        model = writeReshapeModel(dir, "model.onnx", shape);
        const std::vector<float> input = batchInputValues(1);
        std::vector<float> output = input;
        for (float &value : output)
            value += 1.0f;
        x = dir.file("x.npy");
        y = dir.file("y.npy");
        EXPECT_TRUE(writeNpyFile(Tensor::fromVector<float>({1, 2, 4}, input), x));
        EXPECT_TRUE(writeNpyFile(Tensor::fromVector<float>({1, 8}, output), y));
    }
    // y.npy with one element changed.
    std::string expectedWith(size_t index, float value, const std::string &file) const
    {
        std::vector<float> output = batchInputValues(1);
        for (float &v : output)
            v += 1.0f;
        output[index] = value;
        EXPECT_TRUE(writeNpyFile(Tensor::fromVector<float>({1, 8}, output), dir.file(file)));
        return dir.file(file);
    }
    std::vector<std::string> args(const std::string &expected) const
    {
        return {"verify", model, "--input", "x=" + x, "--expected", "y=" + expected};
    }
};

void expectBadInput(const Outcome &outcome, const std::string &problem)
{
    EXPECT_EQ(outcome.exitCode, cli::kBadInput) << outcome.err;
    EXPECT_NE(outcome.err.find(problem), std::string::npos) << outcome.err;
    // One line: "error: ..." (usage errors add the usage text after theirs).
    if (outcome.err.starts_with("error: ")) {
        EXPECT_EQ(outcome.err.find('\n'), outcome.err.size() - 1) << outcome.err;
    }
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

TEST(VerifyCommand, MatchingOutputsPass)
{
    const Fixture f;
    const Outcome outcome = runCli(f.args(f.y));
    EXPECT_EQ(outcome.exitCode, cli::kSuccess) << outcome.out << outcome.err;
    EXPECT_TRUE(contains(outcome.out, "output 'y' float32[1,8]: PASS")) << outcome.out;
    EXPECT_TRUE(contains(outcome.out, "result: PASS")) << outcome.out;
}

TEST(VerifyCommand, PerturbedExpectedFileFailsWithTheWorstIndex)
{
    const Fixture f;
    // Element 5 (index [0,5]) is x 0.25 + 1 = 1.25 in truth; 1.3 is 0.05 off, far beyond
    // 1e-5 + 1e-3 * 1.3. Element 2 a little beyond: the worst is still [0,5].
    std::vector<float> output = batchInputValues(1);
    for (float &v : output)
        v += 1.0f;
    output[2] += 0.002f;
    output[5] = 1.3f;
    ASSERT_TRUE(writeNpyFile(Tensor::fromVector<float>({1, 8}, output), f.dir.file("bad.npy")));
    const Outcome outcome = runCli(f.args(f.dir.file("bad.npy")));
    EXPECT_EQ(outcome.exitCode, cli::kVerifyMismatch) << outcome.out << outcome.err;
    EXPECT_TRUE(contains(outcome.out, "FAIL")) << outcome.out;
    EXPECT_TRUE(contains(outcome.out, "mismatched 2 of 8 (25.00%)")) << outcome.out;
    EXPECT_TRUE(contains(outcome.out, "worst at [0,5]: 1.25, expected 1.3")) << outcome.out;
    // Loose enough for both: a pass.
    std::vector<std::string> loose = f.args(f.dir.file("bad.npy"));
    loose.insert(loose.end(), {"--atol", "0.1"});
    EXPECT_EQ(runCli(loose).exitCode, cli::kSuccess);
}

TEST(VerifyCommand, NanInTheExpectedFileIsAMismatch)
{
    const Fixture f;
    const std::string expected = f.expectedWith(3, std::numeric_limits<float>::quiet_NaN(),
                                                "nan.npy");
    const Outcome outcome = runCli(f.args(expected));
    EXPECT_EQ(outcome.exitCode, cli::kVerifyMismatch) << outcome.out;
    EXPECT_TRUE(contains(outcome.out, "mismatched 1 of 8")) << outcome.out;
    EXPECT_TRUE(contains(outcome.out, "worst at [0,3]")) << outcome.out;
}

TEST(VerifyCommand, ShapeDifferenceIsAMismatchThatSaysSo)
{
    const Fixture f;
    ASSERT_TRUE(writeNpyFile(Tensor::fromVector<float>({8}, std::vector<float>(8, 1.0f)),
                             f.dir.file("flat.npy")));
    const Outcome outcome = runCli(f.args(f.dir.file("flat.npy")));
    EXPECT_EQ(outcome.exitCode, cli::kVerifyMismatch) << outcome.out;
    EXPECT_TRUE(contains(outcome.out, "the model gives float32[1,8], the expected value is "
                                      "float32[8] (shapes differ)"))
        << outcome.out;
}

TEST(VerifyCommand, BatchKeepingModelsPassEveryBatch)
{
    for (const auto &shape : {std::vector<int64_t>{-1, 8}, std::vector<int64_t>{0, -1}}) {
        const Fixture f(shape);
        std::vector<std::string> args = f.args(f.y);
        args.insert(args.end(), {"--batch", "1,3,8"});
        const Outcome outcome = runCli(args);
        EXPECT_EQ(outcome.exitCode, cli::kSuccess) << outcome.out << outcome.err;
        EXPECT_TRUE(contains(outcome.out, "batch 8: PASS")) << outcome.out;
        EXPECT_TRUE(contains(outcome.out, "output 'y' float32[8,8]: PASS")) << outcome.out;
    }
}

TEST(VerifyCommand, ConstantBatchOneReshapeFailsAndIsNamed)
{
    const Fixture f({1, -1});
    std::vector<std::string> args = f.args(f.y);
    args.insert(args.end(), {"--batch", "1,3,8", "--json", f.dir.file("report.json")});
    const Outcome outcome = runCli(args);
    EXPECT_EQ(outcome.exitCode, cli::kVerifyMismatch) << outcome.out << outcome.err;
    // Right at batch 1, which is why export-time tests miss it.
    EXPECT_TRUE(contains(outcome.out, "output 'y' float32[1,8]: PASS")) << outcome.out;
    EXPECT_TRUE(contains(outcome.out, "batch 1: PASS")) << outcome.out;
    EXPECT_TRUE(contains(outcome.out, "batch 3: Reshape '/model/Reshape_2' writes [1,24] (a "
                                      "constant shape [1,-1] with batch 1)"))
        << outcome.out;
    EXPECT_TRUE(contains(outcome.out, "batch 8: Reshape '/model/Reshape_2' writes [1,64]"))
        << outcome.out;

    std::ifstream file(f.dir.file("report.json"));
    std::stringstream json;
    json << file.rdbuf();
    EXPECT_TRUE(contains(json.str(), "\"passed\": false")) << json.str();
    EXPECT_TRUE(contains(json.str(), "\"culprits\"")) << json.str();
    EXPECT_TRUE(contains(json.str(), "Reshape '/model/Reshape_2' writes [1,24]")) << json.str();
}

TEST(VerifyCommand, FixedBatchModelSaysTheBatchCheckDoesNotApply)
{
    TempDir dir;
    const std::string model = writeFixedBatchModel(dir);
    ASSERT_TRUE(
        writeNpyFile(Tensor::fromVector<float>({1, 2, 4}, batchInputValues(1)), dir.file("x.npy")));
    const Outcome outcome
        = runCli({"verify", model, "--input", "x=" + dir.file("x.npy"), "--batch", "3"});
    EXPECT_EQ(outcome.exitCode, cli::kSuccess) << outcome.out << outcome.err;
    EXPECT_TRUE(contains(outcome.out, "batch check does not apply: no input has a symbolic "
                                      "first dim (x: float32[1,2,4])"))
        << outcome.out;
}

TEST(VerifyCommand, BadInputExitsTwoWithOneClearLine)
{
    const Fixture f;
    expectBadInput(runCli(f.args(f.dir.file("missing.npy"))), "--expected 'y'");
    expectBadInput(runCli(f.args(f.dir.file("missing.npy"))), "missing.npy");
    expectBadInput(runCli({"verify", f.model, "--input", "x=" + f.dir.file("nope.npy"),
                           "--expected", "y=" + f.y}),
                   "--input 'x'");
    f.dir.write("garbage.npy", "not a numpy file");
    expectBadInput(runCli(f.args(f.dir.file("garbage.npy"))), "garbage.npy");
    expectBadInput(runCli({"verify", f.model, "--input", "x=" + f.x, "--expected", "z=" + f.y}),
                   "expected value 'z' is not an output of the model (outputs: y)");
    expectBadInput(runCli({"verify", f.model, "--input", "q=" + f.x, "--expected", "y=" + f.y}),
                   "'q'");
    // An input of the wrong shape: the session's check names the input.
    expectBadInput(runCli({"verify", f.model, "--input", "x=" + f.y, "--expected", "y=" + f.y}),
                   "input 'x'");
    expectBadInput(runCli({"verify", f.model, "--input", "x=" + f.x, "--expected", "y=" + f.y,
                           "--batch", "0"}),
                   "--batch: '0' is not a batch size >= 1");
    expectBadInput(runCli({"verify", f.model, "--input", "x=" + f.x, "--rtol", "-1", "--expected",
                           "y=" + f.y}),
                   "--rtol expects a non-negative number");
    expectBadInput(runCli({"verify", f.model, "--input", "x=" + f.x}), "nothing to check");
    expectBadInput(runCli({"verify", f.dir.file("none.onnx"), "--input", "x=" + f.x, "--expected",
                           "y=" + f.y}),
                   "none.onnx");
}

} // namespace
} // namespace qs
