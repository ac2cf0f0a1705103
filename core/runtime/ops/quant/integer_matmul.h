#pragma once
// The int32 core of MatMulInteger and QLinearMatMul: (A - a_zp) x (B - b_zp) with 8-bit A and B,
// A's zero point per tensor or per row, B's per tensor or per column, numpy batch broadcasting
// of A over a 2-D B or matching batches. Eigen int32 GEMM per batch.

#include "runtime/kernel.h"

namespace qs::ops {

struct IntegerMatmulResult
{
    Tensor accumulator; // int32 [..., M, N]
    int64_t n = 0;      // columns, for per-column scales
};

Result<IntegerMatmulResult> integerMatmul(const KernelContext &ctx, const Tensor &a,
                                          const Tensor &aZeroPoint, const Tensor &b,
                                          const Tensor &bZeroPoint);

} // namespace qs::ops
