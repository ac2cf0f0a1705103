// SoftmaxCrossEntropyLoss (opset 12/13): log-softmax of scores [N, C, d1..dk] over the class
// axis, then the negative log-likelihood of the labels (loss.h). The optional second output is
// that log-softmax.
#include "runtime/ops/reduce/loss.h"
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/reduce/reference_values.h"

#include <algorithm>
#include <cmath>

namespace qs::ops {

namespace {

// In place over the class axis of [N, C, spatial]; the maximum is subtracted for stability.
void logSoftmaxOverClasses(std::vector<double> &values, int64_t batch, int64_t classes,
                           int64_t spatial)
{
    for (int64_t n = 0; n < batch; ++n) {
        double *base = values.data() + n * classes * spatial;
        for (int64_t d = 0; d < spatial; ++d) {
            double maximum = -INFINITY;
            for (int64_t c = 0; c < classes; ++c)
                maximum = std::max(maximum, base[c * spatial + d]);
            double sum = 0.0;
            for (int64_t c = 0; c < classes; ++c)
                sum += std::exp(base[c * spatial + d] - maximum);
            const double logSum = maximum + std::log(sum);
            for (int64_t c = 0; c < classes; ++c)
                base[c * spatial + d] -= logSum;
        }
    }
}

class SoftmaxCrossEntropyLossKernel final : public Kernel
{
public:
    explicit SoftmaxCrossEntropyLossKernel(LossSettings settings)
        : m_settings(settings)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &scores = ctx.input(0);
        if (scores.rank() < 2)
            return ctx.error("scores must have at least 2 dims [N, C, ...], got "
                             + shapeToString(scores.shape()));
        auto logProb = widenToDouble(ctx, scores);
        if (!logProb)
            return logProb.status();
        const int64_t batch = scores.dim(0), classes = scores.dim(1);
        const int64_t spatial = batch * classes != 0 ? scores.elementCount() / (batch * classes)
                                                     : 0;
        logSoftmaxOverClasses(*logProb, batch, classes, spatial);
        QS_RETURN_IF_ERROR(writeNegativeLogLikelihood(ctx, *logProb, scores.shape(), ctx.input(1),
                                                      ctx.input(2), m_settings, scores.dtype()));
        if (ctx.outputCount() > 1)
            writeFromDouble(ctx, 1, scores.dtype(), scores.shape(), *logProb);
        return Status::ok();
    }

private:
    LossSettings m_settings;
};

} // namespace

Result<std::unique_ptr<Kernel>> createSoftmaxCrossEntropyLoss(const KernelInfo &info)
{
    auto settings = parseLossSettings(info);
    if (!settings)
        return settings.status();
    return makeKernel<SoftmaxCrossEntropyLossKernel>(*settings);
}

} // namespace qs::ops
