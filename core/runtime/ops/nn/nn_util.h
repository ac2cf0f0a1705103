#pragma once
// Helpers shared by the nn kernels: sliding-window geometry (Conv, ConvTranspose, pools),
// input checks, float16 computed through float32, Conv's constant and runtime weights, oneDNN
// post-ops for fused activations and primitive execution with a per-call scratchpad (primitives
// are shared by concurrent runs, so oneDNN's global scratchpad must not be).

#include "runtime/kernel.h"

#include <dnnl.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace qs::ops {

// Window attributes of Conv/ConvTranspose/pools as written in the node; empty lists mean
// "default" and are filled once the spatial rank is known.
struct WindowAttributes
{
    std::vector<int64_t> kernelShape;
    std::vector<int64_t> strides;
    std::vector<int64_t> dilations;
    std::vector<int64_t> pads; // begins then ends
    std::string autoPad = "NOTSET";

    static Result<WindowAttributes> parse(const KernelInfo &info, bool withDilations = true);
};

// Geometry of one input shape: per spatial axis the output size and the two paddings.
struct WindowGeometry
{
    std::vector<int64_t> kernel, strides, dilations, padBegin, padEnd, output;
};

// Resolves attributes against the spatial input dims (ceilMode only for pools). `kernel` is
// the kernel extent (from kernel_shape or the weights). Errors mention the input shape.
Result<WindowGeometry> resolveWindow(const WindowAttributes &attrs,
                                     const std::vector<int64_t> &kernel,
                                     const std::vector<int64_t> &inputSpatial, bool ceilMode,
                                     const std::string &label);

// oneDNN plain format of an activation tensor of `rank` dims (ncw, nchw, ncdhw, or a/ab/abc...).
dnnl::memory::format_tag plainTag(size_t rank);

// Appends the oneDNN eltwise post-ops equal to `activation` (kernel.cpp's applyFusedActivation).
void appendActivationPostOps(dnnl::post_ops &ops, const FusedActivation &activation);

// Input `tensor` as float32: itself when it is float32, a widened copy for float16; an empty
// tensor for other types.
Tensor toFloat32(const Tensor &tensor, int threads);
// Narrows `source` (float32) into `destination` (a float16 tensor of the same size).
void storeFloat16(const Tensor &source, Tensor &destination, int threads);

// The float kernels compute float16 in float32: wideOutput(out) is the buffer to write for
// output `out` (a float32 tensor of its shape when `out` is float16, else `out` itself), and
// storeWideOutput narrows it into `out` afterwards when they differ.
Tensor wideOutput(const Tensor &out);
void storeWideOutput(const Tensor &wide, Tensor &out, int threads);

// Checks input 'X' of an N x C x ... op: float32 or float16 with `minRank` to `maxRank` dims
// (kAnyRank: no upper limit). checkActivationRank checks only the rank.
inline constexpr int64_t kAnyRank = -1;
Status checkFloatActivation(const KernelContext &ctx, const Tensor &x, int64_t minRank,
                            int64_t maxRank);
Status checkActivationRank(const KernelContext &ctx, const Tensor &x, int64_t minRank,
                           int64_t maxRank);

// Conv's and ConvTranspose's weights (input 1) and bias (input 2). The factory keeps the
// constant ones as float32 tensors of their own (the model may be unloaded before the session);
// each run widens those left empty from its inputs. Other dtypes than float32/16 are an error.
Status constantWeightAndBias(const KernelInfo &info, Tensor &weight, Tensor &bias);
Status runWeightAndBias(const KernelContext &ctx, Tensor &weight, Tensor &bias);
// `constant` as float32: the constant itself when it is float32 (a view keeps its owner, the
// model's bytes, alive), else a widened copy; empty for dtypes that do not widen to float32.
Tensor float32Constant(const Tensor &constant);

// A primitive descriptor attribute with a user-managed scratchpad (see header comment).
dnnl::primitive_attr userScratchpadAttr();

// Runs `primitive` on a fresh stream with a scratchpad of `scratchpadBytes` allocated for this
// call, and waits. oneDNN errors become a Status naming `label`.
Status executePrimitive(const dnnl::primitive &primitive, const dnnl::memory::desc &scratchpad,
                        std::unordered_map<int, dnnl::memory> args, const std::string &label);

// A oneDNN memory over a tensor's (or buffer's) data without copying.
dnnl::memory wrapMemory(const dnnl::memory::desc &desc, const void *data);

// applyFusedActivation over `count` floats split across `threads` OpenMP threads. Used instead
// of oneDNN post-ops on its GEMM-based (plain layout) convolutions, which run eltwise post-ops
// per element without vectorising: a 1x1 16->32 conv at 320x320 took 34 ms with a HardSwish
// post-op and ~1 ms without.
void applyActivationInParallel(const FusedActivation &activation, float *data, int64_t count,
                               int threads);

// Copies `from` into `to` (both already described), converting the layout.
Status reorderMemory(const dnnl::memory &from, const dnnl::memory &to, const std::string &label);

// Runs `primitive` with `args` plus DNNL_ARG_DST: the primitive writes `dst` layout; when that is
// not `userDst` (the plain float32 tensor at `userData`) it writes a temporary that is then
// reordered. `activationAfter`, when set, is then applied to the `count` results.
Status executeIntoUser(const dnnl::primitive &primitive, const dnnl::memory::desc &scratchpad,
                       std::unordered_map<int, dnnl::memory> args, const dnnl::memory::desc &dst,
                       const dnnl::memory::desc &userDst, float *userData, int64_t count,
                       const std::optional<FusedActivation> &activationAfter, int threads,
                       const std::string &label);

// `data` laid out as `user`, presented as `wanted`: the same memory when the layouts agree,
// else a reordered copy.
Result<dnnl::memory> inLayout(const dnnl::memory::desc &user, const dnnl::memory::desc &wanted,
                              const void *data, const std::string &label);

std::string dimsToString(const std::vector<int64_t> &dims);

} // namespace qs::ops
