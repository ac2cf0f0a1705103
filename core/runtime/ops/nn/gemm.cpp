// Gemm: Y = alpha * A' x B' + beta * C (A', B' optionally transposed, C broadcast to [M, N];
// C optional from opset 11). One oneDNN matmul: transposes are strides, beta * C a binary
// post-op. A constant B is packed once with alpha folded in, a constant C pre-scaled by beta.
#include "runtime/ops/nn/matmul_plan.h"
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/nn/nn_util.h"

namespace qs::ops {

namespace {

using dnnl::memory;

struct GemmSettings
{
    bool transA = false, transB = false;
    float alpha = 1.0f, beta = 1.0f;
};

// Multiplies a float32 copy of `tensor` by `factor`.
Tensor scaledCopy(const Tensor &tensor, float factor, int threads)
{
    Tensor wide = toFloat32(tensor, threads);
    if (wide.empty())
        return wide;
    Tensor copy = Tensor::allocate(DType::Float32, wide.shape());
    Eigen::Map<Eigen::ArrayXf>(copy.mutableData<float>(), copy.elementCount())
        = Eigen::Map<const Eigen::ArrayXf>(wide.data<float>(), wide.elementCount()) * factor;
    return copy;
}

class GemmKernel final : public Kernel
{
public:
    GemmKernel(std::string label, GemmSettings settings, Tensor alphaB, Tensor betaC,
               std::optional<FusedActivation> activation)
        : m_label(std::move(label))
        , m_settings(settings)
        , m_alphaB(std::move(alphaB))
        , m_betaC(std::move(betaC))
        , m_activation(activation)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &a = ctx.input(0);
        const Tensor &b = ctx.input(1);
        for (const Tensor *t : {&a, &b}) {
            if (t->dtype() != DType::Float32 && t->dtype() != DType::Float16)
                return ctx.error("dtype " + dtypeName(t->dtype()) + " is not supported");
        }
        if (a.rank() != 2 || b.rank() != 2)
            return ctx.error("inputs 'A' " + a.describe() + " and 'B' " + b.describe()
                             + " must be 2-D");
        const int64_t m = m_settings.transA ? a.dim(1) : a.dim(0);
        const int64_t k = m_settings.transA ? a.dim(0) : a.dim(1);
        const int64_t kb = m_settings.transB ? b.dim(1) : b.dim(0);
        const int64_t n = m_settings.transB ? b.dim(0) : b.dim(1);
        if (k != kb)
            return ctx.error("inputs 'A' " + a.describe() + " and 'B' " + b.describe()
                             + " cannot be multiplied (transA=" + std::to_string(m_settings.transA)
                             + ", transB=" + std::to_string(m_settings.transB) + "): K is "
                             + std::to_string(k) + " for A but " + std::to_string(kb) + " for B");
        Tensor c = m_betaC;
        const bool useC = m_settings.beta != 0.0f && ctx.hasInput(2);
        if (useC && c.empty())
            c = scaledCopy(ctx.input(2), m_settings.beta, ctx.threads());
        Shape cDims;
        if (useC) {
            if (c.empty() || c.rank() > 2)
                return ctx.error("input 'C' " + ctx.input(2).describe()
                                 + " must be a float tensor of rank <= 2");
            cDims = c.shape();
            cDims.insert(cDims.begin(), 2 - cDims.size(), 1);
            if ((cDims[0] != 1 && cDims[0] != m) || (cDims[1] != 1 && cDims[1] != n))
                return ctx.error("input 'C' " + c.describe() + " does not broadcast to ["
                                 + std::to_string(m) + "," + std::to_string(n) + "]");
        }
        Tensor &out = ctx.allocateOutput(0, a.dtype(), {m, n});
        if (out.elementCount() == 0)
            return Status::ok();
        if (k == 0)
            return fillEmptyProduct(ctx, out, useC ? &c : nullptr, cDims);
        const bool constantB = !m_alphaB.empty() && b.shape() == m_alphaB.shape();
        const Shape key = {a.dim(0),
                           a.dim(1),
                           b.dim(0),
                           b.dim(1),
                           cDims.empty() ? -1 : cDims[0],
                           cDims.empty() ? -1 : cDims[1]};
        Result<std::shared_ptr<const MatmulPlan>> plan = m_plans.getOrCreate(key, [&] {
            const auto f32 = memory::data_type::f32;
            MatmulRequest request;
            request.a = memory::desc({m, k}, f32,
                                     m_settings.transA ? memory::dims{1, m} : memory::dims{k, 1});
            request.b = memory::desc({k, n}, f32,
                                     m_settings.transB ? memory::dims{1, k} : memory::dims{n, 1});
            request.dst = memory::desc({m, n}, f32, memory::format_tag::ab);
            if (useC)
                request.addend = memory::desc(cDims, f32, memory::format_tag::ab);
            request.scale = constantB ? 1.0f : m_settings.alpha;
            request.constantB = constantB ? m_alphaB.rawData() : nullptr;
            request.activation = m_activation;
            return createMatmulPlan(request, m_packed, m_label);
        });
        if (!plan)
            return plan.status();
        const Tensor a32 = toFloat32(a, ctx.threads());
        const Tensor b32 = constantB ? m_alphaB : toFloat32(b, ctx.threads());
        Tensor dst = wideOutput(out);
        QS_RETURN_IF_ERROR(runMatmul(**plan, a32.data<float>(), b32.data<float>(),
                                     useC ? c.data<float>() : nullptr, dst.mutableData<float>(),
                                     ctx.threads(), m_label));
        storeWideOutput(dst, out, ctx.threads());
        return Status::ok();
    }

private:
    // K = 0 (oneDNN needs K > 0): Y = beta * C broadcast, or zeros.
    Status fillEmptyProduct(KernelContext &ctx, Tensor &out, const Tensor *c,
                            const Shape &cDims) const
    {
        Tensor dst = Tensor::allocate(DType::Float32, out.shape(), true);
        float *y = dst.mutableData<float>();
        const int64_t m = out.dim(0), n = out.dim(1);
        for (int64_t r = 0; c && r < m; ++r) {
            for (int64_t col = 0; col < n; ++col)
                y[r * n + col] = c->data<float>()[(cDims[0] == 1 ? 0 : r) * cDims[1]
                                                  + (cDims[1] == 1 ? 0 : col)];
        }
        if (m_activation)
            applyFusedActivation(*m_activation, y, dst.elementCount());
        if (out.dtype() == DType::Float16)
            storeFloat16(dst, out, ctx.threads());
        else
            out = dst;
        return Status::ok();
    }

    std::string m_label;
    GemmSettings m_settings;
    Tensor m_alphaB; // constant B times alpha (float32), else empty
    Tensor m_betaC;  // constant C times beta (float32), else empty
    std::optional<FusedActivation> m_activation;
    mutable PlanCache<MatmulPlan> m_plans;
    mutable PackedWeights m_packed;
};

} // namespace

Result<std::unique_ptr<Kernel>> createGemm(const KernelInfo &info)
{
    Result<int64_t> transA = info.getInt("transA", 0);
    Result<int64_t> transB = info.getInt("transB", 0);
    Result<float> alpha = info.getFloat("alpha", 1.0f);
    Result<float> beta = info.getFloat("beta", 1.0f);
    for (const Status &status : {transA.status(), transB.status(), alpha.status(), beta.status()}) {
        if (!status)
            return status;
    }
    if (info.opsetVersion() < 11 && !info.hasInput(2))
        return info.error("input 'C' is required before opset 11");
    GemmSettings settings{*transA != 0, *transB != 0, *alpha, *beta};
    Tensor alphaB, betaC;
    if (const Tensor *b = info.constantInput(1))
        alphaB = scaledCopy(*b, settings.alpha, 1);
    if (const Tensor *c = info.hasInput(2) ? info.constantInput(2) : nullptr)
        betaC = scaledCopy(*c, settings.beta, 1);
    return makeKernel<GemmKernel>(info.label(), settings, std::move(alphaB), std::move(betaC),
                                  info.fusedActivation());
}

} // namespace qs::ops
