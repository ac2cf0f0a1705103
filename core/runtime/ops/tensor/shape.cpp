// Shape (start/end from opset 15) and Size: int64 facts about the input, no data read.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>

namespace qs::ops {

namespace {

class ShapeKernel final : public Kernel
{
public:
    ShapeKernel(int64_t start, std::optional<int64_t> end)
        : m_start(start)
        , m_end(end)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Shape &shape = ctx.input(0).shape();
        const auto rank = static_cast<int64_t>(shape.size());
        auto clampAxis = [rank](int64_t axis) {
            return std::clamp<int64_t>(axis < 0 ? axis + rank : axis, 0, rank);
        };
        const int64_t start = clampAxis(m_start);
        const int64_t end = std::max(start, clampAxis(m_end.value_or(rank)));
        std::vector<int64_t> dims(shape.begin() + start, shape.begin() + end);
        ctx.output(0) = Tensor::fromVector<int64_t>({end - start}, dims);
        return Status::ok();
    }

private:
    int64_t m_start;
    std::optional<int64_t> m_end;
};

class SizeKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        ctx.output(0) = Tensor::scalar<int64_t>(ctx.input(0).elementCount());
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createShape(const KernelInfo &info)
{
    Result<int64_t> start = info.getInt("start", 0);
    if (!start)
        return start.status();
    std::optional<int64_t> end;
    if (info.hasAttribute("end")) {
        Result<int64_t> value = info.getInt("end", 0);
        if (!value)
            return value.status();
        end = *value;
    }
    return makeKernel<ShapeKernel>(*start, end);
}

Result<std::unique_ptr<Kernel>> createSize(const KernelInfo &)
{
    return makeKernel<SizeKernel>();
}

} // namespace qs::ops
