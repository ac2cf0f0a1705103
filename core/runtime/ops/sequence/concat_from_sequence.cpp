// ConcatFromSequence: concatenates a sequence's tensors along `axis`, or with `new_axis`=1
// stacks them along a new axis inserted there (then axis may also be rank, i.e. the end).
#include "runtime/ops/sequence/sequence_kernels.h"
#include "runtime/ops/sequence/sequence_util.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>

namespace qs::ops {

namespace {

class ConcatFromSequenceKernel final : public Kernel
{
public:
    ConcatFromSequenceKernel(int64_t axis, bool newAxis)
        : m_axis(axis)
        , m_newAxis(newAxis)
    {}

    Status compute(KernelContext &ctx) const override
    {
        Result<const Value *> sequence = sequenceInput(ctx, 0);
        if (!sequence)
            return sequence.status();
        const std::vector<Tensor> &items = (*sequence)->items();
        if (items.empty())
            return ctx.error("cannot concatenate an empty sequence");
        const Tensor &first = items.front();
        const int64_t elementSize = dtypeSize(first.dtype());
        if (elementSize == 0)
            return unsupported(ctx.label() + ": " + first.describe() + " cannot be concatenated");
        const int64_t rank = first.rank() + (m_newAxis ? 1 : 0);
        int64_t axis = m_axis;
        if (!normalizeAxis(axis, rank))
            return ctx.error("axis " + std::to_string(m_axis) + " is outside ["
                             + std::to_string(-rank) + ", " + std::to_string(rank - 1) + "] for "
                             + first.describe());

        // Every item seen with the new axis (of length 1) already inserted.
        auto shapeOf = [&](const Tensor &item) {
            Shape shape = item.shape();
            if (m_newAxis)
                shape.insert(shape.begin() + axis, 1);
            return shape;
        };
        Shape outShape = shapeOf(first);
        outShape[static_cast<size_t>(axis)] = 0;
        for (const Tensor &item : items) {
            const Shape shape = shapeOf(item);
            bool fits = item.dtype() == first.dtype() && shape.size() == outShape.size();
            for (size_t d = 0; fits && d < shape.size(); ++d)
                fits = d == static_cast<size_t>(axis) || shape[d] == outShape[d];
            if (!fits)
                return ctx.error("cannot concatenate " + item.describe() + " with "
                                 + first.describe() + " along axis " + std::to_string(axis));
            outShape[static_cast<size_t>(axis)] += shape[static_cast<size_t>(axis)];
        }

        int64_t outer = 1;
        for (int64_t d = 0; d < axis; ++d)
            outer *= outShape[static_cast<size_t>(d)];
        Tensor &out = ctx.allocateOutput(0, first.dtype(), outShape);
        auto *dst = static_cast<std::byte *>(out.mutableRawData());
        const int64_t outBlock = outer > 0 ? out.byteSize() / outer : 0;
        int64_t offset = 0;
        for (const Tensor &item : items) {
            const int64_t block = outer > 0 ? item.byteSize() / outer : 0;
            const auto *src = static_cast<const std::byte *>(item.rawData());
            for (int64_t o = 0; o < outer && block > 0; ++o)
                std::memcpy(dst + o * outBlock + offset, src + o * block,
                            static_cast<size_t>(block));
            offset += block;
        }
        return Status::ok();
    }

private:
    int64_t m_axis;
    bool m_newAxis;
};

} // namespace

Result<std::unique_ptr<Kernel>> createConcatFromSequence(const KernelInfo &info)
{
    if (!info.hasAttribute("axis"))
        return info.error("attribute 'axis' is required");
    Result<int64_t> axis = info.getInt("axis", 0);
    if (!axis)
        return axis.status();
    Result<int64_t> newAxis = info.getInt("new_axis", 0);
    if (!newAxis)
        return newAxis.status();
    return makeKernel<ConcatFromSequenceKernel>(*axis, *newAxis != 0);
}

} // namespace qs::ops
