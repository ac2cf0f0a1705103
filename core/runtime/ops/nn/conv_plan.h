#pragma once
// What the float Conv and ConvTranspose kernels keep per input shape (a oneDNN primitive and
// the layouts it wants) and how they run it on plain float32 tensors.

#include "runtime/ops/nn/nn_util.h"

#include <optional>
#include <vector>

namespace qs::ops {

struct ConvPlan
{
    dnnl::primitive primitive;
    dnnl::memory::desc userSrc, src, userWeights, weights, dst, userDst, scratchpad;
    dnnl::memory packedWeights; // constant weights in the primitive's layout
    Shape outputShape;
    // Set when the primitive is GEMM-based (plain layouts): its eltwise post-ops are slow, so
    // the activation runs afterwards (nn_util.h, applyActivationInParallel).
    std::optional<FusedActivation> activationAfter;
    // The inputs of the primitive's binary post-ops, in post-op order (a run-time output scale
    // and a bias after it: kScaledOutputAttribute); runConvPlan's postOpInputs match them.
    std::vector<dnnl::memory::desc> binaryPostOpInputs;
    // A scaled conv whose output is one vector of channels: the kernel applies the scale, bias
    // and activation itself after the primitive (conv.cpp says why).
    bool scaleAfter = false;
};

// The plan cache's key: the input shape, and the weights' shape when they come at run time.
std::vector<int64_t> convPlanKey(const Shape &x, const Shape &weight, bool constantWeights);

// Runs `plan` on `src` and `weight` (plain float32; reordered where the primitive wants another
// layout, the packed constant weights used when the plan has them) and the primitive's `bias`
// when not empty, into `dst` (plain float32), then applies the plan's activationAfter.
// `postOpInputs` holds one float32 tensor per plan.binaryPostOpInputs.
Status runConvPlan(const ConvPlan &plan, const Tensor &src, const Tensor &weight,
                   const Tensor &bias, Tensor &dst, int threads, const std::string &label,
                   const std::vector<const Tensor *> &postOpInputs = {});

} // namespace qs::ops
