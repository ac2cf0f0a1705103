// ChannelAffine (com.quantscope.fused, engine-internal): y = activation(x * scale + shift) on a
// channel-blocked float x [N, C/B, H, W, B] with per-channel scale and shift [1, C/B, 1, 1, B].
// The layout pass makes it from a BatchNormalization no convolution absorbed (DenseNet's after
// every Concat), and the activation that follows it is fused in: as Mul, Add and Relu, the three
// passes over DenseNet's concatenated maps took a third of its run time.
#include "runtime/ops/nn/nn_kernels.h"

#include "runtime/ops/nn/blocked_layout.h"

#include <Eigen/Core>

namespace qs::ops {

namespace {

class ChannelAffineKernel final : public Kernel
{
public:
    explicit ChannelAffineKernel(std::optional<FusedActivation> activation)
        : m_activation(activation)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0), &scale = ctx.input(1), &shift = ctx.input(2);
        QS_RETURN_IF_ERROR(checkBlockedInput(ctx, x));
        const int64_t blocks = x.dim(1), lanes = x.dim(4);
        for (const Tensor *t : {&scale, &shift}) {
            if (t->dtype() != DType::Float32 || t->elementCount() != blocks * lanes)
                return ctx.error("scale and shift must be float32 with "
                                 + std::to_string(blocks * lanes) + " values, got " + t->describe());
        }
        Tensor &y = ctx.allocateOutput(0, DType::Float32, x.shape());
        const int64_t planes = x.dim(0) * blocks, pixels = x.dim(2) * x.dim(3);
        const float *in = x.data<float>();
        float *out = y.mutableData<float>();
        const float *scales = scale.data<float>(), *shifts = shift.data<float>();
#pragma omp parallel for num_threads(ctx.threads()) if (x.elementCount() > 65536)
        for (int64_t plane = 0; plane < planes; ++plane) {
            const int64_t block = plane % blocks;
            using Lanes = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic>;
            const Eigen::Map<const Lanes> source(in + plane * pixels * lanes, lanes, pixels);
            Eigen::Map<Lanes> target(out + plane * pixels * lanes, lanes, pixels);
            const Eigen::Map<const Eigen::ArrayXf> s(scales + block * lanes, lanes);
            const Eigen::Map<const Eigen::ArrayXf> b(shifts + block * lanes, lanes);
            target = (source.colwise() * s).colwise() + b;
            if (m_activation)
                applyFusedActivation(*m_activation, target.data(), pixels * lanes);
        }
        return Status::ok();
    }

private:
    std::optional<FusedActivation> m_activation;
};

} // namespace

Result<std::unique_ptr<Kernel>> createChannelAffine(const KernelInfo &info)
{
    if (info.inputCount() != 3)
        return info.error("expects x, scale and shift");
    return makeKernel<ChannelAffineKernel>(info.fusedActivation());
}

} // namespace qs::ops
