// QLinearAdd and QLinearMul (com.quantscope.fused, inputs as ONNX Runtime's com.microsoft ops:
// a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point): one pass over
// the 8-bit inputs with numpy broadcasting, computing exactly what DequantizeLinear -> Add/Mul
// -> QuantizeLinear computes, y = saturate(round_half_even(op(DQ(a), DQ(b)) / y_scale) + y_zp),
// without the two float tensors in between. The session creates them from those groups
// (fusion/qdq_elementwise.cpp); all scales and zero points are per tensor.
#include "runtime/ops/elementwise/broadcast.h"
#include "runtime/ops/quant/quant_kernels.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace qs::ops {

namespace {

enum class BinaryOp { Add, Mul };

template<typename Q>
float zeroPointOf(const Tensor &zeroPoint)
{
    return zeroPoint.empty() ? 0.0f : float(zeroPoint.data<Q>()[0]);
}

class QLinearBinaryKernel final : public Kernel
{
public:
    QLinearBinaryKernel(BinaryOp op, bool channelsLast)
        : m_op(op)
        , m_channelsLast(channelsLast)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &a = ctx.input(0), &b = ctx.input(3), &yZeroPoint = ctx.input(7);
        for (const size_t i : {1, 4, 6}) {
            if (ctx.input(i).dtype() != DType::Float32 || ctx.input(i).elementCount() != 1)
                return ctx.error("scale " + std::to_string(i) + " must be one float32, got "
                                 + ctx.input(i).describe());
        }
        if (a.dtype() != b.dtype() || (a.dtype() != DType::UInt8 && a.dtype() != DType::Int8))
            return ctx.error("a " + a.describe() + " and b " + b.describe()
                             + " must both be uint8 or both int8");
        std::array<Shape, 2> shapes = {a.shape(), b.shape()};
        // In a channels-last region (fusion/int8_layout.cpp) a per-channel [N, C, 1, 1] operand
        // is still NCHW; its bytes are those of [N, 1, 1, C].
        for (Shape &shape : shapes) {
            if (m_channelsLast && shape.size() == 4 && shape[1] > 1 && shape[2] == 1
                && shape[3] == 1)
                shape = {shape[0], 1, 1, shape[1]};
        }
        Result<BroadcastPlan> plan = BroadcastPlan::make(shapes);
        if (!plan)
            return ctx.error(plan.status().message());
        const DType outType = yZeroPoint.empty() ? DType::UInt8 : yZeroPoint.dtype();
        Tensor &y = ctx.allocateOutput(0, outType, plan->outputShape());
        auto withOutput = [&](auto inTag, auto outTag) {
            using In = decltype(inTag);
            using Out = decltype(outTag);
            run<In, Out>(ctx, *plan, y);
        };
        auto withInput = [&](auto inTag) {
            if (outType == DType::UInt8)
                withOutput(inTag, uint8_t{});
            else
                withOutput(inTag, int8_t{});
        };
        if (outType != DType::UInt8 && outType != DType::Int8)
            return ctx.error("y_zero_point " + yZeroPoint.describe() + " must be uint8 or int8");
        if (a.dtype() == DType::UInt8)
            withInput(uint8_t{});
        else
            withInput(int8_t{});
        return Status::ok();
    }

private:
    template<typename In, typename Out>
    void run(KernelContext &ctx, const BroadcastPlan &plan, Tensor &y) const
    {
        const float aScale = ctx.input(1).data<float>()[0], bScale = ctx.input(4).data<float>()[0];
        const float yScale = ctx.input(6).data<float>()[0];
        const float aZero = zeroPointOf<In>(ctx.input(2)), bZero = zeroPointOf<In>(ctx.input(5));
        const float yZero = zeroPointOf<Out>(ctx.input(7));
        constexpr float low = std::numeric_limits<Out>::min(),
                        high = std::numeric_limits<Out>::max();
        const In *a = ctx.input(0).data<In>();
        const In *b = ctx.input(3).data<In>();
        Out *out = y.mutableData<Out>();
        // The same float steps as the dequantize / op / quantize nodes, in the same order.
        auto requantize = [=](float value) {
            return Out(std::clamp(std::nearbyint(value / yScale) + yZero, low, high));
        };
        if (m_op == BinaryOp::Add) {
            broadcastBinary(plan, a, b, out, ctx.threads(), [=](In x, In z) {
                return requantize((float(x) - aZero) * aScale + (float(z) - bZero) * bScale);
            });
        } else {
            broadcastBinary(plan, a, b, out, ctx.threads(), [=](In x, In z) {
                return requantize(((float(x) - aZero) * aScale) * ((float(z) - bZero) * bScale));
            });
        }
    }

    BinaryOp m_op;
    bool m_channelsLast;
};

Result<std::unique_ptr<Kernel>> createBinary(const KernelInfo &info, BinaryOp op)
{
    if (info.inputCount() != 8)
        return info.error("expects 8 inputs (a, a_scale, a_zero_point, b, b_scale, b_zero_point, "
                          "y_scale, y_zero_point), got "
                          + std::to_string(info.inputCount()));
    Result<int64_t> channelsLast = info.getInt("channels_last", 0);
    if (!channelsLast)
        return channelsLast.status();
    return makeKernel<QLinearBinaryKernel>(op, *channelsLast != 0);
}

} // namespace

Result<std::unique_ptr<Kernel>> createQLinearAdd(const KernelInfo &info)
{
    return createBinary(info, BinaryOp::Add);
}
Result<std::unique_ptr<Kernel>> createQLinearMul(const KernelInfo &info)
{
    return createBinary(info, BinaryOp::Mul);
}

} // namespace qs::ops
