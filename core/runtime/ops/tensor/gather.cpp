// Gather: out[outer, indices..., inner] = data[outer, index, inner]; each index selects a
// block of (dims after axis) elements, copied with memcpy.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>

namespace qs::ops {

namespace {

class GatherKernel final : public Kernel
{
public:
    explicit GatherKernel(int64_t axis)
        : m_axis(axis)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        const Tensor &indices = ctx.input(1);
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, data));
        if (indices.dtype() != DType::Int64 && indices.dtype() != DType::Int32)
            return ctx.error("indices dtype " + dtypeName(indices.dtype()) + " is not supported");
        const int64_t dim = data.dim(axis);
        std::vector<int64_t> index = indices.toInt64Vector();
        for (int64_t &i : index) {
            if (i < -dim || i >= dim)
                return indexOutOfRange(ctx, i, axis, data);
            if (i < 0)
                i += dim;
        }
        Shape outShape(data.shape().begin(), data.shape().begin() + axis);
        outShape.insert(outShape.end(), indices.shape().begin(), indices.shape().end());
        outShape.insert(outShape.end(), data.shape().begin() + axis + 1, data.shape().end());
        Tensor &out = ctx.allocateOutput(0, data.dtype(), outShape);
        const int64_t es = dtypeSize(data.dtype());
        int64_t outer = 1;
        for (int64_t d = 0; d < axis; ++d)
            outer *= data.dim(d);
        int64_t block = es;
        for (int64_t d = axis + 1; d < data.rank(); ++d)
            block *= data.dim(d);
        const auto n = static_cast<int64_t>(index.size());
        const auto *src = static_cast<const char *>(data.rawData());
        auto *dst = static_cast<char *>(out.mutableRawData());
        const int64_t total = outer * n;
#pragma omp parallel for num_threads(ctx.threads()) if (total * block > (1 << 18))
        for (int64_t t = 0; t < total; ++t) {
            const int64_t o = t / n;
            const int64_t i = t % n;
            std::memcpy(dst + t * block, src + (o * dim + index[static_cast<size_t>(i)]) * block,
                        static_cast<size_t>(block));
        }
        return Status::ok();
    }

private:
    int64_t m_axis;
};

} // namespace

Result<std::unique_ptr<Kernel>> createGather(const KernelInfo &info)
{
    Result<int64_t> axis = info.getInt("axis", 0);
    if (!axis)
        return axis.status();
    return makeKernel<GatherKernel>(*axis);
}

} // namespace qs::ops
