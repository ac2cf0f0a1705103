#include "tune/fp16_tune.h"

#include "model/model.h"
#include "tune/evaluation_set.h"
#include "tune/fp16_block_search.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace qs {

namespace {

Result<Fp16Target> fp16Target(const std::vector<Target> &targets)
{
    Fp16Target target;
    target.minCosine = -1.0;
    bool any = false;
    for (const Target &t : targets) {
        if (t.metric == TargetMetric::Cosine && t.atLeast) {
            target.minCosine = std::max(target.minCosine, t.value);
            any = true;
        } else if (t.metric == TargetMetric::Sqnr && t.atLeast) {
            target.minSqnrDb = std::max(target.minSqnrDb, t.value);
            any = true;
        } else if (isAccuracyTarget(t.metric)) {
            return invalidArgument("tune --mode fp16 measures output cosine and SQNR; target '"
                                   + t.text + "' is not one of them");
        }
    }
    if (!any)
        return invalidArgument("tune --mode fp16 needs a cosine or sqnr target, e.g. "
                               "--target cosine>=0.999");
    return target;
}

// The recipe's own block lists plus its exclusions: one exclusion model for every mode, as
// quantizeModel converts them.
quantscope::Fp16Options startOptions(const quantscope::Recipe &recipe)
{
    quantscope::Fp16Options options = recipe.fp16();
    for (const std::string &node : recipe.nodes_to_exclude())
        options.add_node_block_list(node);
    for (const std::string &opType : recipe.op_types_to_exclude())
        options.add_op_block_list(opType);
    return options;
}

quantscope::Recipe withBlockList(const quantscope::Recipe &start,
                                 const std::vector<std::string> &blockList)
{
    quantscope::Recipe recipe = start;
    for (const std::string &node : blockList)
        recipe.mutable_fp16()->add_node_block_list(node);
    return recipe;
}

void addMetric(quantscope::TuneTrial &trial, const std::string &name, double value)
{
    auto *metric = trial.add_metrics();
    metric->set_name(name);
    metric->set_value(value);
}

std::string figure(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.5g", value);
    return text;
}

} // namespace

Result<TuneOutcome> runFp16Tune(std::shared_ptr<const Model> model, const TuneSettings &settings,
                                const EvaluationSet &evaluation, const quantscope::TuneRun &header,
                                const TuneCallbacks &callbacks, Progress &progress)
{
    auto target = fp16Target(settings.targets);
    if (!target)
        return target.status();
    TuneOutcome outcome;
    quantscope::TuneRun &run = outcome.run;
    run = header;
    run.set_best_trial(-1);
    const auto started = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };

    Fp16BlockSearchOptions options;
    options.maxTrials = settings.maxTrials;
    options.maxSeconds = settings.maxSeconds;
    double lastTrialEnd = 0;
    options.onTrial = [&](const Fp16Trial &trial) {
        TrialResult result;
        quantscope::TuneTrial &proto = result.proto;
        proto.set_index(run.trials_size());
        proto.set_kind(quantscope::TRIAL_KIND_FP16);
        *proto.mutable_recipe() = withBlockList(settings.startRecipe, trial.blockList);
        for (const std::string &node : trial.blockList)
            proto.add_nodes_kept_float(node);
        proto.set_node(trial.stage);
        proto.set_meets_targets(trial.met);
        if (trial.measurement) {
            const Fp16Measurement &m = *trial.measurement;
            addMetric(proto, "cosine", m.worstCosine);
            addMetric(proto, "sqnr", m.worstSqnrDb);
            proto.set_latency_ms(m.latencyMs);
            proto.set_size_bytes(m.modelBytes);
            if (!m.finite)
                proto.add_missed("an output overflowed float16 (NaN or infinity)");
            else if (m.worstCosine < target->minCosine)
                proto.add_missed("cosine>=" + figure(target->minCosine) + " ("
                                 + figure(m.worstCosine) + ")");
            else if (m.worstSqnrDb < target->minSqnrDb)
                proto.add_missed("sqnr>=" + figure(target->minSqnrDb) + " (" + figure(m.worstSqnrDb)
                                 + ")");
            result.score = m.worstCosine;
        }
        result.accuracyMet = trial.met;
        const double now = elapsed();
        proto.set_seconds(now - lastTrialEnd);
        lastTrialEnd = now;
        *run.add_trials() = proto;
        if (callbacks.onTrial)
            callbacks.onTrial(result);
    };
    auto found = searchFp16BlockList(model, startOptions(settings.startRecipe),
                                     evaluation.samples(), evaluation.referenceOutputs(), *target,
                                     options, progress);
    if (!found)
        return found.status();

    // The best trial: the search's answer, the last trial made with exactly its block list.
    for (int i = run.trials_size() - 1; i >= 0; --i) {
        const auto &kept = run.trials(i).nodes_kept_float();
        if (std::vector<std::string>(kept.begin(), kept.end()) == found->blockList) {
            run.set_best_trial(i);
            break;
        }
    }
    run.set_targets_met(found->met);
    run.set_budget_exhausted(!found->complete);

    // The output: the start recipe with the found block list, converted as `quantize` would.
    QuantizeSettings quantize;
    quantize.threads = settings.evaluation.threads;
    auto converted = quantizeModel(model, withBlockList(settings.startRecipe, found->blockList),
                                   quantize, progress);
    if (!converted)
        return converted.status().withContext("converting with the found block list");
    outcome.best = std::make_shared<const QuantizeResult>(std::move(*converted));
    if (!found->overflowBlocked.empty())
        outcome.diagnostics.push_back(
            diagnosticOf(Severity::Info,
                         makeMessage(MessageId::Fp16OverflowBlocked,
                                     {std::to_string(found->overflowBlocked.size())})));
    run.set_seconds(elapsed());
    return outcome;
}

} // namespace qs
