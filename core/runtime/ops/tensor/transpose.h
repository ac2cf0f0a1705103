#pragma once
// The permutation copy behind Transpose, also used by DepthToSpace / SpaceToDepth.

#include "tensor/tensor.h"

#include <vector>

namespace qs::ops {

// dst (contiguous, shape inShape permuted by perm) = src (contiguous, shape inShape) permuted:
// output dim i is input dim perm[i]. Works for any element size.
void permuteElements(void *dst, const void *src, const Shape &inShape,
                     const std::vector<int64_t> &perm, int64_t elementSize, int threads);

} // namespace qs::ops
