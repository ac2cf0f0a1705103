#pragma once
// The negative log-likelihood step that NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss
// share: given log-probabilities laid out [N, C, d1..dk] and labels [N, d1..dk], the loss of
// each element is -logProb[n, label, d] * weight[label] (0 where label == ignore_index), then
// reduced. Losses are training-side ops that inference graphs rarely contain, so this is a plain
// reference loop that accumulates in double.

#include "runtime/kernel.h"

#include <optional>
#include <span>

namespace qs::ops {

enum class LossReduction { None, Sum, Mean };

struct LossSettings
{
    LossReduction reduction = LossReduction::Mean;
    std::optional<int64_t> ignoreIndex;
};

// Reads the `reduction` (none/sum/mean, default mean) and `ignore_index` attributes.
Result<LossSettings> parseLossSettings(const KernelInfo &info);

// Writes output 0 (dtype `type`): the per-element losses shaped like `target` for reduction
// none, else a scalar. `logProb` holds the input of shape `inputShape` widened to double;
// `weight` is empty when the optional class weights are absent. Fails on a label outside [0, C)
// that is not the ignore index.
Status writeNegativeLogLikelihood(KernelContext &ctx, std::span<const double> logProb,
                                  const Shape &inputShape, const Tensor &target,
                                  const Tensor &weight, const LossSettings &settings, DType type);

} // namespace qs::ops
