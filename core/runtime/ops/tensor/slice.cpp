// Slice: starts/ends/axes as attributes (opset 1) or inputs with steps (10+). Starts and ends are
// clamped like numpy; negative steps walk backwards. The copy is one strided copy whose source
// strides are the input strides times the steps.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>

namespace qs::ops {

namespace {

class SliceKernel final : public Kernel
{
public:
    SliceKernel(IntListParam starts, IntListParam ends, IntListParam axes, IntListParam steps)
        : m_starts(std::move(starts))
        , m_ends(std::move(ends))
        , m_axes(std::move(axes))
        , m_steps(std::move(steps))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        auto starts = m_starts.get(ctx, "starts");
        auto ends = m_ends.get(ctx, "ends");
        auto axes = m_axes.get(ctx, "axes");
        auto steps = m_steps.get(ctx, "steps");
        for (const auto *r : {&starts, &ends, &axes, &steps}) {
            if (!*r)
                return r->status();
        }
        if (!*starts || !*ends)
            return ctx.error("starts and ends are required");
        const size_t count = (*starts)->size();
        if ((*ends)->size() != count || (*axes && (*axes)->size() != count)
            || (*steps && (*steps)->size() != count))
            return ctx.error("starts " + intsToString(**starts) + ", ends " + intsToString(**ends)
                             + ", axes and steps differ in length");
        const int64_t rank = data.rank();
        std::vector<int64_t> begin(static_cast<size_t>(rank), 0);
        std::vector<int64_t> step(static_cast<size_t>(rank), 1);
        Shape outShape = data.shape();
        std::vector<bool> seen(static_cast<size_t>(rank), false);
        for (size_t i = 0; i < count; ++i) {
            int64_t axis = *axes ? (**axes)[i] : static_cast<int64_t>(i);
            const int64_t given = axis;
            if (!normalizeAxis(axis, rank) || seen[static_cast<size_t>(axis)])
                return ctx.error("axis " + std::to_string(given)
                                 + " is out of range or repeated for input " + data.describe());
            seen[static_cast<size_t>(axis)] = true;
            const int64_t s = *steps ? (**steps)[i] : 1;
            if (s == 0)
                return ctx.error("steps must not be 0 (axis " + std::to_string(given) + ")");
            const int64_t dim = data.dim(axis);
            int64_t start = (**starts)[i];
            int64_t end = (**ends)[i];
            if (start < 0)
                start += dim;
            if (end < 0)
                end += dim;
            int64_t length;
            if (s > 0) {
                start = std::clamp<int64_t>(start, 0, dim);
                end = std::clamp<int64_t>(end, 0, dim);
                length = end > start ? (end - start + s - 1) / s : 0;
            } else {
                start = std::clamp<int64_t>(start, 0, dim - 1);
                end = std::clamp<int64_t>(end, -1, dim - 1);
                length = start > end ? (start - end + (-s) - 1) / (-s) : 0;
            }
            begin[static_cast<size_t>(axis)] = start;
            step[static_cast<size_t>(axis)] = s;
            outShape[static_cast<size_t>(axis)] = length;
        }
        Tensor &out = ctx.allocateOutput(0, data.dtype(), outShape);
        if (out.elementCount() == 0)
            return Status::ok();
        const std::vector<int64_t> inStrides = contiguousStrides(data.shape());
        std::vector<int64_t> strides(static_cast<size_t>(rank));
        int64_t offset = 0;
        for (size_t d = 0; d < strides.size(); ++d) {
            strides[d] = inStrides[d] * step[d];
            offset += begin[d] * inStrides[d];
        }
        const int64_t es = dtypeSize(data.dtype());
        stridedCopy(out.mutableRawData(), static_cast<const char *>(data.rawData()) + offset * es,
                    outShape, strides, es, ctx.threads());
        return Status::ok();
    }

private:
    IntListParam m_starts;
    IntListParam m_ends;
    IntListParam m_axes;
    IntListParam m_steps;
};

} // namespace

Result<std::unique_ptr<Kernel>> createSlice(const KernelInfo &info)
{
    IntListParam starts, ends, axes, steps;
    QS_RETURN_IF_ERROR(starts.init(info, "starts", 1, 10));
    QS_RETURN_IF_ERROR(ends.init(info, "ends", 2, 10));
    QS_RETURN_IF_ERROR(axes.init(info, "axes", 3, 10));
    QS_RETURN_IF_ERROR(steps.init(info, "steps", 4, 10));
    return makeKernel<SliceKernel>(std::move(starts), std::move(ends), std::move(axes),
                                   std::move(steps));
}

} // namespace qs::ops
