// MeanVarianceNormalization (opset 9/13): y = (x - mean) / (sqrt(variance) + 1e-9) with mean and
// (population) variance over `axes` (default [0, 2, 3]); the 1e-9 is the epsilon of ONNX's
// function definition of the op.
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/reduce/reference_values.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cmath>

namespace qs::ops {

namespace {

class MeanVarianceNormalizationKernel final : public Kernel
{
public:
    explicit MeanVarianceNormalizationKernel(std::vector<int64_t> axes)
        : m_axes(std::move(axes))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        std::vector<bool> reduced(static_cast<size_t>(x.rank()), false);
        for (int64_t axis : m_axes) {
            QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, x));
            reduced[static_cast<size_t>(axis)] = true;
        }
        auto values = widenToDouble(ctx, x);
        if (!values)
            return values.status();
        // Each element's group: its index over the kept dims only.
        std::vector<int64_t> group(values->size());
        int64_t groups = 1;
        {
            std::vector<int64_t> position(static_cast<size_t>(x.rank()), 0);
            for (size_t e = 0; e < group.size(); ++e) {
                int64_t g = 0;
                for (int64_t d = 0; d < x.rank(); ++d) {
                    if (!reduced[static_cast<size_t>(d)])
                        g = g * x.dim(d) + position[static_cast<size_t>(d)];
                }
                group[e] = g;
                for (int64_t d = x.rank(); d-- > 0;) {
                    if (++position[static_cast<size_t>(d)] < x.dim(d))
                        break;
                    position[static_cast<size_t>(d)] = 0;
                }
            }
            for (int64_t d = 0; d < x.rank(); ++d) {
                if (!reduced[static_cast<size_t>(d)])
                    groups *= x.dim(d);
            }
        }
        std::vector<double> sum(static_cast<size_t>(groups)), squares(sum.size()),
            count(sum.size());
        for (size_t e = 0; e < group.size(); ++e) {
            const auto g = static_cast<size_t>(group[e]);
            sum[g] += (*values)[e];
            squares[g] += (*values)[e] * (*values)[e];
            count[g] += 1.0;
        }
        for (size_t e = 0; e < group.size(); ++e) {
            const auto g = static_cast<size_t>(group[e]);
            const double mean = sum[g] / count[g];
            const double variance = std::max(squares[g] / count[g] - mean * mean, 0.0);
            (*values)[e] = ((*values)[e] - mean) / (std::sqrt(variance) + 1e-9);
        }
        writeFromDouble(ctx, 0, x.dtype(), x.shape(), *values);
        return Status::ok();
    }

private:
    std::vector<int64_t> m_axes;
};

} // namespace

Result<std::unique_ptr<Kernel>> createMeanVarianceNormalization(const KernelInfo &info)
{
    auto axes = info.getInts("axes", {0, 2, 3});
    if (!axes)
        return axes.status();
    return makeKernel<MeanVarianceNormalizationKernel>(std::move(*axes));
}

} // namespace qs::ops
