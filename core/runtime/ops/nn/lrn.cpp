// LRN (opset 1/13), local response normalization across channels of [N, C, ...]:
//   y = x / (bias + alpha / size * sum of x^2 over channels [c - (size-1)/2, c + size/2])^beta
// (the window's lower half rounded down, its upper half up, as ONNX specifies).
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/reduce/reference_values.h"

#include <algorithm>
#include <cmath>

namespace qs::ops {

namespace {

struct LrnSettings
{
    float alpha = 1e-4f, beta = 0.75f, bias = 1.0f;
    int64_t size = 1;
};

class LrnKernel final : public Kernel
{
public:
    explicit LrnKernel(LrnSettings settings)
        : m_settings(settings)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.rank() < 3)
            return ctx.error("input must be [N, C, D1, ...], got " + x.describe());
        auto values = widenToDouble(ctx, x);
        if (!values)
            return values.status();
        const int64_t batch = x.dim(0), channels = x.dim(1);
        const int64_t inner = batch * channels != 0 ? x.elementCount() / (batch * channels) : 0;
        const int64_t below = (m_settings.size - 1) / 2, above = m_settings.size / 2;
        const double scale = static_cast<double>(m_settings.alpha) / m_settings.size;
        std::vector<double> result(values->size());
        for (int64_t n = 0; n < batch; ++n) {
            const double *in = values->data() + n * channels * inner;
            double *out = result.data() + n * channels * inner;
            for (int64_t c = 0; c < channels; ++c) {
                const int64_t first = std::max<int64_t>(0, c - below);
                const int64_t last = std::min<int64_t>(channels - 1, c + above);
                for (int64_t i = 0; i < inner; ++i) {
                    double squares = 0.0;
                    for (int64_t k = first; k <= last; ++k)
                        squares += in[k * inner + i] * in[k * inner + i];
                    out[c * inner + i] = in[c * inner + i]
                                         / std::pow(m_settings.bias + scale * squares,
                                                    static_cast<double>(m_settings.beta));
                }
            }
        }
        writeFromDouble(ctx, 0, x.dtype(), x.shape(), result);
        return Status::ok();
    }

private:
    LrnSettings m_settings;
};

} // namespace

Result<std::unique_ptr<Kernel>> createLrn(const KernelInfo &info)
{
    LrnSettings settings;
    auto alpha = info.getFloat("alpha", settings.alpha);
    auto beta = info.getFloat("beta", settings.beta);
    auto bias = info.getFloat("bias", settings.bias);
    auto size = info.getInt("size", 0);
    for (const Status &status : {alpha.status(), beta.status(), bias.status(), size.status()}) {
        if (!status)
            return status;
    }
    if (*size < 1)
        return info.error("size must be a positive integer, got " + std::to_string(*size));
    settings = {*alpha, *beta, *bias, *size};
    return makeKernel<LrnKernel>(settings);
}

} // namespace qs::ops
