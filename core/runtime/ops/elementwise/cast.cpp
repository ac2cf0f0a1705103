// Cast (to = attribute) and CastLike (to = the second input's type, opset 15) between all the
// engine's numeric types and bool. Float -> integer conversions saturate (and NaN becomes 0)
// instead of hitting C++'s undefined behaviour for out-of-range values.
#include "runtime/ops/elementwise/elementwise_kernels.h"

#include <cmath>
#include <limits>

namespace qs::ops {

namespace {

template<typename To, typename From>
To convert(From value)
{
    if constexpr (std::is_same_v<To, bool>) {
        return static_cast<float>(value) != 0.0f;
    } else if constexpr (std::is_integral_v<To> && !std::is_integral_v<From>) {
        const double v = static_cast<double>(value);
        if (std::isnan(v))
            return To(0);
        if (v <= static_cast<double>(std::numeric_limits<To>::lowest()))
            return std::numeric_limits<To>::lowest();
        if (v >= static_cast<double>(std::numeric_limits<To>::max()))
            return std::numeric_limits<To>::max();
        return static_cast<To>(v);
    } else if constexpr (std::is_same_v<From, bool>) {
        return To(value ? 1 : 0);
    } else if constexpr (std::is_same_v<To, Eigen::half> || std::is_same_v<To, Eigen::bfloat16>) {
        return To(static_cast<float>(value));
    } else {
        return static_cast<To>(value);
    }
}

Status castInto(const KernelContext &ctx, const Tensor &x, Tensor &y)
{
    bool handled = false;
    dispatchNumeric(x.dtype(), [&](auto fromTag) {
        using From = decltype(fromTag);
        dispatchNumeric(y.dtype(), [&](auto toTag) {
            using To = decltype(toTag);
            const From *in = x.data<From>();
            To *out = y.mutableData<To>();
            const int64_t n = x.elementCount();
            for (int64_t i = 0; i < n; ++i)
                out[i] = convert<To, From>(in[i]);
            handled = true;
        });
    });
    if (!handled)
        return ctx.error(std::string("cannot cast ") + dtypeName(x.dtype()) + " to "
                         + dtypeName(y.dtype()));
    return Status::ok();
}

class CastKernel : public Kernel
{
public:
    explicit CastKernel(std::optional<DType> to)
        : m_to(to)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const DType to = m_to ? *m_to : ctx.input(1).dtype();
        if (x.dtype() == to) {
            ctx.output(0) = x; // shares the buffer: nobody writes into inputs
            return Status::ok();
        }
        Tensor &y = ctx.allocateOutput(0, to, x.shape());
        return castInto(ctx, x, y);
    }

private:
    std::optional<DType> m_to; // nullopt: CastLike, the target comes from input 1
};

} // namespace

Result<std::unique_ptr<Kernel>> createCast(const KernelInfo &info)
{
    auto to = info.getInt("to", 0);
    if (!to)
        return to.status();
    const auto type = static_cast<DType>(*to);
    if (!isSupportedDType(type) || type == DType::String)
        return info.unsupportedError(
            "casting to "
            + (type == DType::String ? std::string("string") : "type code " + std::to_string(*to))
            + " is not supported");
    return makeKernel<CastKernel>(type);
}

Result<std::unique_ptr<Kernel>> createCastLike(const KernelInfo &)
{
    return makeKernel<CastKernel>(std::nullopt);
}

} // namespace qs::ops
