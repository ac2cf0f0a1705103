// ConvTranspose (1-D to 3-D, groups, dilations, output_padding, output_shape, auto_pad) through
// oneDNN deconvolution_forward, cached per input shape, constant weights reordered once.
// ONNX's weights [C_in, M / group, k...] are described to oneDNN by strides, not copied.
#include "runtime/ops/nn/conv_plan_cache.h"
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/nn/nn_util.h"

namespace qs::ops {

namespace {

using dnnl::memory;

struct DeconvPlan
{
    dnnl::primitive primitive;
    memory::desc userSrc, src, userWeights, weights, dst, userDst, scratchpad;
    memory packedWeights;
    Shape outputShape;
    // Set when the primitive is GEMM-based (plain layouts): its eltwise post-ops are slow, so
    // the activation runs afterwards (nn_util.h, applyActivationInParallel).
    std::optional<FusedActivation> activationAfter;
};

struct DeconvSettings
{
    WindowAttributes window;
    int64_t group = 1;
    std::vector<int64_t> outputPadding, outputShape;
};

class ConvTransposeKernel final : public Kernel
{
public:
    ConvTransposeKernel(std::string label, DeconvSettings settings, Tensor weight, Tensor bias,
                        std::optional<FusedActivation> activation)
        : m_label(std::move(label))
        , m_settings(std::move(settings))
        , m_weight(std::move(weight))
        , m_bias(std::move(bias))
        , m_activation(activation)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.dtype() != DType::Float32 && x.dtype() != DType::Float16)
            return ctx.error("input 'X' dtype " + dtypeName(x.dtype()) + " is not supported");
        if (x.rank() < 3 || x.rank() > 5)
            return ctx.error("input 'X' " + x.describe()
                             + " must have rank 3, 4 or 5 (N, C and 1 to 3 spatial dims)");
        const Tensor weight = m_weight.empty() ? toFloat32(ctx.input(1), ctx.threads()) : m_weight;
        Tensor bias = m_bias;
        if (bias.empty() && ctx.hasInput(2))
            bias = toFloat32(ctx.input(2), ctx.threads());
        if (weight.empty() || (ctx.hasInput(2) && bias.empty()))
            return ctx.error("inputs 'W' and 'B' must be float32 or float16");
        if (weight.rank() != x.rank() || weight.dim(0) != x.dim(1)
            || weight.dim(0) % m_settings.group != 0)
            return ctx.error("input 'W' " + weight.describe() + " does not fit 'X' "
                             + x.describe() + " with group " + std::to_string(m_settings.group)
                             + ": W needs the rank of X and W[0] = " + std::to_string(x.dim(1))
                             + " input channels, a multiple of group");
        const int64_t outChannels = weight.dim(1) * m_settings.group;
        if (!bias.empty() && bias.elementCount() != outChannels)
            return ctx.error("input 'B' " + bias.describe() + " must have "
                             + std::to_string(outChannels) + " elements");
        Shape key = x.shape();
        if (m_weight.empty())
            key.insert(key.end(), weight.shape().begin(), weight.shape().end());
        Result<std::shared_ptr<const DeconvPlan>> plan = m_plans.getOrCreate(
            key, [&] { return createPlan(x.shape(), weight.shape(), !bias.empty()); });
        if (!plan)
            return plan.status();
        const DeconvPlan &p = **plan;
        Tensor &out = ctx.allocateOutput(0, x.dtype(), p.outputShape);
        if (out.elementCount() == 0)
            return Status::ok();
        const Tensor src = toFloat32(x, ctx.threads());
        Tensor dst = x.dtype() == DType::Float32 ? out
                                                 : Tensor::allocate(DType::Float32, p.outputShape);
        std::unordered_map<int, memory> args;
        Result<memory> srcMemory = inLayout(p.userSrc, p.src, src.rawData(), m_label);
        if (!srcMemory)
            return srcMemory.status();
        args[DNNL_ARG_SRC] = *srcMemory;
        args[DNNL_ARG_WEIGHTS] = p.packedWeights ? p.packedWeights
                                                 : wrapMemory(p.weights, weight.rawData());
        if (!bias.empty())
            args[DNNL_ARG_BIAS] = wrapMemory(
                memory::desc({outChannels}, memory::data_type::f32, memory::format_tag::a),
                bias.rawData());
        QS_RETURN_IF_ERROR(executeIntoUser(p.primitive, p.scratchpad, std::move(args), p.dst,
                                           p.userDst, dst.mutableData<float>(), dst.elementCount(),
                                           p.activationAfter, ctx.threads(), m_label));
        if (x.dtype() == DType::Float16)
            storeFloat16(dst, out, ctx.threads());
        return Status::ok();
    }

private:
    Result<std::shared_ptr<const DeconvPlan>> createPlan(const Shape &x, const Shape &w,
                                                         bool hasBias) const
    {
        const size_t spatial = x.size() - 2;
        const WindowAttributes &attrs = m_settings.window;
        std::vector<int64_t> kernel = attrs.kernelShape;
        if (kernel.empty())
            kernel.assign(w.begin() + 2, w.end());
        auto sized = [&](const std::vector<int64_t> &list, size_t size, int64_t fallback) {
            return list.empty() ? std::vector<int64_t>(size, fallback) : list;
        };
        const auto strides = sized(attrs.strides, spatial, 1);
        const auto dilations = sized(attrs.dilations, spatial, 1);
        const auto outputPadding = sized(m_settings.outputPadding, spatial, 0);
        std::vector<int64_t> pads = sized(attrs.pads, 2 * spatial, 0);
        if (kernel.size() != spatial || strides.size() != spatial || dilations.size() != spatial
            || outputPadding.size() != spatial || pads.size() != 2 * spatial
            || (!m_settings.outputShape.empty() && m_settings.outputShape.size() != spatial))
            return invalidArgument(m_label + ": kernel_shape, strides, dilations, pads, "
                                   "output_padding or output_shape do not match the "
                                   + std::to_string(spatial) + " spatial dims of 'X' "
                                   + shapeToString(x));
        Shape outShape = {x[0], w[1] * m_settings.group};
        memory::dims padEnd(spatial), dnnlDilations(spatial);
        for (size_t i = 0; i < spatial; ++i) {
            const int64_t extent = (kernel[i] - 1) * dilations[i] + 1;
            const int64_t full = strides[i] * (x[i + 2] - 1) + outputPadding[i] + extent;
            int64_t target = -1;
            if (!m_settings.outputShape.empty())
                target = m_settings.outputShape[i];
            else if (attrs.autoPad == "SAME_UPPER" || attrs.autoPad == "SAME_LOWER")
                target = x[i + 2] * strides[i];
            else if (attrs.autoPad == "VALID")
                pads[i] = pads[i + spatial] = 0;
            if (target >= 0) {
                const int64_t total = full - target;
                // Floor division, as ONNX's reference: a negative total (output_shape larger
                // than the natural output) extends the end.
                const int64_t half = total >= 0 ? total / 2 : -((1 - total) / 2);
                pads[i] = attrs.autoPad == "SAME_UPPER" ? half : total - half;
                pads[i + spatial] = total - pads[i];
            }
            outShape.push_back(full - pads[i] - pads[i + spatial]);
            // oneDNN has no output_padding: it is a smaller end padding.
            padEnd[i] = pads[i + spatial] - outputPadding[i];
            dnnlDilations[i] = dilations[i] - 1;
        }
        auto p = std::make_shared<DeconvPlan>();
        p->outputShape = outShape;
        const auto f32 = memory::data_type::f32;
        // oneDNN's logical weights are [G, OC/G, IC/G, k...]; ONNX stores [G, IC/G, OC/G, k...].
        const int64_t group = m_settings.group;
        const int64_t icg = w[0] / group, ocg = w[1];
        int64_t kernelSize = 1;
        for (size_t i = 2; i < w.size(); ++i)
            kernelSize *= w[i];
        memory::dims dims = {group, ocg, icg};
        memory::dims strideDims = {icg * ocg * kernelSize, kernelSize, ocg * kernelSize};
        int64_t inner = kernelSize;
        for (size_t i = 2; i < w.size(); ++i) {
            inner /= w[i];
            dims.push_back(w[i]);
            strideDims.push_back(inner);
        }
        if (group == 1) {
            dims.erase(dims.begin());
            strideDims.erase(strideDims.begin());
        }
        p->userWeights = memory::desc(dims, f32, strideDims);
        // Plain layouts: oneDNN 2.6's blocked jit:avx2 deconvolution measured 4.8x slower than
        // its GEMM one on PaddleOCR det's two ConvTransposes (92 vs 19 ms). The reorder path in
        // compute() stays for layouts a primitive may still insist on.
        p->userSrc = memory::desc(x, f32, plainTag(x.size()));
        p->userDst = memory::desc(outShape, f32, plainTag(x.size()));
        const memory::desc &planSrc = p->userSrc;
        const memory::desc &planDst = p->userDst;
        const memory::desc weightsMd = m_weight.empty()
                                           ? p->userWeights
                                           : memory::desc(dims, f32, memory::format_tag::any);
        const memory::desc biasMd = hasBias ? memory::desc({outShape[1]}, f32,
                                                           memory::format_tag::a)
                                            : memory::desc();
        try {
            dnnl::primitive_attr attr = userScratchpadAttr();
            // Plain layouts make this a GEMM-based deconvolution: activation afterwards.
            p->activationAfter = m_activation;
            const memory::dims padBegin(pads.begin(), pads.begin() + spatial);
            dnnl::deconvolution_forward::desc desc(
                dnnl::prop_kind::forward_inference, dnnl::algorithm::deconvolution_direct, planSrc,
                weightsMd, biasMd, planDst, strides, dnnlDilations, padBegin, padEnd);
            dnnl::deconvolution_forward::primitive_desc pd(desc, attr, dnnl_support::cpuEngine());
            p->primitive = dnnl::deconvolution_forward(pd);
            p->src = pd.src_desc();
            p->dst = pd.dst_desc();
            p->weights = pd.weights_desc();
            p->scratchpad = pd.scratchpad_desc();
            if (!m_weight.empty())
                p->packedWeights = m_packed.get(p->userWeights, p->weights, m_weight.rawData());
        } catch (const dnnl::error &e) {
            return unsupported(m_label + ": oneDNN has no deconvolution for input "
                               + shapeToString(x) + ", weights " + shapeToString(w)
                               + " and output " + shapeToString(outShape) + ": " + e.what());
        }
        return std::shared_ptr<const DeconvPlan>(std::move(p));
    }

    std::string m_label;
    DeconvSettings m_settings;
    Tensor m_weight, m_bias; // float32 when constant
    std::optional<FusedActivation> m_activation;
    mutable PlanCache<DeconvPlan> m_plans;
    mutable PackedWeights m_packed;
};

} // namespace

Result<std::unique_ptr<Kernel>> createConvTranspose(const KernelInfo &info)
{
    DeconvSettings settings;
    Result<WindowAttributes> window = WindowAttributes::parse(info);
    Result<int64_t> group = info.getInt("group", 1);
    Result<std::vector<int64_t>> outputPadding = info.getInts("output_padding");
    Result<std::vector<int64_t>> outputShape = info.getInts("output_shape");
    for (const Status &status : {window.status(), group.status(), outputPadding.status(),
                                 outputShape.status()}) {
        if (!status)
            return status;
    }
    if (*group < 1)
        return info.error("group " + std::to_string(*group) + " must be at least 1");
    settings = {std::move(*window), *group, std::move(*outputPadding), std::move(*outputShape)};
    // output_shape may list N and C too (older exporters): keep the spatial dims.
    Tensor weight, bias;
    if (const Tensor *w = info.constantInput(1)) {
        weight = toFloat32(*w, 1);
        if (weight.empty())
            return info.error("input 'W' dtype " + dtypeName(w->dtype()) + " is not supported");
        if (weight.dtype() == w->dtype())
            weight = w->clone();
        const size_t spatial = static_cast<size_t>(weight.rank()) - 2;
        if (settings.outputShape.size() == spatial + 2)
            settings.outputShape.erase(settings.outputShape.begin(),
                                       settings.outputShape.begin() + 2);
    }
    if (const Tensor *b = info.hasInput(2) ? info.constantInput(2) : nullptr) {
        bias = toFloat32(*b, 1);
        if (bias.empty())
            return info.error("input 'B' dtype " + dtypeName(b->dtype()) + " is not supported");
        if (bias.dtype() == b->dtype())
            bias = b->clone();
    }
    return makeKernel<ConvTransposeKernel>(info.label(), std::move(settings), std::move(weight),
                                           std::move(bias), info.fusedActivation());
}

} // namespace qs::ops
