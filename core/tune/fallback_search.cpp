#include "tune/fallback_search.h"

#include "model/graph_index.h"
#include "model/model.h"

#include <algorithm>

namespace qs {

namespace {

TrialRequest requestFrom(const TrialResult &baseline, quantscope::TrialKind kind, std::string node,
                         std::vector<std::string> keptFloat, bool timed)
{
    TrialRequest request;
    request.kind = kind;
    request.recipe = baseline.proto.recipe();
    request.recipe.clear_left_in_float();
    request.node = std::move(node);
    request.keptFloat = std::move(keptFloat);
    request.timed = timed;
    return request;
}

Result<std::vector<quantscope::NodeSensitivity>> measureSensitivity(
    TrialLog &log, const std::shared_ptr<const Model> &model, const TrialResult &baseline,
    const std::vector<std::string> &candidates)
{
    std::vector<quantscope::NodeSensitivity> sensitivity;
    for (const std::string &node : candidates) {
        auto trial = log.run(
            requestFrom(baseline, quantscope::TRIAL_KIND_SENSITIVITY, node, {node}, false));
        if (!trial)
            return trial.status();
        if (!trial->has_value())
            break;
        quantscope::NodeSensitivity entry;
        entry.set_node(node);
        if (const NodeInfo *info = model->index().findByDisplayName(node))
            entry.set_op_type(info->opType);
        entry.set_score((*trial)->score);
        entry.set_gain((*trial)->score - baseline.score);
        entry.set_trial((*trial)->proto.index());
        if (log.callbacks().onSensitivity)
            log.callbacks().onSensitivity(entry);
        sensitivity.push_back(std::move(entry));
    }
    return sensitivity;
}

} // namespace

Result<std::vector<std::string>> pruneFallback(TrialLog &log, const TrialResult &baseline,
                                               std::vector<std::string> kept)
{
    for (size_t i = kept.size(); i-- > 0;) {
        std::vector<std::string> without = kept;
        without.erase(without.begin() + std::ptrdiff_t(i));
        auto trial
            = log.run(requestFrom(baseline, quantscope::TRIAL_KIND_PRUNE, kept[i], without, true));
        if (!trial)
            return trial.status();
        if (!trial->has_value())
            break;
        if ((*trial)->accuracyMet)
            kept = std::move(without);
    }
    return kept;
}

Result<FallbackResult> runFallbackSearch(TrialLog &log, const std::shared_ptr<const Model> &model,
                                         const TrialResult &baseline, bool prune)
{
    FallbackResult result;
    if (baseline.accuracyMet) {
        result.met = true;
        return result;
    }
    auto candidates = fallbackCandidates(model, *baseline.quantized, log.runner().settings());
    if (!candidates)
        return candidates.status();
    auto sensitivity = measureSensitivity(log, model, baseline, *candidates);
    if (!sensitivity)
        return sensitivity.status();
    result.sensitivity = std::move(*sensitivity);

    // Greedy, the largest gain first, re-measuring: a node stays float only when keeping it so
    // raised the score over the set before it (errors interact: on PaddleOCR det most single
    // Convs kept float change nothing, and keeping all of them float lowers the cosine).
    std::vector<const quantscope::NodeSensitivity *> order;
    for (const auto &entry : result.sensitivity)
        order.push_back(&entry);
    std::stable_sort(order.begin(), order.end(),
                     [](const auto *a, const auto *b) { return a->gain() > b->gain(); });
    std::vector<std::string> kept;
    double score = baseline.score;
    for (const quantscope::NodeSensitivity *entry : order) {
        std::vector<std::string> tried = kept;
        tried.push_back(entry->node());
        auto trial = log.run(
            requestFrom(baseline, quantscope::TRIAL_KIND_FALLBACK, entry->node(), tried, true));
        if (!trial) {
            // A node set that cannot be quantized (every node float) ends the greedy pass.
            if (trial.status().code() == StatusCode::Cancelled)
                return trial.status();
            break;
        }
        if (!trial->has_value())
            return result; // budget or cancel: the best so far is in the log
        if ((*trial)->score <= score)
            continue;
        kept = std::move(tried);
        score = (*trial)->score;
        if ((*trial)->accuracyMet) {
            result.met = true;
            break;
        }
    }
    if (!result.met)
        return result;

    // Pruning, latest first: the early nodes carry the most gain.
    if (prune) {
        auto pruned = pruneFallback(log, baseline, std::move(kept));
        if (!pruned)
            return pruned.status();
        kept = std::move(*pruned);
    }
    result.keptFloat = std::move(kept);
    return result;
}

} // namespace qs
