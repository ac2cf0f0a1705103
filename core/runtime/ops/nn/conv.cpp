// Conv (1-D/2-D/3-D, groups, dilations, auto_pad) through oneDNN convolution_forward.
// With constant weights the factory reorders them once into the layout the primitive prefers;
// primitives are cached per input shape (shapes may change between runs). Activations arrive
// and leave in plain NCHW. Measured on a MobileNet-style stack (1x3x640x640, 3x3 depthwise +
// 1x1 pointwise, AVX2, 2 threads): forcing NCHW on every primitive 131 ms of convolutions
// (oneDNN falls back to im2col GEMM, 3x slower on depthwise); letting every primitive pick its
// blocked layout (nChw8c) with reorders in and out 106 ms; blocked for all but pointwise
// (1x1, stride 1, no pads: a plain GEMM without im2col) 92-100 ms, which is what we do for a
// Conv between plain values. Inside a blocked region (float_blocked_layout.cpp) input and output
// stay nChw8c/nChw16c and no reorder runs at all.
#include "runtime/ops/nn/blocked_layout.h"
#include "runtime/ops/nn/conv_plan.h"
#include "runtime/ops/nn/conv_plan_cache.h"
#include "runtime/ops/nn/nn_kernels.h"

#include "graph/fused_ops.h"
#include "runtime/dnnl_context.h"

namespace qs::ops {

namespace {

using dnnl::memory;

class ConvKernel final : public Kernel
{
public:
    ConvKernel(std::string label, WindowAttributes attrs, int64_t group, Tensor weight, Tensor bias,
               bool hasBiasInput, std::optional<FusedActivation> activation, bool blockedInput,
               bool blockedOutput, bool scaledOutput, Tensor postBias, Tensor weightScale)
        : m_hasBiasInput(hasBiasInput)
        , m_scaledOutput(scaledOutput)
        , m_postBias(std::move(postBias))
        , m_weightScale(std::move(weightScale))
        , m_blockedInput(blockedInput)
        , m_blockedOutput(blockedOutput)
        , m_label(std::move(label))
        , m_attrs(std::move(attrs))
        , m_group(group)
        , m_weight(std::move(weight))
        , m_bias(std::move(bias))
        , m_activation(activation)
    {}

    // Builds the plan for a statically known input shape ahead of the first run.
    void warmUp(const Shape &inputShape, int64_t scaleCount)
    {
        (void) plan(inputShape, m_weight.shape(), scaleCount);
    }

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        QS_RETURN_IF_ERROR(checkFloatActivation(ctx, x, 3, 5));
        if (m_blockedInput)
            QS_RETURN_IF_ERROR(checkBlockedInput(ctx, x));
        Shape xShape = m_blockedInput ? logicalShapeOfBlocked(x.shape()) : x.shape();
        Tensor weight = m_weight, bias = m_bias;
        QS_RETURN_IF_ERROR(runWeightAndBias(ctx, weight, bias));
        // A blocked input may end in padding lanes: the weights tell the real channel count.
        const int64_t inputChannels = weight.rank() >= 2 ? weight.dim(1) * m_group : 0;
        if (m_blockedInput && inputChannels <= xShape[1] && inputChannels > xShape[1] - x.dim(4))
            xShape[1] = inputChannels;
        QS_RETURN_IF_ERROR(checkShapes(ctx, xShape, weight, bias));
        std::vector<const Tensor *> postOpInputs;
        Tensor scale;
        if (m_scaledOutput) {
            Result<Tensor> computed = outputScale(ctx, weight.dim(0));
            if (!computed)
                return computed.status();
            scale = std::move(*computed);
            postOpInputs.push_back(&scale);
            if (!m_postBias.empty())
                postOpInputs.push_back(&m_postBias);
        }
        const int64_t scaleCount = scale.elementCount();

        Result<std::shared_ptr<const ConvPlan>> found = plan(xShape, weight.shape(), scaleCount);
        if (!found)
            return found.status();
        const ConvPlan &p = **found;
        Tensor &out = ctx.allocateOutput(0, x.dtype(),
                                         m_blockedOutput
                                             ? blockedShape(p.outputShape, channelBlock())
                                             : p.outputShape);
        if (out.elementCount() == 0)
            return Status::ok();
        Tensor dst = wideOutput(out);
        QS_RETURN_IF_ERROR(
            runConvPlan(p, toFloat32(x, ctx.threads()), weight, bias, dst, ctx.threads(), m_label,
                        p.scaleAfter ? std::vector<const Tensor *>{} : postOpInputs));
        if (p.scaleAfter)
            scaleOneVector(dst, scale);
        storeWideOutput(dst, out, ctx.threads());
        return Status::ok();
    }

private:
    // The run-time input 3 (x_scale), times the constant weight scale when there is one, as
    // Mul(x_scale, W_scale) computed it: 1 or `channels` values.
    Result<Tensor> outputScale(KernelContext &ctx, int64_t channels) const
    {
        const Tensor &runTime = ctx.input(3);
        const auto fits = [&](const Tensor &t) {
            return t.dtype() == DType::Float32
                   && (t.elementCount() == 1 || t.elementCount() == channels);
        };
        if (!fits(runTime))
            return ctx.error("output scale " + runTime.describe() + " must be float32 with 1 or "
                             + std::to_string(channels) + " values");
        if (m_weightScale.empty())
            return runTime;
        const int64_t count = std::max(runTime.elementCount(), m_weightScale.elementCount());
        Tensor product = Tensor::allocate(DType::Float32, {count});
        const float *a = runTime.data<float>(), *b = m_weightScale.data<float>();
        for (int64_t c = 0; c < count; ++c)
            product.mutableData<float>()[c] = a[runTime.elementCount() == 1 ? 0 : c]
                                              * b[m_weightScale.elementCount() == 1 ? 0 : c];
        return product;
    }

    // out = activation(out * scale + bias) on an output that is one vector of channels, in the
    // order the post-ops would have used (ConvPlan::scaleAfter).
    void scaleOneVector(Tensor &out, const Tensor &scale) const
    {
        float *values = out.mutableData<float>();
        const float *scales = scale.data<float>();
        const int64_t count = out.elementCount();
        for (int64_t c = 0; c < count; ++c) {
            values[c] *= scales[scale.elementCount() == 1 ? 0 : c];
            if (!m_postBias.empty())
                values[c] += m_postBias.data<float>()[c];
        }
        if (m_activation)
            applyActivationInParallel(*m_activation, values, count, 1);
    }

    Status checkShapes(KernelContext &ctx, const Shape &x, const Tensor &weight,
                       const Tensor &bias) const
    {
        const Shape &w = weight.shape();
        if (static_cast<int64_t>(w.size()) != static_cast<int64_t>(x.size()))
            return ctx.error("input 'W' " + weight.describe() + " must have the rank of 'X' "
                             + shapeToString(x));
        if (w[0] % m_group != 0 || w[1] * m_group != x[1])
            return ctx.error("input 'W' " + weight.describe() + " does not fit 'X' "
                             + shapeToString(x) + " with group " + std::to_string(m_group)
                             + ": W[1] * group must equal the " + std::to_string(x[1])
                             + " input channels and W[0] must be a multiple of group");
        if (!bias.empty() && bias.elementCount() != w[0])
            return ctx.error("input 'B' " + bias.describe() + " must have " + std::to_string(w[0])
                             + " elements (one per output channel)");
        return Status::ok();
    }

    Result<std::shared_ptr<const ConvPlan>> plan(const Shape &x, const Shape &w,
                                                 int64_t scaleCount) const
    {
        std::vector<int64_t> key = convPlanKey(x, w, !m_weight.empty());
        key.push_back(scaleCount);
        return m_plans.getOrCreate(key, [&] { return createPlan(x, w, scaleCount); });
    }

    Result<std::shared_ptr<const ConvPlan>> createPlan(const Shape &x, const Shape &w,
                                                       int64_t scaleCount) const
    {
        const size_t spatial = x.size() - 2;
        std::vector<int64_t> kernel = m_attrs.kernelShape;
        if (kernel.empty())
            kernel.assign(w.begin() + 2, w.end());
        else if (kernel != std::vector<int64_t>(w.begin() + 2, w.end()))
            return invalidArgument(m_label + ": kernel_shape " + dimsToString(kernel)
                                   + " does not match the weights " + shapeToString(w));
        Result<WindowGeometry> geometry
            = resolveWindow(m_attrs, kernel, std::vector<int64_t>(x.begin() + 2, x.end()), false,
                            m_label);
        if (!geometry)
            return geometry.status();
        const WindowGeometry &g = *geometry;
        for (size_t i = 0; i < spatial; ++i) {
            if (g.padBegin[i] < 0 || g.padEnd[i] < 0)
                return unsupported(m_label + ": negative pads " + dimsToString(m_attrs.pads)
                                   + " are not supported");
        }
        auto p = std::make_shared<ConvPlan>();
        p->outputShape = {x[0], w[0]};
        p->outputShape.insert(p->outputShape.end(), g.output.begin(), g.output.end());

        const auto f32 = memory::data_type::f32;
        memory::dims weightDims(w.begin(), w.end());
        if (m_group > 1) {
            weightDims[0] = w[0] / m_group;
            weightDims.insert(weightDims.begin(), m_group);
        }
        p->userSrc = m_blockedInput ? blockedDesc(x, channelBlock())
                                    : memory::desc(x, f32, plainTag(x.size()));
        p->userDst = m_blockedOutput ? blockedDesc(p->outputShape, channelBlock())
                                     : memory::desc(p->outputShape, f32, plainTag(x.size()));
        p->userWeights = memory::desc(weightDims, f32, plainTag(weightDims.size()));
        // Pointwise convolutions are one GEMM on plain layouts; the others get the primitive's
        // preferred (blocked) layouts and reorders (see the header comment). A side the layout
        // pass keeps blocked is fixed to that layout, so no reorder happens there. A run-time
        // output scale needs binary post-ops, which the GEMM-based primitive runs slowly.
        bool pointwise = m_group == 1 && !m_blockedInput && !m_blockedOutput && !m_scaledOutput;
        for (size_t i = 0; i < spatial; ++i)
            pointwise &= kernel[i] == 1 && g.strides[i] == 1 && g.padBegin[i] == 0
                         && g.padEnd[i] == 0;
        const memory::desc src = pointwise || m_blockedInput
                                     ? p->userSrc
                                     : memory::desc(x, f32, memory::format_tag::any);
        const memory::desc dst = pointwise || m_blockedOutput
                                     ? p->userDst
                                     : memory::desc(p->outputShape, f32, memory::format_tag::any);
        const memory::desc anyWeights(weightDims, f32, memory::format_tag::any);
        const memory::desc weightsMd = m_weight.empty() ? p->userWeights : anyWeights;
        const bool hasBias = !m_bias.empty() || m_hasBiasInput;
        const memory::desc biasMd = hasBias ? memory::desc({w[0]}, f32, memory::format_tag::a)
                                            : memory::desc();
        memory::dims dilations;
        for (int64_t d : g.dilations)
            dilations.push_back(d - 1);
        try {
            // When the output is one vector of channels (a squeeze-excite conv on a pooled
            // [1, C, 1, 1]), a per-channel operand has the output's own shape, which oneDNN's
            // fast kernels do not take as a post-op (they fall to ref:any, 100x slower): the
            // kernel scales, adds and activates those few values itself (scaleAfter).
            p->scaleAfter = m_scaledOutput && shapeElementCount(p->outputShape) == w[0];
            dnnl::primitive_attr attr = userScratchpadAttr();
            dnnl::post_ops ops;
            if (m_scaledOutput && !p->scaleAfter) {
                // out = activation(sum * scale + bias), in the order of the Mul and Add the
                // conv absorbed (kScaledOutputAttribute).
                memory::dims perChannel(x.size(), 1);
                perChannel[1] = w[0];
                const memory::desc perChannelDesc(perChannel, f32, plainTag(x.size()));
                p->binaryPostOpInputs.push_back(
                    scaleCount == 1
                        ? memory::desc(memory::dims(x.size(), 1), f32, plainTag(x.size()))
                        : perChannelDesc);
                ops.append_binary(dnnl::algorithm::binary_mul, p->binaryPostOpInputs.back());
                if (!m_postBias.empty()) {
                    p->binaryPostOpInputs.push_back(perChannelDesc);
                    ops.append_binary(dnnl::algorithm::binary_add, perChannelDesc);
                }
            }
            if (m_activation && pointwise)
                p->activationAfter = m_activation;
            else if (m_activation && !p->scaleAfter)
                appendActivationPostOps(ops, *m_activation);
            if (ops.len() > 0)
                attr.set_post_ops(ops);
            dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                                 dnnl::algorithm::convolution_direct, src,
                                                 weightsMd, biasMd, dst, g.strides, dilations,
                                                 g.padBegin, g.padEnd);
            dnnl::convolution_forward::primitive_desc pd(desc, attr, dnnl_support::cpuEngine());
            p->primitive = dnnl::convolution_forward(pd);
            p->src = pd.src_desc();
            p->dst = pd.dst_desc();
            p->weights = pd.weights_desc();
            p->scratchpad = pd.scratchpad_desc();
            if (!m_weight.empty())
                p->packedWeights = m_packedWeights.get(p->userWeights, p->weights,
                                                       m_weight.rawData());
        } catch (const dnnl::error &e) {
            return unsupported(m_label + ": oneDNN has no convolution for input " + shapeToString(x)
                               + " and weights " + shapeToString(w) + ": " + e.what());
        }
        return std::shared_ptr<const ConvPlan>(std::move(p));
    }

    bool m_hasBiasInput;
    bool m_scaledOutput;  // input 3 is a run-time output scale (kScaledOutputAttribute)
    Tensor m_postBias;    // [M] added after that scale, or empty
    Tensor m_weightScale; // constant factor of that scale (1 or M values), or empty
    bool m_blockedInput;  // input 0 arrives as [N, C/B, H, W, B] (blocked_layout.h)
    bool m_blockedOutput; // output 0 leaves blocked
    std::string m_label;
    WindowAttributes m_attrs;
    int64_t m_group;
    Tensor m_weight; // float32 when constant, else empty
    Tensor m_bias;
    std::optional<FusedActivation> m_activation;
    mutable PlanCache<ConvPlan> m_plans;
    mutable PackedWeights m_packedWeights;
};

} // namespace

Result<std::unique_ptr<Kernel>> createConv(const KernelInfo &info)
{
    Result<WindowAttributes> attrs = WindowAttributes::parse(info);
    if (!attrs)
        return attrs.status();
    Result<int64_t> group = info.getInt("group", 1);
    if (!group)
        return group.status();
    if (*group < 1)
        return info.error("group " + std::to_string(*group) + " must be at least 1");
    Tensor weight, bias;
    QS_RETURN_IF_ERROR(constantWeightAndBias(info, weight, bias));
    if (!weight.empty() && (weight.rank() < 3 || weight.dim(0) % *group != 0))
        return info.error("input 'W' " + info.constantInput(1)->describe()
                          + " must have rank >= 3 and a multiple of group " + std::to_string(*group)
                          + " filters");
    Result<int64_t> blockedInput = info.getInt(kBlockedInputAttribute, 0);
    Result<int64_t> blockedOutput = info.getInt(kBlockedOutputAttribute, 0);
    if (!blockedInput || !blockedOutput)
        return !blockedInput ? blockedInput.status() : blockedOutput.status();
    Result<int64_t> scaledOutput = info.getInt(kScaledOutputAttribute, 0);
    if (!scaledOutput)
        return scaledOutput.status();
    Tensor postBias, weightScale;
    int64_t scaleCount = 0; // of the run-time scale, when the input types tell
    if (*scaledOutput != 0) {
        if (!info.hasInput(3))
            return info.error("a conv with " + std::string(kScaledOutputAttribute)
                              + " needs its output scale as input 3");
        if (info.hasInput(4)) {
            const Tensor *constant = info.constantInput(4);
            if (!constant || constant->dtype() != DType::Float32 || weight.empty()
                || constant->elementCount() != weight.dim(0))
                return info.error("input 4 (the bias after the output scale) must be a constant "
                                  "float32 with one value per output channel");
            postBias = *constant;
        }
        scaleCount = info.inputType(3).elementCount().value_or(0);
        if (info.hasInput(5)) {
            const Tensor *constant = info.constantInput(5);
            if (!constant || constant->dtype() != DType::Float32 || weight.empty()
                || (constant->elementCount() != 1 && constant->elementCount() != weight.dim(0)))
                return info.error("input 5 (the weight scale) must be a constant float32 with 1 "
                                  "value or one per output channel");
            weightScale = *constant;
            scaleCount = scaleCount > 0 ? std::max(scaleCount, constant->elementCount()) : 0;
        }
    }
    auto kernel = std::make_unique<ConvKernel>(info.label(), std::move(*attrs), *group, weight,
                                               bias, info.hasInput(2), info.fusedActivation(),
                                               *blockedInput != 0, *blockedOutput != 0,
                                               *scaledOutput != 0, std::move(postBias),
                                               std::move(weightScale));
    const TensorType type = info.inputType(0);
    if (!weight.empty() && type.hasShape && type.elementCount() && type.dims.size() >= 3
        && type.dims.size() <= 5) {
        Shape shape;
        for (const Dim &d : type.dims)
            shape.push_back(d.value);
        if (*scaledOutput == 0 || scaleCount > 0)
            kernel->warmUp(shape, scaleCount);
    }
    return std::unique_ptr<Kernel>(std::move(kernel));
}

} // namespace qs::ops
