#pragma once
// Factories of the text kernels, listed in ops/registry.cpp. One kernel per file here. String
// tensors are not an engine type yet, so these take integer token ids only.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createTfIdfVectorizer(const KernelInfo &info);

} // namespace qs::ops
