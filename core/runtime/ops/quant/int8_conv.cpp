// QLinearConv on oneDNN's int8 convolution, and QLinearConvTranspose (com.quantscope.fused, the
// session's fusion of DQ -> ConvTranspose -> Q) on its int8 deconvolution: 8-bit activations, int8 weights packed once into the
// primitive's layout, int32 bias, the requantization to the output scale and zero point (and a
// fused Relu/Clip) inside the primitive. oneDNN picks its layouts (nhwc or blocked for int8 on
// x86); activations arrive and leave in plain NCHW, transposed as bytes. oneDNN uses VNNI where
// the CPU has it; without VNNI its u8 x s8 products saturate unless the weights use 7 bits
// (int8_exactness.h), which is why our static recipe defaults to reduce_range, and why
// full-range weights on such CPUs take the exact reference kernel instead.
//
// int8 activations are shifted to uint8 (x + 128, zero point + 128; exact) before the
// primitive: for int8 sources oneDNN halves the weights on CPUs without VNNI to keep its int16
// sums from saturating, which cost up to 3 output steps in our tests.
//
// QLinearConv takes this path when the weights, scales and zero points are constants, the weights
// are int8 with zero points 0 (oneDNN has no weight zero points) and x / y zero points are per
// tensor; otherwise, and for shapes oneDNN has only its reference code for, our reference kernel
// (conv_integer.cpp) runs. QLinearConvTranspose is only made under the same conditions
// (fusion/qdq_conv_matmul.cpp) and always runs here, on oneDNN's reference code if need be.
#include "runtime/ops/quant/int8_conv.h"

#include "runtime/ops/nn/conv_plan_cache.h"
#include "runtime/ops/nn/deconv_geometry.h"
#include "runtime/ops/nn/nn_util.h"
#include "runtime/ops/quant/byte_transpose.h"
#include "runtime/ops/quant/int8_exactness.h"
#include "runtime/ops/quant/integer_matmul.h"

namespace qs::ops {

namespace {

using dnnl::memory;

struct Int8ConvPlan
{
    dnnl::primitive primitive;
    memory::desc userSrc, src, dst, userDst, scratchpad;
    memory packedWeights;
    Shape outputShape;
};

struct Int8ConvSettings
{
    std::string label;
    bool transposed = false; // deconvolution (ConvTranspose)
    WindowAttributes attrs;  // convolution
    DeconvSettings deconv;   // deconvolution
    int64_t group = 1;
    Tensor weight;                                    // int8, as ONNX lays it out
    Tensor bias;                                      // int32 [M] or empty
    DType xType = DType::UInt8, yType = DType::UInt8; // as the node declares them
    bool shiftSignedInput = false;                    // int8 x runs as uint8 x + 128
    // x / y held as [N, H, W, C] (fusion/int8_layout.cpp): no transposes; no reference
    // fallback either (it computes NCHW), so oneDNN's own reference code is accepted then.
    bool channelsLastInput = false, channelsLastOutput = false;
    int32_t xZeroPoint = 0, yZeroPoint = 0;
    std::vector<float> outputScales; // x_scale * w_scale[m] / y_scale, 1 or M (output channels)
    RequantizeClamp clamp;           // fused Relu/Clip in units of y_scale
    Tensor lookup;                   // 256 entries mapping a uint8 output (a fused QLinearLookup)
    DType resultType = DType::UInt8; // yType, or the lookup's type
    // A fused HardSwish lookup computed in the primitive's epilogue instead of the table:
    // requantize to the Conv's own output grid (round, saturate), dequantize, HardSwish, scale
    // to the lookup's output. Same steps as the QDQ graph, in registers. Other activations keep
    // the table: each post-op chain has to be checked against oneDNN 2.6's int8 kernels first.
    struct Epilogue
    {
        FusedActivation activation;
        float inScale = 1.0f;  // the Conv's y_scale
        int32_t inZero = 0;    // the Conv's y_zero_point
        float outScale = 1.0f; // the lookup's output scale
        int32_t outZero = 0;
    };
    std::optional<Epilogue> epilogue;
};

memory::data_type dnnlType(DType type)
{
    return type == DType::Int8 ? memory::data_type::s8 : memory::data_type::u8;
}

class Int8ConvKernel final : public Kernel
{
public:
    Int8ConvKernel(Int8ConvSettings settings, std::unique_ptr<Kernel> reference)
        : m_settings(std::move(settings))
        , m_reference(std::move(reference))
    {}

    void warmUp(const Shape &inputShape)
    {
        (void) m_plans.getOrCreate(inputShape, [&] { return createPlan(inputShape); });
    }

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const bool channelsLast = m_settings.channelsLastInput || m_settings.channelsLastOutput;
        if (x.dtype() != m_settings.xType || x.rank() < 3 || x.rank() > 5
            || (channelsLast && x.rank() != 4)) {
            if (m_reference && !channelsLast)
                return m_reference->compute(ctx);
            return ctx.error("input 'x' " + x.describe() + " must be " + dtypeName(m_settings.xType)
                             + " of rank 3 to 5 (4 when channels-last)");
        }
        const Shape logical = m_settings.channelsLastInput
                                  ? Shape{x.dim(0), x.dim(3), x.dim(1), x.dim(2)}
                                  : x.shape();
        Result<std::shared_ptr<const Int8ConvPlan>> found
            = m_plans.getOrCreate(logical, [&] { return createPlan(logical); });
        if (!found) {
            if (found.status().code() == StatusCode::Unsupported && m_reference && !channelsLast)
                return m_reference->compute(ctx);
            return found.status();
        }
        const Int8ConvPlan &p = **found;
        const Shape &o = p.outputShape;
        Tensor &y = ctx.allocateOutput(0, m_settings.resultType,
                                       m_settings.channelsLastOutput ? Shape{o[0], o[2], o[3], o[1]}
                                                                     : o);
        if (y.elementCount() == 0)
            return Status::ok();
        const std::string &label = m_settings.label;
        const Tensor shifted = m_settings.shiftSignedInput ? shiftToUnsigned(x, ctx.threads()) : x;
        std::unordered_map<int, memory> args = {{DNNL_ARG_WEIGHTS, p.packedWeights}};
        // Channels-last copies go to buffers kept per calling thread: fresh multi-megabyte
        // allocations would fault their pages in again on every run.
        thread_local std::vector<uint8_t> srcScratch, dstScratch;
        if (p.src == p.userSrc) {
            args[DNNL_ARG_SRC] = wrapMemory(p.userSrc, shifted.rawData());
        } else if (!m_settings.channelsLastInput && isChannelsLast(p.src, x.shape())) {
            srcScratch.resize(std::max(srcScratch.size(), size_t(x.elementCount())));
            transposeBytes(shifted.data<uint8_t>(), srcScratch.data(), x.dim(0), x.dim(1),
                           x.elementCount() / std::max<int64_t>(x.dim(0) * x.dim(1), 1),
                           ctx.threads());
            args[DNNL_ARG_SRC] = wrapMemory(p.src, srcScratch.data());
        } else {
            Result<memory> src = inLayout(p.userSrc, p.src, shifted.rawData(), label);
            if (!src)
                return src.status();
            args[DNNL_ARG_SRC] = *src;
        }
        if (!m_settings.bias.empty())
            args[DNNL_ARG_BIAS]
                = wrapMemory(memory::desc({m_settings.bias.elementCount()}, memory::data_type::s32,
                                          memory::format_tag::a),
                             m_settings.bias.rawData());
        const memory user = wrapMemory(p.userDst, y.mutableRawData());
        const uint8_t *table = m_settings.lookup.empty() || m_settings.epilogue
                                   ? nullptr
                                   : m_settings.lookup.data<uint8_t>();
        if (p.dst == p.userDst) {
            args[DNNL_ARG_DST] = user;
            QS_RETURN_IF_ERROR(executePrimitive(p.primitive, p.scratchpad, std::move(args), label));
            applyLookup(y, table, ctx.threads());
            return Status::ok();
        }
        dstScratch.resize(std::max(dstScratch.size(), p.dst.get_size()));
        memory dst(p.dst, dnnl_support::cpuEngine(), dstScratch.data());
        args[DNNL_ARG_DST] = dst;
        QS_RETURN_IF_ERROR(executePrimitive(p.primitive, p.scratchpad, std::move(args), label));
        if (!m_settings.channelsLastOutput && isChannelsLast(p.dst, p.outputShape)) {
            const int64_t planes = p.outputShape[0] * p.outputShape[1];
            const int64_t spatial = y.elementCount() / std::max<int64_t>(planes, 1);
            transposeBytes(dstScratch.data(), static_cast<uint8_t *>(y.mutableRawData()),
                           p.outputShape[0], spatial, p.outputShape[1], ctx.threads(), table);
            return Status::ok();
        }
        QS_RETURN_IF_ERROR(reorderMemory(dst, user, label));
        applyLookup(y, table, ctx.threads());
        return Status::ok();
    }

private:
    static void applyLookup(Tensor &y, const uint8_t *table, int threads)
    {
        if (!table)
            return;
        auto *data = static_cast<uint8_t *>(y.mutableRawData());
        const int64_t n = y.elementCount();
#pragma omp parallel for num_threads(threads) schedule(static) if (n > (1 << 17))
        for (int64_t i = 0; i < n; ++i)
            data[i] = table[data[i]];
    }

    // True when `desc` is the channels-last (nhwc, ndhwc, nwc) byte layout of `shape`.
    static bool isChannelsLast(const memory::desc &desc, const Shape &shape)
    {
        const memory::format_tag tag = shape.size() == 3   ? memory::format_tag::nwc
                                       : shape.size() == 4 ? memory::format_tag::nhwc
                                                           : memory::format_tag::ndhwc;
        return desc == memory::desc(shape, desc.data_type(), tag);
    }

    static Tensor shiftToUnsigned(const Tensor &x, int threads)
    {
        Tensor shifted = Tensor::allocate(DType::UInt8, x.shape());
        const uint8_t *in = static_cast<const uint8_t *>(x.rawData());
        uint8_t *out = shifted.mutableData<uint8_t>();
        const int64_t n = x.elementCount();
#pragma omp parallel for num_threads(threads) schedule(static) if (n > (1 << 17))
        for (int64_t i = 0; i < n; ++i)
            out[i] = uint8_t(in[i] ^ 0x80); // two's complement int8 + 128
        return shifted;
    }

    Result<std::shared_ptr<const Int8ConvPlan>> createPlan(const Shape &x) const
    {
        try {
            return m_settings.transposed ? createDeconvolutionPlan(x) : createConvolutionPlan(x);
        } catch (const dnnl::error &e) {
            return unsupported(m_settings.label + ": oneDNN has no int8 primitive for input "
                               + shapeToString(x) + ": " + e.what());
        }
    }

    // Output scales, zero points and the fused clamp, shared by both primitives.
    dnnl::primitive_attr int8Attributes() const
    {
        const Int8ConvSettings &s = m_settings;
        dnnl::primitive_attr attr = userScratchpadAttr();
        attr.set_output_scales(s.outputScales.size() > 1 ? 1 << 1 : 0, s.outputScales);
        if (s.xZeroPoint != 0)
            attr.set_zero_points(DNNL_ARG_SRC, 0, {s.xZeroPoint});
        const int32_t dstZero = s.epilogue ? s.epilogue->outZero : s.yZeroPoint;
        if (dstZero != 0)
            attr.set_zero_points(DNNL_ARG_DST, 0, {dstZero});
        // Post-ops run on the scaled value before the output zero point is added, the
        // domain RequantizeClamp is expressed in.
        dnnl::post_ops ops;
        if (s.clamp.low > -INFINITY || s.clamp.high < INFINITY)
            ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_clip, s.clamp.low, s.clamp.high);
        if (s.epilogue) {
            // The scaling to the lookup's output rides on the activation's own scale factor:
            // oneDNN 2.6's int8 kernels zeroed the result of two chained eltwise_linear post-ops
            // (checked in a standalone program), so the chain has one linear step.
            const Int8ConvSettings::Epilogue &e = *s.epilogue;
            ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_round, 0.0f, 0.0f);
            ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_clip, float(-e.inZero),
                               float(255 - e.inZero));
            ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_linear, e.inScale, 0.0f);
            ops.append_eltwise(1.0f / e.outScale, dnnl::algorithm::eltwise_hardswish, 0.0f, 0.0f);
        }
        if (ops.len() > 0)
            attr.set_post_ops(ops);
        return attr;
    }

    static memory::format_tag userTag(bool channelsLast, size_t rank)
    {
        return channelsLast ? memory::format_tag::nhwc : plainTag(rank);
    }

    // What the primitive writes: the Conv's own output type, or the fused lookup's.
    DType dstType() const
    {
        return m_settings.epilogue ? m_settings.resultType : m_settings.yType;
    }

    memory::desc biasDesc() const
    {
        return m_settings.bias.empty()
                   ? memory::desc()
                   : memory::desc({m_settings.bias.elementCount()}, memory::data_type::s32,
                                  memory::format_tag::a);
    }

    // Fills the plan from a primitive descriptor; weights reordered once from `userWeights`.
    template<typename PrimitiveDesc, typename Primitive>
    void finish(Int8ConvPlan &p, const PrimitiveDesc &pd, const memory::desc &userWeights) const
    {
        p.primitive = Primitive(pd);
        p.src = pd.src_desc();
        p.dst = pd.dst_desc();
        p.scratchpad = pd.scratchpad_desc();
        p.packedWeights = m_packedWeights.get(userWeights, pd.weights_desc(),
                                              m_settings.weight.rawData());
    }

    Result<std::shared_ptr<const Int8ConvPlan>> createDeconvolutionPlan(const Shape &x) const
    {
        const Int8ConvSettings &s = m_settings;
        const Shape &w = s.weight.shape();
        if (x.size() != w.size() || x[1] != w[0])
            return unsupported(s.label + ": input " + shapeToString(x)
                               + " does not fit the weights " + shapeToString(w));
        Result<DeconvGeometry> g = resolveDeconvGeometry(s.deconv, x, w, s.label);
        if (!g)
            return g.status();
        auto p = std::make_shared<Int8ConvPlan>();
        p->outputShape = g->outputShape;
        const auto u8 = memory::data_type::u8, s8 = memory::data_type::s8;
        const auto any = memory::format_tag::any;
        p->userSrc = memory::desc(x, u8, userTag(m_settings.channelsLastInput, x.size()));
        p->userDst = memory::desc(p->outputShape, dnnlType(dstType()),
                                  userTag(m_settings.channelsLastOutput, x.size()));
        dnnl::deconvolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                               dnnl::algorithm::deconvolution_direct,
                                               memory::desc(x, u8, any),
                                               memory::desc(g->weightDims, s8, any), biasDesc(),
                                               memory::desc(p->outputShape, dnnlType(dstType()),
                                                            any),
                                               g->strides, g->dilations, g->padBegin, g->padEnd);
        dnnl::deconvolution_forward::primitive_desc pd(desc, int8Attributes(),
                                                       dnnl_support::cpuEngine());
        finish<dnnl::deconvolution_forward::primitive_desc,
               dnnl::deconvolution_forward>(*p, pd,
                                            memory::desc(g->weightDims, s8, g->weightStrides));
        return std::shared_ptr<const Int8ConvPlan>(std::move(p));
    }

    Result<std::shared_ptr<const Int8ConvPlan>> createConvolutionPlan(const Shape &x) const
    {
        const Int8ConvSettings &s = m_settings;
        const Shape &w = s.weight.shape();
        if (x.size() != w.size() || x[1] != w[1] * s.group)
            return unsupported(s.label + ": input " + shapeToString(x)
                               + " does not fit the weights " + shapeToString(w));
        const std::vector<int64_t> kernel(w.begin() + 2, w.end());
        Result<WindowGeometry> geometry
            = resolveWindow(s.attrs, kernel, std::vector<int64_t>(x.begin() + 2, x.end()), false,
                            s.label);
        if (!geometry)
            return unsupported(geometry.status().message());
        const WindowGeometry &g = *geometry;
        for (size_t i = 0; i < g.padBegin.size(); ++i) {
            if (g.padBegin[i] < 0 || g.padEnd[i] < 0)
                return unsupported(s.label + ": negative pads");
        }
        auto p = std::make_shared<Int8ConvPlan>();
        p->outputShape = {x[0], w[0]};
        p->outputShape.insert(p->outputShape.end(), g.output.begin(), g.output.end());
        memory::dims weightDims(w.begin(), w.end());
        if (s.group > 1) {
            weightDims[0] = w[0] / s.group;
            weightDims.insert(weightDims.begin(), s.group);
        }
        const auto any = memory::format_tag::any;
        const memory::data_type srcType = memory::data_type::u8;
        p->userSrc = memory::desc(x, srcType, userTag(s.channelsLastInput, x.size()));
        p->userDst = memory::desc(p->outputShape, dnnlType(dstType()),
                                  userTag(s.channelsLastOutput, x.size()));
        const memory::desc userWeights(weightDims, memory::data_type::s8,
                                       plainTag(weightDims.size()));
        memory::dims dilations;
        for (int64_t d : g.dilations)
            dilations.push_back(d - 1);
        dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                             dnnl::algorithm::convolution_direct,
                                             memory::desc(x, srcType, any),
                                             memory::desc(weightDims, memory::data_type::s8, any),
                                             biasDesc(),
                                             memory::desc(p->outputShape, dnnlType(dstType()), any),
                                             g.strides, dilations, g.padBegin, g.padEnd);
        dnnl::convolution_forward::primitive_desc pd(desc, int8Attributes(),
                                                     dnnl_support::cpuEngine());
        // Its reference code is slower than our own reference kernel (which computes NCHW).
        const bool channelsLast = s.channelsLastInput || s.channelsLastOutput;
        if (!channelsLast && std::string(pd.impl_info_str()).find("ref") != std::string::npos)
            return unsupported(s.label + ": oneDNN has only its reference int8 convolution for "
                               + shapeToString(x));
        finish<dnnl::convolution_forward::primitive_desc, dnnl::convolution_forward>(*p, pd,
                                                                                     userWeights);
        return std::shared_ptr<const Int8ConvPlan>(std::move(p));
    }

    Int8ConvSettings m_settings;
    std::unique_ptr<Kernel> m_reference;
    mutable PlanCache<Int8ConvPlan> m_plans;
    mutable PackedWeights m_packedWeights;
};

// A per-tensor 8-bit zero point constant (absent means 0), or nullopt.
std::optional<int32_t> scalarZeroPoint(const KernelInfo &info, size_t index, DType type)
{
    if (!info.hasInput(index))
        return 0;
    const Tensor *zeroPoint = info.constantInput(index);
    if (!zeroPoint || zeroPoint->elementCount() != 1 || zeroPoint->dtype() != type)
        return std::nullopt;
    return int32_t(zeroPoint->intAt(0));
}

const Tensor *floatConstant(const KernelInfo &info, size_t index)
{
    const Tensor *tensor = info.constantInput(index);
    return tensor && tensor->dtype() == DType::Float32 ? tensor : nullptr;
}

} // namespace

namespace {

// The fused lookup's activation as an epilogue (Int8ConvSettings::Epilogue), when the node
// carries it (fusion/qdq_tables.cpp: inputs 10-11 and the lookup_* attributes).
std::optional<Int8ConvSettings::Epilogue> lookupEpilogue(const KernelInfo &info, float convScale,
                                                         int32_t convZero)
{
    Result<int64_t> kind = info.getInt("lookup_activation", -1);
    Result<float> alpha = info.getFloat("lookup_alpha", 0.0f);
    Result<float> beta = info.getFloat("lookup_beta", 0.0f);
    const Tensor *outScale = info.inputCount() > 11 ? floatConstant(info, 10) : nullptr;
    const Tensor *outZero = info.inputCount() > 11 ? info.constantInput(11) : nullptr;
    if (!kind || !alpha || !beta || *kind != int64_t(FusedActivation::Kind::HardSwish) || !outScale
        || outScale->elementCount() != 1 || !outZero || outZero->elementCount() != 1)
        return std::nullopt;
    Int8ConvSettings::Epilogue epilogue;
    epilogue.activation.kind = static_cast<FusedActivation::Kind>(*kind);
    epilogue.activation.alpha = *alpha;
    epilogue.activation.beta = *beta;
    epilogue.inScale = convScale;
    epilogue.inZero = convZero;
    epilogue.outScale = outScale->data<float>()[0];
    epilogue.outZero = int32_t(outZero->intAt(0));
    return epilogue;
}

// The settings both primitives share, read from constant inputs (x, x_scale, x_zero_point, w,
// w_scale, w_zero_point, y_scale, y_zero_point, B); nullopt when this node cannot run on
// oneDNN. The weight scales are per tensor or one per channel of W's `channelAxis`.
std::optional<Int8ConvSettings> int8Settings(const KernelInfo &info, int64_t channelAxis,
                                             int64_t group)
{
    const TensorType xType = info.inputType(0);
    const Tensor *weight = info.constantInput(3);
    const Tensor *xScale = floatConstant(info, 1);
    const Tensor *wScale = floatConstant(info, 4);
    const Tensor *yScale = floatConstant(info, 6);
    const Tensor *yZeroPointTensor = info.hasInput(7) ? info.constantInput(7) : nullptr;
    const Tensor *bias = info.hasInput(8) ? info.constantInput(8) : nullptr;
    const DType inType = static_cast<DType>(xType.elementType);
    if (!weight || weight->dtype() != DType::Int8 || weight->rank() < 3
        || !exactWithUnsignedActivations(*weight) || !xScale || !wScale || !yScale
        || xScale->elementCount() != 1 || yScale->elementCount() != 1
        || (inType != DType::UInt8 && inType != DType::Int8) || !yZeroPointTensor
        || (info.hasInput(8) && (!bias || bias->dtype() != DType::Int32)))
        return std::nullopt;
    // Conv: axis 0 holds every output channel. ConvTranspose: axis 1 holds the output channels
    // of one group, and the scales repeat for each group.
    const int64_t perGroup = weight->dim(channelAxis);
    const int64_t outputChannels = channelAxis == 0 ? perGroup : perGroup * group;
    if (wScale->elementCount() != 1 && wScale->elementCount() != perGroup)
        return std::nullopt;
    const Tensor *wZeroPoint = info.hasInput(5) ? info.constantInput(5) : nullptr;
    if (info.hasInput(5) && !wZeroPoint)
        return std::nullopt;
    for (int64_t i = 0; wZeroPoint && i < wZeroPoint->elementCount(); ++i) {
        if (wZeroPoint->intAt(i) != 0)
            return std::nullopt;
    }
    const DType outType = yZeroPointTensor->dtype();
    std::optional<int32_t> xZeroPoint = scalarZeroPoint(info, 2, inType);
    std::optional<int32_t> yZeroPoint = scalarZeroPoint(info, 7, outType);
    if (!xZeroPoint || !yZeroPoint || (outType != DType::UInt8 && outType != DType::Int8))
        return std::nullopt;

    Int8ConvSettings settings;
    settings.label = info.label();
    settings.group = group;
    settings.weight = weight->clone();
    if (bias)
        settings.bias = bias->clone();
    settings.xType = inType;
    settings.yType = outType;
    settings.shiftSignedInput = inType == DType::Int8;
    settings.xZeroPoint = *xZeroPoint + (settings.shiftSignedInput ? 128 : 0);
    settings.yZeroPoint = *yZeroPoint;
    const float y = yScale->data<float>()[0];
    const int64_t scales = wScale->elementCount() == 1 ? 1 : outputChannels;
    for (int64_t i = 0; i < scales; ++i)
        settings.outputScales.push_back(xScale->data<float>()[0]
                                        * wScale->data<float>()[i % wScale->elementCount()] / y);
    settings.clamp = RequantizeClamp::of(info.fusedActivation(), y);
    if (info.inputCount() > 9 && info.hasInput(9)) {
        const Tensor *table = info.constantInput(9);
        if (!table || table->elementCount() != 256 || dtypeSize(table->dtype()) != 1)
            return std::nullopt;
        if (settings.yType != DType::UInt8)
            return std::nullopt;
        settings.lookup = table->clone();
        settings.epilogue = lookupEpilogue(info, yScale->data<float>()[0], *yZeroPoint);
    }
    settings.resultType = settings.lookup.empty() ? settings.yType : settings.lookup.dtype();
    Result<int64_t> channelsLastInput = info.getInt("channels_last_input", 0);
    Result<int64_t> channelsLastOutput = info.getInt("channels_last_output", 0);
    if (!channelsLastInput || !channelsLastOutput)
        return std::nullopt;
    settings.channelsLastInput = *channelsLastInput != 0;
    settings.channelsLastOutput = *channelsLastOutput != 0;
    return settings;
}

std::unique_ptr<Kernel> warmedUp(const KernelInfo &info, std::unique_ptr<Int8ConvKernel> kernel)
{
    const TensorType xType = info.inputType(0);
    if (xType.hasShape && xType.elementCount() > 0) {
        Shape shape;
        for (const Dim &d : xType.dims)
            shape.push_back(d.value);
        kernel->warmUp(shape);
    }
    return kernel;
}

} // namespace

std::unique_ptr<Kernel> int8ConvOrReference(const KernelInfo &info, const WindowAttributes &attrs,
                                            int64_t group, std::unique_ptr<Kernel> reference)
{
    std::optional<Int8ConvSettings> settings = int8Settings(info, 0, group);
    if (!settings)
        return reference;
    settings->attrs = attrs;
    return warmedUp(info,
                    std::make_unique<Int8ConvKernel>(std::move(*settings), std::move(reference)));
}

Result<std::unique_ptr<Kernel>> createQLinearConvTranspose(const KernelInfo &info)
{
    const Tensor *weight = info.constantInput(3);
    Result<DeconvSettings> deconv = DeconvSettings::parse(info, weight ? weight->rank() : 0);
    if (!deconv)
        return deconv.status();
    std::optional<Int8ConvSettings> settings = int8Settings(info, 1, deconv->group);
    if (!settings)
        return info.error("needs constant int8 weights with zero points 0 and constant "
                          "per-tensor x and y scales and zero points");
    settings->transposed = true;
    settings->deconv = std::move(*deconv);
    return warmedUp(info, std::make_unique<Int8ConvKernel>(std::move(*settings), nullptr));
}

} // namespace qs::ops
