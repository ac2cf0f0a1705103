#pragma once
// What the optimizer kernels share. Each takes the learning rate R and the step count T (scalars),
// then n tensors to optimize, their n gradients and n tensors of each state (Adam's V and H,
// Adagrad's H, Momentum's V), and outputs the n updated tensors followed by the n updated
// tensors of each state. Updates are elementwise and computed in double.

#include "runtime/kernel.h"

#include <span>
#include <vector>

namespace qs::ops {

struct OptimizerStep
{
    double rate = 0.0;   // R
    int64_t count = 0;   // T
    int64_t tensors = 0; // n
};

// Reads R and T and checks that the inputs are 2 + n * (2 + states) with matching shapes.
Result<OptimizerStep> readOptimizerStep(const KernelContext &ctx, int states);

// Input `group` (0 = X, 1 = G, 2... = the states) of tensor i, widened to double.
Result<std::vector<double>> optimizerInput(const KernelContext &ctx, const OptimizerStep &step,
                                           int group, int64_t i);
// Output `group` (0 = X_new, 1... = the states) of tensor i, shaped like X_i, of X_i's type.
void writeOptimizerOutput(KernelContext &ctx, const OptimizerStep &step, int group, int64_t i,
                          std::span<const double> values);

} // namespace qs::ops
