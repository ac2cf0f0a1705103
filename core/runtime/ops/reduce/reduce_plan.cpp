#include "runtime/ops/reduce/reduce_plan.h"

#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>

namespace qs::ops {

Result<ReducePlan> ReducePlan::make(const Shape &input, std::vector<int64_t> axes, bool keepDims)
{
    const auto rank = static_cast<int64_t>(input.size());
    std::vector<bool> isReduced(input.size(), axes.empty());
    for (int64_t axis : axes) {
        const int64_t original = axis;
        if (!normalizeAxis(axis, rank))
            return invalidArgument("axis " + std::to_string(original) + " is out of range for rank "
                                   + std::to_string(rank));
        isReduced[static_cast<size_t>(axis)] = true;
    }
    ReducePlan plan;
    for (size_t d = 0; d < input.size(); ++d) {
        if (!isReduced[d])
            plan.outputShape.push_back(input[d]);
        else if (keepDims)
            plan.outputShape.push_back(1);
    }
    // Merge dims into runs of kept (K) and reduced (R), ignoring size-1 dims.
    std::vector<std::pair<bool, int64_t>> runs; // (reduced, size)
    for (size_t d = 0; d < input.size(); ++d) {
        if (input[d] == 1)
            continue;
        if (!runs.empty() && runs.back().first == isReduced[d])
            runs.back().second *= input[d];
        else
            runs.emplace_back(isReduced[d], input[d]);
    }
    size_t reducedRuns = 0;
    for (const auto &run : runs)
        reducedRuns += run.first ? 1 : 0;
    if (reducedRuns <= 1) {
        bool seenReduced = false;
        for (const auto &[reduced, size] : runs) {
            if (reduced) {
                plan.reduced = size;
                seenReduced = true;
            } else {
                (seenReduced ? plan.inner : plan.outer) *= size;
            }
        }
        return plan;
    }
    // Several reduced blocks: permute kept dims first, reduced dims last.
    plan.permute = true;
    const std::vector<int64_t> strides = contiguousStrides(input);
    for (bool reducedPass : {false, true}) {
        for (size_t d = 0; d < input.size(); ++d) {
            if (isReduced[d] != reducedPass)
                continue;
            plan.permutedShape.push_back(input[d]);
            plan.permutedStrides.push_back(strides[d]);
            (reducedPass ? plan.reduced : plan.outer) *= input[d];
        }
    }
    return plan;
}

Tensor reduceLayout(const ReducePlan &plan, const Tensor &input, int threads)
{
    if (!plan.permute)
        return input;
    Tensor permuted = Tensor::allocate(input.dtype(), plan.permutedShape);
    stridedCopy(permuted.mutableRawData(), input.rawData(), plan.permutedShape,
                plan.permutedStrides, dtypeSize(input.dtype()), threads);
    return permuted;
}

AxisSplit splitAtAxis(const Shape &shape, int64_t axis)
{
    AxisSplit split;
    for (size_t d = 0; d < shape.size(); ++d) {
        const auto index = static_cast<int64_t>(d);
        (index < axis ? split.outer : index == axis ? split.extent : split.inner) *= shape[d];
    }
    return split;
}

} // namespace qs::ops
