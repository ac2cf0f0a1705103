#pragma once
// Streaming range statistics of one activation tensor across calibration samples. Each sample's
// values are folded in and dropped: memory stays the same whether 10 or 10,000 samples run
// (ONNX Runtime's calibrators keep every activation of every sample until the end and run out
// of memory on large sets: onnxruntime#10503, #11020).
#include "tensor/tensor.h"

#include <cstdint>
#include <vector>

namespace qs {

struct TensorRange
{
    float min = 0.0f;
    float max = 0.0f;
};

// MinMax: the extremes over all samples, or (moving average) each sample's extremes folded in
// with weight `averagingConstant`, as ORT's MinMaxCalibrater does.
class MinMaxCollector
{
public:
    MinMaxCollector(bool movingAverage, float averagingConstant);
    void add(const float *values, int64_t count);
    bool empty() const { return !m_seen; }
    TensorRange range() const { return m_range; }

private:
    bool m_movingAverage;
    float m_averagingConstant;
    bool m_seen = false;
    TensorRange m_range;
};

// A histogram over [-T, T] with a fixed number of bins. T starts at the first sample's max |x|
// and doubles when a later sample goes beyond it; doubling merges bin pairs exactly, so merged
// histograms are the same as if the final range had been known from the start (up to that
// 2x resolution), and memory is fixed at `bins` counters.
class HistogramCollector
{
public:
    explicit HistogramCollector(int bins);
    void add(const float *values, int64_t count);
    bool empty() const { return m_total == 0; }

    // The range keeping `percentile` % of the values: symmetric cuts |x|, otherwise
    // (100 - percentile) / 2 % is cut from each side. Clipped to the observed min/max.
    TensorRange percentileRange(double percentile, bool symmetric) const;
    // The symmetric threshold whose quantization into `quantizedBins` levels loses the least
    // information (KL divergence between the clipped and the quantized distribution), as in
    // ORT's entropy calibrator and TensorRT's. Clipped to the observed min/max.
    TensorRange entropyRange(int quantizedBins) const;
    // The range whose quantization into `levels` steps (255: 8 bits) has the least expected
    // squared error over the histogram: a value inside the range is off by its distance to the
    // nearest grid point (bins finer than a step: from the bin's centre; coarser: the uniform
    // step^2 / 12; exact zeros by none, zero is on the grid), a value outside by its distance
    // to the nearest end. Candidates shrink [min(min, 0), max(max, 0)] by a common
    // factor, then each end on its own (a ReLU output keeps 0 and only moves its max);
    // symmetric ranges are [-t, t]. Within the observed min/max.
    TensorRange mseRange(bool symmetric, int levels = 255) const;
    // The expected squared error of quantizing the histogram's values into [low, high].
    double quantizationMse(double low, double high, int levels) const;

    const std::vector<int64_t> &counts() const { return m_counts; }
    double threshold() const { return m_threshold; }

private:
    void widenTo(double absMax);
    double binEdge(int64_t index) const; // left edge of bin `index`; index == bins: T
    TensorRange clipToObserved(TensorRange range) const;

    std::vector<int64_t> m_counts;
    double m_threshold = 0.0; // T
    int64_t m_total = 0;
    int64_t m_zeros = 0; // exact zeros (ReLU outputs): no rounding error at any scale
    float m_min = 0.0f;
    float m_max = 0.0f;
};

} // namespace qs
