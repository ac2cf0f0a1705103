#pragma once
// Helpers shared by the shape and data-movement kernels: axis normalization, attribute-or-input
// integer lists, and one strided byte copy that Slice, Transpose, Expand, Tile and DepthToSpace
// all reduce to. Data movement works on any dtype by moving elements of dtypeSize() bytes.

#include "runtime/kernel.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs::ops {

// Maps a possibly negative axis into [0, rank); false when it is outside [-rank, rank).
bool normalizeAxis(int64_t &axis, int64_t rank);

// Row-major element strides of `shape`.
std::vector<int64_t> contiguousStrides(const Shape &shape);

// "[1,2,3]" for an int list (error messages).
std::string intsToString(const std::vector<int64_t> &values);

// An integer list given either as an attribute (older opsets) or as input `index` (newer ones).
// The factory fills it from the attribute or a constant input; compute() falls back to the
// runtime input when it was not known.
class IntListParam
{
public:
    // Reads attribute `name` when opset < inputSince, else constant input `index` if present.
    Status init(const KernelInfo &info, std::string_view name, size_t index, int inputSince);
    // The list, or nullopt when neither the attribute nor the input was given.
    Result<std::optional<std::vector<int64_t>>> get(const KernelContext &ctx,
                                                    std::string_view what) const;

private:
    std::optional<std::vector<int64_t>> m_known;
    size_t m_index = 0;
    bool m_fromInput = false;
};

// Copies the elements of a strided source view into contiguous `dst`:
//   dst[i0,...,ik] = src[sum(ij * srcStrides[j])]   (strides in elements, may be 0 or negative)
// Dimensions are collapsed where possible; a unit inner stride becomes memcpy, a zero inner
// stride a fill. Parallel over rows when large.
void stridedCopy(void *dst, const void *src, const Shape &outShape,
                 const std::vector<int64_t> &srcStrides, int64_t elementSize, int threads);

// Copies `count` elements of `elementSize` bytes from src to dst (non-overlapping).
void copyElements(void *dst, const void *src, int64_t count, int64_t elementSize);

// Broadcasts two shapes numpy-style; false when they are incompatible.
bool broadcastShapes(const Shape &a, const Shape &b, Shape &out);

// A tensor of `type` with one element holding `value` converted to that type.
Tensor scalarOfType(DType type, double value);

} // namespace qs::ops
