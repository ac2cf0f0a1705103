#pragma once
// Factories of the control kernels, listed in ops/registry.cpp. One kernel per file pair here.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createConstant(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createIf(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createLoop(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createScan(const KernelInfo &info);

} // namespace qs::ops
