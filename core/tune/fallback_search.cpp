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
                         FallbackSet kept, bool timed)
{
    TrialRequest request;
    request.kind = kind;
    request.recipe = baseline.proto.recipe();
    request.recipe.clear_left_in_float();
    request.node = std::move(node);
    request.keptFloat = std::move(kept.keptFloat);
    request.sixteenBit = std::move(kept.sixteenBit);
    request.timed = timed;
    return request;
}

FallbackSet withFloat(FallbackSet kept, std::vector<std::string> keptFloat)
{
    kept.keptFloat = std::move(keptFloat);
    return kept;
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
                                         {membersOf(node), {}}, false));
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

// With 16-bit fallback, every candidate is also measured with 16-bit activations; the round's
// node stays integer (16 bits) when that recovers at least this share of the score float would,
// else it is kept float as without the option.
constexpr double kSixteenBitGainShare = 0.9;

class GreedyFallback
{
public:
    GreedyFallback(TrialLog &log, const TrialResult &baseline, bool sixteenBit)
        : m_log(log)
        , m_baseline(baseline)
        , m_sixteenBit(sixteenBit)
    {}

    Result<std::pair<FallbackSet, bool>> run(
        const std::vector<quantscope::NodeSensitivity> &sensitivity)
    {
        std::vector<Candidate> candidates;
        for (const auto &entry : sensitivity)
            candidates.push_back({entry.node(), entry.score()});
        if (auto measured = measureSixteenBit(candidates); !measured)
            return measured.status();
        double score = m_baseline.score;
        while (!candidates.empty()) {
            std::stable_sort(candidates.begin(), candidates.end(),
                             [](const auto &a, const auto &b) { return a.best() > b.best(); });
            if (candidates.front().best() <= score)
                break; // no node helps any more
            const Candidate pick = candidates.front();
            candidates.erase(candidates.begin());
            auto confirmed = takeOut(pick, score);
            if (!confirmed)
                return confirmed.status();
            if (!confirmed->has_value())
                break;
            score = (*confirmed)->score;
            if ((*confirmed)->accuracyMet)
                return std::pair(m_kept, true);
            if (candidates.size() > kRoundCandidates)
                candidates.resize(kRoundCandidates);
            for (Candidate &candidate : candidates) {
                auto trial = m_log.run(
                    requestFrom(m_baseline, quantscope::TRIAL_KIND_SENSITIVITY, candidate.node,
                                withFloat(m_kept, unionOf(m_kept.keptFloat, candidate.node)),
                                false));
                if (!trial) {
                    // A set that leaves nothing to quantize is no candidate.
                    if (trial.status().code() == StatusCode::Cancelled)
                        return trial.status();
                    candidate.floatScore = -std::numeric_limits<double>::infinity();
                    continue;
                }
                if (!trial->has_value())
                    return std::pair(m_kept, false);
                candidate.floatScore = (*trial)->score;
            }
            auto measured = measureSixteenBit(candidates);
            if (!measured)
                return measured.status();
            if (!*measured)
                return std::pair(m_kept, false);
        }
        return std::pair(m_kept, false);
    }

private:
    // A node (or group) and the score with it kept float, and with its activations in 16 bits
    // (measured only with the option: an activation's error, which float fallback may not reach
    // when a neighbour quantizes the same tensor, shows only there).
    struct Candidate
    {
        std::string node;
        double floatScore = 0;
        double sixteenBitScore = -std::numeric_limits<double>::infinity();
        double best() const { return std::max(floatScore, sixteenBitScore); }
    };

    // The candidates' 16-bit scores on top of the nodes already taken out; false when the budget
    // stopped it.
    Result<bool> measureSixteenBit(std::vector<Candidate> &candidates)
    {
        for (Candidate &candidate : candidates) {
            if (!m_sixteenBit)
                return true;
            FallbackSet tried = m_kept;
            tried.sixteenBit = unionOf(std::move(tried.sixteenBit), candidate.node);
            auto trial = m_log.run(requestFrom(m_baseline, quantscope::TRIAL_KIND_SENSITIVITY,
                                               candidate.node, tried, false));
            if (!trial && trial.status().code() == StatusCode::Cancelled)
                return trial.status();
            if (!trial) {
                // A failure of the 16-bit model (the opset 21 conversion) would repeat for every
                // node: float only from here on.
                m_sixteenBit = false;
                return true;
            }
            if (!trial->has_value())
                return false;
            candidate.sixteenBitScore = (*trial)->score;
        }
        return true;
    }

    // Takes `pick` out of 8-bit quantization: in 16 bits when its 16-bit score recovers
    // kSixteenBitGainShare of what float would from `score` (and the timed trial confirms it),
    // else in float. The timed trial; nullopt when the budget stopped the search.
    Result<std::optional<TrialResult>> takeOut(const Candidate &pick, double score)
    {
        const double enough = score + kSixteenBitGainShare * (pick.floatScore - score);
        if (m_sixteenBit && pick.sixteenBitScore > score && pick.sixteenBitScore >= enough) {
            FallbackSet tried = m_kept;
            tried.sixteenBit = unionOf(std::move(tried.sixteenBit), pick.node);
            auto trial = m_log.run(requestFrom(m_baseline, quantscope::TRIAL_KIND_FALLBACK_16BIT,
                                               pick.node, tried, true));
            if (!trial || !trial->has_value())
                return trial;
            if ((*trial)->accuracyMet || (*trial)->score >= enough) {
                m_kept = std::move(tried);
                return trial;
            }
        }
        m_kept.keptFloat = unionOf(std::move(m_kept.keptFloat), pick.node);
        return m_log.run(
            requestFrom(m_baseline, quantscope::TRIAL_KIND_FALLBACK, pick.node, m_kept, true));
    }

    TrialLog &m_log;
    const TrialResult &m_baseline;
    bool m_sixteenBit;
    FallbackSet m_kept;
};

// One node of `list` (`kept`'s float or 16-bit nodes) quantized again in 8 bits; true when
// the targets still hold, and then it is gone from `kept`.
Result<std::optional<bool>> tryRequantizing(TrialLog &log, const TrialResult &baseline,
                                            FallbackSet &kept,
                                            std::vector<std::string> FallbackSet::*list, size_t i)
{
    FallbackSet without = kept;
    const std::string node = (kept.*list)[i];
    (without.*list).erase((without.*list).begin() + std::ptrdiff_t(i));
    auto trial = log.run(requestFrom(baseline, quantscope::TRIAL_KIND_PRUNE, node, without, true));
    if (!trial)
        return trial.status();
    if (!trial->has_value())
        return std::optional<bool>();
    if ((*trial)->accuracyMet)
        kept = std::move(without);
    return std::optional<bool>((*trial)->accuracyMet);
}

} // namespace

Result<FallbackSet> pruneFallback(TrialLog &log, const TrialResult &baseline, FallbackSet kept,
                                  bool sixteenBit)
{
    for (size_t i = kept.keptFloat.size(); i-- > 0;) {
        auto pruned = tryRequantizing(log, baseline, kept, &FallbackSet::keptFloat, i);
        if (!pruned)
            return pruned.status();
        if (!pruned->has_value())
            return kept;
        if (**pruned || !sixteenBit)
            continue;
        // Needed, but perhaps not in float: the greedy round chose float when 16 bits fell
        // short then, with fewer nodes out of 8 bits than now.
        FallbackSet moved = kept;
        const std::string node = kept.keptFloat[i];
        moved.keptFloat.erase(moved.keptFloat.begin() + std::ptrdiff_t(i));
        moved.sixteenBit.push_back(node);
        auto trial = log.run(
            requestFrom(baseline, quantscope::TRIAL_KIND_FALLBACK_16BIT, node, moved, true));
        if (!trial)
            return trial.status();
        if (!trial->has_value())
            return kept;
        if ((*trial)->accuracyMet)
            kept = std::move(moved);
    }
    // The 16-bit nodes, latest first (those moved from float just above are tried too).
    for (size_t i = kept.sixteenBit.size(); i-- > 0;) {
        auto pruned = tryRequantizing(log, baseline, kept, &FallbackSet::sixteenBit, i);
        if (!pruned)
            return pruned.status();
        if (!pruned->has_value())
            break;
    }
    return kept;
}

Result<FallbackResult> runFallbackSearch(TrialLog &log, const std::shared_ptr<const Model> &model,
                                         const TrialResult &baseline,
                                         const FallbackOptions &options)
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

    auto greedy = GreedyFallback(log, baseline, options.sixteenBit).run(result.sensitivity);
    if (!greedy)
        return greedy.status();
    FallbackSet kept = std::move(greedy->first);
    result.met = greedy->second;
    if (!result.met)
        return result;

    // Pruning, latest first: the early nodes carry the most gain.
    if (options.prune) {
        auto pruned = pruneFallback(log, baseline, std::move(kept), options.sixteenBit);
        if (!pruned)
            return pruned.status();
        kept = std::move(*pruned);
    }
    result.kept = std::move(kept);
    return result;
}

} // namespace qs
