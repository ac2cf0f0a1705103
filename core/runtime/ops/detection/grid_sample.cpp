// GridSample (2-D): samples X [N, C, H, W] at the normalized (x, y) positions of grid
// [N, Hout, Wout, 2] with nearest, bilinear or bicubic interpolation; padding_mode says what
// lies outside (zeros, the border, or a reflection). The source position and taps of a grid
// point are the same for every channel, so they are computed once per point, then applied to all
// channel planes.
#include "runtime/ops/detection/detection_kernels.h"

#include <algorithm>
#include <cmath>

namespace qs::ops {

namespace {

enum class Interpolation { Nearest, Bilinear, Bicubic };
enum class Padding { Zeros, Border, Reflection };

// Folds x into [low, high] by reflecting at the ends as many times as needed.
float reflect(float x, float low, float high)
{
    const float range = high - low;
    if (range <= 0.0f)
        return low;
    if (x < low) {
        const float distance = low - x;
        const auto flips = static_cast<int64_t>(distance / range);
        const float rest = distance - float(flips) * range;
        return flips % 2 == 0 ? low + rest : high - rest;
    }
    if (x > high) {
        const float distance = x - high;
        const auto flips = static_cast<int64_t>(distance / range);
        const float rest = distance - float(flips) * range;
        return flips % 2 == 0 ? high - rest : low + rest;
    }
    return x;
}

void cubicWeights(float t, float w[4])
{
    constexpr float A = -0.75f; // as PyTorch and ONNX Runtime
    const float x0 = t + 1.0f, x1 = t, x2 = 1.0f - t, x3 = 2.0f - t;
    w[0] = ((A * x0 - 5 * A) * x0 + 8 * A) * x0 - 4 * A;
    w[1] = ((A + 2) * x1 - (A + 3)) * x1 * x1 + 1;
    w[2] = ((A + 2) * x2 - (A + 3)) * x2 * x2 + 1;
    w[3] = ((A * x3 - 5 * A) * x3 + 8 * A) * x3 - 4 * A;
}

class GridSampleKernel final : public Kernel
{
public:
    GridSampleKernel(Interpolation mode, Padding padding, bool alignCorners)
        : m_mode(mode)
        , m_padding(padding)
        , m_alignCorners(alignCorners)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const Tensor &grid = ctx.input(1);
        if (x.dtype() != DType::Float32 || x.rank() != 4)
            return unsupported(ctx.label() + ": only float32 [N, C, H, W] inputs are supported, "
                               + "not " + x.describe());
        if (grid.dtype() != DType::Float32 || grid.rank() != 4 || grid.dim(0) != x.dim(0)
            || grid.dim(3) != 2)
            return ctx.error("grid must be float32 [N, H_out, W_out, 2] but is " + grid.describe());
        const int64_t batches = x.dim(0), channels = x.dim(1), height = x.dim(2), width = x.dim(3);
        const int64_t outHeight = grid.dim(1), outWidth = grid.dim(2);
        const int64_t points = outHeight * outWidth, plane = height * width;
        Tensor &out = ctx.allocateOutput(0, DType::Float32,
                                         {batches, channels, outHeight, outWidth});
        const int taps = m_mode == Interpolation::Nearest    ? 1
                         : m_mode == Interpolation::Bilinear ? 4
                                                             : 16;
        for (int64_t n = 0; n < batches; ++n) {
            // Per grid point: `taps` plane offsets and weights (weight 0 for a zero-padded tap).
            std::vector<int64_t> offsets(static_cast<size_t>(points * taps));
            std::vector<float> weights(static_cast<size_t>(points * taps));
            const float *g = grid.data<float>() + n * points * 2;
#pragma omp parallel for num_threads(ctx.threads()) if (points > 4096)
            for (int64_t p = 0; p < points; ++p)
                planPoint(g[p * 2], g[p * 2 + 1], height, width, offsets.data() + p * taps,
                          weights.data() + p * taps);
            const float *image = x.data<float>() + n * channels * plane;
            float *dst = out.mutableData<float>() + n * channels * points;
#pragma omp parallel for num_threads(ctx.threads()) if (channels * points > 16384)
            for (int64_t c = 0; c < channels; ++c) {
                const float *src = image + c * plane;
                float *row = dst + c * points;
                const int64_t *offset = offsets.data();
                const float *weight = weights.data();
                for (int64_t p = 0; p < points; ++p, offset += taps, weight += taps) {
                    float sum = 0.0f;
                    for (int t = 0; t < taps; ++t)
                        sum += weight[t] * src[offset[t]];
                    row[p] = sum;
                }
            }
        }
        return Status::ok();
    }

private:
    // Source position of a normalized coordinate in [-1, 1] along a side of `size` pixels.
    float unnormalize(float coordinate, int64_t size) const
    {
        return m_alignCorners ? (coordinate + 1.0f) / 2.0f * float(size - 1)
                              : ((coordinate + 1.0f) * float(size) - 1.0f) / 2.0f;
    }

    // Pixel index along a side for padding; -1 when the tap reads a zero.
    int64_t resolveIndex(int64_t index, int64_t size) const
    {
        if (index >= 0 && index < size)
            return index;
        switch (m_padding) {
        case Padding::Zeros: return -1;
        case Padding::Border: return std::clamp<int64_t>(index, 0, size - 1);
        case Padding::Reflection: {
            const float low = m_alignCorners ? 0.0f : -0.5f;
            const float high = m_alignCorners ? float(size - 1) : float(size) - 0.5f;
            const auto reflected = static_cast<int64_t>(reflect(float(index), low, high));
            return std::clamp<int64_t>(reflected, 0, size - 1);
        }
        }
        return -1;
    }

    void planPoint(float gx, float gy, int64_t height, int64_t width, int64_t *offsets,
                   float *weights) const
    {
        float x = unnormalize(gx, width);
        float y = unnormalize(gy, height);
        if (m_mode == Interpolation::Nearest) {
            x = std::nearbyint(x);
            y = std::nearbyint(y);
        }
        // Out-of-image positions move inside first for border and reflection padding.
        const float lowX = m_alignCorners ? 0.0f : -0.5f, lowY = lowX;
        const float highX = m_alignCorners ? float(width - 1) : float(width) - 0.5f;
        const float highY = m_alignCorners ? float(height - 1) : float(height) - 0.5f;
        if (x < lowX || x > highX || y < lowY || y > highY) {
            if (m_padding == Padding::Border) {
                x = std::clamp(x, 0.0f, float(width - 1));
                y = std::clamp(y, 0.0f, float(height - 1));
            } else if (m_padding == Padding::Reflection) {
                x = reflect(x, lowX, highX);
                y = reflect(y, lowY, highY);
            }
        }
        auto setTap = [&](int t, int64_t row, int64_t column, float weight) {
            const int64_t r = resolveIndex(row, height), c = resolveIndex(column, width);
            offsets[t] = r < 0 || c < 0 ? 0 : r * width + c;
            weights[t] = r < 0 || c < 0 ? 0.0f : weight;
        };
        if (m_mode == Interpolation::Nearest) {
            setTap(0, static_cast<int64_t>(y), static_cast<int64_t>(x), 1.0f);
            return;
        }
        const float fx = std::floor(x), fy = std::floor(y);
        const auto x0 = static_cast<int64_t>(fx), y0 = static_cast<int64_t>(fy);
        if (m_mode == Interpolation::Bilinear) {
            const float dx = x - fx, dy = y - fy;
            setTap(0, y0, x0, (1 - dy) * (1 - dx));
            setTap(1, y0, x0 + 1, (1 - dy) * dx);
            setTap(2, y0 + 1, x0, dy * (1 - dx));
            setTap(3, y0 + 1, x0 + 1, dy * dx);
            return;
        }
        float wx[4], wy[4];
        cubicWeights(x - fx, wx);
        cubicWeights(y - fy, wy);
        for (int i = 0; i < 4; ++i) {
            for (int j = 0; j < 4; ++j)
                setTap(i * 4 + j, y0 - 1 + i, x0 - 1 + j, wy[i] * wx[j]);
        }
    }

    Interpolation m_mode;
    Padding m_padding;
    bool m_alignCorners;
};

} // namespace

Result<std::unique_ptr<Kernel>> createGridSample(const KernelInfo &info)
{
    Result<std::string> mode = info.getString("mode", "bilinear");
    Result<std::string> padding = info.getString("padding_mode", "zeros");
    Result<int64_t> alignCorners = info.getInt("align_corners", 0);
    for (const Status &status : {mode.status(), padding.status(), alignCorners.status()})
        QS_RETURN_IF_ERROR(status);
    Interpolation interpolation;
    if (*mode == "nearest")
        interpolation = Interpolation::Nearest;
    else if (*mode == "bilinear" || *mode == "linear") // "linear" since opset 20
        interpolation = Interpolation::Bilinear;
    else if (*mode == "bicubic" || *mode == "cubic")
        interpolation = Interpolation::Bicubic;
    else
        return info.error("mode must be nearest, bilinear or bicubic but is '" + *mode + "'");
    Padding pad;
    if (*padding == "zeros")
        pad = Padding::Zeros;
    else if (*padding == "border")
        pad = Padding::Border;
    else if (*padding == "reflection")
        pad = Padding::Reflection;
    else
        return info.error("padding_mode must be zeros, border or reflection but is '" + *padding
                          + "'");
    return makeKernel<GridSampleKernel>(interpolation, pad, *alignCorners != 0);
}

} // namespace qs::ops
