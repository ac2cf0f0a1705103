#pragma once
// The int32 core of MatMulInteger and QLinearMatMul: (A - a_zp) x (B - b_zp) with 8-bit A and B,
// A's zero point per tensor or per row, B's per tensor or per column, numpy batch broadcasting
// of A over a 2-D B or matching batches (integer_matmul.cpp says which GEMM runs when).

#include "runtime/kernel.h"
#include "runtime/ops/nn/conv_plan_cache.h"
#include "runtime/ops/quant/requantize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
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

    // The constant B (k x n) minus its zero point as floats, and its largest magnitude, for the
    // exact float path (no VNNI: oneDNN's u8 x s8 GEMM may saturate there). Made on the first
    // call and kept: widening B on every call made an INT8 Gemm of 128 x 20000 weights slower
    // than its float form on AVX2 (the GRU recommender at 0.81x its FP32 speed).
    struct FloatB
    {
        std::vector<float> values;
        int64_t largest = 0;
    };
    Result<const FloatB *> floatB(const KernelContext &ctx, const Tensor &b,
                                  const Tensor &bZeroPoint) const;

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
    mutable std::mutex m_floatMutex;
    mutable std::optional<FloatB> m_floatB;
};

// `cache`, when given, holds B's packed copy (B must then be the same constant on every call).
Result<IntegerMatmulResult> integerMatmul(const KernelContext &ctx, const Tensor &a,
                                          const Tensor &aZeroPoint, const Tensor &b,
                                          const Tensor &bZeroPoint,
                                          ConstantB constantB = ConstantB::Unknown,
                                          const ConstantInt8Matmul *cache = nullptr);

} // namespace qs::ops
