#pragma once
// The shape of every two-input elementwise kernel: plan the broadcast, allocate the output,
// dispatch on the input type, run the functor over the broadcast runs. A concrete op supplies
// a Traits type:
//   static constexpr const char *kName;
//   template<typename T> static constexpr bool supports();   // accepted input types
//   template<typename T> using Output = ...;                  // T, or bool for comparisons
//   template<typename T> static auto op();                    // (T, T) -> Output<T>
//   template<typename T> static Status check(const Tensor &a, const Tensor &b);  // optional
// Float16/bfloat16 go through Eigen's half types, which compute in float per element.

#include "runtime/kernel.h"
#include "runtime/ops/elementwise/broadcast.h"

#include <algorithm>
#include <optional>

namespace qs::ops {

template<typename T>
constexpr bool isHalfType = std::is_same_v<T, Eigen::half> || std::is_same_v<T, Eigen::bfloat16>;

// Opset 1-6 Add/Sub/Mul/Div broadcast B onto A only when `broadcast` = 1, aligning B's dims at
// `axis` of A (or at the end without it). Returns B's shape padded to A's rank accordingly.
struct LegacyBroadcast
{
    bool enabled = false;
    std::optional<int64_t> axis;

    Result<Shape> alignB(const Shape &a, const Shape &b) const
    {
        if (!enabled)
            return b;
        const auto rankA = static_cast<int64_t>(a.size()), rankB = static_cast<int64_t>(b.size());
        int64_t start = axis ? *axis : rankA - rankB;
        if (start < 0)
            start += rankA;
        if (start < 0 || start + rankB > rankA)
            return invalidArgument("legacy broadcast of B " + shapeToString(b) + " at axis "
                                   + std::to_string(axis.value_or(start)) + " does not fit A "
                                   + shapeToString(a));
        Shape aligned(static_cast<size_t>(rankA), 1);
        std::copy(b.begin(), b.end(), aligned.begin() + start);
        return aligned;
    }
};

// Reads the opset-6 broadcast/axis attributes (no-op from opset 7).
inline Result<LegacyBroadcast> legacyBroadcast(const KernelInfo &info)
{
    LegacyBroadcast legacy;
    if (info.opsetVersion() >= 7)
        return legacy;
    auto broadcast = info.getInt("broadcast", 0);
    if (!broadcast)
        return broadcast.status();
    legacy.enabled = *broadcast != 0;
    if (info.hasAttribute("axis")) {
        auto axis = info.getInt("axis", 0);
        if (!axis)
            return axis.status();
        legacy.axis = *axis;
    }
    return legacy;
}

template<typename Traits>
class BinaryKernel : public Kernel
{
public:
    explicit BinaryKernel(LegacyBroadcast legacy = {})
        : m_legacy(legacy)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &a = ctx.input(0);
        Tensor b = ctx.input(1);
        if (m_legacy.enabled) {
            auto aligned = m_legacy.alignB(a.shape(), b.shape());
            if (!aligned)
                return ctx.error(aligned.status().message());
            b = b.reshaped(*aligned);
        }
        if (a.dtype() != b.dtype())
            return ctx.error(std::string("inputs must have one type, got ") + dtypeName(a.dtype())
                             + " and " + dtypeName(b.dtype()));
        const Shape shapes[] = {a.shape(), b.shape()};
        auto plan = BroadcastPlan::make(shapes);
        if (!plan)
            return ctx.error(plan.status().message());
        Status status
            = ctx.error(std::string(Traits::kName) + " does not support " + dtypeName(a.dtype()));
        dispatchNumeric(a.dtype(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (Traits::template supports<T>()) {
                status = Traits::template check<T>(ctx, a, b);
                if (!status)
                    return;
                using Out = typename Traits::template Output<T>;
                Tensor &out = ctx.allocateOutput(0, DTypeOf<Out>::value, plan->outputShape());
                broadcastBinary(*plan, a.data<T>(), b.data<T>(), out.mutableData<Out>(),
                                ctx.threads(), Traits::template op<T>());
            }
        });
        return status;
    }

private:
    LegacyBroadcast m_legacy;
};

// Default `check`: nothing to validate beyond types.
struct NoValueCheck
{
    template<typename T>
    static Status check(const KernelContext &, const Tensor &, const Tensor &)
    {
        return Status::ok();
    }
};

} // namespace qs::ops
