// Range: start, start + delta, ... up to (not including) limit; count = ceil((limit-start)/delta).
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cmath>

namespace qs::ops {

namespace {

class RangeKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        const Tensor &start = ctx.input(0);
        const Tensor &limit = ctx.input(1);
        const Tensor &delta = ctx.input(2);
        const DType type = start.dtype();
        if (limit.dtype() != type || delta.dtype() != type || start.elementCount() != 1
            || limit.elementCount() != 1 || delta.elementCount() != 1)
            return ctx.error("start " + start.describe() + ", limit " + limit.describe()
                             + " and delta " + delta.describe() + " should be scalars of one type");
        if (type != DType::Float32 && type != DType::Float64 && type != DType::Int16
            && type != DType::Int32 && type != DType::Int64)
            return ctx.error("dtype " + dtypeName(type) + " is not supported");
        Status status = Status::ok();
        dispatchNumeric(type, [&](auto tag) {
            using T = decltype(tag);
            const T first = start.data<T>()[0];
            const T step = delta.data<T>()[0];
            const T last = limit.data<T>()[0];
            if (step == T(0)) {
                status = ctx.error("delta must not be 0");
                return;
            }
            const double span = std::ceil((static_cast<double>(last) - static_cast<double>(first))
                                          / static_cast<double>(step));
            const auto count = static_cast<int64_t>(std::max(span, 0.0));
            Tensor &out = ctx.allocateOutput(0, type, {count});
            T *dst = out.mutableData<T>();
            T value = first;
            for (int64_t i = 0; i < count; ++i) {
                dst[i] = value;
                value = static_cast<T>(value + step);
            }
        });
        return status;
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createRange(const KernelInfo &)
{
    return makeKernel<RangeKernel>();
}

} // namespace qs::ops
