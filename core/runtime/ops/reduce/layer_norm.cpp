// LayerNormalization (opset 17): normalise over the trailing dims from `axis`, then scale and
// shift by Scale and B (shaped like the normalised dims, or broadcastable to them). Optional
// outputs Mean and InvStdDev have the input's leading dims and 1s for the normalised ones.
// Statistics in float (stash_type 1), two passes over each row held in cache.
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/reduce/reduce_plan.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <Eigen/Core>
#include <cmath>

namespace qs::ops {

namespace {

// Scale/B expanded to one value per normalised element (they may be broadcast, e.g. [1, H]).
Result<std::vector<float>> expandParameter(const KernelContext &ctx, size_t index,
                                           const Shape &normalised, float fallback)
{
    const int64_t count = shapeElementCount(normalised);
    if (!ctx.hasInput(index))
        return std::vector<float>(static_cast<size_t>(count), fallback);
    const Tensor &p = ctx.input(index);
    std::vector<float> values(static_cast<size_t>(count));
    const Tensor widened = valuesAsFloat32(p);
    if (p.elementCount() == count) {
        std::copy_n(widened.data<float>(), count, values.begin());
        return values;
    }
    Shape broadcast;
    if (!broadcastShapes(p.shape(), normalised, broadcast) || broadcast != normalised)
        return ctx.error(std::string(index == 1 ? "Scale" : "B") + " has shape "
                         + shapeToString(p.shape()) + ", which does not broadcast to the normalised "
                         + "shape " + shapeToString(normalised));
    stridedCopy(values.data(), widened.data<float>(), normalised,
                broadcastStrides(p.shape(), normalised), sizeof(float), 1);
    return values;
}

class LayerNormKernel : public Kernel
{
public:
    LayerNormKernel(int64_t axis, float epsilon)
        : m_axis(axis)
        , m_epsilon(epsilon)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, x));
        if (x.dtype() != DType::Float32 && x.dtype() != DType::Float16)
            return ctx.error(std::string("type ") + dtypeName(x.dtype()) + " is not supported");
        const Shape normalised(x.shape().begin() + axis, x.shape().end());
        const int64_t rowLength = shapeElementCount(normalised);
        const int64_t rows = rowLength ? x.elementCount() / rowLength : 0;
        auto scale = expandParameter(ctx, 1, normalised, 1.0f);
        auto bias = expandParameter(ctx, 2, normalised, 0.0f);
        if (!scale || !bias)
            return !scale ? scale.status() : bias.status();

        Shape statsShape(x.shape().begin(), x.shape().begin() + axis);
        statsShape.resize(x.shape().size(), 1);
        Tensor &y = ctx.allocateOutput(0, x.dtype(), x.shape());
        float *means = ctx.outputCount() > 1
                           ? ctx.allocateOutput(1, DType::Float32, statsShape).mutableData<float>()
                           : nullptr;
        float *invStd = ctx.outputCount() > 2
                            ? ctx.allocateOutput(2, DType::Float32, statsShape).mutableData<float>()
                            : nullptr;

        const Eigen::Map<const Eigen::ArrayXf> gamma(scale->data(), rowLength);
        const Eigen::Map<const Eigen::ArrayXf> beta(bias->data(), rowLength);
        const bool half = x.dtype() == DType::Float16;
        const int threads = rows * rowLength > (1 << 15) ? ctx.threads() : 1;
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
        for (int64_t r = 0; r < rows; ++r) {
            Eigen::ArrayXf row(rowLength);
            if (half) {
                const Eigen::half *in = x.data<Eigen::half>() + r * rowLength;
                for (int64_t i = 0; i < rowLength; ++i)
                    row[i] = static_cast<float>(in[i]);
            } else {
                row = Eigen::Map<const Eigen::ArrayXf>(x.data<float>() + r * rowLength, rowLength);
            }
            const float mean = row.mean();
            row -= mean;
            const float variance = row.square().mean();
            const float inverse = 1.0f / std::sqrt(variance + m_epsilon);
            row = row * inverse * gamma + beta;
            if (half) {
                Eigen::half *out = y.mutableData<Eigen::half>() + r * rowLength;
                for (int64_t i = 0; i < rowLength; ++i)
                    out[i] = Eigen::half(row[i]);
            } else {
                Eigen::Map<Eigen::ArrayXf>(y.mutableData<float>() + r * rowLength, rowLength) = row;
            }
            if (means)
                means[r] = mean;
            if (invStd)
                invStd[r] = inverse;
        }
        return Status::ok();
    }

private:
    int64_t m_axis;
    float m_epsilon;
};

class InstanceNormKernel : public Kernel
{
public:
    explicit InstanceNormKernel(float epsilon)
        : m_epsilon(epsilon)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const Tensor &scale = ctx.input(1);
        const Tensor &bias = ctx.input(2);
        if (x.dtype() != DType::Float32)
            return ctx.error(std::string("type ") + dtypeName(x.dtype()) + " is not supported");
        if (x.rank() < 2)
            return ctx.error("input must have at least 2 dims, got " + shapeToString(x.shape()));
        const int64_t batch = x.dim(0), channels = x.dim(1);
        if (scale.elementCount() != channels || bias.elementCount() != channels
            || scale.dtype() != DType::Float32 || bias.dtype() != DType::Float32)
            return ctx.error("scale and B must be float32[" + std::to_string(channels) + "], got "
                             + scale.describe() + " and " + bias.describe());
        const int64_t spatial = channels ? x.elementCount() / (batch * channels) : 0;
        Tensor &y = ctx.allocateOutput(0, x.dtype(), x.shape());
        const int threads = x.elementCount() > (1 << 15) ? ctx.threads() : 1;
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
        for (int64_t plane = 0; plane < batch * channels; ++plane) {
            const int64_t c = plane % channels;
            Eigen::Map<const Eigen::ArrayXf> in(x.data<float>() + plane * spatial, spatial);
            Eigen::Map<Eigen::ArrayXf> out(y.mutableData<float>() + plane * spatial, spatial);
            const float mean = spatial ? in.mean() : 0.0f;
            const float variance = spatial ? (in - mean).square().mean() : 0.0f;
            const float factor = scale.data<float>()[c] / std::sqrt(variance + m_epsilon);
            out = (in - mean) * factor + bias.data<float>()[c];
        }
        return Status::ok();
    }

private:
    float m_epsilon;
};

} // namespace

Result<std::unique_ptr<Kernel>> createLayerNormalization(const KernelInfo &info)
{
    auto axis = info.getInt("axis", -1);
    auto epsilon = info.getFloat("epsilon", 1e-5f);
    if (!axis || !epsilon)
        return !axis ? axis.status() : epsilon.status();
    return makeKernel<LayerNormKernel>(*axis, *epsilon);
}

Result<std::unique_ptr<Kernel>> createInstanceNormalization(const KernelInfo &info)
{
    auto epsilon = info.getFloat("epsilon", 1e-5f);
    if (!epsilon)
        return epsilon.status();
    return makeKernel<InstanceNormKernel>(*epsilon);
}

} // namespace qs::ops
