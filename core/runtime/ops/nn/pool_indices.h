#pragma once
// MaxPool with its Indices output: a direct loop, because oneDNN's max-pool workspace is not
// ONNX's flat index (n * C + c) * spatial + position, row- or column-major.

#include "runtime/ops/nn/nn_util.h"

namespace qs::ops {

// `src` float32 [N, C, spatial...]; fills float32 `values` and int64 `indices` of the output
// shape. Padding positions never win.
void maxPoolWithIndices(const Tensor &src, const WindowGeometry &geometry, bool columnMajor,
                        Tensor &values, Tensor &indices, int threads);

} // namespace qs::ops
