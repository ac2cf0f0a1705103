// Double-precision reading and writing for the reference kernels (reference_values.h).
#include "runtime/ops/reduce/reference_values.h"

#include <type_traits>

namespace qs::ops {

Result<std::vector<double>> widenToDouble(const KernelContext &ctx, const Tensor &x)
{
    if (!isFloatingDType(x.dtype()))
        return ctx.error("input type " + dtypeName(x.dtype()) + " is not supported");
    std::vector<double> values(static_cast<size_t>(x.elementCount()));
    dispatchNumeric(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (!std::is_integral_v<T>) {
            const T *in = x.data<T>();
            for (size_t i = 0; i < values.size(); ++i)
                values[i] = static_cast<double>(in[i]);
        }
    });
    return values;
}

void writeFromDouble(KernelContext &ctx, size_t index, DType type, const Shape &shape,
                     std::span<const double> values)
{
    Tensor &out = ctx.allocateOutput(index, type, shape);
    dispatchNumeric(type, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (!std::is_integral_v<T>) {
            T *data = out.mutableData<T>();
            for (size_t i = 0; i < values.size(); ++i) {
                if constexpr (std::is_same_v<T, double>)
                    data[i] = values[i];
                else
                    data[i] = T(static_cast<float>(values[i]));
            }
        }
    });
}

} // namespace qs::ops
