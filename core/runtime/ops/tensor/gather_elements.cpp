// GatherElements: out[i][j][k] = data[index[i][j][k]][j][k] (for axis 0), any element type.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>

namespace qs::ops {

namespace {

class GatherElementsKernel final : public Kernel
{
public:
    explicit GatherElementsKernel(int64_t axis)
        : m_axis(axis)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        const Tensor &indices = ctx.input(1);
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, data));
        if (indices.rank() != data.rank())
            return ctx.error("indices " + indices.describe() + " and data " + data.describe()
                             + " differ in rank");
        if (indices.dtype() != DType::Int64 && indices.dtype() != DType::Int32)
            return ctx.error("indices dtype " + dtypeName(indices.dtype()) + " is not supported");
        Tensor &out = ctx.allocateOutput(0, data.dtype(), indices.shape());
        const int64_t es = dtypeSize(data.dtype());
        const auto *src = static_cast<const char *>(data.rawData());
        auto *dst = static_cast<char *>(out.mutableRawData());
        return forEachAxisIndex(ctx, data, indices, axis, [&](int64_t e, int64_t offset) {
            std::memcpy(dst + e * es, src + offset * es, static_cast<size_t>(es));
        });
    }

private:
    int64_t m_axis;
};

} // namespace

Result<std::unique_ptr<Kernel>> createGatherElements(const KernelInfo &info)
{
    Result<int64_t> axis = info.getInt("axis", 0);
    if (!axis)
        return axis.status();
    return makeKernel<GatherElementsKernel>(*axis);
}

} // namespace qs::ops
