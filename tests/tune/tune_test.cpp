// The search on a model built in code with one known-sensitive node (tune_test_models.h): the
// baseline misses cosine >= 0.99, leave-one-out ranks fc2 first, greedy fallback keeps it in float
// and the targets hold; pruning quantizes again any node that was not needed; one calibration
// pass serves every trial; the budget stops the search with the best so far.
#include "quant/calibration/calibration_statistics.h"
#include "tune/fallback_search.h"
#include "tune/recipe_search.h"
#include "tune/tuner.h"
#include "tune_test_models.h"

#include "tune/tune_test_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string_view>

namespace qs {
namespace {

TuneSettings staticSettings(std::vector<std::string> targets)
{
    TuneSettings settings;
    settings.startRecipe.set_mode(quantscope::QUANT_MODE_STATIC);
    for (const std::string &text : targets)
        settings.targets.push_back(*parseTarget(text));
    settings.evaluation.threads = 1;
    // Every model takes 1 ms: of two trials that meet the targets the one keeping fewer nodes
    // float wins, then the earlier one. Timed, the fallback {fc2, fc3} and its pruned {fc2}
    // differ by noise only, and under ASan on a loaded machine that noise can pass the 5% margin
    // and make {fc2, fc3} the best.
    settings.evaluation.latencyMeter = [](const Session &) { return 1.0; };
    return settings;
}

TEST(Tune, FallbackKeepsTheSensitiveNodeFloatAndPrunesTheRest)
{
    auto model = test::sensitiveMlpModel();
    ASSERT_TRUE(model);
    const TuneSettings settings = staticSettings({"cosine>=0.99"});
    std::vector<int> streamed;
    std::vector<std::string> sensitivityOrder;
    TuneCallbacks callbacks;
    callbacks.onTrial = [&](const TrialResult &trial) { streamed.push_back(trial.proto.index()); };
    callbacks.onSensitivity = [&](const quantscope::NodeSensitivity &entry) {
        sensitivityOrder.push_back(entry.node());
    };
    test::CalibrationCounter counter;
    auto outcome = runTune(model, settings, callbacks, counter);
    ASSERT_TRUE(outcome.isOk()) << outcome.status().message();
    const quantscope::TuneRun &run = outcome->run;
    EXPECT_EQ(counter.passes, 1) << "every trial must reuse the one calibration";

    ASSERT_GE(run.trials_size(), 3);
    const auto &baseline = run.trials(0);
    EXPECT_EQ(baseline.kind(), quantscope::TRIAL_KIND_BASELINE);
    EXPECT_FALSE(baseline.meets_targets()) << "the model is built so that fc2 breaks cosine";
    EXPECT_EQ(int(streamed.size()), run.trials_size());

    // Leave-one-out: one entry per candidate, in graph order, then each node with the
    // candidates its output feeds (the tensor between them leaves quantization too).
    ASSERT_EQ(sensitivityOrder,
              (std::vector<std::string>{"fc1", "fc2", "fc3", "fc1+fc2", "fc2+fc3"}));
    ASSERT_EQ(run.sensitivity_size(), 5);
    const auto &fc2 = run.sensitivity(1);
    EXPECT_EQ(fc2.op_type(), "MatMul");
    for (const auto &entry : run.sensitivity()) {
        if (entry.node().find("fc2") == std::string::npos) {
            EXPECT_GT(fc2.gain(), entry.gain()) << entry.node();
        }
    }

    ASSERT_GE(run.best_trial(), 0);
    EXPECT_TRUE(run.targets_met());
    const auto &best = run.trials(run.best_trial());
    EXPECT_TRUE(best.meets_targets());
    EXPECT_EQ(std::vector<std::string>(best.nodes_kept_float().begin(),
                                       best.nodes_kept_float().end()),
              std::vector<std::string>{"fc2"});
    ASSERT_TRUE(outcome->best);
    const auto &excluded = outcome->best->recipe.nodes_to_exclude();
    EXPECT_NE(std::find(excluded.begin(), excluded.end(), "fc2"), excluded.end());
    EXPECT_GT(best.latency_ms(), 0);
    EXPECT_GT(run.reference_latency_ms(), 0);
    EXPECT_GT(best.size_bytes(), 0);
    EXPECT_EQ(run.eval_data(), "random");
}

TEST(Tune, PruningQuantizesAgainTheNodesThatWereNotNeeded)
{
    auto model = test::sensitiveMlpModel();
    ASSERT_TRUE(model);
    const TuneSettings settings = staticSettings({"cosine>=0.99"});
    auto evaluation = EvaluationSet::load(model, settings.evaluation, silentProgress());
    ASSERT_TRUE(evaluation.isOk()) << evaluation.status().message();
    QuantizeSettings quantize;
    quantize.threads = 1;
    auto statistics = collectCalibrationStatistics(model, {settings.startRecipe}, 1,
                                                   silentProgress());
    ASSERT_TRUE(statistics.isOk()) << statistics.status().message();
    quantize.calibrationStatistics = *statistics;
    const TrialRunner runner(model, *evaluation, settings.targets, quantize);
    TrialLog log(runner, settings, {}, silentProgress());
    TrialRequest start;
    start.recipe = settings.startRecipe;
    auto baseline = log.run(start);
    ASSERT_TRUE(baseline.isOk() && baseline->has_value());
    ASSERT_FALSE((*baseline)->accuracyMet);

    // Every node kept float meets the target; only fc2 is needed.
    auto kept = pruneFallback(log, **baseline, {{"fc1", "fc2", "fc3"}, {}});
    ASSERT_TRUE(kept.isOk()) << kept.status().message();
    EXPECT_EQ(kept->keptFloat, std::vector<std::string>{"fc2"});
    // Three prune trials, latest first: fc3, fc2 (needed: kept), fc1.
    ASSERT_EQ(log.trials().size(), 4u);
    EXPECT_EQ(log.trials()[1].proto.node(), "fc3");
    EXPECT_EQ(log.trials()[2].proto.node(), "fc2");
    EXPECT_FALSE(log.trials()[2].accuracyMet);
    EXPECT_EQ(log.trials()[3].proto.node(), "fc1");
    EXPECT_TRUE(log.trials()[3].accuracyMet);
}

TEST(Tune, BudgetStopsTheSearchWithTheBestSoFar)
{
    auto model = test::sensitiveMlpModel();
    ASSERT_TRUE(model);
    TuneSettings settings = staticSettings({"cosine>=0.99"});
    settings.maxTrials = 2;
    auto outcome = runTune(model, settings, {}, silentProgress());
    ASSERT_TRUE(outcome.isOk()) << outcome.status().message();
    EXPECT_EQ(outcome->run.trials_size(), 2);
    EXPECT_TRUE(outcome->run.budget_exhausted());
    EXPECT_GE(outcome->run.best_trial(), 0);
    EXPECT_TRUE(outcome->best);
}

std::vector<std::string> trialSequence(const quantscope::TuneRun &run)
{
    std::vector<std::string> sequence;
    for (const auto &trial : run.trials())
        sequence.push_back(quantscope::TrialKind_Name(trial.kind()) + " " + trial.node());
    return sequence;
}

// A run stopped by its budget, resumed without one: the saved trials are read back (not
// measured), the search continues past them, and the result is the uninterrupted run's.
TEST(Tune, ResumeReadsTheSavedTrialsAndContinuesToTheUninterruptedResult)
{
    auto model = test::sensitiveMlpModel();
    ASSERT_TRUE(model);
    TuneSettings settings = staticSettings({"cosine>=0.99"});
    auto uninterrupted = runTune(model, settings, {}, silentProgress());
    ASSERT_TRUE(uninterrupted.isOk()) << uninterrupted.status().message();
    ASSERT_GT(uninterrupted->run.trials_size(), 4);

    settings.maxTrials = 4;
    auto stopped = runTune(model, settings, {}, silentProgress());
    ASSERT_TRUE(stopped.isOk()) << stopped.status().message();
    ASSERT_TRUE(stopped->run.budget_exhausted());
    ASSERT_FALSE(stopped->run.targets_met());

    settings.maxTrials = 0;
    settings.resumeFrom = std::make_shared<const quantscope::TuneRun>(stopped->run);
    int measured = 0;
    TuneCallbacks callbacks;
    callbacks.onTrial = [&](const TrialResult &trial) { measured += !trial.proto.resumed(); };
    auto resumed = runTune(model, settings, callbacks, silentProgress());
    ASSERT_TRUE(resumed.isOk()) << resumed.status().message();
    const quantscope::TuneRun &run = resumed->run;
    EXPECT_EQ(run.resumed_trials(), 4);
    EXPECT_EQ(measured, run.trials_size() - 4);
    for (int i = 0; i < run.trials_size(); ++i) {
        EXPECT_EQ(run.trials(i).resumed(), i < 4) << i;
        EXPECT_FALSE(run.trials(i).request().empty()) << i;
    }
    EXPECT_EQ(trialSequence(run), trialSequence(uninterrupted->run));
    EXPECT_TRUE(run.targets_met());
    ASSERT_TRUE(resumed->best);
    const auto &best = run.trials(run.best_trial());
    const auto &expected = uninterrupted->run.trials(uninterrupted->run.best_trial());
    EXPECT_EQ(best.index(), expected.index());
    EXPECT_EQ(std::vector<std::string>(best.nodes_kept_float().begin(),
                                       best.nodes_kept_float().end()),
              std::vector<std::string>(expected.nodes_kept_float().begin(),
                                       expected.nodes_kept_float().end()));
    EXPECT_EQ(run.sensitivity_size(), uninterrupted->run.sensitivity_size());

    // The budget counts the saved trials: a resumed run with the stopped run's budget does not
    // measure anything new.
    settings.maxTrials = 4;
    auto noMore = runTune(model, settings, {}, silentProgress());
    ASSERT_TRUE(noMore.isOk()) << noMore.status().message();
    EXPECT_EQ(noMore->run.trials_size(), 4);
    EXPECT_EQ(noMore->run.resumed_trials(), 4);
    EXPECT_TRUE(noMore->run.budget_exhausted());
    EXPECT_TRUE(noMore->best) << "the best saved trial is quantized again to be written";
}

TEST(Tune, ResumeRefusesARunMadeOnSomethingElse)
{
    auto model = test::sensitiveMlpModel();
    ASSERT_TRUE(model);
    TuneSettings settings = staticSettings({"cosine>=0.99"});
    settings.maxTrials = 2;
    auto saved = runTune(model, settings, {}, silentProgress());
    ASSERT_TRUE(saved.isOk()) << saved.status().message();
    settings.resumeFrom = std::make_shared<const quantscope::TuneRun>(saved->run);

    struct Case
    {
        std::string expected;
        std::function<void(TuneSettings &, onnx::ModelProto &)> change;
    };
    const std::vector<Case> cases = {
        {"model",
         [](TuneSettings &, onnx::ModelProto &proto) {
             proto.mutable_graph()->set_doc_string("another model");
         }},
        {"starting recipe",
         [](TuneSettings &s, onnx::ModelProto &) { s.startRecipe.set_per_channel(true); }},
        {"evaluation set", [](TuneSettings &s, onnx::ModelProto &) { s.evaluation.maxSamples = 3; }},
        {"targets",
         [](TuneSettings &s, onnx::ModelProto &) { s.targets = {*parseTarget("cosine>=0.995")}; }},
        {"thread count", [](TuneSettings &s, onnx::ModelProto &) { s.evaluation.threads = 2; }},
    };
    for (const Case &c : cases) {
        TuneSettings changed = settings;
        onnx::ModelProto proto = test::sensitiveMlp();
        c.change(changed, proto);
        auto changedModel = Model::fromProto(proto, ".");
        ASSERT_TRUE(changedModel) << changedModel.status().message();
        auto refused = runTune(*changedModel, changed, {}, silentProgress());
        ASSERT_FALSE(refused.isOk()) << c.expected;
        EXPECT_EQ(refused.status().code(), StatusCode::InvalidArgument) << c.expected;
        EXPECT_NE(refused.status().message().find("cannot resume"), std::string::npos)
            << refused.status().message();
        EXPECT_NE(refused.status().message().find(c.expected), std::string::npos)
            << refused.status().message();
    }
}

TEST(Tune, RecipeSearchVisitsTheGridAndMarksAParetoFront)
{
    auto model = test::sensitiveMlpModel();
    ASSERT_TRUE(model);
    TuneSettings settings = staticSettings({"cosine>=0.99"});
    settings.search = quantscope::TUNE_SEARCH_RECIPES;
    settings.maxTrials = 12;
    auto outcome = runTune(model, settings, {}, silentProgress());
    ASSERT_TRUE(outcome.isOk()) << outcome.status().message();
    const auto &run = outcome->run;
    EXPECT_EQ(run.trials_size(), 12);
    int pareto = 0;
    bool perChannelTried = false;
    for (const auto &trial : run.trials()) {
        pareto += trial.pareto();
        perChannelTried = perChannelTried || trial.recipe().per_channel();
    }
    EXPECT_GE(pareto, 1);
    // Per-channel weights fix fc2's outlier column: some recipe meets the target.
    EXPECT_TRUE(perChannelTried);
    EXPECT_TRUE(run.targets_met());
}

TEST(Tune, RecipeGridStartsAtTheStartAndHasNoDuplicates)
{
    quantscope::Recipe start;
    start.set_mode(quantscope::QUANT_MODE_STATIC);
    start.add_op_types_to_quantize("Conv");
    start.add_op_types_to_quantize("Add");
    start.mutable_calibration()->set_method(quantscope::CALIBRATION_METHOD_MINMAX);
    const auto grid = recipeGrid(start);
    ASSERT_FALSE(grid.empty());
    EXPECT_EQ(grid.front().SerializeAsString(), start.SerializeAsString());
    // 6 methods (MSE among them) x 2 per-channel x 2 symmetric x 2 op-type sets x bias
    // correction on/off.
    EXPECT_EQ(grid.size(), 96u);
    const auto mse = std::count_if(grid.begin(), grid.end(), [](const quantscope::Recipe &r) {
        return r.calibration().method() == quantscope::CALIBRATION_METHOD_MSE;
    });
    EXPECT_EQ(mse, 16);
}

TEST(Tune, BadSettingsAreRefusedWithTheReason)
{
    auto model = test::sensitiveMlpModel();
    ASSERT_TRUE(model);
    TuneSettings speedOnly = staticSettings({"speedup>=2"});
    auto refused = runTune(model, speedOnly, {}, silentProgress());
    ASSERT_FALSE(refused.isOk());
    EXPECT_NE(refused.status().message().find("accuracy target"), std::string::npos);

    // FP16 tuning measures cosine and SQNR; a top-1 target is refused by name.
    TuneSettings fp16 = staticSettings({"top1>=0.99"});
    fp16.startRecipe.set_mode(quantscope::QUANT_MODE_FP16);
    auto unmeasured = runTune(model, fp16, {}, silentProgress());
    ASSERT_FALSE(unmeasured.isOk());
    EXPECT_EQ(unmeasured.status().code(), StatusCode::InvalidArgument);
    EXPECT_NE(unmeasured.status().message().find("top1"), std::string::npos);
}

// `tune --mode fp16` on a model whose middle activation overflows float16 (random evaluation
// inputs): each block list tried is a streamed trial, the best is the search's minimal list,
// and the output model keeps exactly those nodes in float32.
TEST(Tune, Fp16FindsTheMinimalBlockList)
{
    auto model = Model::fromProto(test::fp16OverflowModel(), ".");
    ASSERT_TRUE(model) << model.status().message();
    TuneSettings settings = staticSettings({"cosine>=0.999"});
    settings.startRecipe.set_mode(quantscope::QUANT_MODE_FP16);
    settings.evaluation.maxSamples = 3;
    int streamed = 0;
    TuneCallbacks callbacks;
    callbacks.onTrial = [&](const TrialResult &trial) {
        EXPECT_EQ(trial.proto.index(), streamed++);
        EXPECT_EQ(trial.proto.kind(), quantscope::TRIAL_KIND_FP16);
    };
    auto outcome = runTune(*model, settings, callbacks, silentProgress());
    ASSERT_TRUE(outcome) << outcome.status().message();
    const auto &run = outcome->run;
    EXPECT_TRUE(run.targets_met());
    EXPECT_EQ(streamed, run.trials_size());
    ASSERT_GE(run.best_trial(), 0);
    const auto &best = run.trials(run.best_trial());
    EXPECT_EQ(std::vector<std::string>(best.nodes_kept_float().begin(),
                                       best.nodes_kept_float().end()),
              (std::vector<std::string>{"up2", "relu", "down1"}));
    ASSERT_TRUE(outcome->best);
    const auto &blocked = outcome->best->recipe.fp16().node_block_list();
    EXPECT_EQ(std::vector<std::string>(blocked.begin(), blocked.end()),
              (std::vector<std::string>{"up2", "relu", "down1"}));
}

TEST(Tune, DynamicModeFallsBackWithoutCalibration)
{
    auto model = test::sensitiveMlpModel();
    ASSERT_TRUE(model);
    TuneSettings settings = staticSettings({"cosine>=0.99"});
    settings.startRecipe.set_mode(quantscope::QUANT_MODE_DYNAMIC);
    test::CalibrationCounter counter;
    auto outcome = runTune(model, settings, {}, counter);
    ASSERT_TRUE(outcome.isOk()) << outcome.status().message();
    EXPECT_EQ(counter.passes, 0);
    EXPECT_GE(outcome->run.trials_size(), 1);
    EXPECT_TRUE(outcome->best);
}

} // namespace
} // namespace qs
