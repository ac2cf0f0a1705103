// NegativeLogLikelihoodLoss (opset 12/13): input [N, C, d1..dk] already holds log-probabilities;
// the loss picks -input[n, target, d] per element, weighted per class (loss.h).
#include "runtime/ops/reduce/loss.h"
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/reduce/reference_values.h"

namespace qs::ops {

namespace {

class NegativeLogLikelihoodLossKernel final : public Kernel
{
public:
    explicit NegativeLogLikelihoodLossKernel(LossSettings settings)
        : m_settings(settings)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &input = ctx.input(0);
        auto logProb = widenToDouble(ctx, input);
        if (!logProb)
            return logProb.status();
        return writeNegativeLogLikelihood(ctx, *logProb, input.shape(), ctx.input(1), ctx.input(2),
                                          m_settings, input.dtype());
    }

private:
    LossSettings m_settings;
};

} // namespace

Result<std::unique_ptr<Kernel>> createNegativeLogLikelihoodLoss(const KernelInfo &info)
{
    auto settings = parseLossSettings(info);
    if (!settings)
        return settings.status();
    return makeKernel<NegativeLogLikelihoodLossKernel>(*settings);
}

} // namespace qs::ops
