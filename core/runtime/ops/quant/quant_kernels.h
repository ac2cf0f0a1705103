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

// com.quantscope.fused: made by the session's QDQ fusion (runtime/fusion/, fusion_passes.h).
Result<std::unique_ptr<Kernel>> createQLinearAdd(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createQLinearConcat(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createQLinearGlobalAveragePool(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createQLinearLookup(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createQLinearMul(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMatMulIntegerToFloat(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createQGemm(const KernelInfo &info);
// dynamic_quantize_linear.cpp; made by runtime/fusion/dynamic_conv.cpp
Result<std::unique_ptr<Kernel>> createDynamicQuantizeCentred(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createQLinearConvTranspose(const KernelInfo &info); // int8_conv.cpp

} // namespace qs::ops
