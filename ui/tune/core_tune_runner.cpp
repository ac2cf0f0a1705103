#include "core_tune_runner.h"

#include "fp16_tune_runner.h"
#include "model/model.h"
#include "tune/tuner.h"
#include "workbench/core_messages.h"

#include <QDir>
#include <QFileInfo>

namespace qs::ui {

namespace {

QString fromStd(const std::string &text)
{
    return QString::fromStdString(text);
}

quantscope::TuneSearch searchFor(const QString &search)
{
    if (search == QLatin1String("recipes"))
        return quantscope::TUNE_SEARCH_RECIPES;
    if (search == QLatin1String("both"))
        return quantscope::TUNE_SEARCH_BOTH;
    return quantscope::TUNE_SEARCH_FALLBACK;
}

QString kindText(quantscope::TrialKind kind)
{
    switch (kind) {
    case quantscope::TRIAL_KIND_BASELINE: return CoreTuneRunner::tr("baseline");
    case quantscope::TRIAL_KIND_SENSITIVITY: return CoreTuneRunner::tr("sensitivity");
    case quantscope::TRIAL_KIND_FALLBACK: return CoreTuneRunner::tr("fallback");
    case quantscope::TRIAL_KIND_PRUNE: return CoreTuneRunner::tr("prune");
    case quantscope::TRIAL_KIND_RECIPE: return CoreTuneRunner::tr("recipe");
    case quantscope::TRIAL_KIND_FP16: return CoreTuneRunner::tr("FP16 block list");
    case quantscope::TRIAL_KIND_FALLBACK_16BIT: return CoreTuneRunner::tr("16-bit fallback");
    default: return CoreTuneRunner::tr("trial");
    }
}

TrialPoint toTrialPoint(const TrialResult &result, int number, const std::string &metric)
{
    const quantscope::TuneTrial &trial = result.proto;
    TrialPoint point;
    point.number = number;
    point.meets = trial.meets_targets();
    point.latencyMs = trial.latency_ms();
    point.sizeBytes = trial.size_bytes();
    point.keptFloat = trial.nodes_kept_float_size();
    point.recipe = trial.recipe();
    point.accuracy = trial.metrics_size() > 0 ? trial.metrics(0).value() : 0.0;
    for (const quantscope::MetricValue &value : trial.metrics()) {
        if (value.name() == metric)
            point.accuracy = value.value();
    }
    point.description = kindText(trial.kind());
    if (!trial.node().empty())
        point.description += QStringLiteral(" %1").arg(fromStd(trial.node()));
    // A16W8 trials keep nodes integer in 16 bits rather than float: say how many.
    if (trial.nodes_16bit_size() > 0)
        point.description += QLatin1Char(' ')
                             + CoreTuneRunner::tr("(%n node(s) with 16-bit activations)", nullptr,
                                                  trial.nodes_16bit_size());
    return point;
}

} // namespace

QString CoreTuneRunner::tunedModelPath(const QString &modelPath)
{
    const QFileInfo info(modelPath);
    return info.dir().filePath(info.completeBaseName() + QStringLiteral("_tuned.onnx"));
}

TuneRunOutcome CoreTuneRunner::run(const TuneRequest &request, const TuneRunCallbacks &callbacks,
                                   Progress &progress) const
{
    TuneRunOutcome outcome;
    auto target = parseTarget(request.metric.toStdString()
                              + ">=" + QString::number(request.threshold, 'g', 10).toStdString());
    if (!target) {
        outcome.error = fromStd(target.status().message());
        return outcome;
    }
    TuneSettings settings;
    settings.startRecipe = request.start;
    settings.targets = {*target};
    settings.search = searchFor(request.search);
    settings.maxTrials = request.budgetTrials;
    settings.maxSeconds = request.budgetSeconds;
    settings.evaluation.dataDir = request.evaluationFolder.toStdString();
    settings.evaluation.preprocessing = request.start.calibration().preprocessing();
    for (const auto &[symbol, value] : request.start.calibration().dim_values())
        settings.evaluation.dimValues[symbol] = value;

    // Trials are numbered as they arrive; the run names its best by the trial's own index.
    std::vector<int> reportedIndexes;
    const std::string metric = target->metricName();
    TuneCallbacks coreCallbacks;
    coreCallbacks.onTrial = [&](const TrialResult &trial) {
        reportedIndexes.push_back(trial.proto.index());
        if (callbacks.trial)
            callbacks.trial(toTrialPoint(trial, int(reportedIndexes.size()), metric));
    };
    coreCallbacks.onSensitivity = [&](const quantscope::NodeSensitivity &sensitivity) {
        if (callbacks.sensitivity)
            callbacks.sensitivity({fromStd(sensitivity.node()), sensitivity.gain()});
    };
    auto result = runTune(request.model, settings, coreCallbacks, progress);
    if (!result) {
        outcome.cancelled = result.status().code() == StatusCode::Cancelled;
        if (!outcome.cancelled)
            outcome.error = CoreMessages::text(result.status()); // a recipe's error is coded
        return outcome;
    }
    const quantscope::TuneRun &run = result->run;
    outcome.met = run.targets_met();
    outcome.cancelled = run.cancelled();
    for (size_t i = 0; i < reportedIndexes.size(); ++i) {
        if (reportedIndexes[i] == run.best_trial())
            outcome.bestTrial = int(i);
    }
    if (result->best && outcome.bestTrial >= 0 && !request.modelPath.isEmpty()) {
        const QString path = tunedModelPath(request.modelPath);
        const Status saved = saveQuantizeResult(*result->best, path.toStdString(),
                                                request.model->baseDir());
        if (saved.isOk())
            outcome.bestModelPath = path;
        else
            outcome.error = fromStd(saved.message());
    }
    outcome.summary = !run.targets_met()
                          ? tr("No trial met the target in %1 trials.").arg(run.trials_size())
                          : tr("Trial %1 is the fastest meeting the target "
                               "(%2 trials).")
                                .arg(outcome.bestTrial + 1)
                                .arg(run.trials_size());
    return outcome;
}

TuneRunOutcome TuneRouter::run(const TuneRequest &request, const TuneRunCallbacks &callbacks,
                               Progress &progress) const
{
    if (request.start.mode() == quantscope::QUANT_MODE_FP16)
        return Fp16TuneRunner().run(request, callbacks, progress);
    return CoreTuneRunner().run(request, callbacks, progress);
}

} // namespace qs::ui
