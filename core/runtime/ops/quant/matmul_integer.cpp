// MatMulInteger (int32 output), QLinearMatMul (requantized 8-bit output) and
// DynamicQuantizeLinear (uint8 with a range that includes 0).
#include "runtime/ops/quant/integer_matmul.h"
#include "runtime/ops/quant/quant_kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs::ops {

namespace {

class MatMulIntegerKernel : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        auto result = integerMatmul(ctx, ctx.input(0), ctx.input(2), ctx.input(1), ctx.input(3));
        if (!result)
            return result.status();
        ctx.output(0) = std::move(result->accumulator);
        return Status::ok();
    }
};

float scalarOrAt(const Tensor &t, int64_t index)
{
    return t.elementCount() == 1 ? float(t.doubleAt(0)) : float(t.doubleAt(index));
}

class QLinearMatMulKernel : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        // a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point
        const Tensor &aScale = ctx.input(1), &bScale = ctx.input(4), &yScale = ctx.input(6);
        const Tensor &yZeroPoint = ctx.input(7);
        if (aScale.elementCount() != 1 || yScale.elementCount() != 1 || yZeroPoint.elementCount() != 1)
            return ctx.error("a_scale, y_scale and y_zero_point must be scalars");
        auto result = integerMatmul(ctx, ctx.input(0), ctx.input(2), ctx.input(3), ctx.input(5));
        if (!result)
            return result.status();
        if (bScale.elementCount() != 1 && bScale.elementCount() != result->n)
            return ctx.error("b_scale has " + std::to_string(bScale.elementCount()) +
                             " values; 1 or " + std::to_string(result->n) + " are needed");
        const float a = scalarOrAt(aScale, 0), ys = scalarOrAt(yScale, 0);
        const int64_t n = result->n;
        return requantizeToOutput(
            ctx, result->accumulator, yZeroPoint,
            [&](int64_t i) { return a * scalarOrAt(bScale, i % n) / ys; },
            [](int64_t) { return int32_t{0}; });
    }
};

class DynamicQuantizeKernel : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.dtype() != DType::Float32)
            return ctx.error("x must be float32, got " + x.describe());
        const float *in = x.data<float>();
        const int64_t n = x.elementCount();
        // The range always includes 0, so 0 is exactly representable.
        float low = 0.0f, high = 0.0f;
        for (int64_t i = 0; i < n; ++i) {
            low = std::min(low, in[i]);
            high = std::max(high, in[i]);
        }
        const float scale = (high - low) / 255.0f;
        const float zeroPoint =
            scale == 0.0f ? 0.0f : std::clamp(std::nearbyint(0.0f - low / scale), 0.0f, 255.0f);
        Tensor &y = ctx.allocateOutput(0, DType::UInt8, x.shape());
        uint8_t *out = y.mutableData<uint8_t>();
        for (int64_t i = 0; i < n; ++i) {
            const float q = scale == 0.0f ? zeroPoint : std::nearbyint(in[i] / scale) + zeroPoint;
            out[i] = static_cast<uint8_t>(std::clamp(q, 0.0f, 255.0f));
        }
        ctx.output(1) = Tensor::scalar<float>(scale);
        ctx.output(2) = Tensor::scalar<uint8_t>(static_cast<uint8_t>(zeroPoint));
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createMatMulInteger(const KernelInfo &) { return makeKernel<MatMulIntegerKernel>(); }
Result<std::unique_ptr<Kernel>> createQLinearMatMul(const KernelInfo &) { return makeKernel<QLinearMatMulKernel>(); }
Result<std::unique_ptr<Kernel>> createDynamicQuantizeLinear(const KernelInfo &) { return makeKernel<DynamicQuantizeKernel>(); }

} // namespace qs::ops
