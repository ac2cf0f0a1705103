#include "tune/tuner.h"

#include "model/model.h"
#include "quant/calibration/calibration_statistics.h"
#include "tune/fallback_search.h"
#include "tune/fp16_tune.h"
#include "tune/recipe_search.h"
#include "tune/resume.h"
#include "tune/trial_log.h"
#include "util/atomic_file.h"

#include <google/protobuf/text_format.h>

#include <algorithm>
#include <filesystem>

namespace qs {

namespace {

using quantscope::Recipe;

Status checkSettings(const TuneSettings &settings)
{
    const auto mode = settings.startRecipe.mode();
    if (mode != quantscope::QUANT_MODE_STATIC && mode != quantscope::QUANT_MODE_DYNAMIC
        && mode != quantscope::QUANT_MODE_FP16)
        return invalidArgument("tune: choose a mode (static, dynamic or fp16)");
    if (std::none_of(settings.targets.begin(), settings.targets.end(),
                     [](const Target &t) { return isAccuracyTarget(t.metric); }))
        return invalidArgument("tune needs at least one accuracy target (cosine, sqnr, top1, "
                               "topK, iou@T, maxabs), e.g. --target cosine>=0.99");
    if (settings.sixteenBitFallback
        && (mode != quantscope::QUANT_MODE_STATIC
            || settings.startRecipe.format() == quantscope::QUANT_FORMAT_QOPERATOR))
        return invalidArgument("16-bit activation fallback needs static quantization in the QDQ "
                               "format (16-bit QuantizeLinear / DequantizeLinear)");
    if (!settings.evaluation.dataDir.empty()
        && settings.evaluation.dataDir == settings.startRecipe.calibration().data_dir())
        return invalidArgument(settings.evaluation.dataDir
                               + ": the evaluation folder is the calibration folder; tuning on "
                                 "the calibration data would judge the ranges on the data they "
                                 "were fitted to");
    return Status::ok();
}

// The Pareto front over (score up, latency down, size down) among timed trials.
void markPareto(quantscope::TuneRun &run, const std::vector<TrialResult> &trials)
{
    for (size_t i = 0; i < trials.size(); ++i) {
        const auto &a = trials[i];
        if (a.proto.latency_ms() <= 0)
            continue;
        bool dominated = false;
        for (size_t j = 0; j < trials.size() && !dominated; ++j) {
            const auto &b = trials[j];
            if (j == i || b.proto.latency_ms() <= 0)
                continue;
            const bool noWorse = b.score >= a.score && b.proto.latency_ms() <= a.proto.latency_ms()
                                 && b.proto.size_bytes() <= a.proto.size_bytes();
            const bool better = b.score > a.score || b.proto.latency_ms() < a.proto.latency_ms()
                                || b.proto.size_bytes() < a.proto.size_bytes();
            dominated = noWorse && better;
        }
        run.mutable_trials(int(i))->set_pareto(!dominated);
    }
}

std::string metricDescription(const std::vector<Target> &targets)
{
    std::string text;
    for (const Target &target : targets)
        if (isAccuracyTarget(target.metric))
            text += (text.empty() ? "" : ", ") + target.text;
    return "worst normalised margin of " + text;
}

} // namespace

Result<TuneOutcome> runTune(std::shared_ptr<const Model> model, const TuneSettings &settings,
                            const TuneCallbacks &callbacks, Progress &progress)
{
    QS_RETURN_IF_ERROR(checkSettings(settings));
    TuneOutcome outcome;
    quantscope::TuneRun &run = outcome.run;
    run.set_input_model(settings.startRecipe.input_model());
    run.set_mode(settings.startRecipe.mode());
    run.set_search(settings.search);
    for (const Target &target : settings.targets)
        run.add_targets(target.text);
    run.set_metric(metricDescription(settings.targets));
    run.mutable_budget()->set_max_trials(settings.maxTrials);
    run.mutable_budget()->set_max_seconds(settings.maxSeconds);
    *run.mutable_start_recipe() = settings.startRecipe;
    run.set_best_trial(-1);

    auto evaluation = EvaluationSet::load(model, settings.evaluation, progress);
    if (!evaluation)
        return evaluation.status();
    outcome.diagnostics = (*evaluation)->diagnostics();
    run.set_eval_data(settings.evaluation.dataDir.empty() ? "random" : settings.evaluation.dataDir);
    run.set_eval_samples(int((*evaluation)->size()));
    run.set_reference_latency_ms((*evaluation)->referenceLatencyMs());
    run.set_threads(settings.evaluation.threads);
    run.set_model_digest(modelDigest(*model));
    run.set_eval_digest(evaluationDigest(**evaluation));
    if (settings.resumeFrom)
        QS_RETURN_IF_ERROR(checkResumable(*settings.resumeFrom, run));
    if (settings.startRecipe.mode() == quantscope::QUANT_MODE_FP16) {
        // The run's header above is the same for every mode; the FP16 search adds the rest.
        auto fp16 = runFp16Tune(model, settings, **evaluation, run, callbacks, progress);
        if (!fp16)
            return fp16.status();
        fp16->diagnostics.insert(fp16->diagnostics.begin(), outcome.diagnostics.begin(),
                                 outcome.diagnostics.end());
        return fp16;
    }

    const std::vector<Recipe> grid = recipeGrid(settings.startRecipe);
    QuantizeSettings quantize;
    quantize.threads = settings.evaluation.threads;
    if (settings.startRecipe.mode() == quantscope::QUANT_MODE_STATIC) {
        // Calibrated once, for the start and every grid point (the plan of the widest recipe).
        auto statistics = collectCalibrationStatistics(model, grid, quantize.threads, progress);
        if (!statistics)
            return statistics.status();
        quantize.calibrationStatistics = *statistics;
        outcome.diagnostics.insert(outcome.diagnostics.end(), (*statistics)->diagnostics.begin(),
                                   (*statistics)->diagnostics.end());
    }
    const TrialRunner runner(model, *evaluation, settings.targets, quantize);
    run.set_reference_size_bytes(runner.referenceSizeBytes());
    TrialLog log(runner, settings, callbacks, progress);

    Status status = Status::ok();
    TrialRequest start;
    start.recipe = settings.startRecipe;
    auto baseline = log.run(start);
    if (!baseline)
        return baseline.status().withContext("the starting recipe");
    const bool fallback = settings.search != quantscope::TUNE_SEARCH_RECIPES;
    const bool recipes = settings.search != quantscope::TUNE_SEARCH_FALLBACK;
    if (baseline->has_value()) {
        // A recipe meeting the targets may still have a faster neighbour: the grid runs anyway.
        if (recipes) {
            // The grid from the baseline's effective recipe: defaults written out.
            std::vector<Recipe> effectiveGrid = recipeGrid((*baseline)->proto.recipe());
            status = runRecipeSearch(log, effectiveGrid, outcome.diagnostics);
        }
        // Fallback from the most accurate recipe so far, unless one already meets the targets.
        const TrialResult *best = log.best();
        if (status && fallback && best && !best->proto.meets_targets() && !log.stopped()) {
            // A copy: the log's vector grows while the search runs.
            const TrialResult from = *best;
            const FallbackOptions options{settings.prune, settings.sixteenBitFallback};
            auto found = from.quantized ? runFallbackSearch(log, model, from, options)
                                        : Result<FallbackResult>(FallbackResult{});
            if (found)
                for (auto &entry : found->sensitivity)
                    *run.add_sensitivity() = std::move(entry);
            else
                status = found.status();
        }
    }
    // After the baseline, a failure ends the search but not the run: the best so far stands.
    if (!status && status.code() != StatusCode::Cancelled)
        outcome.diagnostics.push_back(
            diagnosticOf(Severity::Warning,
                         makeMessage(MessageId::SearchStoppedEarly, {}, status.asMessage())));

    for (const TrialResult &trial : log.trials())
        *run.add_trials() = trial.proto;
    markPareto(run, log.trials());
    if (const TrialResult *best = log.best()) {
        run.set_best_trial(best->proto.index());
        run.set_targets_met(best->proto.meets_targets());
        outcome.best = best->quantized;
    }
    run.set_resumed_trials(log.resumedTrials());
    run.set_budget_exhausted(log.budgetExhausted());
    run.set_cancelled(log.cancelled() || status.code() == StatusCode::Cancelled);
    run.set_seconds(log.elapsedSeconds());
    return outcome;
}

std::string tuneRunPathFor(const std::string &outputPath)
{
    std::filesystem::path path(outputPath);
    if (path.extension() == ".onnx")
        path.replace_extension();
    return path.string() + ".tune.textproto";
}

Status saveTuneRun(const quantscope::TuneRun &run, const std::string &path)
{
    std::string text;
    google::protobuf::TextFormat::PrintToString(run, &text);
    return writeFileAtomically(path, [&](std::ostream &out) {
        out << "# Quantscope tuning run (protobuf text format, message quantscope.TuneRun)\n"
            << text;
        return Status::ok();
    });
}

} // namespace qs
