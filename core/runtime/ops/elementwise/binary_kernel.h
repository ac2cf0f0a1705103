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

namespace qs::ops {

template<typename T>
constexpr bool isHalfType = std::is_same_v<T, Eigen::half> || std::is_same_v<T, Eigen::bfloat16>;

template<typename Traits>
class BinaryKernel : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        const Tensor &a = ctx.input(0);
        const Tensor &b = ctx.input(1);
        if (a.dtype() != b.dtype())
            return ctx.error(std::string("inputs must have one type, got ") + dtypeName(a.dtype()) +
                             " and " + dtypeName(b.dtype()));
        const Shape shapes[] = {a.shape(), b.shape()};
        auto plan = BroadcastPlan::make(shapes);
        if (!plan)
            return ctx.error(plan.status().message());
        Status status = ctx.error(std::string(Traits::kName) + " does not support " +
                                  dtypeName(a.dtype()));
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
