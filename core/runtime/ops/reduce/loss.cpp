// Shared by NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (loss.h).
#include "runtime/ops/reduce/loss.h"
#include "runtime/ops/reduce/reference_values.h"

namespace qs::ops {

Result<LossSettings> parseLossSettings(const KernelInfo &info)
{
    LossSettings settings;
    auto reduction = info.getString("reduction", "mean");
    if (!reduction)
        return reduction.status();
    if (*reduction == "none")
        settings.reduction = LossReduction::None;
    else if (*reduction == "sum")
        settings.reduction = LossReduction::Sum;
    else if (*reduction == "mean")
        settings.reduction = LossReduction::Mean;
    else
        return info.error("reduction '" + *reduction + "' is not one of none, sum, mean");
    if (info.hasAttribute("ignore_index")) {
        auto ignore = info.getInt("ignore_index", 0);
        if (!ignore)
            return ignore.status();
        settings.ignoreIndex = *ignore;
    }
    return settings;
}

Status writeNegativeLogLikelihood(KernelContext &ctx, std::span<const double> logProb,
                                  const Shape &inputShape, const Tensor &target,
                                  const Tensor &weight, const LossSettings &settings, DType type)
{
    if (inputShape.size() < 2)
        return ctx.error("input must have at least 2 dims [N, C, ...], got "
                         + shapeToString(inputShape));
    const int64_t batch = inputShape[0], classes = inputShape[1];
    Shape expectedTarget{batch};
    expectedTarget.insert(expectedTarget.end(), inputShape.begin() + 2, inputShape.end());
    if (target.shape() != expectedTarget)
        return ctx.error("target shape " + shapeToString(target.shape()) + " does not match "
                         + shapeToString(expectedTarget) + " of input " + shapeToString(inputShape));
    if (target.dtype() != DType::Int32 && target.dtype() != DType::Int64)
        return ctx.error("target type " + dtypeName(target.dtype()) + " is not int32/int64");
    if (!weight.empty() && weight.shape() != Shape{classes})
        return ctx.error("weight shape " + shapeToString(weight.shape()) + ", expected ["
                         + std::to_string(classes) + "]");
    const int64_t spatial = batch ? target.elementCount() / batch : 0;
    std::vector<double> losses(static_cast<size_t>(target.elementCount()), 0.0);
    double weightSum = 0.0;
    for (int64_t n = 0; n < batch; ++n) {
        for (int64_t d = 0; d < spatial; ++d) {
            const int64_t t = n * spatial + d;
            const int64_t label = target.intAt(t);
            if (settings.ignoreIndex && label == *settings.ignoreIndex)
                continue;
            if (label < 0 || label >= classes)
                return ctx.error("target value " + std::to_string(label) + " at element "
                                 + std::to_string(t) + " is outside [0, " + std::to_string(classes)
                                 + ")");
            const double w = weight.empty() ? 1.0 : weight.doubleAt(label);
            losses[static_cast<size_t>(t)] = -logProb[(n * classes + label) * spatial + d] * w;
            weightSum += w;
        }
    }
    if (settings.reduction == LossReduction::None) {
        writeFromDouble(ctx, 0, type, target.shape(), losses);
        return Status::ok();
    }
    double total = 0.0;
    for (double loss : losses)
        total += loss;
    // Mean divides by the weights of the counted elements (their number without weights), as
    // ONNX and PyTorch define it; all elements ignored gives 0/0 = NaN there too.
    if (settings.reduction == LossReduction::Mean)
        total /= weightSum;
    const double result[] = {total};
    writeFromDouble(ctx, 0, type, Shape{}, result);
    return Status::ok();
}

} // namespace qs::ops
