// QuantizeLinear and DequantizeLinear: per-tensor (opset 10) or per-axis (opset 13, `axis`,
// default 1) scale and zero point. Quantize rounds half to even and saturates to the zero
// point's type (when absent: opset 21's output_dtype, else uint8); dequantize accepts
// int8/uint8/int32, and the 16-bit types of opset 21 (A16W8 models keep sensitive activations
// in 16 bits). Blocked quantization (opset 21's block_size) is refused.
#include "runtime/ops/quant/quant_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>

namespace qs::ops {

namespace {

// Elements per piece when one per-tensor block is split over the threads.
constexpr int64_t kChunk = 1 << 15;

// Splits x into [outer, channels, inner] around the quantization axis; per-tensor when the scale
// holds one value.
struct QuantLayout
{
    int64_t outer = 1, channels = 1, inner = 1;
};

// Calls piece(channel, offset, count) over x's [outer, channels, inner] blocks, in parallel when
// x is large. One per-tensor block is cut into kChunk pieces so that every thread works on it (a
// recommender's output over its whole item vocabulary is one such block).
template<typename Piece>
void forEachPiece(const QuantLayout &l, int threads, const Piece &piece)
{
    const int64_t blocks = l.outer * l.channels;
    const int64_t chunk = blocks == 1 ? kChunk : l.inner;
    const int64_t perBlock = (l.inner + chunk - 1) / std::max<int64_t>(chunk, 1);
    const int64_t pieces = blocks * perBlock;
#pragma omp parallel for num_threads(threads)                                                      \
    schedule(static) if (blocks * l.inner > (1 << 16) && pieces > 1)
    for (int64_t p = 0; p < pieces; ++p) {
        const int64_t block = p / perBlock;
        const int64_t begin = (p % perBlock) * chunk;
        piece(block % l.channels, block * l.inner + begin, std::min(chunk, l.inner - begin));
    }
}

Status checkZeroPoint(const KernelContext &ctx, const Tensor &scale, const Tensor &zeroPoint)
{
    if (!zeroPoint.empty() && zeroPoint.elementCount() != scale.elementCount())
        return ctx.error("zero point has " + std::to_string(zeroPoint.elementCount())
                         + " values but scale has " + std::to_string(scale.elementCount()));
    return Status::ok();
}

// The layout of x for its scale and zero point (inputs 1 and 2), which must agree.
Result<QuantLayout> quantLayout(const KernelContext &ctx, const Tensor &x, const Tensor &scale,
                                const Tensor &zeroPoint, int64_t axis)
{
    QS_RETURN_IF_ERROR(checkZeroPoint(ctx, scale, zeroPoint));
    QuantLayout layout;
    if (scale.elementCount() == 1) {
        layout.inner = x.elementCount();
        return layout;
    }
    if (scale.rank() != 1)
        return ctx.error("scale must be a scalar or 1-D, got shape " + shapeToString(scale.shape()));
    QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, x));
    if (x.dim(axis) != scale.elementCount())
        return ctx.error("scale has " + std::to_string(scale.elementCount()) + " values but input "
                         + shapeToString(x.shape()) + " has " + std::to_string(x.dim(axis))
                         + " along axis " + std::to_string(axis));
    for (int64_t d = 0; d < x.rank(); ++d)
        (d < axis ? layout.outer : d == axis ? layout.channels : layout.inner) *= x.dim(d);
    return layout;
}

class QuantizeKernel : public Kernel
{
public:
    QuantizeKernel(int64_t axis, DType typeWithoutZeroPoint)
        : m_axis(axis)
        , m_typeWithoutZeroPoint(typeWithoutZeroPoint)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const Tensor &scale = ctx.input(1);
        const Tensor &zeroPoint = ctx.input(2);
        if (!isFloatingDType(x.dtype()) || !isFloatingDType(scale.dtype()))
            return ctx.error("x and y_scale must be floating, got " + x.describe() + " and "
                             + scale.describe());
        auto layout = quantLayout(ctx, x, scale, zeroPoint, m_axis);
        if (!layout)
            return layout.status();
        const DType outType = zeroPoint.empty() ? m_typeWithoutZeroPoint : zeroPoint.dtype();
        const Tensor xs = valuesAsFloat32(x), scales = valuesAsFloat32(scale);
        switch (outType) {
        case DType::UInt8: run<uint8_t>(ctx, xs, scales, zeroPoint, *layout, outType); break;
        case DType::Int8: run<int8_t>(ctx, xs, scales, zeroPoint, *layout, outType); break;
        case DType::UInt16: run<uint16_t>(ctx, xs, scales, zeroPoint, *layout, outType); break;
        case DType::Int16: run<int16_t>(ctx, xs, scales, zeroPoint, *layout, outType); break;
        default:
            return ctx.error(std::string("output type ") + dtypeName(outType)
                             + " is not supported (int8, uint8, int16, uint16)");
        }
        return Status::ok();
    }

private:
    template<typename Q>
    void run(KernelContext &ctx, const Tensor &x, const Tensor &scale, const Tensor &zeroPoint,
             const QuantLayout &l, DType outType) const
    {
        Tensor &y = ctx.allocateOutput(0, outType, x.shape());
        const int threads = ctx.threads();
        const float *in = x.data<float>();
        Q *out = y.mutableData<Q>();
        constexpr float lo = std::numeric_limits<Q>::min(), hi = std::numeric_limits<Q>::max();
        forEachPiece(l, threads, [&](int64_t c, int64_t offset, int64_t count) {
            const float s = scale.data<float>()[c];
            const float zp = zeroPoint.empty() ? 0.0f : float(zeroPoint.data<Q>()[c]);
            // rint rounds half to even (the default rounding mode), as the spec asks.
            Eigen::Map<Eigen::Array<Q, Eigen::Dynamic, 1>>(out + offset, count)
                = ((Eigen::Map<const Eigen::ArrayXf>(in + offset, count) / s).rint() + zp)
                      .max(lo)
                      .min(hi)
                      .template cast<Q>();
        });
    }

    int64_t m_axis;
    DType m_typeWithoutZeroPoint;
};

class DequantizeKernel : public Kernel
{
public:
    explicit DequantizeKernel(int64_t axis)
        : m_axis(axis)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const Tensor &scale = ctx.input(1);
        const Tensor &zeroPoint = ctx.input(2);
        if (!zeroPoint.empty() && zeroPoint.dtype() != x.dtype())
            return ctx.error("x " + x.describe() + " and zero point " + zeroPoint.describe()
                             + " must have one type");
        auto layout = quantLayout(ctx, x, scale, zeroPoint, m_axis);
        if (!layout)
            return layout.status();
        const Tensor scales = valuesAsFloat32(scale);
        Tensor &y = ctx.allocateOutput(0, DType::Float32, x.shape());
        Status status = ctx.error(std::string("input type ") + dtypeName(x.dtype())
                                  + " is not supported (int8, uint8, int16, uint16, int32)");
        auto run = [&](auto tag) {
            using Q = decltype(tag);
            const Q *in = x.data<Q>();
            float *out = y.mutableData<float>();
            forEachPiece(*layout, ctx.threads(), [&](int64_t c, int64_t offset, int64_t count) {
                const float s = scales.data<float>()[c];
                const int32_t zp = zeroPoint.empty() ? 0 : int32_t(zeroPoint.data<Q>()[c]);
                if constexpr (sizeof(Q) == 1) {
                    // 8-bit values and their difference are exact in float; written as a plain
                    // loop, which the compiler vectorizes (Eigen's cast from 8 bits is scalar:
                    // a text encoder's 61 DequantizeLinears took 10 us each on 16k values).
                    const float zero = float(zp);
                    for (int64_t i = 0; i < count; ++i)
                        out[offset + i] = (float(in[offset + i]) - zero) * s;
                } else {
                    // q - zp in int32 (exact), then scaled in float.
                    Eigen::Map<Eigen::ArrayXf>(out + offset, count)
                        = (Eigen::Map<const Eigen::Array<Q, Eigen::Dynamic, 1>>(in + offset, count)
                               .template cast<int32_t>()
                           - zp)
                              .template cast<float>()
                          * s;
                }
            });
            status = Status::ok();
        };
        if (x.dtype() == DType::UInt8)
            run(uint8_t{});
        else if (x.dtype() == DType::Int8)
            run(int8_t{});
        else if (x.dtype() == DType::UInt16)
            run(uint16_t{});
        else if (x.dtype() == DType::Int16)
            run(int16_t{});
        else if (x.dtype() == DType::Int32)
            run(int32_t{});
        return status;
    }

private:
    int64_t m_axis;
};

// Both kernels take the quantization axis (an attribute from opset 13, before it always 1).
// Opset 21's block_size (blocked quantization) is refused rather than read as per-axis.
Result<int64_t> quantizationAxis(const KernelInfo &info)
{
    if (info.opsetVersion() >= 21) {
        auto blockSize = info.getInt("block_size", 0);
        if (!blockSize)
            return blockSize.status();
        if (*blockSize != 0)
            return unsupported(std::string(info.opType()) + ": blocked quantization (block_size "
                               + std::to_string(*blockSize) + ") is not supported");
    }
    return info.opsetVersion() >= 13 ? info.getInt("axis", 1) : Result<int64_t>(int64_t{1});
}

} // namespace

Result<std::unique_ptr<Kernel>> createQuantizeLinear(const KernelInfo &info)
{
    auto axis = quantizationAxis(info);
    if (!axis)
        return axis.status();
    // Without a zero point the output is uint8, or from opset 21 output_dtype's type.
    DType typeWithoutZeroPoint = DType::UInt8;
    if (info.opsetVersion() >= 21) {
        auto outputType = info.getInt("output_dtype", 0);
        if (!outputType)
            return outputType.status();
        if (*outputType != 0)
            typeWithoutZeroPoint = static_cast<DType>(*outputType);
    }
    return makeKernel<QuantizeKernel>(*axis, typeWithoutZeroPoint);
}

Result<std::unique_ptr<Kernel>> createDequantizeLinear(const KernelInfo &info)
{
    auto axis = quantizationAxis(info);
    if (!axis)
        return axis.status();
    return makeKernel<DequantizeKernel>(*axis);
}

} // namespace qs::ops
