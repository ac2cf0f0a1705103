#pragma once
// The int32 core of MatMulInteger and QLinearMatMul: (A - a_zp) x (B - b_zp) with 8-bit A and B,
// A's zero point per tensor or per row, B's per tensor or per column, numpy batch broadcasting
// of A over a 2-D B or matching batches (integer_matmul.cpp says which GEMM runs when).

#include "runtime/kernel.h"
#include "runtime/ops/nn/conv_plan_cache.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace qs::ops {

struct IntegerMatmulResult
{
    Tensor accumulator; // int32 [..., M, N]
    int64_t n = 0;      // columns, for per-column scales
};

// What a kernel knows of B before running: for a constant B, whether oneDNN's u8 x s8 GEMM is
// exact with it (int8_exactness.h), checked once instead of scanning B on every call.
enum class ConstantB { Unknown, Exact, Inexact };

ConstantB constantBExactness(const KernelInfo &info, size_t bInput);

// out (rows x n, int32) = A (rows x depth, leading dimension lda) * B (depth x n, row-major),
// both holding small integers as floats with |a| <= largestA and |b| <= largestB: oneDNN's sgemm
// over depth slices short enough for float sums to be exact (exactFloatDepth), each added in
// int32. `sums` is scratch (resized to rows x n). Shared by ConvInteger and the integer MatMuls.
void exactSlicedGemm(const float *a, int64_t lda, const float *b, int64_t rows, int64_t depth,
                     int64_t n, int64_t largestA, int64_t largestB, int32_t *out,
                     std::vector<float> &sums, int threads);

// oneDNN matmul primitives for a kernel whose B is a constant int8 matrix: B packed once into
// the layout the primitive wants (VNNI / AMX blocks), a primitive per row count, A's zero point
// given at run time. oneDNN's gemm_u8s8s32 call packs B on every call and has no AMX kernel: on
// a Sapphire Rapids CPU a ViT's dynamic INT8 MatMuls ran 1.5x slower than its float ones.
class ConstantInt8Matmul
{
public:
    // out (rows x n, int32) = (A - aZero) x B for uint8 A (rows x k) and this kernel's constant
    // int8 B (k x n, row-major). False when oneDNN offers only its reference kernel for the
    // shape (the caller then takes its other path).
    Result<bool> run(const uint8_t *a, int32_t aZero, const int8_t *b, int64_t rows, int64_t k,
                     int64_t n, int32_t *out, const std::string &label) const;

private:
    struct Plan
    {
        bool usable = false;
        dnnl::primitive primitive;
        dnnl::memory::desc a, dst, scratchpad;
        dnnl::memory packedB;
    };

    mutable PlanCache<Plan> m_plans;
    mutable PackedWeights m_packed;
};

// `cache`, when given, holds B's packed copy (B must then be the same constant on every call).
Result<IntegerMatmulResult> integerMatmul(const KernelContext &ctx, const Tensor &a,
                                          const Tensor &aZeroPoint, const Tensor &b,
                                          const Tensor &bZeroPoint,
                                          ConstantB constantB = ConstantB::Unknown,
                                          const ConstantInt8Matmul *cache = nullptr);

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

// y = saturate(round_half_even(clamp((acc[i] + bias(i)) * multiplier(i))) + y_zero_point), with
// y allocated as output 0 in y_zero_point's type (int8 or uint8). Shared by QLinearMatMul and
// QLinearConv.
template<typename Multiplier, typename Bias>
Status requantizeToOutput(KernelContext &ctx, const Tensor &acc, const Tensor &yZeroPoint,
                          Multiplier multiplier, Bias bias, RequantizeClamp clamp = {})
{
    auto run = [&](auto tag) {
        using Q = decltype(tag);
        Tensor &y = ctx.allocateOutput(0, yZeroPoint.dtype(), acc.shape());
        const float zp = float(yZeroPoint.data<Q>()[0]);
        constexpr float lo = std::numeric_limits<Q>::min(), hi = std::numeric_limits<Q>::max();
        for (int64_t i = 0; i < acc.elementCount(); ++i) {
            const float scaled = float(acc.data<int32_t>()[i] + bias(i)) * multiplier(i);
            const float q = std::nearbyint(std::clamp(scaled, clamp.low, clamp.high)) + zp;
            y.mutableData<Q>()[i] = static_cast<Q>(std::clamp(q, lo, hi));
        }
    };
    if (yZeroPoint.dtype() == DType::UInt8)
        run(uint8_t{});
    else if (yZeroPoint.dtype() == DType::Int8)
        run(int8_t{});
    else
        return ctx.error("y_zero_point must be int8 or uint8, got " + yZeroPoint.describe());
    return Status::ok();
}

} // namespace qs::ops
