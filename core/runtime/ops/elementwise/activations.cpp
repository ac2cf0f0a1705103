// Activations with attributes: LeakyRelu, Elu, Selu, Celu, ThresholdedRelu, HardSigmoid,
// HardSwish (unary_kernel.h). Attributes are read once here, in the factories.
#include "runtime/ops/elementwise/elementwise_kernels.h"
#include "runtime/ops/elementwise/unary_kernel.h"

namespace qs::ops {

namespace {

struct LeakyReluOp
{
    float alpha;
    template<typename A>
    auto operator()(const A &x) const
    {
        using S = typename A::Scalar;
        return (x.max(S(0)) + S(alpha) * x.min(S(0))).eval();
    }
};

struct EluOp
{
    float alpha;
    template<typename A>
    auto operator()(const A &x) const
    {
        using S = typename A::Scalar;
        return (x > S(0)).select(x, S(alpha) * (x.exp() - S(1))).eval();
    }
};

struct SeluOp
{
    float alpha;
    float gamma;
    template<typename A>
    auto operator()(const A &x) const
    {
        using S = typename A::Scalar;
        return (S(gamma) * (x > S(0)).select(x, S(alpha) * (x.exp() - S(1)))).eval();
    }
};

struct CeluOp
{
    float alpha;
    template<typename A>
    auto operator()(const A &x) const
    {
        using S = typename A::Scalar;
        return (x.max(S(0)) + (S(alpha) * ((x / S(alpha)).exp() - S(1))).min(S(0))).eval();
    }
};

struct ThresholdedReluOp
{
    float alpha;
    template<typename A>
    auto operator()(const A &x) const
    {
        using S = typename A::Scalar;
        return (x > S(alpha)).select(x, S(0)).eval();
    }
};

struct HardSigmoidOp
{
    float alpha;
    float beta;
    template<typename A>
    auto operator()(const A &x) const
    {
        using S = typename A::Scalar;
        return (S(alpha) * x + S(beta)).max(S(0)).min(S(1)).eval();
    }
};

struct HardSwishOp
{
    template<typename A>
    auto operator()(const A &x) const
    {
        using S = typename A::Scalar;
        return (x * (x * S(1.0 / 6.0) + S(0.5)).max(S(0)).min(S(1))).eval();
    }
};

Result<float> floatAttribute(const KernelInfo &info, std::string_view name, float fallback)
{
    return info.getFloat(name, fallback);
}

// The activations whose only attribute is 'alpha'.
template<typename Op>
Result<std::unique_ptr<Kernel>> createWithAlpha(const KernelInfo &info, float fallback)
{
    auto alpha = floatAttribute(info, "alpha", fallback);
    if (!alpha)
        return alpha.status();
    return makeKernel<UnaryKernel<Op>>(Op{*alpha});
}

// ... and those with a second float attribute after it.
template<typename Op>
Result<std::unique_ptr<Kernel>> createWithAlphaAnd(const KernelInfo &info, float alphaFallback,
                                                   std::string_view second, float secondFallback)
{
    auto alpha = floatAttribute(info, "alpha", alphaFallback);
    auto other = floatAttribute(info, second, secondFallback);
    if (!alpha || !other)
        return !alpha ? alpha.status() : other.status();
    return makeKernel<UnaryKernel<Op>>(Op{*alpha, *other});
}

} // namespace

Result<std::unique_ptr<Kernel>> createLeakyRelu(const KernelInfo &info)
{
    return createWithAlpha<LeakyReluOp>(info, 0.01f);
}

Result<std::unique_ptr<Kernel>> createElu(const KernelInfo &info)
{
    return createWithAlpha<EluOp>(info, 1.0f);
}

Result<std::unique_ptr<Kernel>> createSelu(const KernelInfo &info)
{
    return createWithAlphaAnd<SeluOp>(info, 1.67326319217681884765625f, "gamma",
                                      1.05070102214813232421875f);
}

Result<std::unique_ptr<Kernel>> createCelu(const KernelInfo &info)
{
    auto alpha = floatAttribute(info, "alpha", 1.0f);
    if (!alpha)
        return alpha.status();
    if (*alpha == 0.0f)
        return info.error("attribute alpha must not be 0");
    return makeKernel<UnaryKernel<CeluOp>>(CeluOp{*alpha});
}

Result<std::unique_ptr<Kernel>> createThresholdedRelu(const KernelInfo &info)
{
    return createWithAlpha<ThresholdedReluOp>(info, 1.0f);
}

Result<std::unique_ptr<Kernel>> createHardSigmoid(const KernelInfo &info)
{
    return createWithAlphaAnd<HardSigmoidOp>(info, 0.2f, "beta", 0.5f);
}

Result<std::unique_ptr<Kernel>> createHardSwish(const KernelInfo &)
{
    return makeKernel<UnaryKernel<HardSwishOp>>();
}

} // namespace qs::ops
