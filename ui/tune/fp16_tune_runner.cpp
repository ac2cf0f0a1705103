#include "fp16_tune_runner.h"

#include "data/sample_source.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "runtime/session.h"
#include "tune/fp16_block_search.h"

#include <QStringList>

#include <cmath>

namespace qs::ui {

namespace {

QString fromStd(const std::string &text)
{
    return QString::fromStdString(text);
}

// The Quantize page's exclusions are blocked too, as quantizeModel does for FP16.
quantscope::Fp16Options startOptions(const quantscope::Recipe &recipe)
{
    quantscope::Fp16Options options = recipe.fp16();
    for (const std::string &node : recipe.nodes_to_exclude())
        options.add_node_block_list(node);
    for (const std::string &opType : recipe.op_types_to_exclude())
        options.add_op_block_list(opType);
    return options;
}

Result<std::vector<Sample>> loadSamples(const TuneRequest &request)
{
    SampleSourceSettings settings;
    settings.dataDir = request.evaluationFolder.toStdString();
    settings.preprocessing = request.start.calibration().preprocessing();
    settings.maxSamples = Fp16TuneRunner::kMaxSamples;
    for (const auto &[symbol, value] : request.start.calibration().dim_values())
        settings.dimValues[symbol] = value;
    auto source = openSampleSource(inputSpecs(request.model->index().mainGraph().inputs), settings);
    if (!source)
        return source.status();
    std::vector<Sample> samples;
    while (true) {
        auto sample = (*source)->next();
        if (!sample)
            return sample.status();
        if (!*sample)
            break;
        samples.push_back(std::move(**sample));
    }
    return samples;
}

Result<std::vector<NamedTensors>> referenceOutputs(const std::shared_ptr<const Model> &model,
                                                   const std::vector<Sample> &samples,
                                                   Progress &progress)
{
    auto session = Session::create(model);
    if (!session)
        return session.status();
    RunOptions runOptions;
    runOptions.progress = &progress;
    std::vector<NamedTensors> references;
    for (const Sample &sample : samples) {
        auto outputs = (*session)->run(sample.inputs, runOptions);
        if (!outputs)
            return outputs.status().withContext(sample.origin);
        references.push_back(std::move(*outputs));
    }
    return references;
}

TrialPoint toTrialPoint(const Fp16Trial &trial, int number, const TuneRequest &request)
{
    TrialPoint point;
    point.number = number;
    point.meets = trial.met;
    point.keptFloat = int(trial.blockList.size());
    QStringList names;
    for (const std::string &node : trial.blockList)
        names.append(fromStd(node));
    point.description = names.isEmpty() ? Fp16TuneRunner::tr("all nodes in float16")
                                        : Fp16TuneRunner::tr("float32: %1").arg(names.join(", "));
    point.recipe = request.start;
    point.recipe.set_mode(quantscope::QUANT_MODE_FP16);
    for (const std::string &node : trial.blockList)
        point.recipe.mutable_fp16()->add_node_block_list(node);
    if (const auto &measured = trial.measurement) {
        const bool sqnr = request.metric == QLatin1String("sqnr");
        // An overflowed output has no meaningful metric: it is drawn at the bottom.
        point.accuracy = !measured->finite ? 0.0
                         : sqnr            ? measured->worstSqnrDb
                                           : measured->worstCosine;
        if (!measured->finite)
            point.description += Fp16TuneRunner::tr(" (overflow)");
        point.latencyMs = measured->latencyMs;
        point.sizeBytes = measured->modelBytes;
    }
    return point;
}

} // namespace

TuneRunOutcome Fp16TuneRunner::run(const TuneRequest &request, const TuneRunCallbacks &callbacks,
                                   Progress &progress) const
{
    TuneRunOutcome outcome;
    if (request.start.mode() != quantscope::QUANT_MODE_FP16) {
        outcome.error = tr("This build tunes FP16 block lists: choose FP16 on the Quantize page. "
                           "The INT8 recipe search comes with the tune trial runner.");
        return outcome;
    }
    Fp16Target target;
    if (request.metric == QLatin1String("cosine")) {
        target.minCosine = request.threshold;
    } else if (request.metric == QLatin1String("sqnr")) {
        target.minCosine = -1.0;
        target.minSqnrDb = request.threshold;
    } else {
        outcome.error
            = tr("The FP16 search measures output cosine or SQNR, not %1.").arg(request.metric);
        return outcome;
    }
    auto samples = loadSamples(request);
    if (!samples) {
        outcome.error = fromStd(samples.status().message());
        return outcome;
    }
    auto references = referenceOutputs(request.model, *samples, progress);
    if (!references) {
        outcome.error = fromStd(references.status().message());
        outcome.cancelled = references.status().code() == StatusCode::Cancelled;
        return outcome;
    }
    Fp16BlockSearchOptions options;
    options.maxTrials = request.budgetTrials;
    options.maxSeconds = request.budgetSeconds;
    int number = 0;
    options.onTrial = [&](const Fp16Trial &trial) {
        if (callbacks.trial)
            callbacks.trial(toTrialPoint(trial, ++number, request));
    };
    auto result = searchFp16BlockList(request.model, startOptions(request.start), *samples,
                                      *references, target, options, progress);
    if (!result) {
        outcome.cancelled = result.status().code() == StatusCode::Cancelled;
        if (!outcome.cancelled)
            outcome.error = fromStd(result.status().message());
        return outcome;
    }
    outcome.met = result->met;
    for (int i = int(result->trials.size()) - 1; i >= 0 && result->met; --i) {
        if (result->trials[size_t(i)].blockList == result->blockList) {
            outcome.bestTrial = i;
            break;
        }
    }
    const QString kept = tr("%n node(s) kept in float32", nullptr, int(result->blockList.size()));
    outcome.summary = !result->met ? tr("The target is not met even with every node in float32.")
                      : result->complete
                          ? tr("%1 after %2 trials.").arg(kept).arg(result->oracleCalls)
                          : tr("%1 after %2 trials (budget spent; not minimal).")
                                .arg(kept)
                                .arg(result->oracleCalls);
    return outcome;
}

} // namespace qs::ui
