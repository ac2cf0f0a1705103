#pragma once
// Factories of the signal-processing kernels (opset 17: windows, DFT, STFT, MelWeightMatrix),
// listed in ops/registry.cpp. One kernel per file pair here; the windows share window.cpp and
// DFT/STFT the transform of fourier.h.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createBlackmanWindow(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createDft(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createHammingWindow(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createHannWindow(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMelWeightMatrix(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createStft(const KernelInfo &info);

} // namespace qs::ops
