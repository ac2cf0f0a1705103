// Split: sizes from the 'split' attribute (up to opset 12) or input (13+), else equal parts.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>
#include <numeric>

namespace qs::ops {

namespace {

class SplitKernel final : public Kernel
{
public:
    SplitKernel(int64_t axis, IntListParam split)
        : m_axis(axis)
        , m_split(std::move(split))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, data));
        const int64_t dim = data.dim(axis);
        const auto parts = static_cast<int64_t>(ctx.outputCount());
        Result<std::optional<std::vector<int64_t>>> given = m_split.get(ctx, "split");
        if (!given)
            return given.status();
        std::vector<int64_t> sizes;
        if (*given) {
            sizes = **given;
            const int64_t sum = std::accumulate(sizes.begin(), sizes.end(), int64_t{0});
            if (static_cast<int64_t>(sizes.size()) != parts || sum != dim)
                return ctx.error("split " + intsToString(sizes) + " does not divide axis "
                                 + std::to_string(axis) + " of " + data.describe() + " into "
                                 + std::to_string(parts) + " outputs");
        } else {
            if (dim % parts != 0)
                return ctx.error("axis " + std::to_string(axis) + " of " + data.describe()
                                 + " cannot be split into " + std::to_string(parts)
                                 + " equal parts");
            sizes.assign(static_cast<size_t>(parts), dim / parts);
        }
        const int64_t es = dtypeSize(data.dtype());
        int64_t outer = 1;
        for (int64_t d = 0; d < axis; ++d)
            outer *= data.dim(d);
        int64_t inner = es;
        for (int64_t d = axis + 1; d < data.rank(); ++d)
            inner *= data.dim(d);
        const auto *src = static_cast<const char *>(data.rawData());
        const int64_t inRow = dim * inner;
        int64_t offset = 0;
        for (int64_t i = 0; i < parts; ++i) {
            Shape shape = data.shape();
            shape[static_cast<size_t>(axis)] = sizes[static_cast<size_t>(i)];
            Tensor &out = ctx.allocateOutput(static_cast<size_t>(i), data.dtype(), shape);
            auto *dst = static_cast<char *>(out.mutableRawData());
            const int64_t row = sizes[static_cast<size_t>(i)] * inner;
            if (row > 0) {
#pragma omp parallel for num_threads(ctx.threads()) if (outer * row > (1 << 18) && outer > 1)
                for (int64_t o = 0; o < outer; ++o)
                    std::memcpy(dst + o * row, src + o * inRow + offset, static_cast<size_t>(row));
            }
            offset += row;
        }
        return Status::ok();
    }

private:
    int64_t m_axis;
    IntListParam m_split;
};

} // namespace

Result<std::unique_ptr<Kernel>> createSplit(const KernelInfo &info)
{
    Result<int64_t> axis = info.getInt("axis", 0);
    if (!axis)
        return axis.status();
    IntListParam split;
    QS_RETURN_IF_ERROR(split.init(info, "split", 1, 13));
    return makeKernel<SplitKernel>(*axis, std::move(split));
}

} // namespace qs::ops
