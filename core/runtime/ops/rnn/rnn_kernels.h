#pragma once
// Factories of the rnn kernels, listed in ops/registry.cpp. One kernel per file pair here.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createGRU(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createLSTM(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createRNN(const KernelInfo &info);

} // namespace qs::ops
