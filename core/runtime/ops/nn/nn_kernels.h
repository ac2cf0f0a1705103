#pragma once
// Factories of the nn kernels, listed in ops/registry.cpp. One kernel per file pair here.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createAveragePool(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createBatchNormalization(const KernelInfo &info);
// training_mode=1, called by createBatchNormalization (not a registry row of its own).
Result<std::unique_ptr<Kernel>> createBatchNormalizationTraining(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createConv(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createConvTranspose(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createGemm(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createGlobalAveragePool(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createGlobalMaxPool(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createLrn(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMatMul(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMaxPool(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMaxUnpool(const KernelInfo &info);
// activation(x * scale + shift) per channel on a blocked x (engine-internal).
Result<std::unique_ptr<Kernel>> createChannelAffine(const KernelInfo &info);
// [N, C/B, H, W, B] float32 -> [N, C, H, W] (blocked_layout.h; engine-internal).
Result<std::unique_ptr<Kernel>> createBlockedToPlain(const KernelInfo &info);

} // namespace qs::ops
