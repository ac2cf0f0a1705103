#pragma once

#include <algorithm>
#include <cstdint>
// When oneDNN's u8 x s8 kernels compute exactly. Without VNNI (AVX2, AVX-512 before VNNI) they
// multiply with vpmaddubsw, which sums two u8 x s8 products in int16 and saturates once
// 255 * |w| * 2 > 32767: weights must stay within [-64, 64] (7 bits, our quantizers'
// reduce_range). ONNX Runtime's MLAS kernels behave the same on those CPUs; our engine instead
// falls back to its exact kernels, so that accuracy figures never depend on the CPU.

#include "tensor/tensor.h"

#include <dnnl.hpp>

namespace qs::ops {

inline bool cpuHasVnni()
{
    static const bool vnni = [] {
        const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
        return isa == dnnl::cpu_isa::avx2_vnni || isa == dnnl::cpu_isa::avx512_core_vnni
               || isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
    }();
    return vnni;
}

// True when int8 `weights` (zero point 0) times any uint8 activations cannot saturate.
inline bool exactWithUnsignedActivations(const Tensor &weights)
{
    if (cpuHasVnni())
        return true;
    const int8_t *values = weights.data<int8_t>();
    for (int64_t i = 0; i < weights.elementCount(); ++i) {
        if (values[i] < -64 || values[i] > 64)
            return false;
    }
    return true;
}

// The products of centred 8-bit values are integers, so a float GEMM sums them exactly, in
// whatever order it adds, while every partial sum stays within float's integers (2^24). The
// largest depth for which that holds, given the largest centred magnitudes; a deeper product is
// summed in slices of this depth, each exact, added in int32. That keeps the integer GEMMs of
// ConvInteger and MatMulInteger/QLinearMatMul (when oneDNN's u8 x s8 GEMM is not exact) on
// oneDNN's sgemm, many times faster than an int32 GEMM (ResNet-18's 3x3x512 convolutions with
// full-range uint8 activations need 9 slices, at the cost of one GEMM).
inline int64_t exactFloatDepth(int64_t maxAbsA, int64_t maxAbsB)
{
    constexpr int64_t kFloatIntegers = int64_t(1) << 24;
    return std::max<int64_t>(1, (kFloatIntegers - 1) / std::max<int64_t>(1, maxAbsA * maxAbsB));
}

} // namespace qs::ops
