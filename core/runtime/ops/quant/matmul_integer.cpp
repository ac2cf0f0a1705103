// MatMulInteger (int32 output), QLinearMatMul and QGemm (requantized 8-bit output).
#include "graph/fused_ops.h"
#include "runtime/ops/quant/integer_matmul.h"
#include "runtime/ops/quant/quant_kernels.h"

namespace qs::ops {

namespace {

class MatMulIntegerKernel : public Kernel
{
public:
    explicit MatMulIntegerKernel(ConstantB constantB)
        : m_constantB(constantB)
    {}

    Status compute(KernelContext &ctx) const override
    {
        auto result = integerMatmul(ctx, ctx.input(0), ctx.input(2), ctx.input(1), ctx.input(3),
                                    m_constantB, constantInt8());
        if (!result)
            return result.status();
        ctx.output(0) = std::move(result->accumulator);
        return Status::ok();
    }

private:
    const ConstantInt8Matmul *constantInt8() const
    {
        return m_constantB == ConstantB::Unknown ? nullptr : &m_int8;
    }

    ConstantB m_constantB;
    ConstantInt8Matmul m_int8; // B packed once, when constant
};

float scalarOrAt(const Tensor &t, int64_t index)
{
    return t.elementCount() == 1 ? float(t.doubleAt(0)) : float(t.doubleAt(index));
}

// QLinearMatMul, and QGemm (com.quantscope.fused: the session's fusion of DQ -> Gemm (-> Relu/
// Clip) -> Q, with B already [K, N] and an optional int32 bias [N] as input 8).
class QLinearMatMulKernel : public Kernel
{
public:
    QLinearMatMulKernel(std::optional<FusedActivation> activation, ConstantB constantB,
                        bool dequantizedOutput = false)
        : m_activation(activation)
        , m_constantB(constantB)
        , m_dequantizedOutput(dequantizedOutput)
    {}

    Status compute(KernelContext &ctx) const override
    {
        // a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point[, bias]
        const Tensor &aScale = ctx.input(1), &bScale = ctx.input(4), &yScale = ctx.input(6);
        const Tensor &yZeroPoint = ctx.input(7), &bias = ctx.input(8);
        if (aScale.elementCount() != 1 || yScale.elementCount() != 1
            || yZeroPoint.elementCount() != 1)
            return ctx.error("a_scale, y_scale and y_zero_point must be scalars");
        auto result = integerMatmul(ctx, ctx.input(0), ctx.input(2), ctx.input(3), ctx.input(5),
                                    m_constantB,
                                    m_constantB == ConstantB::Unknown ? nullptr : &m_int8);
        if (!result)
            return result.status();
        const int64_t n = result->n;
        if (bScale.elementCount() != 1 && bScale.elementCount() != n)
            return ctx.error("b_scale has " + std::to_string(bScale.elementCount())
                             + " values; 1 or " + std::to_string(n) + " are needed");
        if (!bias.empty() && (bias.dtype() != DType::Int32 || bias.elementCount() != n))
            return ctx.error("bias " + bias.describe() + " must be int32[" + std::to_string(n)
                             + "]");
        const float a = scalarOrAt(aScale, 0), ys = scalarOrAt(yScale, 0);
        Requantization requantization;
        for (int64_t c = 0; c < bScale.elementCount(); ++c)
            requantization.multipliers.push_back(a * scalarOrAt(bScale, c) / ys);
        requantization.bias = bias.empty() ? nullptr : bias.data<int32_t>();
        requantization.clamp = RequantizeClamp::of(m_activation, ys);
        if (m_dequantizedOutput)
            requantization.dequantizeScale = ys;
        const ChannelLayout layout{result->accumulator.elementCount() / std::max<int64_t>(n, 1), n,
                                   1};
        return requantizeToOutput(ctx, result->accumulator, yZeroPoint, layout, requantization);
    }

private:
    std::optional<FusedActivation> m_activation;
    ConstantB m_constantB;
    bool m_dequantizedOutput;  // writes (y - y_zero_point) * y_scale as float32
    ConstantInt8Matmul m_int8; // B packed once, when constant
};

} // namespace

Result<std::unique_ptr<Kernel>> createMatMulInteger(const KernelInfo &info)
{
    return makeKernel<MatMulIntegerKernel>(constantBExactness(info, 1));
}
Result<std::unique_ptr<Kernel>> createQLinearMatMul(const KernelInfo &info)
{
    return makeKernel<QLinearMatMulKernel>(info.fusedActivation(), constantBExactness(info, 3));
}
Result<std::unique_ptr<Kernel>> createQGemm(const KernelInfo &info)
{
    auto dequantized = info.getInt(kDequantizedOutputAttribute, 0);
    if (!dequantized)
        return dequantized.status();
    return makeKernel<QLinearMatMulKernel>(info.fusedActivation(), constantBExactness(info, 3),
                                           *dequantized != 0);
}

} // namespace qs::ops
