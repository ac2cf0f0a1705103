#pragma once
// Factories of the sequence and optional kernels, listed in ops/registry.cpp. One kernel per
// file here; sequence_util.h holds the position and value checks they share. These kernels move
// runtime/value.h's Value (sequences share their tensors, so inserting or erasing copies
// handles, not data).

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createConcatFromSequence(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createOptional(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createOptionalGetElement(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createOptionalHasElement(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSequenceAt(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSequenceConstruct(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSequenceEmpty(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSequenceErase(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSequenceInsert(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSequenceLength(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSequenceMap(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSplitToSequence(const KernelInfo &info);

} // namespace qs::ops
