// The shared input reading and output writing of the optimizer kernels (optimizer.h).
#include "runtime/ops/training/optimizer.h"

#include "runtime/ops/reduce/reference_values.h"

namespace qs::ops {

Result<OptimizerStep> readOptimizerStep(const KernelContext &ctx, int states)
{
    const auto groups = static_cast<int64_t>(2 + states);
    const auto inputs = static_cast<int64_t>(ctx.inputCount());
    if (inputs < 2 + groups || (inputs - 2) % groups != 0)
        return ctx.error("expected R, T and " + std::to_string(groups)
                         + " inputs per optimized tensor, got " + std::to_string(inputs)
                         + " inputs");
    const Tensor &rate = ctx.input(0), &count = ctx.input(1);
    if (rate.elementCount() != 1 || !isFloatingDType(rate.dtype()))
        return ctx.error("R must be a float scalar, got " + rate.describe());
    if (count.elementCount() != 1 || count.dtype() != DType::Int64)
        return ctx.error("T must be an int64 scalar, got " + count.describe());
    OptimizerStep step{rate.doubleAt(0), count.intAt(0), (inputs - 2) / groups};
    for (int64_t i = 0; i < step.tensors; ++i) {
        const Tensor &x = ctx.input(static_cast<size_t>(2 + i));
        for (int64_t g = 1; g < groups; ++g) {
            const Tensor &other = ctx.input(static_cast<size_t>(2 + g * step.tensors + i));
            if (other.shape() != x.shape())
                return ctx.error("input " + std::to_string(2 + g * step.tensors + i) + " "
                                 + other.describe() + " does not match X" + std::to_string(i + 1)
                                 + " " + x.describe());
        }
    }
    return step;
}

Result<std::vector<double>> optimizerInput(const KernelContext &ctx, const OptimizerStep &step,
                                           int group, int64_t i)
{
    return widenToDouble(ctx, ctx.input(static_cast<size_t>(2 + group * step.tensors + i)));
}

void writeOptimizerOutput(KernelContext &ctx, const OptimizerStep &step, int group, int64_t i,
                          std::span<const double> values)
{
    const auto index = static_cast<size_t>(group * step.tensors + i);
    if (index >= ctx.outputCount())
        return;
    const Tensor &x = ctx.input(static_cast<size_t>(2 + i));
    writeFromDouble(ctx, index, x.dtype(), x.shape(), values);
}

} // namespace qs::ops
