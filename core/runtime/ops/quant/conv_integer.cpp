// ConvInteger (int32 output) and QLinearConv (requantized 8-bit output, optional int32 bias,
// per-tensor or per-output-channel weight scale and zero point, optional fused Relu/Clip). Both:
// zero points subtracted, im2col per group, then oneDNN's float GEMM over depth slices short
// enough for float sums to be exact (exactFloatDepth). Padding contributes 0 after centring (the pad
// value is x's zero point, as in ONNX Runtime). Exact either way: this is the reference;
// QLinearConv nodes with constant int8 weights run on oneDNN (int8_conv.cpp) instead.
#include "runtime/ops/nn/nn_util.h"
#include "runtime/ops/quant/int8_conv.h"
#include "runtime/ops/quant/int8_exactness.h"
#include "runtime/ops/quant/integer_matmul.h"
#include "runtime/ops/quant/quant_kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs::ops {

namespace {

template<typename Q>
int32_t zeroPointAt(const Tensor &zp, int64_t index)
{
    if (zp.empty())
        return 0;
    return int32_t(zp.data<Q>()[zp.elementCount() == 1 ? 0 : index]);
}

// Constant weights minus their zero points, widened to float once per kernel: redone on every
// run, centring ResNet-18's 11M weights cost as much as its GEMMs.
struct CentredWeights
{
    std::vector<float> values; // [outChannels, depth], row-major
    int64_t maxAbs = 0;        // the largest |w - zp|
};

struct ConvIntegerInputs
{
    const Tensor *x, *xZeroPoint, *w, *wZeroPoint;
    const CentredWeights *prepared = nullptr; // set when W and its zero point are constant
};

// Columns [cg * kernelSize, outSize] of one image and group (im2col), centred by the zero point;
// padding contributes 0. The 2-D case, nearly every model's, walks rows instead of decoding
// every index.
template<typename X, typename T>
void gatherColumns(const X *image, int64_t cg, int64_t inSize, const Shape &spatialIn,
                   const std::vector<int64_t> &kernel, const WindowGeometry &g, int64_t outSize,
                   int32_t zeroPoint, T *columns, int threads = 1)
{
    const size_t spatial = spatialIn.size();
    int64_t kernelSize = 1;
    for (const int64_t k : kernel)
        kernelSize *= k;
    if (spatial == 2) {
        const int64_t inH = spatialIn[0], inW = spatialIn[1], outH = g.output[0],
                      outW = g.output[1];
        // Only worth a parallel region (a barrier, slow when another process holds a core)
        // for a large gather.
        const bool parallel = threads > 1 && cg > 1 && cg * kernelSize * outSize >= (1 << 16);
#pragma omp parallel for num_threads(threads) schedule(static) if (parallel)
        for (int64_t c = 0; c < cg; ++c) {
            const X *plane = image + c * inSize;
            for (int64_t ky = 0; ky < kernel[0]; ++ky) {
                for (int64_t kx = 0; kx < kernel[1]; ++kx) {
                    T *row = columns + ((c * kernelSize) + ky * kernel[1] + kx) * outSize;
                    for (int64_t oy = 0; oy < outH; ++oy) {
                        const int64_t iy = oy * g.strides[0] - g.padBegin[0] + ky * g.dilations[0];
                        T *out = row + oy * outW;
                        if (iy < 0 || iy >= inH) {
                            std::fill(out, out + outW, T(0));
                            continue;
                        }
                        const X *line = plane + iy * inW;
                        for (int64_t ox = 0; ox < outW; ++ox) {
                            const int64_t ix = ox * g.strides[1] - g.padBegin[1]
                                               + kx * g.dilations[1];
                            out[ox] = ix >= 0 && ix < inW ? T(int32_t(line[ix]) - zeroPoint) : T(0);
                        }
                    }
                }
            }
        }
        return;
    }
    std::vector<int64_t> kIndex(spatial), oIndex(spatial);
    for (int64_t c = 0; c < cg; ++c) {
        const X *plane = image + c * inSize;
        for (int64_t kk = 0; kk < kernelSize; ++kk) {
            for (int64_t r = kk, d = int64_t(spatial) - 1; d >= 0; --d) {
                kIndex[d] = r % kernel[d];
                r /= kernel[d];
            }
            for (int64_t o = 0; o < outSize; ++o) {
                int64_t r = o, offset = 0;
                bool inside = true;
                for (int64_t d = int64_t(spatial) - 1; d >= 0; --d) {
                    oIndex[d] = r % g.output[d];
                    r /= g.output[d];
                }
                for (size_t d = 0; d < spatial && inside; ++d) {
                    const int64_t pos = oIndex[d] * g.strides[d] - g.padBegin[d]
                                        + kIndex[d] * g.dilations[d];
                    inside = pos >= 0 && pos < spatialIn[d];
                    offset = offset * spatialIn[d] + pos;
                }
                columns[(c * kernelSize + kk) * outSize + o]
                    = inside ? T(int32_t(plane[offset]) - zeroPoint) : T(0);
            }
        }
    }
}

template<typename Q>
int64_t maxAbsCentred(const Q *values, int64_t count, const Tensor &zeroPoints, int64_t perZeroPoint)
{
    int64_t result = 0;
    for (int64_t i = 0; i < count; ++i) {
        const int64_t zp = zeroPointAt<Q>(zeroPoints, perZeroPoint > 0 ? i / perZeroPoint : 0);
        result = std::max<int64_t>(result, std::abs(int64_t(values[i]) - zp));
    }
    return result;
}

// int32 [N, M, out...] accumulators of the centred convolution.
Result<Tensor> convolveIntegers(const KernelContext &ctx, const WindowAttributes &attrs,
                                int64_t group, const ConvIntegerInputs &in)
{
    const Tensor &x = *in.x, &w = *in.w;
    if (x.rank() < 3 || w.rank() != x.rank())
        return ctx.error("X " + x.describe() + " and W " + w.describe()
                         + " must have one rank of at least 3");
    const int64_t batch = x.dim(0), channels = x.dim(1), outChannels = w.dim(0);
    if (group <= 0 || channels % group || outChannels % group || w.dim(1) * group != channels)
        return ctx.error("W " + w.describe() + " does not fit X " + x.describe() + " with group "
                         + std::to_string(group));
    if (!in.wZeroPoint->empty() && in.wZeroPoint->elementCount() != 1
        && in.wZeroPoint->elementCount() != outChannels)
        return ctx.error("w_zero_point must hold 1 or " + std::to_string(outChannels) + " values");
    const Shape spatialIn(x.shape().begin() + 2, x.shape().end());
    const std::vector<int64_t> kernel(w.shape().begin() + 2, w.shape().end());
    auto geometry = resolveWindow(attrs, kernel, spatialIn, false, ctx.label());
    if (!geometry)
        return geometry.status();
    const WindowGeometry &g = *geometry;
    const size_t spatial = spatialIn.size();
    int64_t outSize = 1, kernelSize = 1, inSize = 1;
    for (size_t d = 0; d < spatial; ++d) {
        outSize *= g.output[d];
        kernelSize *= kernel[d];
        inSize *= spatialIn[d];
    }
    const int64_t cg = channels / group, mg = outChannels / group, depth = cg * kernelSize;
    Shape outShape = {batch, outChannels};
    outShape.insert(outShape.end(), g.output.begin(), g.output.end());
    Tensor acc = Tensor::allocate(DType::Int32, outShape);

    auto run = [&](auto xTag, auto wTag) -> Status {
        using X = decltype(xTag);
        using W = decltype(wTag);
        const int32_t xzp = zeroPointAt<X>(*in.xZeroPoint, 0);
        auto centredWeights = [&](auto *out, int64_t gi) {
            for (int64_t m = 0; m < mg; ++m) {
                const int64_t oc = gi * mg + m;
                const int32_t zp = zeroPointAt<W>(*in.wZeroPoint, oc);
                for (int64_t j = 0; j < depth; ++j)
                    out[m * depth + j] = int32_t(w.data<W>()[oc * depth + j]) - zp;
            }
        };
        if (cg == 1 && mg == 1 && spatial == 2) {
            // Depthwise: nine products per output; a GEMM call per channel would cost more than
            // the arithmetic, so accumulate in int32 straight from the image.
            const int64_t inH = spatialIn[0], inW = spatialIn[1], outH = g.output[0],
                          outW = g.output[1];
            for (int64_t n = 0; n < batch; ++n) {
#pragma omp parallel for num_threads(ctx.threads()) schedule(static)
                for (int64_t oc = 0; oc < outChannels; ++oc) {
                    const X *plane = x.data<X>() + (n * channels + oc) * inSize;
                    const int32_t wzp = zeroPointAt<W>(*in.wZeroPoint, oc);
                    int32_t *out = acc.mutableData<int32_t>() + (n * outChannels + oc) * outSize;
                    std::fill(out, out + outSize, 0);
                    for (int64_t ky = 0; ky < kernel[0]; ++ky) {
                        for (int64_t kx = 0; kx < kernel[1]; ++kx) {
                            const int32_t weight
                                = int32_t(w.data<W>()[(oc * kernel[0] + ky) * kernel[1] + kx])
                                  - wzp;
                            for (int64_t oy = 0; oy < outH; ++oy) {
                                const int64_t iy = oy * g.strides[0] - g.padBegin[0]
                                                   + ky * g.dilations[0];
                                if (iy < 0 || iy >= inH)
                                    continue;
                                const X *line = plane + iy * inW;
                                int32_t *row = out + oy * outW;
                                for (int64_t ox = 0; ox < outW; ++ox) {
                                    const int64_t ix = ox * g.strides[1] - g.padBegin[1]
                                                       + kx * g.dilations[1];
                                    if (ix >= 0 && ix < inW)
                                        row[ox] += weight * (int32_t(line[ix]) - xzp);
                                }
                            }
                        }
                    }
                }
            }
            return Status::ok();
        }
        // The largest centred magnitudes bound the exact depth of a float sum (only here: the
        // depthwise loop above sums in int32).
        const int64_t maxAbsX = maxAbsCentred(x.data<X>(), x.elementCount(), *in.xZeroPoint, 0);
        const int64_t maxAbsW = in.prepared
                                    ? in.prepared->maxAbs
                                    : maxAbsCentred(w.data<W>(), w.elementCount(), *in.wZeroPoint,
                                                    in.wZeroPoint->elementCount() > 1 ? depth : 0);
        std::vector<float> weights(in.prepared ? 0 : size_t(mg * depth)),
            columns(size_t(depth * outSize)), sums;
        for (int64_t gi = 0; gi < group; ++gi) {
            const float *groupWeights = in.prepared ? in.prepared->values.data() + gi * mg * depth
                                                    : weights.data();
            if (!in.prepared)
                centredWeights(weights.data(), gi);
            for (int64_t n = 0; n < batch; ++n) {
                gatherColumns(x.data<X>() + (n * channels + gi * cg) * inSize, cg, inSize,
                              spatialIn, kernel, g, outSize, xzp, columns.data(), ctx.threads());
                exactSlicedGemm(groupWeights, depth, columns.data(), mg, depth, outSize, maxAbsW,
                                maxAbsX,
                                acc.mutableData<int32_t>() + (n * outChannels + gi * mg) * outSize,
                                sums, ctx.threads());
            }
        }
        return Status::ok();
    };
    auto withW = [&](auto xTag) -> Status {
        if (w.dtype() == DType::UInt8)
            return run(xTag, uint8_t{});
        if (w.dtype() == DType::Int8)
            return run(xTag, int8_t{});
        return ctx.error("W must be int8 or uint8, got " + w.describe());
    };
    Status status = x.dtype() == DType::UInt8 ? withW(uint8_t{})
                    : x.dtype() == DType::Int8
                        ? withW(int8_t{})
                        : ctx.error("X must be int8 or uint8, got " + x.describe());
    if (!status)
        return status;
    return acc;
}

// W (input `weight`) centred by its zero point (input `zeroPoint`, may be absent) when both are
// constant; nothing otherwise (the kernel then centres per run).
std::shared_ptr<const CentredWeights> centredConstantWeights(const KernelInfo &info, size_t weight,
                                                             size_t zeroPoint)
{
    const Tensor *w = info.constantInput(weight);
    const Tensor *zp = info.hasInput(zeroPoint) ? info.constantInput(zeroPoint) : nullptr;
    if (!w || (info.hasInput(zeroPoint) && !zp) || w->rank() < 3 || w->dim(0) <= 0
        || (w->dtype() != DType::UInt8 && w->dtype() != DType::Int8))
        return nullptr;
    const int64_t outChannels = w->dim(0), depth = w->elementCount() / outChannels;
    if (zp && zp->elementCount() != 1 && zp->elementCount() != outChannels)
        return nullptr; // the kernel reports it
    auto centred = std::make_shared<CentredWeights>();
    centred->values.resize(size_t(w->elementCount()));
    for (int64_t i = 0; i < w->elementCount(); ++i) {
        const int64_t channel = i / depth;
        const int64_t zero = zp ? zp->intAt(zp->elementCount() == 1 ? 0 : channel) : 0;
        const int64_t value = w->intAt(i) - zero;
        centred->values[size_t(i)] = float(value);
        centred->maxAbs = std::max<int64_t>(centred->maxAbs, std::abs(value));
    }
    return centred;
}

class ConvIntegerKernel : public Kernel
{
public:
    ConvIntegerKernel(WindowAttributes attrs, int64_t group,
                      std::shared_ptr<const CentredWeights> weights)
        : m_attrs(std::move(attrs))
        , m_group(group)
        , m_weights(std::move(weights))
    {}

    Status compute(KernelContext &ctx) const override
    {
        auto acc = convolveIntegers(ctx, m_attrs, m_group,
                                    {&ctx.input(0), &ctx.input(2), &ctx.input(1), &ctx.input(3),
                                     m_weights.get()});
        if (!acc)
            return acc.status();
        ctx.output(0) = std::move(acc).value();
        return Status::ok();
    }

private:
    WindowAttributes m_attrs;
    int64_t m_group;
    std::shared_ptr<const CentredWeights> m_weights;
};

class QLinearConvKernel : public Kernel
{
public:
    QLinearConvKernel(WindowAttributes attrs, int64_t group,
                      std::optional<FusedActivation> activation)
        : m_attrs(std::move(attrs))
        , m_group(group)
        , m_activation(activation)
    {}

    Status compute(KernelContext &ctx) const override
    {
        // x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B
        const Tensor &xScale = ctx.input(1), &wScale = ctx.input(4), &yScale = ctx.input(6);
        const Tensor &yZeroPoint = ctx.input(7), &bias = ctx.input(8);
        auto acc = convolveIntegers(ctx, m_attrs, m_group,
                                    {&ctx.input(0), &ctx.input(2), &ctx.input(3), &ctx.input(5)});
        if (!acc)
            return acc.status();
        const int64_t outChannels = acc->dim(1);
        if (wScale.elementCount() != 1 && wScale.elementCount() != outChannels)
            return ctx.error("w_scale must hold 1 or " + std::to_string(outChannels) + " values");
        if (!bias.empty() && (bias.dtype() != DType::Int32 || bias.elementCount() != outChannels))
            return ctx.error("B must be int32[" + std::to_string(outChannels) + "], got "
                             + bias.describe());
        const int64_t perChannel = acc->elementCount()
                                   / std::max<int64_t>(acc->dim(0) * outChannels, 1);
        const float xs = float(xScale.doubleAt(0)), ys = float(yScale.doubleAt(0));
        Requantization requantization;
        for (int64_t c = 0; c < wScale.elementCount(); ++c)
            requantization.multipliers.push_back(xs * float(wScale.doubleAt(c)) / ys);
        requantization.bias = bias.empty() ? nullptr : bias.data<int32_t>();
        requantization.clamp = RequantizeClamp::of(m_activation, ys);
        QS_RETURN_IF_ERROR(requantizeToOutput(ctx, *acc, yZeroPoint,
                                              {acc->dim(0), outChannels, perChannel},
                                              requantization));
        return applyLookup(ctx);
    }

    // A QLinearLookup the session fused in (input 9, fusion/qdq_tables.cpp) maps the uint8 result.
    static Status applyLookup(KernelContext &ctx)
    {
        if (ctx.inputCount() < 10 || !ctx.hasInput(9))
            return Status::ok();
        const Tensor &table = ctx.input(9);
        Tensor &y = ctx.output(0);
        if (y.dtype() != DType::UInt8 || table.elementCount() != 256
            || dtypeSize(table.dtype()) != 1)
            return ctx.error("the fused lookup needs a uint8 result and 256 8-bit entries, got "
                             + y.describe() + " and " + table.describe());
        Tensor mapped = Tensor::allocate(table.dtype(), y.shape());
        const auto *lookup = static_cast<const uint8_t *>(table.rawData());
        auto *out = static_cast<uint8_t *>(mapped.mutableRawData());
        for (int64_t i = 0; i < y.elementCount(); ++i)
            out[i] = lookup[y.data<uint8_t>()[i]];
        y = std::move(mapped);
        return Status::ok();
    }

private:
    WindowAttributes m_attrs;
    int64_t m_group;
    std::optional<FusedActivation> m_activation;
};

Result<std::pair<WindowAttributes, int64_t>> parseConvAttributes(const KernelInfo &info)
{
    auto attrs = WindowAttributes::parse(info);
    auto group = info.getInt("group", 1);
    if (!attrs || !group)
        return !attrs ? attrs.status() : group.status();
    if (*group < 1)
        return info.error("group " + std::to_string(*group) + " must be at least 1");
    return std::pair{std::move(attrs).value(), *group};
}

} // namespace

Result<std::unique_ptr<Kernel>> createConvInteger(const KernelInfo &info)
{
    auto parsed = parseConvAttributes(info);
    if (!parsed)
        return parsed.status();
    return makeKernel<ConvIntegerKernel>(parsed->first, parsed->second,
                                         centredConstantWeights(info, 1, 3));
}

Result<std::unique_ptr<Kernel>> createQLinearConv(const KernelInfo &info)
{
    auto parsed = parseConvAttributes(info);
    if (!parsed)
        return parsed.status();
    auto reference = std::make_unique<QLinearConvKernel>(parsed->first, parsed->second,
                                                         info.fusedActivation());
    return int8ConvOrReference(info, parsed->first, parsed->second, std::move(reference));
}

} // namespace qs::ops
