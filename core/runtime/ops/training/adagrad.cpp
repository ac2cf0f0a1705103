// Adagrad (ai.onnx.preview.training, 1): per optimized tensor X with gradient G and accumulated
// squared gradients H,
//   r = R / (1 + T * decay_factor),  g = norm_coefficient * X + G,
//   H_new = H + g^2,  X_new = X - r * g / (sqrt(H_new) + epsilon).
#include "runtime/ops/training/optimizer.h"
#include "runtime/ops/training/training_kernels.h"

#include <cmath>

namespace qs::ops {

namespace {

struct AdagradSettings
{
    double decay = 0.0, epsilon = 1e-6, norm = 0.0;
};

class AdagradKernel final : public Kernel
{
public:
    explicit AdagradKernel(AdagradSettings settings)
        : m_settings(settings)
    {}

    Status compute(KernelContext &ctx) const override
    {
        auto step = readOptimizerStep(ctx, 1);
        if (!step)
            return step.status();
        const double rate = step->rate
                            / (1.0 + static_cast<double>(step->count) * m_settings.decay);
        for (int64_t i = 0; i < step->tensors; ++i) {
            auto x = optimizerInput(ctx, *step, 0, i);
            auto g = optimizerInput(ctx, *step, 1, i);
            auto h = optimizerInput(ctx, *step, 2, i);
            for (const Status &status : {x.status(), g.status(), h.status()}) {
                if (!status)
                    return status;
            }
            for (size_t e = 0; e < x->size(); ++e) {
                const double regularized = m_settings.norm * (*x)[e] + (*g)[e];
                (*h)[e] += regularized * regularized;
                (*x)[e] -= rate * regularized / (std::sqrt((*h)[e]) + m_settings.epsilon);
            }
            writeOptimizerOutput(ctx, *step, 0, i, *x);
            writeOptimizerOutput(ctx, *step, 1, i, *h);
        }
        return Status::ok();
    }

private:
    AdagradSettings m_settings;
};

} // namespace

Result<std::unique_ptr<Kernel>> createAdagrad(const KernelInfo &info)
{
    auto decay = info.getFloat("decay_factor", 0.0f);
    auto epsilon = info.getFloat("epsilon", 1e-6f); // the schema's default
    auto norm = info.getFloat("norm_coefficient", 0.0f);
    for (const Status &status : {decay.status(), epsilon.status(), norm.status()}) {
        if (!status)
            return status;
    }
    return makeKernel<AdagradKernel>(AdagradSettings{*decay, *epsilon, *norm});
}

} // namespace qs::ops
