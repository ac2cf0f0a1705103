#pragma once
// Summary statistics of a constant tensor for the detail pane: min/max/mean/std and a histogram
// over the finite values. Huge tensors are sampled with a fixed stride so the GUI stays fast.

#include "tensor/tensor.h"

#include <cstdint>
#include <vector>

namespace qs::ui {

struct TensorStats
{
    bool valid = false;    // false for types without numbers (strings) or no finite value
    int64_t elements = 0;  // in the tensor
    int64_t sampled = 0;   // values read (== elements unless the tensor is huge)
    int64_t nonFinite = 0; // NaN / Inf among the sampled values, left out of the numbers
    double min = 0;
    double max = 0;
    double mean = 0;
    double stddev = 0;              // population standard deviation
    std::vector<int64_t> histogram; // `bins` equal-width bins over [min, max]
    double binWidth() const
    {
        return histogram.empty() ? 0.0 : (max - min) / double(histogram.size());
    }
};

// Reads at most `maxSamples` values of `tensor` (every k-th one beyond that).
TensorStats computeTensorStats(const Tensor &tensor, int bins = 32, int64_t maxSamples = 1 << 20);

} // namespace qs::ui
