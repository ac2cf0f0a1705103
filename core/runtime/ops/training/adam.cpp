// Adam (ai.onnx.preview.training, 1): per optimized tensor X with gradient G, first moment V and
// second moment H,
//   g = norm_coefficient * X + G,  V_new = alpha V + (1 - alpha) g,  H_new = beta H + (1 - beta) g^2,
//   r = R sqrt(1 - beta^T) / (1 - alpha^T) when T > 0 (bias correction), else R,
//   X_new = (1 - norm_coefficient_post) (X - r V_new / (sqrt(H_new) + epsilon)).
#include "runtime/ops/training/optimizer.h"
#include "runtime/ops/training/training_kernels.h"

#include <cmath>

namespace qs::ops {

namespace {

struct AdamSettings
{
    double alpha = 0.9, beta = 0.999, epsilon = 1e-6, norm = 0.0, normPost = 0.0;
};

class AdamKernel final : public Kernel
{
public:
    explicit AdamKernel(AdamSettings settings)
        : m_settings(settings)
    {}

    Status compute(KernelContext &ctx) const override
    {
        auto step = readOptimizerStep(ctx, 2);
        if (!step)
            return step.status();
        const AdamSettings &s = m_settings;
        double rate = step->rate;
        if (step->count > 0) {
            const auto t = static_cast<double>(step->count);
            rate *= std::sqrt(1.0 - std::pow(s.beta, t)) / (1.0 - std::pow(s.alpha, t));
        }
        for (int64_t i = 0; i < step->tensors; ++i) {
            auto x = optimizerInput(ctx, *step, 0, i);
            auto g = optimizerInput(ctx, *step, 1, i);
            auto v = optimizerInput(ctx, *step, 2, i);
            auto h = optimizerInput(ctx, *step, 3, i);
            for (const Status &status : {x.status(), g.status(), v.status(), h.status()}) {
                if (!status)
                    return status;
            }
            for (size_t e = 0; e < x->size(); ++e) {
                const double regularized = s.norm * (*x)[e] + (*g)[e];
                (*v)[e] = s.alpha * (*v)[e] + (1.0 - s.alpha) * regularized;
                (*h)[e] = s.beta * (*h)[e] + (1.0 - s.beta) * regularized * regularized;
                const double updated = (*x)[e] - rate * (*v)[e] / (std::sqrt((*h)[e]) + s.epsilon);
                (*x)[e] = (1.0 - s.normPost) * updated;
            }
            writeOptimizerOutput(ctx, *step, 0, i, *x);
            writeOptimizerOutput(ctx, *step, 1, i, *v);
            writeOptimizerOutput(ctx, *step, 2, i, *h);
        }
        return Status::ok();
    }

private:
    AdamSettings m_settings;
};

} // namespace

Result<std::unique_ptr<Kernel>> createAdam(const KernelInfo &info)
{
    const AdamSettings defaults;
    auto alpha = info.getFloat("alpha", static_cast<float>(defaults.alpha));
    auto beta = info.getFloat("beta", static_cast<float>(defaults.beta));
    auto epsilon = info.getFloat("epsilon", static_cast<float>(defaults.epsilon));
    auto norm = info.getFloat("norm_coefficient", 0.0f);
    auto normPost = info.getFloat("norm_coefficient_post", 0.0f);
    for (const Status &status :
         {alpha.status(), beta.status(), epsilon.status(), norm.status(), normPost.status()}) {
        if (!status)
            return status;
    }
    return makeKernel<AdamKernel>(AdamSettings{*alpha, *beta, *epsilon, *norm, *normPost});
}

} // namespace qs::ops
