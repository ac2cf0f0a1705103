// A direct 2-D MaxPool over plain NCHW data (float32, int8, uint8; no dilation). oneDNN's
// pooling takes its reference or single-threaded "simple_nchw" implementation on plain layouts
// (6 ms for ResNet-18's stem pool, 25 ms on 8-bit data), slower than the convolution beside it;
// the max of a window needs no blocked layout, so one pass per output row over the valid taps
// does it in a fraction of that, every plane in parallel.
#pragma once

#include "runtime/ops/nn/nn_util.h"
#include "tensor/tensor.h"

namespace qs::ops {

// Whether directMaxPool2d handles this input and geometry.
bool directMaxPool2dApplies(const Tensor &x, const WindowGeometry &geometry);

// out (allocated by the caller with the pooled shape and x's dtype) = MaxPool(x). Padding never
// wins: a window's max is taken over its taps inside the image only.
void directMaxPool2d(const Tensor &x, const WindowGeometry &geometry, Tensor &out, int threads);

} // namespace qs::ops
