#include "runtime/ops/nn/matmul_plan.h"

#include "runtime/ops/nn/nn_util.h"

namespace qs::ops {

namespace {

using dnnl::memory;

dnnl::matmul::primitive_desc makeMatmulDesc(const MatmulRequest &request, const memory::desc &b,
                                            bool fuseAddend, bool fuseActivation)
{
    dnnl::primitive_attr attr = userScratchpadAttr();
    if (request.scale != 1.0f)
        attr.set_output_scales(0, {request.scale});
    dnnl::post_ops ops;
    if (fuseAddend)
        ops.append_binary(dnnl::algorithm::binary_add, request.addend);
    if (fuseActivation)
        appendActivationPostOps(ops, *request.activation);
    attr.set_post_ops(ops);
    dnnl::matmul::desc desc(request.a, b, request.dst);
    return dnnl::matmul::primitive_desc(desc, attr, dnnl_support::cpuEngine());
}

// dst[m, n] += addend[m or 0, n or 0] for a 2-D dst.
void addBroadcast(float *dst, const float *addend, const memory::dims &dstDims,
                  const memory::dims &addendDims, int threads)
{
    const int64_t rows = dstDims[0];
    const int64_t cols = dstDims[1];
    const bool rowVaries = addendDims[0] != 1;
    const bool colVaries = addendDims[1] != 1;
#pragma omp parallel for num_threads(threads) if (rows * cols > 65536)
    for (int64_t r = 0; r < rows; ++r) {
        Eigen::Map<Eigen::ArrayXf> out(dst + r * cols, cols);
        const float *row = addend + (rowVaries ? r * addendDims[1] : 0);
        if (colVaries)
            out += Eigen::Map<const Eigen::ArrayXf>(row, cols);
        else
            out += row[0];
    }
}

} // namespace

Result<std::shared_ptr<const MatmulPlan>> createMatmulPlan(const MatmulRequest &request,
                                                           PackedWeights &packed,
                                                           const std::string &label)
{
    auto plan = std::make_shared<MatmulPlan>();
    plan->a = request.a;
    plan->userB = request.b;
    plan->dst = request.dst;
    plan->addend = request.addend;
    plan->dstDims = request.dst.dims();
    const bool hasAddend = !request.addend.is_zero();
    if (hasAddend)
        plan->addendDims = request.addend.dims();
    // Constant B: let the primitive choose its layout, reordered once below.
    const memory::desc b = request.constantB
                               ? memory::desc(request.b.dims(), memory::data_type::f32,
                                              memory::format_tag::any)
                               : request.b;
    try {
        std::optional<dnnl::matmul::primitive_desc> pd;
        // Preferred: everything fused; then without the addend post-op (broadcast shapes some
        // implementations refuse); the activation then also has to run afterwards.
        try {
            pd = makeMatmulDesc(request, b, hasAddend, request.activation.has_value());
            plan->addendFused = hasAddend;
        } catch (const dnnl::error &) {
            if (!hasAddend)
                throw;
            pd = makeMatmulDesc(request, b, false, false);
            plan->activationAfter = request.activation;
        }
        plan->primitive = dnnl::matmul(*pd);
        plan->b = pd->weights_desc();
        plan->scratchpad = pd->scratchpad_desc();
        if (request.constantB)
            plan->packedB = packed.get(request.b, plan->b, request.constantB);
    } catch (const dnnl::error &e) {
        return unsupported(label + ": oneDNN has no matmul for A " + dimsToString(request.a.dims())
                           + " and B " + dimsToString(request.b.dims()) + ": " + e.what());
    }
    return std::shared_ptr<const MatmulPlan>(std::move(plan));
}

Status runMatmul(const MatmulPlan &plan, const float *a, const float *b, const float *addend,
                 float *dst, int threads, const std::string &label)
{
    std::unordered_map<int, memory> args;
    args[DNNL_ARG_SRC] = wrapMemory(plan.a, a);
    args[DNNL_ARG_DST] = wrapMemory(plan.dst, dst);
    if (plan.packedB) {
        args[DNNL_ARG_WEIGHTS] = plan.packedB;
    } else {
        args[DNNL_ARG_WEIGHTS] = wrapMemory(plan.b, b);
    }
    if (plan.addendFused)
        args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1] = wrapMemory(plan.addend, addend);
    QS_RETURN_IF_ERROR(executePrimitive(plan.primitive, plan.scratchpad, std::move(args), label));
    if (addend && !plan.addendFused)
        addBroadcast(dst, addend, plan.dstDims, plan.addendDims, threads);
    if (plan.activationAfter) {
        int64_t count = 1;
        for (int64_t d : plan.dstDims)
            count *= d;
        applyFusedActivation(*plan.activationAfter, dst, count);
    }
    return Status::ok();
}

} // namespace qs::ops
