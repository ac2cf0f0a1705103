#pragma once
// Accuracy of one tensor against its reference, accumulated over samples without keeping them:
// sums of squares and products are enough for cosine and SQNR, maxima and counts for the rest.
#include "quantscope.pb.h"
#include "tensor/tensor.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qs {

// Figures measured only when asked for (a target names them): top-k agreement for each k, and
// mask IoU at each threshold.
struct MetricRequests
{
    std::vector<int> topK;              // k >= 2 (top-1 is always measured on score outputs)
    std::vector<double> maskThresholds; // iou@T
};

class AccuracyAccumulator
{
public:
    // Adds one sample. Both tensors must have the same element count (checked by the caller);
    // any numeric dtype is read as double. `scoreVector`: compare argmax over the last dim.
    // `requests`: the optional figures (top-k on score vectors, mask IoU on any output).
    void add(const Tensor &reference, const Tensor &actual, bool scoreVector,
             const MetricRequests &requests = {});

    double maxAbs() const { return m_maxAbs; }
    double meanAbs() const { return m_count ? m_sumAbs / double(m_count) : 0.0; }
    double cosine() const;
    double sqnrDb() const;
    int64_t nanCount() const { return m_nanCount; }
    bool hasTop1() const { return m_top1Total > 0; }
    double top1Agreement() const
    {
        return m_top1Total ? double(m_top1Same) / double(m_top1Total) : 0;
    }

    // The share of rows whose reference top-1 is among the actual k best; nullopt if not asked.
    std::optional<double> topKAgreement(int k) const;
    // |ref >= T and act >= T| / |ref >= T or act >= T| over all samples; 1 when both are empty.
    std::optional<double> maskIou(double threshold) const;

    quantscope::OutputAccuracy toProto(const std::string &name) const;

private:
    double m_dot = 0, m_refSquares = 0, m_actSquares = 0, m_diffSquares = 0;
    double m_maxAbs = 0, m_sumAbs = 0;
    int64_t m_count = 0, m_nanCount = 0;
    int64_t m_top1Same = 0, m_top1Total = 0;
    std::map<int, int64_t> m_topKSame; // k -> rows whose reference top-1 is in the actual top-k
    struct MaskCounts
    {
        int64_t intersection = 0, uni = 0;
    };
    std::map<double, MaskCounts> m_masks;
};

// Does a tensor of this shape hold score vectors (classification logits / probabilities)?
// Rank >= 1 with a last dim of 2 or more, and not an image-like map (rank 4).
bool looksLikeScores(const Shape &shape);

} // namespace qs
