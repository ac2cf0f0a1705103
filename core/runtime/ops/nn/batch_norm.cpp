// BatchNormalization, inference form: Y = (X - mean) / sqrt(var + epsilon) * scale + B, as one
// per-channel multiply-add (the factors are folded once when the parameters are constant).
// Opset 7's spatial=0 takes parameters per (channel, position). Training mode (opset 14's
// training_mode=1) is batch_norm_training.cpp; opset 6's is_test=0 is refused.
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/nn/nn_util.h"

#include <onnx/onnx_pb.h>

#include <array>
#include <cmath>

namespace qs::ops {

namespace {

struct Affine
{
    Tensor factor, offset; // float32, same element count
};

// scale / sqrt(var + eps) and B - mean * that, or an error naming the mismatched input.
Result<Affine> foldParameters(const std::array<Tensor, 4> &params, float epsilon,
                              const std::string &label)
{
    static const char *kNames[] = {"scale", "B", "input_mean", "input_var"};
    std::array<Tensor, 4> wide;
    for (size_t i = 0; i < 4; ++i) {
        wide[i] = toFloat32(params[i], 1);
        if (wide[i].empty() || wide[i].elementCount() != params[0].elementCount())
            return invalidArgument(label + ": input '" + kNames[i] + "' " + params[i].describe()
                                   + " must be float and match 'scale' " + params[0].describe());
    }
    const int64_t n = wide[0].elementCount();
    Affine affine{Tensor::allocate(DType::Float32, {n}), Tensor::allocate(DType::Float32, {n})};
    using Array = Eigen::Map<const Eigen::ArrayXf>;
    Eigen::Map<Eigen::ArrayXf> factor(affine.factor.mutableData<float>(), n);
    factor = Array(wide[0].data<float>(), n) / (Array(wide[3].data<float>(), n) + epsilon).sqrt();
    Eigen::Map<Eigen::ArrayXf>(affine.offset.mutableData<float>(), n)
        = Array(wide[1].data<float>(), n) - Array(wide[2].data<float>(), n) * factor;
    return affine;
}

class BatchNormKernel final : public Kernel
{
public:
    BatchNormKernel(float epsilon, std::optional<Affine> folded)
        : m_epsilon(epsilon)
        , m_folded(std::move(folded))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        QS_RETURN_IF_ERROR(checkFloatActivation(ctx, x, 2, kAnyRank));
        std::optional<Affine> runtime;
        if (!m_folded) {
            Result<Affine> affine
                = foldParameters({ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)},
                                 m_epsilon, ctx.label());
            if (!affine)
                return affine.status();
            runtime = std::move(*affine);
        }
        const Affine &affine = m_folded ? *m_folded : *runtime;
        const int64_t channels = x.dim(1);
        const int64_t planes = x.dim(0) * channels;
        const int64_t inner = planes > 0 ? x.elementCount() / planes : 0;
        const int64_t params = affine.factor.elementCount();
        const bool perPosition = params == channels * inner && inner != 1;
        if (params != channels && !perPosition)
            return ctx.error("input 'scale' has " + std::to_string(params)
                             + " elements but input 'X' " + x.describe() + " has "
                             + std::to_string(channels) + " channels");
        Tensor &out = ctx.allocateOutput(0, x.dtype(), x.shape());
        const Tensor src = toFloat32(x, ctx.threads());
        Tensor dst = wideOutput(out);
        const float *in = src.data<float>();
        float *y = dst.mutableData<float>();
        const float *factor = affine.factor.data<float>();
        const float *offset = affine.offset.data<float>();
        if (inner == 1) {
            // [N, C] after a Gemm (BatchNorm1d in recommenders): one vector op per row, not one
            // per element (MMoE's ten of them took 40% of its run).
            const int64_t rows = x.dim(0);
            Eigen::Map<const Eigen::ArrayXf> f(factor, channels), o(offset, channels);
#pragma omp parallel for num_threads(ctx.threads()) if (x.elementCount() > 65536)
            for (int64_t r = 0; r < rows; ++r)
                Eigen::Map<Eigen::ArrayXf>(y + r * channels, channels)
                    = Eigen::Map<const Eigen::ArrayXf>(in + r * channels, channels) * f + o;
            storeWideOutput(dst, out, ctx.threads());
            return Status::ok();
        }
#pragma omp parallel for num_threads(ctx.threads()) if (x.elementCount() > 65536)
        for (int64_t p = 0; p < planes; ++p) {
            Eigen::Map<const Eigen::ArrayXf> plane(in + p * inner, inner);
            Eigen::Map<Eigen::ArrayXf> result(y + p * inner, inner);
            const int64_t c = p % channels;
            if (perPosition)
                result = plane * Eigen::Map<const Eigen::ArrayXf>(factor + c * inner, inner)
                         + Eigen::Map<const Eigen::ArrayXf>(offset + c * inner, inner);
            else
                result = plane * factor[c] + offset[c];
        }
        storeWideOutput(dst, out, ctx.threads());
        return Status::ok();
    }

private:
    float m_epsilon;
    std::optional<Affine> m_folded;
};

} // namespace

Result<std::unique_ptr<Kernel>> createBatchNormalization(const KernelInfo &info)
{
    Result<float> epsilon = info.getFloat("epsilon", 1e-5f);
    Result<int64_t> training = info.getInt("training_mode", 0);
    if (!epsilon)
        return epsilon.status();
    if (!training)
        return training.status();
    if (*training != 0 && info.opsetVersion() >= 14)
        return createBatchNormalizationTraining(info); // batch_norm_training.cpp
    if (*training != 0)
        return info.error("training_mode exists from opset 14 on");
    if (info.opsetVersion() < 7) {
        Result<int64_t> isTest = info.getInt("is_test", 0);
        if (!isTest)
            return isTest.status();
        if (*isTest == 0)
            return info.unsupportedError("is_test=0 (training statistics) is not supported");
    }
    if (info.inputCount() != 5)
        return info.error("needs 5 inputs (X, scale, B, input_mean, input_var), got "
                          + std::to_string(info.inputCount()));
    for (size_t i = 1; i < info.outputCount(); ++i) {
        if (!info.node().output(static_cast<int>(i)).empty())
            return info.unsupportedError("output " + std::to_string(i)
                                         + " (running or saved statistics) exists only in "
                                           "training mode, which is not supported");
    }
    std::optional<Affine> folded;
    std::array<Tensor, 4> params;
    bool allConstant = true;
    for (size_t i = 0; i < 4; ++i) {
        const Tensor *param = info.constantInput(i + 1);
        allConstant &= param != nullptr;
        if (param)
            params[i] = *param;
    }
    if (allConstant) {
        Result<Affine> affine = foldParameters(params, *epsilon, info.label());
        if (!affine)
            return affine.status();
        folded = std::move(*affine);
    }
    return makeKernel<BatchNormKernel>(*epsilon, std::move(folded));
}

} // namespace qs::ops
