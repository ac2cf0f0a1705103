// OneHot: out[..., k, ...] = values[1] where k == index (negative indices count from depth),
// values[0] elsewhere; the new axis is inserted at 'axis'.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace qs::ops {

namespace {

class OneHotKernel final : public Kernel
{
public:
    explicit OneHotKernel(int64_t axis)
        : m_axis(axis)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &indices = ctx.input(0);
        const Tensor &depthInput = ctx.input(1);
        const Tensor &values = ctx.input(2);
        if (depthInput.elementCount() != 1 || values.elementCount() != 2)
            return ctx.error("depth " + depthInput.describe() + " should be one value and values "
                             + values.describe() + " two");
        const auto depth = static_cast<int64_t>(depthInput.doubleAt(0));
        if (depth < 1)
            return ctx.error("depth " + std::to_string(depth) + " should be positive");
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, indices, indices.rank() + 1));
        Shape outShape = indices.shape();
        outShape.insert(outShape.begin() + axis, depth);
        int64_t outer = 1;
        for (int64_t d = 0; d < axis; ++d)
            outer *= indices.dim(d);
        const int64_t inner = indices.elementCount() / std::max<int64_t>(outer, 1);
        const int64_t es = dtypeSize(values.dtype());
        Tensor &out = ctx.allocateOutput(0, values.dtype(), outShape);
        auto *dst = static_cast<char *>(out.mutableRawData());
        const auto *off = static_cast<const char *>(values.rawData());
        const char *on = off + es;
        for (int64_t i = 0; i < out.elementCount(); ++i)
            std::memcpy(dst + i * es, off, static_cast<size_t>(es));
        for (int64_t o = 0; o < outer; ++o) {
            for (int64_t i = 0; i < inner; ++i) {
                auto index = static_cast<int64_t>(std::floor(indices.doubleAt(o * inner + i)));
                if (index < 0)
                    index += depth;
                if (index < 0 || index >= depth)
                    continue;
                std::memcpy(dst + ((o * depth + index) * inner + i) * es, on,
                            static_cast<size_t>(es));
            }
        }
        return Status::ok();
    }

private:
    int64_t m_axis;
};

} // namespace

Result<std::unique_ptr<Kernel>> createOneHot(const KernelInfo &info)
{
    Result<int64_t> axis = info.getInt("axis", -1);
    if (!axis)
        return axis.status();
    return makeKernel<OneHotKernel>(*axis);
}

} // namespace qs::ops
