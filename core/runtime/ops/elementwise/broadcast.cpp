#include "runtime/ops/elementwise/broadcast.h"

#include <algorithm>

namespace qs::ops {

Result<BroadcastPlan> BroadcastPlan::make(std::span<const Shape> inputs)
{
    BroadcastPlan plan;
    size_t rank = 0;
    for (const Shape &shape : inputs)
        rank = std::max(rank, shape.size());
    // Right-align every shape to the output rank.
    std::vector<Shape> aligned;
    for (const Shape &shape : inputs) {
        Shape padded(rank - shape.size(), 1);
        padded.insert(padded.end(), shape.begin(), shape.end());
        aligned.push_back(std::move(padded));
    }
    plan.m_output.assign(rank, 1);
    for (size_t d = 0; d < rank; ++d) {
        for (size_t i = 0; i < aligned.size(); ++i) {
            const int64_t dim = aligned[i][d];
            if (dim == 1 || dim == plan.m_output[d])
                continue;
            if (plan.m_output[d] != 1) {
                std::string shapes;
                for (const Shape &shape : inputs)
                    shapes += (shapes.empty() ? "" : " and ") + shapeToString(shape);
                return invalidArgument("shapes " + shapes + " cannot be broadcast together (dim "
                                       + std::to_string(d) + " of the broadcast shape)");
            }
            plan.m_output[d] = dim;
        }
    }
    plan.m_count = shapeElementCount(plan.m_output);

    // Collapse: drop output dims of size 1; merge neighbours every input treats alike.
    std::vector<int64_t> dims;
    std::vector<std::vector<bool>> present(inputs.size()); // per input: dim is not broadcast
    for (size_t d = 0; d < rank; ++d) {
        if (plan.m_output[d] == 1)
            continue;
        bool mergeable = !dims.empty();
        for (size_t i = 0; i < aligned.size() && mergeable; ++i)
            mergeable = present[i].back() == (aligned[i][d] != 1);
        if (mergeable) {
            dims.back() *= plan.m_output[d];
            continue;
        }
        dims.push_back(plan.m_output[d]);
        for (size_t i = 0; i < aligned.size(); ++i)
            present[i].push_back(aligned[i][d] != 1);
    }
    if (dims.empty()) { // scalar output
        dims.push_back(1);
        for (auto &flags : present)
            flags.push_back(true);
    }
    // Element strides of each input over the collapsed dims (0 where broadcast).
    std::vector<std::vector<int64_t>> strides(inputs.size(), std::vector<int64_t>(dims.size()));
    for (size_t i = 0; i < inputs.size(); ++i) {
        int64_t stride = 1;
        for (size_t d = dims.size(); d-- > 0;) {
            strides[i][d] = present[i][d] ? stride : 0;
            if (present[i][d])
                stride *= dims[d];
        }
    }
    plan.m_rowLength = dims.back();
    for (size_t i = 0; i < inputs.size(); ++i)
        plan.m_innerStrides.push_back(strides[i].back() ? 1 : 0);
    plan.m_outerDims.assign(dims.begin(), dims.end() - 1);
    for (size_t i = 0; i < inputs.size(); ++i)
        plan.m_outerStrides.emplace_back(strides[i].begin(), strides[i].end() - 1);
    return plan;
}

int64_t BroadcastPlan::rowOffset(size_t input, int64_t row) const
{
    const std::vector<int64_t> &strides = m_outerStrides[input];
    int64_t offset = 0;
    for (size_t d = m_outerDims.size(); d-- > 0;) {
        const int64_t index = row % m_outerDims[d];
        row /= m_outerDims[d];
        offset += index * strides[d];
    }
    return offset;
}

} // namespace qs::ops
