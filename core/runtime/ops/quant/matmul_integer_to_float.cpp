// MatMulIntegerToFloat (com.quantscope.fused; inputs A, B, scale, a_zero_point, b_zero_point,
// optional bias): y = float((A - a_zp) x (B - b_zp)) * scale (+ bias), the scale per tensor or
// one per column of B. The session makes it from MatMulInteger -> Cast -> Mul (-> Add), the
// dynamic-quantization spelling (fusion/integer_matmul.cpp); the int32 GEMM is integerMatmul's
// (oneDNN for uint8 x int8).
#include "runtime/ops/quant/integer_matmul.h"
#include "runtime/ops/quant/quant_kernels.h"

#include <Eigen/Core>

namespace qs::ops {

namespace {

class MatMulIntegerToFloatKernel final : public Kernel
{
public:
    explicit MatMulIntegerToFloatKernel(ConstantB constantB)
        : m_constantB(constantB)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &scale = ctx.input(2);
        const Tensor &bias = ctx.input(5);
        if (scale.dtype() != DType::Float32)
            return ctx.error("scale must be float32, got " + scale.describe());
        auto result = integerMatmul(ctx, ctx.input(0), ctx.input(3), ctx.input(1), ctx.input(4),
                                    m_constantB,
                                    m_constantB == ConstantB::Unknown ? nullptr : &m_int8);
        if (!result)
            return result.status();
        const int64_t n = result->n;
        if (scale.elementCount() != 1 && scale.elementCount() != n)
            return ctx.error("scale " + scale.describe() + " must hold 1 or " + std::to_string(n)
                             + " values (one per column)");
        if (!bias.empty() && (bias.dtype() != DType::Float32 || bias.elementCount() != n))
            return ctx.error("bias " + bias.describe() + " must be float32[" + std::to_string(n)
                             + "]");
        const Tensor &acc = result->accumulator;
        Tensor &y = ctx.allocateOutput(0, DType::Float32, acc.shape());
        const int64_t rows = n ? acc.elementCount() / n : 0;
        using RowMajor = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        using IntRowMajor = Eigen::Array<int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        const Eigen::Map<const IntRowMajor> in(acc.data<int32_t>(), rows, n);
        Eigen::Map<RowMajor> out(y.mutableData<float>(), rows, n);
        if (scale.elementCount() == 1)
            out = in.cast<float>() * scale.data<float>()[0];
        else
            out = in.cast<float>().rowwise()
                  * Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>>(scale.data<float>(), n);
        if (!bias.empty())
            out.rowwise()
                += Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>>(bias.data<float>(), n);
        return Status::ok();
    }

private:
    ConstantB m_constantB;
    ConstantInt8Matmul m_int8; // B packed once, when constant
};

} // namespace

Result<std::unique_ptr<Kernel>> createMatMulIntegerToFloat(const KernelInfo &info)
{
    if (info.inputCount() < 3)
        return info.error("expects A, B, scale and optional zero points and bias");
    return makeKernel<MatMulIntegerToFloatKernel>(constantBExactness(info, 1));
}

} // namespace qs::ops
