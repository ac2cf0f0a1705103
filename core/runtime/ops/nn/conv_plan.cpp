#include "runtime/ops/nn/conv_plan.h"

namespace qs::ops {

std::vector<int64_t> convPlanKey(const Shape &x, const Shape &weight, bool constantWeights)
{
    std::vector<int64_t> key(x.begin(), x.end());
    if (!constantWeights)
        key.insert(key.end(), weight.begin(), weight.end());
    return key;
}

Status runConvPlan(const ConvPlan &plan, const Tensor &src, const Tensor &weight,
                   const Tensor &bias, Tensor &dst, int threads, const std::string &label,
                   const std::vector<const Tensor *> &postOpInputs)
{
    using dnnl::memory;
    std::unordered_map<int, memory> args;
    Result<memory> srcMemory = inLayout(plan.userSrc, plan.src, src.rawData(), label);
    if (!srcMemory)
        return srcMemory.status();
    args[DNNL_ARG_SRC] = *srcMemory;
    if (plan.packedWeights) {
        args[DNNL_ARG_WEIGHTS] = plan.packedWeights;
    } else {
        Result<memory> weights = inLayout(plan.userWeights, plan.weights, weight.rawData(), label);
        if (!weights)
            return weights.status();
        args[DNNL_ARG_WEIGHTS] = *weights;
    }
    if (!bias.empty())
        args[DNNL_ARG_BIAS] = wrapMemory(memory::desc({bias.elementCount()}, memory::data_type::f32,
                                                      memory::format_tag::a),
                                         bias.rawData());
    for (size_t i = 0; i < plan.binaryPostOpInputs.size() && i < postOpInputs.size(); ++i)
        args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(int(i)) | DNNL_ARG_SRC_1]
            = wrapMemory(plan.binaryPostOpInputs[i], postOpInputs[i]->rawData());
    return executeIntoUser(plan.primitive, plan.scratchpad, std::move(args), plan.dst, plan.userDst,
                           dst.mutableData<float>(), dst.elementCount(), plan.activationAfter,
                           threads, label);
}

} // namespace qs::ops
