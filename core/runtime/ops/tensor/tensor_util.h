#pragma once
// Helpers shared by the shape and data-movement kernels (and by the axis-wise reduce and quant
// kernels): axis normalization, attribute-or-input integer lists, the index walk of the Gather
// and Scatter ops, and one strided byte copy that Slice, Transpose, Expand, Tile and
// DepthToSpace all reduce to. Data movement works on any dtype by moving elements of
// dtypeSize() bytes.

#include "runtime/kernel.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs::ops {

// Maps a possibly negative axis into [0, rank); false when it is outside [-rank, rank).
bool normalizeAxis(int64_t &axis, int64_t rank);
// normalizeAxis for a kernel's `axis` over `input` (of `rank` dims: the input's own unless an op
// counts differently); the error names the axis as given and the input.
Status resolveAxis(const KernelContext &ctx, int64_t &axis, const Tensor &input);
Status resolveAxis(const KernelContext &ctx, int64_t &axis, const Tensor &input, int64_t rank);

// Row-major element strides of `shape`.
std::vector<int64_t> contiguousStrides(const Shape &shape);
// Element strides that read a contiguous tensor of shape `from` as if broadcast to `to`
// (numpy rules, dims aligned at the end): 0 along the dims `from` lacks or has as 1.
std::vector<int64_t> broadcastStrides(const Shape &from, const Shape &to);

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
    // The list for an op that cannot do without it: an error naming `what` when it is absent.
    Result<std::vector<int64_t>> require(const KernelContext &ctx, std::string_view what) const;

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

// The error for an index outside [-dim, dim) along `axis` of `data` (Gather and Scatter ops).
Status indexOutOfRange(const KernelContext &ctx, int64_t index, int64_t axis, const Tensor &data);

// Walks `indices` of GatherElements/ScatterElements (the rank of `data`; each value an index
// along `axis`, negative from the end) in row-major order, calling visit(e, offset) with the
// element of `data` that indices element `e` addresses. Stops at the first index out of range.
template<typename Visit>
Status forEachAxisIndex(const KernelContext &ctx, const Tensor &data, const Tensor &indices,
                        int64_t axis, Visit &&visit)
{
    const int64_t rank = data.rank();
    const int64_t dim = data.dim(axis);
    const std::vector<int64_t> strides = contiguousStrides(data.shape());
    std::vector<int64_t> pos(static_cast<size_t>(rank), 0);
    for (int64_t e = 0; e < indices.elementCount(); ++e) {
        int64_t index = indices.intAt(e);
        if (index < -dim || index >= dim)
            return indexOutOfRange(ctx, index, axis, data);
        if (index < 0)
            index += dim;
        int64_t offset = 0;
        for (int64_t d = 0; d < rank; ++d)
            offset += (d == axis ? index : pos[static_cast<size_t>(d)])
                      * strides[static_cast<size_t>(d)];
        visit(e, offset);
        for (int64_t d = rank; d-- > 0;) {
            if (++pos[static_cast<size_t>(d)] < indices.dim(d))
                break;
            pos[static_cast<size_t>(d)] = 0;
        }
    }
    return Status::ok();
}

// Broadcasts two shapes numpy-style; false when they are incompatible.
bool broadcastShapes(const Shape &a, const Shape &b, Shape &out);

// A tensor of `type` with one element holding `value` converted to that type.
Tensor scalarOfType(DType type, double value);

// The values of a numeric tensor as float32: the tensor itself when it is float32, else a copy
// converted element by element in one thread.
Tensor valuesAsFloat32(const Tensor &tensor);

} // namespace qs::ops
