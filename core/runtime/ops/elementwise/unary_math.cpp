// Parameter-free unary math: Exp, Log, Sqrt, Reciprocal, Neg, Abs, Floor, Ceil, Round, Sign,
// Erf, Sin, Cos, Tan, Tanh, Sigmoid, Softsign, Softplus, Relu (unary_kernel.h).
#include "runtime/ops/elementwise/elementwise_kernels.h"
#include "runtime/ops/elementwise/unary_kernel.h"

#include <unsupported/Eigen/SpecialFunctions>

namespace qs::ops {

namespace {

#define QS_UNARY(Name, expression)                                                                 \
    struct Name##Op                                                                                \
    {                                                                                              \
        template<typename A>                                                                       \
        auto operator()(const A &x) const                                                          \
        {                                                                                          \
            using S = typename A::Scalar;                                                          \
            (void) sizeof(S);                                                                      \
            return (expression).eval();                                                            \
        }                                                                                          \
    };

QS_UNARY(Exp, x.exp())
QS_UNARY(Log, x.log())
QS_UNARY(Sqrt, x.sqrt())
QS_UNARY(Reciprocal, x.inverse())
QS_UNARY(Floor, x.floor())
QS_UNARY(Ceil, x.ceil())
QS_UNARY(Round, x.rint()) // round half to even, as ONNX specifies
QS_UNARY(Erf, x.erf())
QS_UNARY(Sin, x.sin())
QS_UNARY(Cos, x.cos())
QS_UNARY(Tan, x.tan())
QS_UNARY(Tanh, x.tanh())
// Not Eigen's logistic(): its fast approximation loses relative accuracy for very negative
// inputs (PaddleOCR det's background scores, ~1e-6, were 1% off against ONNX Runtime).
QS_UNARY(Sigmoid, (S(1) + (-x).exp()).inverse())
QS_UNARY(Softsign, x / (S(1) + x.abs()))
// log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|).
QS_UNARY(Softplus, x.max(S(0)) + (-x.abs()).exp().log1p())
// The fused GELU (fusion/float_fusions.cpp recognises the exporters' Erf form).
QS_UNARY(Gelu, S(0.5) * x * (S(1) + (x * S(M_SQRT1_2)).erf()))
// The fused SiLU / Swish, x * Sigmoid(x) (fusion/float_fusions.cpp, RecognizeSwish).
QS_UNARY(Swish, x *(S(1) + (-x).exp()).inverse())
#undef QS_UNARY

struct NegOp
{
    template<typename A>
    auto operator()(const A &x) const
    {
        return (-x).eval();
    }
    template<typename T>
    T integer(T v) const
    {
        return static_cast<T>(-v);
    }
};

struct AbsOp
{
    template<typename A>
    auto operator()(const A &x) const
    {
        return x.abs().eval();
    }
    template<typename T>
    T integer(T v) const
    {
        if constexpr (std::is_signed_v<T>)
            return static_cast<T>(v < 0 ? -v : v);
        return v;
    }
};

struct SignOp
{
    template<typename A>
    auto operator()(const A &x) const
    {
        return x.sign().eval();
    }
    template<typename T>
    T integer(T v) const
    {
        return static_cast<T>((T(0) < v) - (v < T(0)));
    }
};

struct ReluOp
{
    template<typename A>
    auto operator()(const A &x) const
    {
        return x.max(typename A::Scalar(0)).eval();
    }
    template<typename T>
    T integer(T v) const
    {
        return v < T(0) ? T(0) : v;
    }
};

template<typename Op>
Result<std::unique_ptr<Kernel>> createUnary(const KernelInfo &)
{
    return makeKernel<UnaryKernel<Op>>();
}

} // namespace

Result<std::unique_ptr<Kernel>> createExp(const KernelInfo &info)
{
    return createUnary<ExpOp>(info);
}
Result<std::unique_ptr<Kernel>> createLog(const KernelInfo &info)
{
    return createUnary<LogOp>(info);
}
Result<std::unique_ptr<Kernel>> createSqrt(const KernelInfo &info)
{
    return createUnary<SqrtOp>(info);
}
Result<std::unique_ptr<Kernel>> createReciprocal(const KernelInfo &info)
{
    return createUnary<ReciprocalOp>(info);
}
Result<std::unique_ptr<Kernel>> createFloor(const KernelInfo &info)
{
    return createUnary<FloorOp>(info);
}
Result<std::unique_ptr<Kernel>> createCeil(const KernelInfo &info)
{
    return createUnary<CeilOp>(info);
}
Result<std::unique_ptr<Kernel>> createRound(const KernelInfo &info)
{
    return createUnary<RoundOp>(info);
}
Result<std::unique_ptr<Kernel>> createErf(const KernelInfo &info)
{
    return createUnary<ErfOp>(info);
}
Result<std::unique_ptr<Kernel>> createSin(const KernelInfo &info)
{
    return createUnary<SinOp>(info);
}
Result<std::unique_ptr<Kernel>> createCos(const KernelInfo &info)
{
    return createUnary<CosOp>(info);
}
Result<std::unique_ptr<Kernel>> createTan(const KernelInfo &info)
{
    return createUnary<TanOp>(info);
}
Result<std::unique_ptr<Kernel>> createTanh(const KernelInfo &info)
{
    return createUnary<TanhOp>(info);
}
Result<std::unique_ptr<Kernel>> createSigmoid(const KernelInfo &info)
{
    return createUnary<SigmoidOp>(info);
}
Result<std::unique_ptr<Kernel>> createSoftsign(const KernelInfo &info)
{
    return createUnary<SoftsignOp>(info);
}
Result<std::unique_ptr<Kernel>> createSoftplus(const KernelInfo &info)
{
    return createUnary<SoftplusOp>(info);
}
Result<std::unique_ptr<Kernel>> createNeg(const KernelInfo &info)
{
    return createUnary<NegOp>(info);
}
Result<std::unique_ptr<Kernel>> createAbs(const KernelInfo &info)
{
    return createUnary<AbsOp>(info);
}
Result<std::unique_ptr<Kernel>> createSign(const KernelInfo &info)
{
    return createUnary<SignOp>(info);
}
Result<std::unique_ptr<Kernel>> createRelu(const KernelInfo &info)
{
    return createUnary<ReluOp>(info);
}
Result<std::unique_ptr<Kernel>> createFusedGelu(const KernelInfo &info)
{
    return createUnary<GeluOp>(info);
}

Result<std::unique_ptr<Kernel>> createFusedSwish(const KernelInfo &info)
{
    return createUnary<SwishOp>(info);
}

} // namespace qs::ops
