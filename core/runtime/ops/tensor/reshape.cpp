// Reshape: re-labels the dims of its input (0 copies a dim unless allowzero, -1 is inferred);
// the output shares the input's storage.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

namespace qs::ops {

namespace {

class ReshapeKernel final : public Kernel
{
public:
    ReshapeKernel(IntListParam shape, bool allowZero)
        : m_shape(std::move(shape))
        , m_allowZero(allowZero)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        Result<std::vector<int64_t>> requested = m_shape.require(ctx, "shape");
        if (!requested)
            return requested.status();
        Result<Shape> shape = resolveShape(ctx, data, *requested);
        if (!shape)
            return shape.status();
        ctx.output(0) = data.reshaped(std::move(*shape));
        return Status::ok();
    }

private:
    Result<Shape> resolveShape(const KernelContext &ctx, const Tensor &data,
                               const std::vector<int64_t> &requested) const
    {
        Shape shape(requested.begin(), requested.end());
        int64_t inferred = -1;
        int64_t known = 1;
        for (size_t i = 0; i < shape.size(); ++i) {
            if (shape[i] == 0 && !m_allowZero) {
                if (static_cast<int64_t>(i) >= data.rank())
                    return ctx.error("shape " + intsToString(requested) + " copies dim "
                                     + std::to_string(i) + " (0) but the input " + data.describe()
                                     + " has rank " + std::to_string(data.rank()));
                shape[i] = data.dim(static_cast<int64_t>(i));
            }
            if (shape[i] == -1) {
                if (inferred >= 0)
                    return ctx.error("shape " + intsToString(requested) + " has more than one -1");
                inferred = static_cast<int64_t>(i);
                continue;
            }
            if (shape[i] < 0)
                return ctx.error("shape " + intsToString(requested) + " has a negative dim");
            // A hostile shape ([2^40, 2^40]) overflows int64; it matches no input either way.
            if (__builtin_mul_overflow(known, shape[i], &known))
                return ctx.error("shape " + intsToString(requested)
                                 + " has more elements than an int64 counts");
        }
        const int64_t count = data.elementCount();
        if (inferred >= 0) {
            if (known == 0 || count % known != 0)
                return ctx.error("cannot reshape " + data.describe() + " to "
                                 + intsToString(requested) + ": " + std::to_string(count)
                                 + " elements are not a multiple of " + std::to_string(known));
            shape[static_cast<size_t>(inferred)] = count / known;
        } else if (known != count) {
            return ctx.error("cannot reshape " + data.describe() + " (" + std::to_string(count)
                             + " elements) to " + intsToString(requested) + " ("
                             + std::to_string(known) + " elements)");
        }
        return shape;
    }

    IntListParam m_shape;
    bool m_allowZero;
};

} // namespace

Result<std::unique_ptr<Kernel>> createReshape(const KernelInfo &info)
{
    IntListParam shape;
    QS_RETURN_IF_ERROR(shape.init(info, "shape", 1, 5));
    Result<int64_t> allowZero = info.getInt("allowzero", 0);
    if (!allowZero)
        return allowZero.status();
    return makeKernel<ReshapeKernel>(std::move(shape), *allowZero != 0);
}

} // namespace qs::ops
