// GatherND: the last indices dim addresses a slice of data after `batch_dims` shared leading
// dims; each slice is copied whole.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>
#include <cstring>

namespace qs::ops {

namespace {

class GatherNdKernel final : public Kernel
{
public:
    explicit GatherNdKernel(int64_t batchDims)
        : m_batchDims(batchDims)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        const Tensor &indices = ctx.input(1);
        const int64_t b = m_batchDims;
        if (indices.rank() < 1 || b < 0 || b >= std::min(data.rank(), indices.rank()))
            return ctx.error("batch_dims " + std::to_string(b) + " does not fit data "
                             + data.describe() + " and indices " + indices.describe());
        const int64_t depth = indices.dim(indices.rank() - 1);
        if (depth < 1 || depth > data.rank() - b)
            return ctx.error("indices " + indices.describe() + " address " + std::to_string(depth)
                             + " dims but data " + data.describe() + " has "
                             + std::to_string(data.rank() - b) + " after batch_dims");
        int64_t batch = 1;
        for (int64_t d = 0; d < b; ++d) {
            if (data.dim(d) != indices.dim(d))
                return ctx.error("batch dim " + std::to_string(d) + " differs between data "
                                 + data.describe() + " and indices " + indices.describe());
            batch *= data.dim(d);
        }
        Shape outShape(indices.shape().begin(), indices.shape().end() - 1);
        outShape.insert(outShape.end(), data.shape().begin() + b + depth, data.shape().end());
        Tensor &out = ctx.allocateOutput(0, data.dtype(), outShape);
        const int64_t es = dtypeSize(data.dtype());
        int64_t block = 1;
        for (int64_t d = b + depth; d < data.rank(); ++d)
            block *= data.dim(d);
        const std::vector<int64_t> strides = contiguousStrides(data.shape());
        const int64_t batchStride = b > 0 ? strides[static_cast<size_t>(b - 1)] : 0;
        const int64_t tuples = indices.elementCount() / depth;
        const int64_t perBatch = batch > 0 ? std::max<int64_t>(tuples / batch, 1) : 1;
        const auto *src = static_cast<const char *>(data.rawData());
        auto *dst = static_cast<char *>(out.mutableRawData());
        for (int64_t t = 0; t < tuples; ++t) {
            int64_t offset = (t / perBatch) * batchStride;
            for (int64_t k = 0; k < depth; ++k) {
                const int64_t dim = data.dim(b + k);
                int64_t index = indices.intAt(t * depth + k);
                if (index < -dim || index >= dim)
                    return indexOutOfRange(ctx, index, b + k, data);
                if (index < 0)
                    index += dim;
                offset += index * strides[static_cast<size_t>(b + k)];
            }
            std::memcpy(dst + t * block * es, src + offset * es, static_cast<size_t>(block * es));
        }
        return Status::ok();
    }

private:
    int64_t m_batchDims;
};

} // namespace

Result<std::unique_ptr<Kernel>> createGatherNd(const KernelInfo &info)
{
    Result<int64_t> batchDims = info.getInt("batch_dims", 0);
    if (!batchDims)
        return batchDims.status();
    return makeKernel<GatherNdKernel>(*batchDims);
}

} // namespace qs::ops
