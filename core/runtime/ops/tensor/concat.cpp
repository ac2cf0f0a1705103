// Concat: each input contributes a block of (its dims from axis on) bytes per outer index.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>

namespace qs::ops {

namespace {

class ConcatKernel final : public Kernel
{
public:
    explicit ConcatKernel(int64_t axis)
        : m_axis(axis)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &first = ctx.input(0);
        if (first.empty())
            return ctx.error("needs at least one input");
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, first));
        Shape outShape = first.shape();
        outShape[static_cast<size_t>(axis)] = 0;
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            const Tensor &in = ctx.input(i);
            bool matches = in.rank() == first.rank() && in.dtype() == first.dtype();
            for (int64_t d = 0; matches && d < in.rank(); ++d)
                matches = d == axis || in.dim(d) == first.dim(d);
            if (!matches)
                return ctx.error("input " + std::to_string(i) + " is " + in.describe()
                                 + " but only axis " + std::to_string(axis) + " may differ from "
                                 + first.describe());
            outShape[static_cast<size_t>(axis)] += in.dim(axis);
        }
        const int64_t es = dtypeSize(first.dtype());
        int64_t outer = 1;
        for (int64_t d = 0; d < axis; ++d)
            outer *= first.dim(d);
        int64_t inner = es;
        for (int64_t d = axis + 1; d < first.rank(); ++d)
            inner *= first.dim(d);
        Tensor &out = ctx.allocateOutput(0, first.dtype(), outShape);
        auto *dst = static_cast<char *>(out.mutableRawData());
        const int64_t outRow = outShape[static_cast<size_t>(axis)] * inner;
        int64_t offset = 0;
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            const Tensor &in = ctx.input(i);
            const int64_t row = in.dim(axis) * inner;
            const auto *src = static_cast<const char *>(in.rawData());
            if (row > 0) {
#pragma omp parallel for num_threads(ctx.threads()) if (outer * row > (1 << 18) && outer > 1)
                for (int64_t o = 0; o < outer; ++o)
                    std::memcpy(dst + o * outRow + offset, src + o * row, static_cast<size_t>(row));
            }
            offset += row;
        }
        return Status::ok();
    }

private:
    int64_t m_axis;
};

} // namespace

Result<std::unique_ptr<Kernel>> createConcat(const KernelInfo &info)
{
    if (!info.hasAttribute("axis"))
        return info.error("attribute 'axis' is required");
    Result<int64_t> axis = info.getInt("axis", 0);
    if (!axis)
        return axis.status();
    return makeKernel<ConcatKernel>(*axis);
}

} // namespace qs::ops
