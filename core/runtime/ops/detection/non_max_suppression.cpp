// NonMaxSuppression: per batch and class, keeps the highest-scoring boxes above score_threshold
// and drops every box overlapping a kept one by IoU > iou_threshold, up to
// max_output_boxes_per_class; outputs (batch, class, box) triples in selection order.
// Candidates are ordered by score once per class (ties: lower box index first, as ONNX Runtime)
// in a heap, so a class that reaches its maximum after a few hundred boxes never pays for
// sorting the thousands it does not look at; each candidate is compared only against the boxes
// kept so far, stopping at the first overlap.
#include "runtime/ops/detection/detection_kernels.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace qs::ops {

namespace {

struct Box
{
    float x1, y1, x2, y2, area;
};

// Corners as (min, max) whatever the input's order (flipped boxes are allowed).
std::vector<Box> decodeBoxes(const float *data, int64_t count, bool centerFormat)
{
    std::vector<Box> boxes(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        const float *b = data + i * 4;
        Box &box = boxes[static_cast<size_t>(i)];
        if (centerFormat) { // [x_center, y_center, width, height]
            box.x1 = b[0] - b[2] / 2;
            box.x2 = b[0] + b[2] / 2;
            box.y1 = b[1] - b[3] / 2;
            box.y2 = b[1] + b[3] / 2;
        } else { // [y1, x1, y2, x2], any two opposite corners
            box.y1 = std::min(b[0], b[2]);
            box.y2 = std::max(b[0], b[2]);
            box.x1 = std::min(b[1], b[3]);
            box.x2 = std::max(b[1], b[3]);
        }
        box.area = (box.x2 - box.x1) * (box.y2 - box.y1);
    }
    return boxes;
}

bool overlapsTooMuch(const Box &a, const Box &b, float threshold)
{
    if (a.area <= 0.0f || b.area <= 0.0f)
        return false;
    const float width = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
    const float height = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
    if (width <= 0.0f || height <= 0.0f)
        return false;
    const float intersection = width * height;
    return intersection / (a.area + b.area - intersection) > threshold;
}

class NonMaxSuppressionKernel final : public Kernel
{
public:
    explicit NonMaxSuppressionKernel(bool centerFormat)
        : m_centerFormat(centerFormat)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &boxes = ctx.input(0);
        const Tensor &scores = ctx.input(1);
        if (boxes.dtype() != DType::Float32 || scores.dtype() != DType::Float32)
            return ctx.error("boxes and scores must be float32 but are " + boxes.describe()
                             + " and " + scores.describe());
        if (boxes.rank() != 3 || boxes.dim(2) != 4 || scores.rank() != 3
            || scores.dim(0) != boxes.dim(0) || scores.dim(2) != boxes.dim(1))
            return ctx.error("boxes must be [batches, boxes, 4] and scores [batches, classes, "
                             "boxes] but are "
                             + boxes.describe() + " and " + scores.describe());
        const int64_t maxPerClass = ctx.hasInput(2) ? ctx.input(2).intAt(0) : 0;
        const float iouThreshold = ctx.hasInput(3) ? float(ctx.input(3).doubleAt(0)) : 0.0f;
        const bool hasScoreThreshold = ctx.hasInput(4);
        const float scoreThreshold = hasScoreThreshold ? float(ctx.input(4).doubleAt(0)) : 0.0f;

        const int64_t batches = boxes.dim(0), count = boxes.dim(1), classes = scores.dim(1);
        std::vector<std::array<int64_t, 3>> selected;
        std::vector<int64_t> candidates;
        std::vector<int64_t> kept;
        for (int64_t n = 0; n < batches && maxPerClass > 0; ++n) {
            const std::vector<Box> decoded = decodeBoxes(boxes.data<float>() + n * count * 4, count,
                                                         m_centerFormat);
            for (int64_t c = 0; c < classes; ++c) {
                const float *score = scores.data<float>() + (n * classes + c) * count;
                candidates.clear();
                // NaN scores are left out: they select nothing and would break the ordering.
                for (int64_t i = 0; i < count; ++i) {
                    if (hasScoreThreshold ? score[i] > scoreThreshold : !std::isnan(score[i]))
                        candidates.push_back(i);
                }
                // A max-heap on (score, then lower index): the order a stable sort would give.
                const auto comesLater = [score](int64_t a, int64_t b) {
                    return score[a] < score[b] || (score[a] == score[b] && a > b);
                };
                std::make_heap(candidates.begin(), candidates.end(), comesLater);
                kept.clear();
                for (auto end = candidates.end(); end != candidates.begin(); --end) {
                    std::pop_heap(candidates.begin(), end, comesLater);
                    const int64_t i = *(end - 1);
                    const Box &box = decoded[static_cast<size_t>(i)];
                    bool suppressed = false;
                    for (const int64_t k : kept) {
                        if (overlapsTooMuch(box, decoded[static_cast<size_t>(k)], iouThreshold)) {
                            suppressed = true;
                            break;
                        }
                    }
                    if (suppressed)
                        continue;
                    kept.push_back(i);
                    selected.push_back({n, c, i});
                    if (static_cast<int64_t>(kept.size()) >= maxPerClass)
                        break;
                }
            }
        }
        Tensor &out = ctx.allocateOutput(0, DType::Int64,
                                         {static_cast<int64_t>(selected.size()), 3});
        int64_t *dst = out.mutableData<int64_t>();
        for (const auto &triple : selected)
            dst = std::copy(triple.begin(), triple.end(), dst);
        return Status::ok();
    }

private:
    bool m_centerFormat;
};

} // namespace

Result<std::unique_ptr<Kernel>> createNonMaxSuppression(const KernelInfo &info)
{
    Result<int64_t> center = info.getInt("center_point_box", 0);
    if (!center)
        return center.status();
    if (*center != 0 && *center != 1)
        return info.error("center_point_box must be 0 or 1 but is " + std::to_string(*center));
    return makeKernel<NonMaxSuppressionKernel>(*center == 1);
}

} // namespace qs::ops
