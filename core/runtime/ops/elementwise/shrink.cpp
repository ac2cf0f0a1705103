// Shrink (opset 9): y = x + bias where x < -lambd, x - bias where x > lambd, else 0. Integer
// inputs are allowed; their bias and lambd are the float attributes compared and added as
// floats, then converted back, as ONNX Runtime does.
#include "runtime/ops/elementwise/elementwise_kernels.h"
#include "runtime/ops/elementwise/unary_kernel.h"

namespace qs::ops {

namespace {

struct ShrinkOp
{
    float lambd = 0.5f;
    float bias = 0.0f;

    template<typename A>
    auto operator()(const A &x) const
    {
        using S = typename A::Scalar;
        const S l(lambd), b(bias);
        return (x < -l).select(x + b, (x > l).select(x - b, S(0))).eval();
    }
    template<typename T>
    T integer(T v) const
    {
        const auto value = static_cast<double>(v);
        if (value < -lambd)
            return static_cast<T>(value + bias);
        if (value > lambd)
            return static_cast<T>(value - bias);
        return T(0);
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createShrink(const KernelInfo &info)
{
    auto lambd = info.getFloat("lambd", 0.5f);
    if (!lambd)
        return lambd.status();
    auto bias = info.getFloat("bias", 0.0f);
    if (!bias)
        return bias.status();
    return makeKernel<UnaryKernel<ShrinkOp>>(ShrinkOp{*lambd, *bias});
}

} // namespace qs::ops
