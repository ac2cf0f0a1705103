// ConvTranspose (1-D to 3-D, groups, dilations, output_padding, output_shape, auto_pad) through
// oneDNN deconvolution_forward, cached per input shape, constant weights reordered once.
// ONNX's weights [C_in, M / group, k...] are described to oneDNN by strides, not copied.
#include "runtime/ops/nn/conv_plan.h"
#include "runtime/ops/nn/conv_plan_cache.h"
#include "runtime/ops/nn/deconv_geometry.h"
#include "runtime/ops/nn/nn_kernels.h"

#include <Eigen/Core>

namespace qs::ops {

namespace {

using dnnl::memory;

// out[n, c, ...] = activation(out[n, c, ...] + bias[c]) over `batch` x `channels` planes.
void addBiasAndActivate(float *out, int64_t batch, int64_t channels, int64_t plane,
                        const Tensor &bias, const std::optional<FusedActivation> &activation,
                        int threads)
{
    const int64_t planes = batch * channels;
#pragma omp parallel for num_threads(threads) schedule(static) if (planes * plane > (1 << 15))
    for (int64_t i = 0; i < planes; ++i) {
        float *data = out + i * plane;
        if (!bias.empty())
            Eigen::Map<Eigen::ArrayXf>(data, plane) += bias.data<float>()[i % channels];
        if (activation)
            applyFusedActivation(*activation, data, plane);
    }
}

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
        QS_RETURN_IF_ERROR(checkFloatActivation(ctx, x, 3, 5));
        Tensor weight = m_weight, bias = m_bias;
        QS_RETURN_IF_ERROR(runWeightAndBias(ctx, weight, bias));
        if (weight.rank() != x.rank() || weight.dim(0) != x.dim(1)
            || weight.dim(0) % m_settings.group != 0)
            return ctx.error("input 'W' " + weight.describe() + " does not fit 'X' " + x.describe()
                             + " with group " + std::to_string(m_settings.group)
                             + ": W needs the rank of X and W[0] = " + std::to_string(x.dim(1))
                             + " input channels, a multiple of group");
        const int64_t outChannels = weight.dim(1) * m_settings.group;
        if (!bias.empty() && bias.elementCount() != outChannels)
            return ctx.error("input 'B' " + bias.describe() + " must have "
                             + std::to_string(outChannels) + " elements");
        Result<std::shared_ptr<const ConvPlan>> plan
            = m_plans.getOrCreate(convPlanKey(x.shape(), weight.shape(), !m_weight.empty()),
                                  [&] { return createPlan(x.shape(), weight.shape()); });
        if (!plan)
            return plan.status();
        const ConvPlan &p = **plan;
        Tensor &out = ctx.allocateOutput(0, x.dtype(), p.outputShape);
        if (out.elementCount() == 0)
            return Status::ok();
        Tensor dst = wideOutput(out);
        // The primitive is GEMM-based (plain layouts), whose bias and eltwise post-ops are slow,
        // so both run afterwards in one pass: with the bias inside the primitive PaddleOCR det's
        // 24->24 channel 160->320 ConvTranspose took 84 ms instead of 25.
        QS_RETURN_IF_ERROR(runConvPlan(p, toFloat32(x, ctx.threads()), weight, Tensor(), dst,
                                       ctx.threads(), m_label));
        if (!bias.empty() || m_activation)
            addBiasAndActivate(dst.mutableData<float>(), p.outputShape[0], outChannels,
                               dst.elementCount()
                                   / std::max<int64_t>(p.outputShape[0] * outChannels, 1),
                               bias, m_activation, ctx.threads());
        storeWideOutput(dst, out, ctx.threads());
        return Status::ok();
    }

private:
    Result<std::shared_ptr<const ConvPlan>> createPlan(const Shape &x, const Shape &w) const
    {
        Result<DeconvGeometry> geometry = resolveDeconvGeometry(m_settings, x, w, m_label);
        if (!geometry)
            return geometry.status();
        const Shape &outShape = geometry->outputShape;
        auto p = std::make_shared<ConvPlan>();
        p->outputShape = outShape;
        const auto f32 = memory::data_type::f32;
        const memory::dims &dims = geometry->weightDims;
        p->userWeights = memory::desc(dims, f32, geometry->weightStrides);
        // Plain layouts: oneDNN 2.6's blocked jit:avx2 deconvolution measured 4.8x slower than
        // its GEMM one on PaddleOCR det's two ConvTransposes (92 vs 19 ms). The reorder path in
        // compute() stays for layouts a primitive may still insist on.
        p->userSrc = memory::desc(x, f32, plainTag(x.size()));
        p->userDst = memory::desc(outShape, f32, plainTag(x.size()));
        const memory::desc &planSrc = p->userSrc;
        const memory::desc &planDst = p->userDst;
        const memory::desc weightsMd
            = m_weight.empty() ? p->userWeights : memory::desc(dims, f32, memory::format_tag::any);
        try {
            // Plain layouts make this a GEMM-based deconvolution: bias and activation afterwards
            // (compute()), so the plan has no activationAfter.
            dnnl::primitive_attr attr = userScratchpadAttr();
            dnnl::deconvolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                                   dnnl::algorithm::deconvolution_direct, planSrc,
                                                   weightsMd, memory::desc(), planDst,
                                                   geometry->strides, geometry->dilations,
                                                   geometry->padBegin, geometry->padEnd);
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
                               + shapeToString(x) + ", weights " + shapeToString(w) + " and output "
                               + shapeToString(outShape) + ": " + e.what());
        }
        return std::shared_ptr<const ConvPlan>(std::move(p));
    }

    std::string m_label;
    DeconvSettings m_settings;
    Tensor m_weight, m_bias; // float32 when constant
    std::optional<FusedActivation> m_activation;
    mutable PlanCache<ConvPlan> m_plans;
    mutable PackedWeights m_packed;
};

} // namespace

Result<std::unique_ptr<Kernel>> createConvTranspose(const KernelInfo &info)
{
    const Tensor *w = info.constantInput(1);
    Result<DeconvSettings> settings = DeconvSettings::parse(info, w ? w->rank() : 0);
    if (!settings)
        return settings.status();
    Tensor weight, bias;
    QS_RETURN_IF_ERROR(constantWeightAndBias(info, weight, bias));
    return makeKernel<ConvTransposeKernel>(info.label(), std::move(*settings), std::move(weight),
                                           std::move(bias), info.fusedActivation());
}

} // namespace qs::ops
