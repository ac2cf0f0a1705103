// The inverse and hyperbolic trigonometric functions: Asin, Acos, Atan (opset 7), Sinh, Cosh,
// Asinh, Acosh, Atanh (opset 9), on Eigen's array functions (unary_kernel.h). Sin, Cos and Tan
// live with the other parameter-free math in unary_math.cpp.
#include "runtime/ops/elementwise/elementwise_kernels.h"
#include "runtime/ops/elementwise/unary_kernel.h"

namespace qs::ops {

namespace {

#define QS_TRIGONOMETRIC(Name, method)                                                             \
    struct Name##Op                                                                                \
    {                                                                                              \
        template<typename A>                                                                       \
        auto operator()(const A &x) const                                                          \
        {                                                                                          \
            return x.method().eval();                                                              \
        }                                                                                          \
    };

QS_TRIGONOMETRIC(Asin, asin)
QS_TRIGONOMETRIC(Acos, acos)
QS_TRIGONOMETRIC(Atan, atan)
QS_TRIGONOMETRIC(Sinh, sinh)
QS_TRIGONOMETRIC(Cosh, cosh)
QS_TRIGONOMETRIC(Asinh, asinh)
QS_TRIGONOMETRIC(Acosh, acosh)
QS_TRIGONOMETRIC(Atanh, atanh)
#undef QS_TRIGONOMETRIC

} // namespace

Result<std::unique_ptr<Kernel>> createAsin(const KernelInfo &)
{
    return makeKernel<UnaryKernel<AsinOp>>();
}
Result<std::unique_ptr<Kernel>> createAcos(const KernelInfo &)
{
    return makeKernel<UnaryKernel<AcosOp>>();
}
Result<std::unique_ptr<Kernel>> createAtan(const KernelInfo &)
{
    return makeKernel<UnaryKernel<AtanOp>>();
}
Result<std::unique_ptr<Kernel>> createSinh(const KernelInfo &)
{
    return makeKernel<UnaryKernel<SinhOp>>();
}
Result<std::unique_ptr<Kernel>> createCosh(const KernelInfo &)
{
    return makeKernel<UnaryKernel<CoshOp>>();
}
Result<std::unique_ptr<Kernel>> createAsinh(const KernelInfo &)
{
    return makeKernel<UnaryKernel<AsinhOp>>();
}
Result<std::unique_ptr<Kernel>> createAcosh(const KernelInfo &)
{
    return makeKernel<UnaryKernel<AcoshOp>>();
}
Result<std::unique_ptr<Kernel>> createAtanh(const KernelInfo &)
{
    return makeKernel<UnaryKernel<AtanhOp>>();
}

} // namespace qs::ops
