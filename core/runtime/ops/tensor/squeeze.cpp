// Squeeze / Unsqueeze: remove or insert unit dims (axes attribute up to opset 12, an input from
// 13); the output is a view of the input's storage.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>

namespace qs::ops {

namespace {

class SqueezeKernel final : public Kernel
{
public:
    explicit SqueezeKernel(IntListParam axes)
        : m_axes(std::move(axes))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        Result<std::optional<std::vector<int64_t>>> axes = m_axes.get(ctx, "axes");
        if (!axes)
            return axes.status();
        std::vector<bool> drop(static_cast<size_t>(data.rank()), false);
        if (!*axes) {
            for (int64_t i = 0; i < data.rank(); ++i)
                drop[static_cast<size_t>(i)] = data.dim(i) == 1;
        } else {
            for (int64_t axis : **axes) {
                const int64_t given = axis;
                if (!normalizeAxis(axis, data.rank()))
                    return ctx.error("axis " + std::to_string(given) + " is out of range for input "
                                     + data.describe());
                if (data.dim(axis) != 1)
                    return ctx.error("cannot squeeze axis " + std::to_string(given) + " of input "
                                     + data.describe() + ": its size is "
                                     + std::to_string(data.dim(axis)) + ", not 1");
                drop[static_cast<size_t>(axis)] = true;
            }
        }
        Shape shape;
        for (int64_t i = 0; i < data.rank(); ++i) {
            if (!drop[static_cast<size_t>(i)])
                shape.push_back(data.dim(i));
        }
        ctx.output(0) = data.reshaped(std::move(shape));
        return Status::ok();
    }

private:
    IntListParam m_axes;
};

class UnsqueezeKernel final : public Kernel
{
public:
    explicit UnsqueezeKernel(IntListParam axes)
        : m_axes(std::move(axes))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        Result<std::vector<int64_t>> axes = m_axes.require(ctx, "axes");
        if (!axes)
            return axes.status();
        const int64_t rank = data.rank() + static_cast<int64_t>(axes->size());
        std::vector<bool> inserted(static_cast<size_t>(rank), false);
        for (int64_t axis : *axes) {
            const int64_t given = axis;
            if (!normalizeAxis(axis, rank))
                return ctx.error("axis " + std::to_string(given)
                                 + " is out of range for output rank " + std::to_string(rank));
            if (inserted[static_cast<size_t>(axis)])
                return ctx.error("axis " + std::to_string(given) + " is repeated in axes "
                                 + intsToString(*axes));
            inserted[static_cast<size_t>(axis)] = true;
        }
        Shape shape;
        int64_t next = 0;
        for (int64_t i = 0; i < rank; ++i)
            shape.push_back(inserted[static_cast<size_t>(i)] ? 1 : data.dim(next++));
        ctx.output(0) = data.reshaped(std::move(shape));
        return Status::ok();
    }

private:
    IntListParam m_axes;
};

} // namespace

Result<std::unique_ptr<Kernel>> createSqueeze(const KernelInfo &info)
{
    IntListParam axes;
    QS_RETURN_IF_ERROR(axes.init(info, "axes", 1, 13));
    return makeKernel<SqueezeKernel>(std::move(axes));
}

Result<std::unique_ptr<Kernel>> createUnsqueeze(const KernelInfo &info)
{
    IntListParam axes;
    QS_RETURN_IF_ERROR(axes.init(info, "axes", 1, 13));
    return makeKernel<UnsqueezeKernel>(std::move(axes));
}

} // namespace qs::ops
