#pragma once
// Factories of the elementwise kernels, listed in ops/registry.cpp. One kernel per file pair here.

#include "runtime/kernel.h"

namespace qs::ops {

} // namespace qs::ops
