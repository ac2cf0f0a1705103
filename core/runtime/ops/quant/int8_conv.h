#pragma once
// The oneDNN int8 convolution behind QLinearConv (int8_conv.cpp).

#include "runtime/ops/nn/nn_util.h"

#include <memory>

namespace qs::ops {

// The oneDNN-backed QLinearConv kernel when this node's weights, scales and zero points allow
// it (constant int8 weights with zero points 0, per-tensor x/y parameters); else `reference`.
// The fast kernel keeps `reference` for input shapes oneDNN has no int8 primitive for.
std::unique_ptr<Kernel> int8ConvOrReference(const KernelInfo &info, const WindowAttributes &attrs,
                                            int64_t group, std::unique_ptr<Kernel> reference);

} // namespace qs::ops
