// Pow: base and exponent may have different types from opset 12 (float base, int exponent...);
// the output has the base's type. Constant scalar exponents 2, 3, 0.5 and 1 skip std::pow. Before
// opset 7 the exponent broadcasts by the legacy broadcast/axis attributes (binary_kernel.h).
#include "runtime/ops/elementwise/binary_kernel.h"
#include "runtime/ops/elementwise/broadcast.h"
#include "runtime/ops/elementwise/elementwise_kernels.h"

#include <cmath>
#include <optional>

namespace qs::ops {

namespace {

template<typename T>
constexpr bool isPowType
    = std::is_same_v<
          T,
          float> || std::is_same_v<T, double> || std::is_same_v<T, Eigen::half> || std::is_same_v<T, Eigen::bfloat16> || std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>;

class PowKernel : public Kernel
{
public:
    PowKernel(std::optional<double> constantExponent, LegacyBroadcast legacy)
        : m_constantExponent(constantExponent)
        , m_legacy(legacy)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &base = ctx.input(0);
        Tensor exponent = ctx.input(1);
        if (m_legacy.enabled) {
            auto aligned = m_legacy.alignB(base.shape(), exponent.shape());
            if (!aligned)
                return ctx.error(aligned.status().message());
            exponent = exponent.reshaped(*aligned);
        }
        const Shape shapes[] = {base.shape(), exponent.shape()};
        auto plan = BroadcastPlan::make(shapes);
        if (!plan)
            return ctx.error(plan.status().message());
        Status status = ctx.error(std::string("base type ") + dtypeName(base.dtype())
                                  + " with exponent type " + dtypeName(exponent.dtype())
                                  + " is not supported");
        dispatchNumeric(base.dtype(), [&](auto baseTag) {
            using T = decltype(baseTag);
            if constexpr (isPowType<T>) {
                dispatchNumeric(exponent.dtype(), [&](auto exponentTag) {
                    using E = decltype(exponentTag);
                    if constexpr (!std::is_same_v<E, bool>) {
                        Tensor &out = ctx.allocateOutput(0, base.dtype(), plan->outputShape());
                        run<T, E>(*plan, base, exponent, out, ctx.threads());
                        status = Status::ok();
                    }
                });
            }
        });
        return status;
    }

private:
    template<typename T, typename E>
    void run(const BroadcastPlan &plan, const Tensor &base, const Tensor &exponent, Tensor &out,
             int threads) const
    {
        const T *x = base.data<T>();
        const E *y = exponent.data<E>();
        T *result = out.mutableData<T>();
        if (m_constantExponent && exponent.elementCount() == 1
            && base.shape() == plan.outputShape()) {
            const int64_t n = out.elementCount();
            const double e = *m_constantExponent;
            if (e == 2.0) {
                for (int64_t i = 0; i < n; ++i)
                    result[i] = T(x[i] * x[i]);
                return;
            }
            if (e == 3.0) {
                for (int64_t i = 0; i < n; ++i)
                    result[i] = T(x[i] * x[i] * x[i]);
                return;
            }
            if (e == 1.0) {
                std::copy(x, x + n, result);
                return;
            }
            if (e == 0.5 && !std::is_integral_v<T>) {
                for (int64_t i = 0; i < n; ++i)
                    result[i] = T(std::sqrt(float(x[i])));
                return;
            }
        }
        broadcastBinary(plan, x, y, result, threads, [](T a, E b) {
            if constexpr (std::is_same_v<
                              T, double> || std::is_same_v<E, double> || std::is_integral_v<T>)
                return T(std::pow(double(a), double(b)));
            else
                return T(std::pow(float(a), float(b)));
        });
    }

    std::optional<double> m_constantExponent;
    LegacyBroadcast m_legacy;
};

} // namespace

Result<std::unique_ptr<Kernel>> createPow(const KernelInfo &info)
{
    std::optional<double> constantExponent;
    if (const Tensor *exponent = info.constantInput(1); exponent && exponent->elementCount() == 1)
        constantExponent = exponent->doubleAt(0);
    auto legacy = legacyBroadcast(info); // opset 1-6: broadcast/axis attributes
    if (!legacy)
        return legacy.status();
    return makeKernel<PowKernel>(constantExponent, *legacy);
}

} // namespace qs::ops
