#pragma once
// Requantization of int32 accumulators to an 8-bit output grid, shared by the integer kernels
// that write 8-bit values (QLinearMatMul, QGemm, QLinearConv's non-oneDNN path).

#include "runtime/kernel.h"

#include <limits>
#include <optional>
#include <vector>

namespace qs::ops {

// Bounds applied to the requantized value before rounding, in units of y_scale: a Relu or Clip
// fused into QLinearConv (low = min / y_scale, high = max / y_scale).
struct RequantizeClamp
{
    float low = -std::numeric_limits<float>::infinity();
    float high = std::numeric_limits<float>::infinity();

    // The clamp equal to a fused Relu/Clip (no clamp without one) for output scale `yScale`.
    static RequantizeClamp of(const std::optional<FusedActivation> &activation, float yScale)
    {
        RequantizeClamp clamp;
        if (activation && activation->kind == FusedActivation::Kind::Relu)
            clamp.low = 0.0f;
        if (activation && activation->kind == FusedActivation::Kind::Clip) {
            clamp.low = activation->alpha / yScale;
            clamp.high = activation->beta / yScale;
        }
        return clamp;
    }
};

// How an int32 accumulator's elements map to output channels: [outer, channels, inner] (a
// matmul's [rows, n] is inner = 1; NCHW convolution output is outer = N, inner = H * W).
struct ChannelLayout
{
    int64_t outer = 1;
    int64_t channels = 1;
    int64_t inner = 1;
};

// Per-channel requantization constants: the multiplier (input scale x weight scale / output
// scale) is 1 value or one per channel, the int32 bias none or one per channel.
struct Requantization
{
    std::vector<float> multipliers;
    const int32_t *bias = nullptr;
    RequantizeClamp clamp;
    // Set: the output is float, each 8-bit value mapped back as (y - y_zero_point) * this, the
    // y_scale (a DequantizeLinear fused into the kernel, fused_ops.h's
    // kDequantizedOutputAttribute).
    std::optional<float> dequantizeScale;
};

// y = saturate(round_half_even(clamp((acc + bias[c]) * multiplier[c])) + y_zero_point), with
// y allocated as output 0 in y_zero_point's type (int8 or uint8), or as float32 holding
// (y - y_zero_point) * dequantizeScale when that is set. Shared by QLinearMatMul,
// QGemm and QLinearConv. Written as flat loops over a channel's run of elements so that the
// compiler vectorizes them: a transformer's QLinearMatMuls spent as long here (one division per
// element to find the channel) as in oneDNN's GEMM.
Status requantizeToOutput(KernelContext &ctx, const Tensor &acc, const Tensor &yZeroPoint,
                          const ChannelLayout &layout, const Requantization &requantization);

} // namespace qs::ops
