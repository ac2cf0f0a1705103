// SplitToSequence: splits a tensor along `axis` into a sequence: into pieces of the lengths the
// `split` input lists, of one length given as a scalar (the last piece may be shorter), or, with
// no `split`, into pieces of 1 whose axis `keepdims`=0 removes.
#include "runtime/ops/sequence/sequence_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>

namespace qs::ops {

namespace {

class SplitToSequenceKernel final : public Kernel
{
public:
    SplitToSequenceKernel(int64_t axis, bool keepDims)
        : m_axis(axis)
        , m_keepDims(keepDims)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &input = ctx.input(0);
        const int64_t elementSize = dtypeSize(input.dtype());
        if (elementSize == 0)
            return unsupported(ctx.label() + ": " + input.describe() + " cannot be split");
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, input));
        const int64_t length = input.dim(axis);
        Result<std::vector<int64_t>> lengths = pieceLengths(ctx, length);
        if (!lengths)
            return lengths.status();
        const bool squeeze = !ctx.hasInput(1) && !m_keepDims;

        int64_t outer = 1;
        for (int64_t d = 0; d < axis; ++d)
            outer *= input.dim(d);
        const int64_t inner = input.elementCount() / std::max<int64_t>(outer * length, 1)
                              * elementSize;
        const auto *src = static_cast<const std::byte *>(input.rawData());
        std::vector<Tensor> items;
        items.reserve(lengths->size());
        int64_t start = 0;
        for (const int64_t pieceLength : *lengths) {
            Shape shape = input.shape();
            shape[static_cast<size_t>(axis)] = pieceLength;
            if (squeeze)
                shape.erase(shape.begin() + axis);
            Tensor piece = Tensor::allocate(input.dtype(), shape);
            auto *dst = static_cast<std::byte *>(piece.mutableRawData());
            const int64_t block = pieceLength * inner;
            for (int64_t o = 0; o < outer && block > 0; ++o)
                std::memcpy(dst + o * block, src + (o * length + start) * inner,
                            static_cast<size_t>(block));
            start += pieceLength;
            items.push_back(std::move(piece));
        }
        ctx.setOutput(0, Value::sequence(input.dtype(), std::move(items)));
        return Status::ok();
    }

private:
    Result<std::vector<int64_t>> pieceLengths(const KernelContext &ctx, int64_t length) const
    {
        if (!ctx.hasInput(1))
            return std::vector<int64_t>(static_cast<size_t>(length), 1);
        const Tensor &split = ctx.input(1);
        if (split.rank() == 0) {
            const int64_t piece = split.intAt(0);
            if (piece <= 0)
                return ctx.error("split must be positive but is " + std::to_string(piece));
            std::vector<int64_t> lengths;
            for (int64_t at = 0; at < length; at += piece)
                lengths.push_back(std::min(piece, length - at));
            return lengths;
        }
        std::vector<int64_t> lengths = split.toInt64Vector();
        int64_t total = 0;
        for (const int64_t piece : lengths) {
            if (piece < 0)
                return ctx.error("split " + intsToString(lengths) + " has a negative length");
            total += piece;
        }
        if (total != length)
            return ctx.error("split " + intsToString(lengths) + " sums to " + std::to_string(total)
                             + " but the axis has " + std::to_string(length));
        return lengths;
    }

    int64_t m_axis;
    bool m_keepDims;
};

} // namespace

Result<std::unique_ptr<Kernel>> createSplitToSequence(const KernelInfo &info)
{
    Result<int64_t> axis = info.getInt("axis", 0);
    if (!axis)
        return axis.status();
    Result<int64_t> keepDims = info.getInt("keepdims", 1);
    if (!keepDims)
        return keepDims.status();
    return makeKernel<SplitToSequenceKernel>(*axis, *keepDims != 0);
}

} // namespace qs::ops
