// Momentum (ai.onnx.preview.training, 1): per optimized tensor X with gradient G and velocity V,
//   g = norm_coefficient * X + G,  V_new = alpha V + beta' g  (beta' = beta, or 1 at T = 0),
//   standard: X_new = X - R V_new;  nesterov: X_new = X - R (g + alpha V_new).
#include "runtime/ops/training/optimizer.h"
#include "runtime/ops/training/training_kernels.h"

namespace qs::ops {

namespace {

struct MomentumSettings
{
    double alpha = 0.0, beta = 0.0, norm = 0.0;
    bool nesterov = false;
};

class MomentumKernel final : public Kernel
{
public:
    explicit MomentumKernel(MomentumSettings settings)
        : m_settings(settings)
    {}

    Status compute(KernelContext &ctx) const override
    {
        auto step = readOptimizerStep(ctx, 1);
        if (!step)
            return step.status();
        const MomentumSettings &s = m_settings;
        // The first step has no velocity to decay yet, so the gradient enters unscaled.
        const double beta = step->count > 0 ? s.beta : 1.0;
        for (int64_t i = 0; i < step->tensors; ++i) {
            auto x = optimizerInput(ctx, *step, 0, i);
            auto g = optimizerInput(ctx, *step, 1, i);
            auto v = optimizerInput(ctx, *step, 2, i);
            for (const Status &status : {x.status(), g.status(), v.status()}) {
                if (!status)
                    return status;
            }
            for (size_t e = 0; e < x->size(); ++e) {
                const double regularized = s.norm * (*x)[e] + (*g)[e];
                (*v)[e] = s.alpha * (*v)[e] + beta * regularized;
                (*x)[e] -= step->rate * (s.nesterov ? regularized + s.alpha * (*v)[e] : (*v)[e]);
            }
            writeOptimizerOutput(ctx, *step, 0, i, *x);
            writeOptimizerOutput(ctx, *step, 1, i, *v);
        }
        return Status::ok();
    }

private:
    MomentumSettings m_settings;
};

} // namespace

Result<std::unique_ptr<Kernel>> createMomentum(const KernelInfo &info)
{
    for (const char *required : {"alpha", "beta", "mode", "norm_coefficient"}) {
        if (!info.hasAttribute(required))
            return info.error(std::string("attribute '") + required + "' is required");
    }
    auto alpha = info.getFloat("alpha", 0.0f);
    auto beta = info.getFloat("beta", 0.0f);
    auto norm = info.getFloat("norm_coefficient", 0.0f);
    auto mode = info.getString("mode", "");
    for (const Status &status : {alpha.status(), beta.status(), norm.status(), mode.status()}) {
        if (!status)
            return status;
    }
    if (*mode != "standard" && *mode != "nesterov")
        return info.error("mode '" + *mode + "' is not standard or nesterov");
    return makeKernel<MomentumKernel>(MomentumSettings{*alpha, *beta, *norm, *mode == "nesterov"});
}

} // namespace qs::ops
