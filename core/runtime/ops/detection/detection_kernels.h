#pragma once
// Factories of the detection kernels (box suppression, region pooling, grid sampling), listed in
// ops/registry.cpp. One kernel per file here. They run inside real detectors' post-processing
// (thousands of boxes, hundreds of RoIs), so each is written as plain loops over contiguous
// memory with the per-box or per-sample geometry computed once, outside the channel loops.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createGridSample(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createNonMaxSuppression(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createRoiAlign(const KernelInfo &info);

} // namespace qs::ops
