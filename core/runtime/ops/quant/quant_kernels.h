#pragma once
// Factories of the quant kernels, listed in ops/registry.cpp. One kernel per file pair here.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createConvInteger(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createDequantizeLinear(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createDynamicQuantizeLinear(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMatMulInteger(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createQLinearMatMul(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createQLinearConv(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createQuantizeLinear(const KernelInfo &info);

} // namespace qs::ops
