// QLinearLookup (com.quantscope.fused): y[i] = table[x[i]] for 8-bit x, where the table holds
// Q(f(DQ(v))) for each of the 256 values v. The session creates it from DequantizeLinear ->
// elementwise activation -> QuantizeLinear (fusion/qdq_tables.cpp), so HardSwish, Sigmoid and
// the like on int8 activations cost one byte gather instead of dequantize + float op +
// quantize. int8 inputs index the table at x + 128.
#include "runtime/ops/quant/quant_kernels.h"

#include <cstring>

namespace qs::ops {

namespace {

class QLinearLookupKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const Tensor &table = ctx.input(1);
        if (x.dtype() != DType::UInt8 && x.dtype() != DType::Int8)
            return ctx.error("input " + x.describe() + " must be uint8 or int8");
        if (table.elementCount() != 256 || dtypeSize(table.dtype()) != 1)
            return ctx.error("table " + table.describe() + " must hold 256 8-bit values");
        Tensor &y = ctx.allocateOutput(0, table.dtype(), x.shape());
        const uint8_t *in = static_cast<const uint8_t *>(x.rawData());
        const uint8_t *lookup = static_cast<const uint8_t *>(table.rawData());
        uint8_t *out = static_cast<uint8_t *>(y.mutableRawData());
        const uint8_t offset = x.dtype() == DType::Int8 ? 128 : 0;
        const int64_t n = x.elementCount();
#pragma omp parallel for num_threads(ctx.threads()) schedule(static) if (n > (1 << 17))
        for (int64_t i = 0; i < n; ++i)
            out[i] = lookup[uint8_t(in[i] + offset)];
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createQLinearLookup(const KernelInfo &info)
{
    // Inputs 2 and 3 (the output's scale and zero point) are there for fusion; the table is all
    // this kernel needs.
    if (info.inputCount() < 2 || !info.constantInput(1))
        return info.error("expects the 8-bit input and a constant 256-entry table");
    return makeKernel<QLinearLookupKernel>();
}

} // namespace qs::ops
