#pragma once
// Type dispatch for kernels, with the error a kernel gives for a type it does not take.

#include "runtime/kernel.h"

#include <string>
#include <type_traits>

namespace qs::ops {

// Calls fn(T{}) when `type` is a numeric type other than bool (ops that add or order values);
// else an error "type X is not supported".
template<typename Fn>
Status dispatchNonBool(const KernelContext &ctx, DType type, Fn &&fn)
{
    bool handled = false;
    dispatchNumeric(type, [&](auto tag) {
        if constexpr (!std::is_same_v<decltype(tag), bool>) {
            fn(tag);
            handled = true;
        }
    });
    if (!handled)
        return ctx.error("type " + dtypeName(type) + " is not supported");
    return Status::ok();
}

} // namespace qs::ops
