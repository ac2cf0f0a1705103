#pragma once
// Factories of the optimizer kernels of ONNX's ai.onnx.preview.training domain (Adagrad, Adam,
// Momentum), listed in ops/registry.cpp. One kernel per file pair here; optimizer.h holds what
// they share.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createAdagrad(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createAdam(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMomentum(const KernelInfo &info);

} // namespace qs::ops
