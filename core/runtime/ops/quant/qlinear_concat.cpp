// QLinearConcat (com.quantscope.fused; inputs x0, table0, x1, table1, ...; attribute axis): the
// session's fusion of DequantizeLinear inputs -> Concat -> QuantizeLinear when the inputs'
// scales differ from the output's (fusion/qdq_elementwise.cpp). Each input whose
// parameters differ carries a 256-entry table Q_y(DQ_i(v)) (exact); an empty table name means
// the same parameters, a plain copy.
#include "runtime/ops/quant/quant_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>

namespace qs::ops {

namespace {

class QLinearConcatKernel final : public Kernel
{
public:
    explicit QLinearConcatKernel(int64_t axis)
        : m_axis(axis)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const size_t count = ctx.inputCount() / 2;
        const Tensor &first = ctx.input(0);
        int64_t axis = m_axis;
        if (count == 0 || !normalizeAxis(axis, first.rank()))
            return ctx.error("needs input pairs and an axis within the rank of " + first.describe());
        Shape outShape = first.shape();
        outShape[size_t(axis)] = 0;
        for (size_t i = 0; i < count; ++i) {
            const Tensor &in = ctx.input(2 * i);
            const Tensor &table = ctx.input(2 * i + 1);
            bool matches = in.rank() == first.rank() && dtypeSize(in.dtype()) == 1;
            for (int64_t d = 0; matches && d < in.rank(); ++d)
                matches = d == axis || in.dim(d) == first.dim(d);
            if (!matches || (!table.empty() && table.elementCount() != 256))
                return ctx.error("input " + std::to_string(i) + " " + in.describe()
                                 + " does not concatenate with " + first.describe() + " along axis "
                                 + std::to_string(axis));
            outShape[size_t(axis)] += in.dim(axis);
        }
        const DType outType = ctx.input(1).empty() ? first.dtype() : ctx.input(1).dtype();
        int64_t outer = 1, inner = 1;
        for (int64_t d = 0; d < axis; ++d)
            outer *= first.dim(d);
        for (int64_t d = axis + 1; d < first.rank(); ++d)
            inner *= first.dim(d);
        Tensor &out = ctx.allocateOutput(0, outType, outShape);
        auto *dst = static_cast<uint8_t *>(out.mutableRawData());
        const int64_t outRow = outShape[size_t(axis)] * inner;
        int64_t offset = 0;
        for (size_t i = 0; i < count; ++i) {
            const Tensor &in = ctx.input(2 * i);
            const Tensor &table = ctx.input(2 * i + 1);
            const int64_t row = in.dim(axis) * inner;
            const auto *src = static_cast<const uint8_t *>(in.rawData());
            const auto *lookup = table.empty() ? nullptr
                                               : static_cast<const uint8_t *>(table.rawData());
            // int8 inputs index the table at x + 128, as QLinearLookup does.
            const uint8_t shift = in.dtype() == DType::Int8 ? 128 : 0;
#pragma omp parallel for num_threads(ctx.threads()) if (outer * row > (1 << 18) && outer > 1)
            for (int64_t o = 0; o < outer; ++o) {
                uint8_t *target = dst + o * outRow + offset;
                const uint8_t *from = src + o * row;
                if (!lookup) {
                    std::memcpy(target, from, size_t(row));
                    continue;
                }
                for (int64_t k = 0; k < row; ++k)
                    target[k] = lookup[uint8_t(from[k] + shift)];
            }
            offset += row;
        }
        return Status::ok();
    }

private:
    int64_t m_axis;
};

} // namespace

Result<std::unique_ptr<Kernel>> createQLinearConcat(const KernelInfo &info)
{
    Result<int64_t> axis = info.getInt("axis", 1);
    if (!axis)
        return axis.status();
    if (info.inputCount() < 2 || info.inputCount() % 2 != 0)
        return info.error("expects pairs of an 8-bit input and its table (or none)");
    return makeKernel<QLinearConcatKernel>(*axis);
}

} // namespace qs::ops
