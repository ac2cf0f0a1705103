// MaxUnpool: the partial inverse of MaxPool with indices: a zero tensor of the unpooled shape
// where each value of X goes to the flat position its index in I names (indices count over the
// whole tensor, batch and channel included, as MaxPool's Indices output does). Indices refer to
// the inferred shape, (in - 1) * stride - pads + kernel per spatial dim; a larger output_shape
// input keeps each value at the same coordinates and pads after them.
#include "runtime/ops/nn/nn_kernels.h"

#include <cstring>

namespace qs::ops {

namespace {

class MaxUnpoolKernel final : public Kernel
{
public:
    MaxUnpoolKernel(std::vector<int64_t> kernel, std::vector<int64_t> strides,
                    std::vector<int64_t> pads)
        : m_kernel(std::move(kernel))
        , m_strides(std::move(strides))
        , m_pads(std::move(pads))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const Tensor &indices = ctx.input(1);
        const auto spatial = static_cast<int64_t>(m_kernel.size());
        if (x.rank() != spatial + 2)
            return ctx.error("X " + x.describe() + " must have " + std::to_string(spatial + 2)
                             + " dims for a " + std::to_string(spatial) + "-D kernel");
        if (indices.shape() != x.shape() || indices.dtype() != DType::Int64)
            return ctx.error("I must be int64 of X's shape but is " + indices.describe());
        Result<Shape> inferred = inferredShape(ctx, x);
        if (!inferred)
            return inferred.status();
        Shape shape = *inferred;
        if (ctx.hasInput(2)) {
            shape = ctx.input(2).toInt64Vector();
            bool fits = shape.size() == inferred->size();
            for (size_t d = 0; fits && d < shape.size(); ++d)
                fits = shape[d] >= (*inferred)[d] && (d >= 2 || shape[d] == (*inferred)[d]);
            if (!fits)
                return ctx.error("output_shape " + shapeToString(shape)
                                 + " must keep N and C and be at least the inferred "
                                 + shapeToString(*inferred));
        }
        Tensor &out = ctx.allocateOutput(0, x.dtype(), shape, /*zero=*/true);
        const int64_t elementSize = dtypeSize(x.dtype());
        if (elementSize == 0)
            return unsupported(ctx.label() + ": " + x.describe() + " cannot be unpooled");
        const auto *src = static_cast<const std::byte *>(x.rawData());
        auto *dst = static_cast<std::byte *>(out.mutableRawData());
        const int64_t *index = indices.data<int64_t>();
        const int64_t size = shapeElementCount(*inferred);
        const bool padded = shape != *inferred;
        for (int64_t i = 0; i < x.elementCount(); ++i) {
            if (index[i] < 0 || index[i] >= size)
                return ctx.error("index " + std::to_string(index[i]) + " at " + std::to_string(i)
                                 + " is outside the unpooled " + shapeToString(*inferred));
            const int64_t at = padded ? remap(index[i], *inferred, shape) : index[i];
            std::memcpy(dst + at * elementSize, src + i * elementSize,
                        static_cast<size_t>(elementSize));
        }
        return Status::ok();
    }

private:
    // The flat position in `to` of the coordinates that flat `index` has in `from`.
    static int64_t remap(int64_t index, const Shape &from, const Shape &to)
    {
        int64_t result = 0, stride = 1;
        for (size_t d = from.size(); d-- > 0;) {
            result += (index % from[d]) * stride;
            index /= from[d];
            stride *= to[d];
        }
        return result;
    }

    Result<Shape> inferredShape(const KernelContext &ctx, const Tensor &x) const
    {
        Shape shape = {x.dim(0), x.dim(1)};
        const size_t spatial = m_kernel.size();
        for (size_t d = 0; d < spatial; ++d) {
            const int64_t size = (x.dim(int64_t(d) + 2) - 1) * m_strides[d]
                                 - (m_pads[d] + m_pads[d + spatial]) + m_kernel[d];
            if (size <= 0)
                return ctx.error("the unpooled size of spatial dim " + std::to_string(d)
                                 + " would be " + std::to_string(size));
            shape.push_back(size);
        }
        return shape;
    }

    std::vector<int64_t> m_kernel;
    std::vector<int64_t> m_strides;
    std::vector<int64_t> m_pads;
};

} // namespace

Result<std::unique_ptr<Kernel>> createMaxUnpool(const KernelInfo &info)
{
    Result<std::vector<int64_t>> kernel = info.getInts("kernel_shape");
    if (!kernel)
        return kernel.status();
    if (kernel->empty())
        return info.error("attribute 'kernel_shape' is required");
    Result<std::vector<int64_t>> strides = info.getInts("strides",
                                                        std::vector<int64_t>(kernel->size(), 1));
    Result<std::vector<int64_t>> pads = info.getInts("pads",
                                                     std::vector<int64_t>(kernel->size() * 2, 0));
    if (!strides)
        return strides.status();
    if (!pads)
        return pads.status();
    if (strides->size() != kernel->size() || pads->size() != kernel->size() * 2)
        return info.error("strides and pads must match kernel_shape's "
                          + std::to_string(kernel->size()) + " spatial dims");
    return makeKernel<MaxUnpoolKernel>(std::move(*kernel), std::move(*strides), std::move(*pads));
}

} // namespace qs::ops
