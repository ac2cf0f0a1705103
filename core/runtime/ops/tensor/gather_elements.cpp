// GatherElements: out[i][j][k] = data[index[i][j][k]][j][k] (for axis 0), any element type.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>

namespace qs::ops {

namespace {

class GatherElementsKernel final : public Kernel
{
public:
    explicit GatherElementsKernel(int64_t axis) : m_axis(axis) {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        const Tensor &indices = ctx.input(1);
        int64_t axis = m_axis;
        if (!normalizeAxis(axis, data.rank()))
            return ctx.error("axis " + std::to_string(m_axis) + " is out of range for input "
                             + data.describe());
        if (indices.rank() != data.rank())
            return ctx.error("indices " + indices.describe() + " and data " + data.describe()
                             + " differ in rank");
        if (indices.dtype() != DType::Int64 && indices.dtype() != DType::Int32)
            return ctx.error("indices dtype " + dtypeName(indices.dtype()) + " is not supported");
        Tensor &out = ctx.allocateOutput(0, data.dtype(), indices.shape());
        const int64_t es = dtypeSize(data.dtype());
        const std::vector<int64_t> dataStrides = contiguousStrides(data.shape());
        const int64_t rank = data.rank();
        const int64_t dim = data.dim(axis);
        const auto *src = static_cast<const char *>(data.rawData());
        auto *dst = static_cast<char *>(out.mutableRawData());
        std::vector<int64_t> pos(static_cast<size_t>(rank), 0);
        for (int64_t e = 0; e < out.elementCount(); ++e) {
            int64_t index = indices.intAt(e);
            if (index < -dim || index >= dim)
                return ctx.error("index " + std::to_string(index) + " is out of range for axis "
                                 + std::to_string(axis) + " of input " + data.describe());
            if (index < 0)
                index += dim;
            int64_t offset = 0;
            for (int64_t d = 0; d < rank; ++d)
                offset += (d == axis ? index : pos[static_cast<size_t>(d)])
                          * dataStrides[static_cast<size_t>(d)];
            std::memcpy(dst + e * es, src + offset * es, static_cast<size_t>(es));
            for (int64_t d = rank; d-- > 0;) {
                if (++pos[static_cast<size_t>(d)] < indices.dim(d))
                    break;
                pos[static_cast<size_t>(d)] = 0;
            }
        }
        return Status::ok();
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
