// quantscope-cli tune: exit 0 with the model, its recipe and the TuneRun written when the
// targets are met; 3 when the budget runs out first (the best trial still written and named);
// 2 on bad input with one line naming the file or value.
#include "quant/recipe_io.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"
#include "tune.pb.h"
#include "tune_test_models.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace qs {
namespace {

using namespace qs::test;

std::string writeModel(const TempDir &dir)
{
    dir.write("mlp.onnx", sensitiveMlp().SerializeAsString());
    return dir.file("mlp.onnx");
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// --no-prune: the fallback {fc2, fc3} is then the only timed trial that meets the target, so the
// best does not depend on timing (pruned, {fc2} and {fc2, fc3} both meet it and differ by noise;
// tune_test.cpp checks that choice with a fixed latency).
TEST(TuneCommand, MetTargetsExitZeroAndWriteModelRecipeAndRun)
{
    TempDir dir;
    const std::string model = writeModel(dir), out = dir.file("tuned.onnx");
    const auto outcome
        = runCli({"tune", model, "-o", out, "--mode", "static", "--target", "cosine>=0.99",
                  "--threads", "1", "--no-prune", "--json", dir.file("run.json")});
    ASSERT_EQ(outcome.exitCode, 0) << outcome.err << outcome.out;
    EXPECT_NE(outcome.out.find("trial 1 baseline"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("sensitivity fc2"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("targets met"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("2 nodes kept float: fc2, fc3"), std::string::npos) << outcome.out;
    EXPECT_EQ(outcome.out.find("prune"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.err.find("no evaluation folder"), std::string::npos) << outcome.err;
    ASSERT_TRUE(std::filesystem::exists(out));
    auto recipe = loadRecipe(dir.file("tuned.recipe.textproto"));
    ASSERT_TRUE(recipe.isOk()) << recipe.status().message();
    EXPECT_EQ(std::vector<std::string>(recipe->nodes_to_exclude().begin(),
                                       recipe->nodes_to_exclude().end()),
              (std::vector<std::string>{"fc2", "fc3"}));
    quantscope::TuneRun run;
    ASSERT_TRUE(
        google::protobuf::TextFormat::ParseFromString(readFile(dir.file("tuned.tune.textproto")),
                                                      &run));
    EXPECT_TRUE(run.targets_met());
    EXPECT_EQ(run.output_model(), out);
    EXPECT_EQ(run.targets(0), "cosine>=0.99");
    EXPECT_NE(readFile(dir.file("run.json")).find("\"bestTrial\""), std::string::npos);
}

TEST(TuneCommand, TargetsNotMetWithinTheBudgetExitThreeWithTheBestWritten)
{
    TempDir dir;
    const std::string model = writeModel(dir), out = dir.file("tuned.onnx");
    const auto outcome
        = runCli({"tune", model, "-o", out, "--mode", "static", "--target", "cosine>=0.99",
                  "--target", "maxabs<=0", "--budget-trials", "2", "--threads", "1"});
    EXPECT_EQ(outcome.exitCode, 3) << outcome.err << outcome.out;
    EXPECT_NE(outcome.out.find("targets not met within the budget"), std::string::npos)
        << outcome.out;
    EXPECT_TRUE(std::filesystem::exists(out));
    EXPECT_TRUE(std::filesystem::exists(dir.file("tuned.tune.textproto")));
}

// A run stopped by its budget, resumed with --resume: the saved trials print as "(saved)", the
// search goes on to meet the target, and the TuneRun written counts them.
TEST(TuneCommand, ResumeContinuesTheSavedRun)
{
    TempDir dir;
    const std::string model = writeModel(dir), out = dir.file("tuned.onnx");
    const std::vector<std::string> command = {"tune",      model,    "-o",        out,
                                              "--mode",    "static", "--target",  "cosine>=0.99",
                                              "--threads", "1",      "--no-prune"};
    std::vector<std::string> stopped = command;
    stopped.insert(stopped.end(), {"--budget-trials", "3"});
    ASSERT_EQ(runCli(stopped).exitCode, 3);

    std::vector<std::string> resume = command;
    resume.push_back("--resume");
    const auto outcome = runCli(resume);
    ASSERT_EQ(outcome.exitCode, 0) << outcome.err << outcome.out;
    EXPECT_NE(outcome.out.find("trial 1 baseline"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("(saved)"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("3 trials read from the saved run"), std::string::npos)
        << outcome.out;
    EXPECT_NE(outcome.out.find("targets met"), std::string::npos) << outcome.out;
    quantscope::TuneRun run;
    ASSERT_TRUE(
        google::protobuf::TextFormat::ParseFromString(readFile(dir.file("tuned.tune.textproto")),
                                                      &run));
    EXPECT_EQ(run.resumed_trials(), 3);
    EXPECT_GT(run.trials_size(), 3);
    EXPECT_TRUE(run.targets_met());

    // Another target: the saved figures were judged for this one; refused by name.
    std::vector<std::string> otherTarget = resume;
    otherTarget[7] = "cosine>=0.999";
    const auto refused = runCli(otherTarget);
    EXPECT_EQ(refused.exitCode, 2) << refused.err;
    EXPECT_NE(refused.err.find("cannot resume: the saved run's targets"), std::string::npos)
        << refused.err;
}

TEST(TuneCommand, BadInputExitsTwoWithOneClearLine)
{
    TempDir dir;
    const std::string model = writeModel(dir), out = dir.file("tuned.onnx");
    struct Case
    {
        std::vector<std::string> args;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {{"tune", dir.file("missing.onnx"), "-o", out, "--mode", "static", "--target",
          "cosine>=0.99"},
         "missing.onnx"},
        {{"tune", model, "-o", out, "--mode", "static", "--target", "iou@x>=0.9"}, "iou@x"},
        {{"tune", model, "-o", out, "--mode", "static"}, "no target"},
        {{"tune", model, "-o", dir.file("missing/out.onnx"), "--mode", "static", "--target",
          "cosine>=0.9"},
         "does not exist"},
        {{"tune", model, "--mode", "static", "--target", "cosine>=0.9"}, "no output"},
        {{"tune", model, "-o", out, "--mode", "static", "--target", "speedup>=2"},
         "accuracy target"},
        {{"tune", model, "-o", out, "--mode", "static", "--target", "cosine>=0.9", "--search",
          "everything"},
         "everything"},
        {{"tune", model, "-o", out, "--mode", "fp16", "--target", "top1>=0.9"},
         "measures output cosine and SQNR"},
        {{"tune", model, "-o", out, "--mode", "static", "--target", "cosine>=0.9", "--resume"},
         "cannot open tuning run"},
        {{"tune", model, "-o", out, "--mode", "static", "--target", "cosine>=0.9", "--calib-dir",
          dir.path(), "--eval-dir", dir.path()},
         "evaluation folder is the calibration folder"},
    };
    for (const Case &c : cases) {
        const auto outcome = runCli(c.args);
        EXPECT_EQ(outcome.exitCode, 2) << c.expected << ": " << outcome.err;
        EXPECT_NE(outcome.err.find(c.expected), std::string::npos) << outcome.err;
        EXPECT_FALSE(std::filesystem::exists(out)) << c.expected;
    }
}

} // namespace
} // namespace qs
