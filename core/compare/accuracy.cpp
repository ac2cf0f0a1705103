#include "compare/accuracy.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace qs {

namespace {

std::vector<double> asDoubles(const Tensor &tensor)
{
    std::vector<double> values(static_cast<size_t>(tensor.elementCount()));
    if (tensor.dtype() == DType::Float32) {
        const float *data = tensor.data<float>();
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = data[i];
    } else {
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = tensor.doubleAt(int64_t(i));
    }
    return values;
}

} // namespace

bool looksLikeScores(const Shape &shape)
{
    return !shape.empty() && shape.size() != 4 && shape.back() >= 2;
}

namespace {

// Is the reference's best class among the actual row's k best? Rank = how many actual scores
// beat the actual score of the reference's class (ties count for the reference's class).
bool inTopK(const double *act, size_t classes, size_t refBest, int k)
{
    size_t better = 0;
    for (size_t i = 0; i < classes; ++i)
        better += act[i] > act[refBest];
    return better < size_t(k);
}

} // namespace

void AccuracyAccumulator::add(const Tensor &reference, const Tensor &actual, bool scoreVector,
                              const MetricRequests &requests)
{
    const std::vector<double> ref = asDoubles(reference);
    const std::vector<double> act = asDoubles(actual);
    for (size_t i = 0; i < ref.size() && i < act.size(); ++i) {
        const double r = ref[i], a = act[i];
        if (!std::isfinite(a)) {
            ++m_nanCount;
            continue;
        }
        if (!std::isfinite(r))
            continue; // the reference itself is not comparable here
        const double d = std::fabs(r - a);
        m_maxAbs = std::max(m_maxAbs, d);
        m_sumAbs += d;
        m_dot += r * a;
        m_refSquares += r * r;
        m_actSquares += a * a;
        m_diffSquares += d * d;
        ++m_count;
    }
    if (scoreVector && !reference.shape().empty()) {
        const auto classes = size_t(reference.shape().back());
        for (size_t row = 0; row + classes <= ref.size() && classes > 0; row += classes) {
            size_t refBest = row, actBest = row;
            for (size_t i = row; i < row + classes; ++i) {
                if (ref[i] > ref[refBest])
                    refBest = i;
                if (act[i] > act[actBest])
                    actBest = i;
            }
            m_top1Same += refBest == actBest;
            ++m_top1Total;
            for (const int k : requests.topK)
                m_topKSame[k] += inTopK(act.data() + row, classes, refBest - row, k);
        }
    }
    for (const double threshold : requests.maskThresholds) {
        MaskCounts &counts = m_masks[threshold];
        for (size_t i = 0; i < ref.size() && i < act.size(); ++i) {
            const bool inRef = ref[i] >= threshold, inAct = act[i] >= threshold;
            counts.intersection += inRef && inAct;
            counts.uni += inRef || inAct;
        }
    }
}

std::optional<double> AccuracyAccumulator::topKAgreement(int k) const
{
    const auto it = m_topKSame.find(k);
    if (it == m_topKSame.end() || m_top1Total == 0)
        return std::nullopt;
    return double(it->second) / double(m_top1Total);
}

std::optional<double> AccuracyAccumulator::maskIou(double threshold) const
{
    const auto it = m_masks.find(threshold);
    if (it == m_masks.end())
        return std::nullopt;
    if (it->second.uni == 0)
        return 1.0;
    return double(it->second.intersection) / double(it->second.uni);
}

double AccuracyAccumulator::cosine() const
{
    if (m_refSquares == 0 && m_actSquares == 0)
        return 1.0; // both all-zero: the same
    if (m_refSquares == 0 || m_actSquares == 0)
        return 0.0;
    return m_dot / std::sqrt(m_refSquares * m_actSquares);
}

double AccuracyAccumulator::sqnrDb() const
{
    if (m_diffSquares == 0)
        return std::numeric_limits<double>::infinity();
    if (m_refSquares == 0)
        return -std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(m_refSquares / m_diffSquares);
}

quantscope::OutputAccuracy AccuracyAccumulator::toProto(const std::string &name) const
{
    quantscope::OutputAccuracy proto;
    proto.set_name(name);
    proto.set_max_abs(maxAbs());
    proto.set_mean_abs(meanAbs());
    proto.set_cosine(cosine());
    proto.set_sqnr_db(sqnrDb());
    if (hasTop1())
        proto.set_top1_agreement(top1Agreement());
    proto.set_nan_count(nanCount());
    for (const auto &[k, same] : m_topKSame) {
        auto &topK = *proto.add_top_k();
        topK.set_k(k);
        topK.set_agreement(*topKAgreement(k));
    }
    for (const auto &[threshold, counts] : m_masks) {
        auto &mask = *proto.add_mask_iou();
        mask.set_threshold(threshold);
        mask.set_iou(*maskIou(threshold));
    }
    return proto;
}

} // namespace qs
