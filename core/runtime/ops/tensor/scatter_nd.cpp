// ScatterND: a copy of data with the slices addressed by indices' last dim replaced (or
// reduced) by updates, applied in order.
#include "runtime/ops/tensor/scatter_reduction.h"
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>

namespace qs::ops {

namespace {

class ScatterNdKernel final : public Kernel
{
public:
    explicit ScatterNdKernel(ScatterReduction reduction)
        : m_reduction(reduction)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        const Tensor &indices = ctx.input(1);
        const Tensor &updates = ctx.input(2);
        if (indices.rank() < 1)
            return ctx.error("indices " + indices.describe() + " must have rank >= 1");
        const int64_t depth = indices.dim(indices.rank() - 1);
        if (depth > data.rank())
            return ctx.error("indices " + indices.describe() + " address more dims than data "
                             + data.describe() + " has");
        Shape expected(indices.shape().begin(), indices.shape().end() - 1);
        expected.insert(expected.end(), data.shape().begin() + depth, data.shape().end());
        if (updates.shape() != expected || updates.dtype() != data.dtype())
            return ctx.error("updates " + updates.describe() + " should be "
                             + dtypeName(data.dtype()) + shapeToString(expected));
        Tensor &out = ctx.allocateOutput(0, data.dtype(), data.shape());
        const int64_t es = dtypeSize(data.dtype());
        copyElements(out.mutableRawData(), data.rawData(), data.elementCount(), es);
        int64_t block = 1;
        for (int64_t d = depth; d < data.rank(); ++d)
            block *= data.dim(d);
        const std::vector<int64_t> strides = contiguousStrides(data.shape());
        const int64_t tuples = depth > 0 ? indices.elementCount() / depth : 1;
        std::vector<int64_t> offsets(static_cast<size_t>(tuples));
        for (int64_t t = 0; t < tuples; ++t) {
            int64_t offset = 0;
            for (int64_t k = 0; k < depth; ++k) {
                const int64_t dim = data.dim(k);
                int64_t index = indices.intAt(t * depth + k);
                if (index < -dim || index >= dim)
                    return indexOutOfRange(ctx, index, k, data);
                offset += (index < 0 ? index + dim : index) * strides[static_cast<size_t>(k)];
            }
            offsets[static_cast<size_t>(t)] = offset;
        }
        if (m_reduction == ScatterReduction::None) {
            auto *dst = static_cast<char *>(out.mutableRawData());
            const auto *src = static_cast<const char *>(updates.rawData());
            for (int64_t t = 0; t < tuples; ++t)
                copyElements(dst + offsets[static_cast<size_t>(t)] * es, src + t * block * es,
                             block, es);
            return Status::ok();
        }
        const bool known = dispatchNumeric(data.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T *dst = out.mutableData<T>();
            const T *src = updates.data<T>();
            for (int64_t t = 0; t < tuples; ++t) {
                for (int64_t i = 0; i < block; ++i)
                    scatterReduce(m_reduction, dst[offsets[static_cast<size_t>(t)] + i],
                                  src[t * block + i]);
            }
        });
        if (!known)
            return ctx.error("dtype " + dtypeName(data.dtype()) + " is not supported");
        return Status::ok();
    }

private:
    ScatterReduction m_reduction;
};

} // namespace

Result<std::unique_ptr<Kernel>> createScatterNd(const KernelInfo &info)
{
    Result<ScatterReduction> reduction = parseScatterReduction(info);
    if (!reduction)
        return reduction.status();
    return makeKernel<ScatterNdKernel>(*reduction);
}

} // namespace qs::ops
