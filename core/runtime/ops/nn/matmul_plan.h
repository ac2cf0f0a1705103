#pragma once
// One oneDNN matmul primitive as MatMul and Gemm use it: dst = scale * (A x B) [+ addend]
// [-> activation]. A and B may be strided (Gemm's transposes), B may be constant and packed
// once into the primitive's preferred layout, and the addend (Gemm's beta * C) is a binary
// post-op broadcast over dst. When oneDNN refuses a post-op the plan records it and run() adds
// the addend / applies the activation with Eigen afterwards.

#include "runtime/ops/nn/conv_plan_cache.h"

#include "runtime/kernel.h"

#include <optional>
#include <string>

namespace qs::ops {

struct MatmulRequest
{
    dnnl::memory::desc a, b, dst;
    dnnl::memory::desc addend; // zero desc when there is none; dims broadcastable to dst
    float scale = 1.0f;
    std::optional<FusedActivation> activation;
    const void *constantB = nullptr; // packed into the plan when set
};

struct MatmulPlan
{
    dnnl::primitive primitive;
    dnnl::memory::desc a, userB, b, dst, addend, scratchpad;
    dnnl::memory packedB;
    bool addendFused = false;
    std::optional<FusedActivation> activationAfter; // applied by run() when not a post-op
    dnnl::memory::dims addendDims, dstDims;
};

// Builds the primitive (an unsupported Status when oneDNN has none). `packed` holds constant
// B layouts across plans.
Result<std::shared_ptr<const MatmulPlan>> createMatmulPlan(const MatmulRequest &request,
                                                           PackedWeights &packed,
                                                           const std::string &label);

// Runs the plan on float32 buffers laid out as the request described.
Status runMatmul(const MatmulPlan &plan, const float *a, const float *b, const float *addend,
                 float *dst, int threads, const std::string &label);

} // namespace qs::ops
