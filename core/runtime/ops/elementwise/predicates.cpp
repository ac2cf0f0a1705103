// Not, IsNaN, IsInf: bool-valued elementwise tests.
#include "runtime/ops/elementwise/elementwise_kernels.h"

#include <cmath>

namespace qs::ops {

namespace {

class NotKernel : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.dtype() != DType::Bool)
            return ctx.error(std::string("input must be bool, got ") + dtypeName(x.dtype()));
        Tensor &y = ctx.allocateOutput(0, DType::Bool, x.shape());
        const bool *in = x.data<bool>();
        bool *out = y.mutableData<bool>();
        for (int64_t i = 0; i < x.elementCount(); ++i)
            out[i] = !in[i];
        return Status::ok();
    }
};

class FloatTestKernel : public Kernel
{
public:
    enum class Test { NaN, Inf };
    FloatTestKernel(Test test, bool negative, bool positive)
        : m_test(test)
        , m_negative(negative)
        , m_positive(positive)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (!isFloatingDType(x.dtype()))
            return ctx.error(std::string("input must be floating, got ") + dtypeName(x.dtype()));
        Tensor &y = ctx.allocateOutput(0, DType::Bool, x.shape());
        bool *out = y.mutableData<bool>();
        dispatchNumeric(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (!std::is_integral_v<T>) {
                const T *in = x.data<T>();
                for (int64_t i = 0; i < x.elementCount(); ++i) {
                    const double v = static_cast<double>(in[i]);
                    out[i] = m_test == Test::NaN
                                 ? std::isnan(v)
                                 : std::isinf(v)
                                       && ((v > 0 && m_positive) || (v < 0 && m_negative));
                }
            }
        });
        return Status::ok();
    }

private:
    Test m_test;
    bool m_negative, m_positive;
};

} // namespace

Result<std::unique_ptr<Kernel>> createNot(const KernelInfo &)
{
    return makeKernel<NotKernel>();
}

Result<std::unique_ptr<Kernel>> createIsNaN(const KernelInfo &)
{
    return makeKernel<FloatTestKernel>(FloatTestKernel::Test::NaN, false, false);
}

Result<std::unique_ptr<Kernel>> createIsInf(const KernelInfo &info)
{
    auto negative = info.getInt("detect_negative", 1);
    auto positive = info.getInt("detect_positive", 1);
    if (!negative || !positive)
        return !negative ? negative.status() : positive.status();
    return makeKernel<FloatTestKernel>(FloatTestKernel::Test::Inf, *negative != 0, *positive != 0);
}

} // namespace qs::ops
