#pragma once
// Where a reduction runs: the input viewed as [outer, reduced, inner] (row-major), with the
// kept dims outside and inside the reduced block. When the reduced axes are not one contiguous
// block after merging neighbours (e.g. axes {1, 3} of a 4-D tensor with dims > 1 between them),
// the plan asks for a permuted copy with the reduced axes last, so [outer, reduced, 1].

#include "runtime/kernel.h"

#include <vector>

namespace qs::ops {

struct ReducePlan
{
    Shape outputShape; // with or without the reduced dims, as keepdims asks
    int64_t outer = 1;
    int64_t reduced = 1;
    int64_t inner = 1;
    bool permute = false;
    Shape permutedShape;                  // when permute: the input's dims reordered
    std::vector<int64_t> permutedStrides; // element strides into the input, per permuted dim

    // `axes` may be negative; empty means all axes. Errors name the bad axis.
    static Result<ReducePlan> make(const Shape &input, std::vector<int64_t> axes, bool keepDims);
};

// The input laid out as the plan needs: the input itself, or its permuted copy.
Tensor reduceLayout(const ReducePlan &plan, const Tensor &input, int threads);

// [outer, axis, inner] for an op that works along one axis (softmax, argmax, top-k, cumsum).
struct AxisSplit
{
    int64_t outer = 1;
    int64_t extent = 1;
    int64_t inner = 1;
};
AxisSplit splitAtAxis(const Shape &shape, int64_t axis); // axis already normalised

} // namespace qs::ops
