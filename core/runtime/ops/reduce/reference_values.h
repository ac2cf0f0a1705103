#pragma once
// For reference kernels of rare ops (losses, Det, MeanVarianceNormalization, LRN) that compute in
// double whatever the float type: read an input widened to double, write an output narrowed back.

#include "runtime/kernel.h"

#include <span>
#include <vector>

namespace qs::ops {

// Widens a float16/bfloat16/float/double tensor to double; an error for other types.
Result<std::vector<double>> widenToDouble(const KernelContext &ctx, const Tensor &x);
// Allocates output `index` of floating `type` and `shape` and fills it from `values`.
void writeFromDouble(KernelContext &ctx, size_t index, DType type, const Shape &shape,
                     std::span<const double> values);

} // namespace qs::ops
