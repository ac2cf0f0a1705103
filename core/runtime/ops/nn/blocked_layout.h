// Float activations in oneDNN's channel-blocked layout (nChw8c on AVX2, nChw16c with AVX-512)
// between the kernels that read and write it directly: convolutions, pooling, elementwise ops
// and channel Concat (runtime/fusion/float_blocked_layout.cpp decides which values). ONNX
// Runtime's NCHWc transformer does the same; without it every blocked convolution reorders its
// input in and its output out (half of ResNet-18's time on an AVX2 CPU went to those reorders).
//
// A blocked value of logical shape [N, C, H, W] is stored as the plain 5-D tensor
// [N, ceil(C/B), H, W, B]; when C is not a multiple of B the last block has padding lanes
// (oneDNN's padded dims: ShuffleNet's 58/116/232 channels, MobileNetV3's 24/40/72/120 with
// AVX-512's 16). Padding lanes hold zeros wherever a convolution or pooling reads them (the
// layout pass tracks which values may carry other finite values there). Elementwise kernels
// need no change: equal shapes stay equal, and a per-channel [N, C, 1, 1] operand becomes
// [N, ceil(C/B), 1, 1, B], which numpy broadcasting pairs with [N, ceil(C/B), H, W, B] channel
// by channel. Concat on axis 1 concatenates whole blocks (only unpadded inputs).
#pragma once

#include "runtime/kernel.h"
#include "tensor/tensor.h"

#include <oneapi/dnnl/dnnl.hpp>

namespace qs::ops {

// The attributes (INT 0/1) the layout pass sets on the nodes whose input 0 / output 0 it keeps
// blocked. Engine-internal, like the fused-activation attributes.
inline constexpr const char *kBlockedInputAttribute = "qs_blocked_input";
inline constexpr const char *kBlockedOutputAttribute = "qs_blocked_output";
// On BlockedToPlain: the value's logical channel count (its input may carry padding lanes).
inline constexpr const char *kBlockedChannelsAttribute = "qs_channels";
// Set by fusion/int8_layout.cpp on a MaxPool whose 8-bit input and output are stored channels
// last, [N, H, W, C], between int8 convolutions.
inline constexpr const char *kChannelsLastAttribute = "qs_channels_last";

// Channels per block on this CPU, as oneDNN sees it (ONEDNN_MAX_CPU_ISA included): 16 with
// AVX-512, else 8.
int64_t channelBlock();

// Fails with one message naming the input unless `x` is a float32 [N, C/B, H, W, B] with this
// CPU's block (what the layout pass promised the kernel).
Status checkBlockedInput(const KernelContext &ctx, const Tensor &x);

// [N, C/B, H, W, B] -> [N, C/B * B, H, W]: the channels padding included.
Shape logicalShapeOfBlocked(const Shape &physical);
// [N, C, H, W] -> [N, ceil(C/B), H, W, B].
Shape blockedShape(const Shape &logical, int64_t block);
// The oneDNN descriptor of a blocked float32 tensor of logical shape [N, C, H, W] (oneDNN pads
// C up to the block itself).
dnnl::memory::desc blockedDesc(const Shape &logical, int64_t block);

} // namespace qs::ops
