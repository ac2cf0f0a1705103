#include "tune/fallback_search.h"

#include "model/graph_index.h"
#include "model/model.h"

#include <algorithm>
#include <limits>
#include <set>
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

// "a+b+c" -> {a, b, c}: a candidate is one node or a group (below).
std::vector<std::string> membersOf(const std::string &label)
{
    std::vector<std::string> members;
    size_t start = 0;
    for (size_t plus = label.find('+'); plus != std::string::npos; plus = label.find('+', start)) {
        members.push_back(label.substr(start, plus - start));
        start = plus + 1;
    }
    members.push_back(label.substr(start));
    return members;
}

std::vector<std::string> unionOf(std::vector<std::string> kept, const std::string &label)
{
    for (const std::string &node : membersOf(label))
        if (std::find(kept.begin(), kept.end(), node) == kept.end())
            kept.push_back(node);
    return kept;
}

// Keeping one node float removes its weights' rounding, but the tensors around it stay
// quantized when a quantized neighbour reads or writes them; on PaddleOCR det that is where
// the error is. So each node also comes as a group with the candidates its output reaches
// (through nodes that are no candidates: a folded BatchNorm, an activation), labelled
// "a+b+c": keeping the group float takes the tensors between them out of quantization too.
std::vector<std::string> withGroups(const Model &model, const std::vector<std::string> &nodes)
{
    const GraphIndex &index = model.index();
    const std::set<std::string> isCandidate(nodes.begin(), nodes.end());
    std::vector<std::string> labels = nodes;
    for (const std::string &node : nodes) {
        const NodeInfo *info = index.findByDisplayName(node);
        if (!info)
            continue;
        std::vector<std::string> group = {node};
        std::vector<std::pair<const NodeInfo *, int>> frontier = {{info, 0}};
        std::set<int> seen = {info->id};
        while (!frontier.empty() && group.size() < 4) {
            const auto [current, depth] = frontier.back();
            frontier.pop_back();
            for (const ValueRef &output : current->outputs)
                for (const NodeInfo *reader : index.consumers(current->graph, output.name)) {
                    if (!seen.insert(reader->id).second)
                        continue;
                    if (isCandidate.count(reader->displayName))
                        group.push_back(reader->displayName);
                    else if (depth < 3)
                        frontier.emplace_back(reader, depth + 1);
                }
        }
        if (group.size() < 2)
            continue;
        std::string label = group.front();
        for (size_t i = 1; i < group.size() && i < 4; ++i)
            label += "+" + group[i];
        labels.push_back(label);
    }
    return labels;
}

Result<std::vector<quantscope::NodeSensitivity>> measureSensitivity(
    TrialLog &log, const std::shared_ptr<const Model> &model, const TrialResult &baseline,
    const std::vector<std::string> &candidates)
{
    std::vector<quantscope::NodeSensitivity> sensitivity;
    for (const std::string &node : candidates) {
        auto trial = log.run(requestFrom(baseline, quantscope::TRIAL_KIND_SENSITIVITY, node,
                                         membersOf(node), false));
        if (!trial) {
            if (trial.status().code() == StatusCode::Cancelled)
                return trial.status();
            continue; // a group that leaves nothing to quantize
        }
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
        kept = unionOf(std::move(kept), pick);
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
            auto trial = log.run(requestFrom(baseline, quantscope::TRIAL_KIND_SENSITIVITY, node,
                                             unionOf(kept, node), false));
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
    auto sensitivity = measureSensitivity(log, model, baseline, withGroups(*model, *candidates));
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
