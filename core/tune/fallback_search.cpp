#include "tune/fallback_search.h"

#include "model/graph_index.h"
#include "model/model.h"

#include <algorithm>
#include <limits>
#include <utility>

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

// Forward selection: each round keeps float the one node whose fallback, on top of the nodes
// already kept, raises the score the most (the first round is the leave-one-out sensitivity),
// then re-measures that set timed. Errors interact (on PaddleOCR det no single Conv kept float
// moves the cosine by more than 0.005, and following the leave-one-out order blindly kept 63
// Convs float while the cosine fell), so every round measures again; only the
// kRoundCandidates nodes that helped most in the round before are re-measured. Stops when the
// accuracy targets hold, when no node raises the score, or on the budget.
constexpr size_t kRoundCandidates = 24;

Result<std::pair<std::vector<std::string>, bool>> greedyFallback(
    TrialLog &log, const TrialResult &baseline,
    const std::vector<quantscope::NodeSensitivity> &sensitivity)
{
    std::vector<std::pair<std::string, double>> gains; // node, score with it kept float
    for (const auto &entry : sensitivity)
        gains.emplace_back(entry.node(), entry.score());
    std::vector<std::string> kept;
    double score = baseline.score;
    while (!gains.empty()) {
        std::stable_sort(gains.begin(), gains.end(),
                         [](const auto &a, const auto &b) { return a.second > b.second; });
        if (gains.front().second <= score)
            break; // no node helps any more
        const std::string pick = gains.front().first;
        gains.erase(gains.begin());
        kept.push_back(pick);
        auto confirmed
            = log.run(requestFrom(baseline, quantscope::TRIAL_KIND_FALLBACK, pick, kept, true));
        if (!confirmed)
            return confirmed.status();
        if (!confirmed->has_value())
            break;
        score = (*confirmed)->score;
        if ((*confirmed)->accuracyMet)
            return std::pair(kept, true);
        if (gains.size() > kRoundCandidates)
            gains.resize(kRoundCandidates);
        for (auto &[node, withNode] : gains) {
            std::vector<std::string> tried = kept;
            tried.push_back(node);
            auto trial = log.run(
                requestFrom(baseline, quantscope::TRIAL_KIND_SENSITIVITY, node, tried, false));
            if (!trial) {
                // A set that leaves nothing to quantize is no candidate.
                if (trial.status().code() == StatusCode::Cancelled)
                    return trial.status();
                withNode = -std::numeric_limits<double>::infinity();
                continue;
            }
            if (!trial->has_value())
                return std::pair(kept, false);
            withNode = (*trial)->score;
        }
    }
    return std::pair(kept, false);
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

    auto greedy = greedyFallback(log, baseline, result.sensitivity);
    if (!greedy)
        return greedy.status();
    std::vector<std::string> kept = std::move(greedy->first);
    result.met = greedy->second;
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
