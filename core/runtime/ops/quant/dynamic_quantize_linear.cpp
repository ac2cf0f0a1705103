// DynamicQuantizeLinear (uint8 with a range that includes 0), and its fused twin
// DynamicQuantizeCentred (com.quantscope.fused), which writes q - zero_point as float32 (an
// exact small integer) and the scale, without the zero point: what a dynamically quantized
// convolution reads when the session runs it as a float convolution of integers
// (runtime/fusion/dynamic_conv.cpp). Both compute the scale, zero point and q the same way.
#include "runtime/ops/quant/quant_kernels.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <vector>

namespace qs::ops {

namespace {

// Below this many elements one thread is quicker than waking the others.
constexpr int64_t kParallelElements = 1 << 15;

struct DynamicRange
{
    float scale = 0.0f;
    float zeroPoint = 0.0f;
};

// Runs `chunk(index, begin, count)` over [0, n) in one contiguous chunk per thread (index <
// max(1, threads)).
template<typename Chunk>
void forChunks(int64_t n, int threads, const Chunk &chunk)
{
    const int used = n > kParallelElements ? std::max(1, threads) : 1;
    const int64_t step = (n + used - 1) / used;
#pragma omp parallel for num_threads(used) schedule(static) if (used > 1)
    for (int t = 0; t < used; ++t) {
        const int64_t begin = std::min(n, t * step);
        chunk(t, begin, std::min(n, begin + step) - begin);
    }
}

DynamicRange dynamicRange(const float *x, int64_t n, int threads)
{
    // The range always includes 0, so 0 is exactly representable. Eigen's min/max reductions
    // vectorise; a scalar std::min loop does not (NaN ordering).
    std::vector<float> lows(size_t(std::max(1, threads)), 0.0f), highs(lows.size(), 0.0f);
    forChunks(n, threads, [&](int index, int64_t begin, int64_t count) {
        if (count <= 0)
            return;
        const Eigen::Map<const Eigen::ArrayXf> values(x + begin, count);
        lows[size_t(index)] = std::min(0.0f, values.minCoeff());
        highs[size_t(index)] = std::max(0.0f, values.maxCoeff());
    });
    const float low = *std::min_element(lows.begin(), lows.end());
    const float high = *std::max_element(highs.begin(), highs.end());
    DynamicRange range;
    range.scale = (high - low) / 255.0f;
    range.zeroPoint = range.scale == 0.0f
                          ? 0.0f
                          : std::clamp(std::nearbyint(0.0f - low / range.scale), 0.0f, 255.0f);
    return range;
}

// The quantized value of x as a float: rint(x / scale) + zero point, saturated to [0, 255].
// rint rounds half to even, like the spec's nearbyint, and vectorises.
template<typename Input>
auto quantized(const Input &x, const DynamicRange &range)
{
    return ((x / range.scale).rint() + range.zeroPoint).max(0.0f).min(255.0f);
}

class DynamicQuantizeKernel : public Kernel
{
public:
    explicit DynamicQuantizeKernel(bool centred)
        : m_centred(centred)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.dtype() != DType::Float32)
            return ctx.error("x must be float32, got " + x.describe());
        const int64_t n = x.elementCount();
        const float *in = x.data<float>();
        const DynamicRange range = dynamicRange(in, n, ctx.threads());
        ctx.output(1) = Tensor::scalar<float>(range.scale);
        if (m_centred) {
            Tensor &y = ctx.allocateOutput(0, DType::Float32, x.shape());
            float *out = y.mutableData<float>();
            forChunks(n, ctx.threads(), [&](int, int64_t begin, int64_t count) {
                Eigen::Map<Eigen::ArrayXf> chunk(out + begin, count);
                if (range.scale == 0.0f)
                    chunk.setZero();
                else
                    chunk = quantized(Eigen::Map<const Eigen::ArrayXf>(in + begin, count), range)
                            - range.zeroPoint;
            });
            return Status::ok();
        }
        Tensor &y = ctx.allocateOutput(0, DType::UInt8, x.shape());
        uint8_t *out = y.mutableData<uint8_t>();
        forChunks(n, ctx.threads(), [&](int, int64_t begin, int64_t count) {
            Eigen::Map<Eigen::Array<uint8_t, Eigen::Dynamic, 1>> chunk(out + begin, count);
            if (range.scale == 0.0f)
                chunk.setConstant(static_cast<uint8_t>(range.zeroPoint));
            else
                chunk = quantized(Eigen::Map<const Eigen::ArrayXf>(in + begin, count), range)
                            .cast<uint8_t>();
        });
        ctx.output(2) = Tensor::scalar<uint8_t>(static_cast<uint8_t>(range.zeroPoint));
        return Status::ok();
    }

private:
    bool m_centred;
};

} // namespace

Result<std::unique_ptr<Kernel>> createDynamicQuantizeLinear(const KernelInfo &)
{
    return makeKernel<DynamicQuantizeKernel>(false);
}

Result<std::unique_ptr<Kernel>> createDynamicQuantizeCentred(const KernelInfo &)
{
    return makeKernel<DynamicQuantizeKernel>(true);
}

} // namespace qs::ops
