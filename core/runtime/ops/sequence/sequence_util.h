#pragma once
// What the sequence kernels share: reading a sequence input and a position in it.

#include "runtime/kernel.h"

#include <cstdint>

namespace qs::ops {

// Input `index` as a sequence; an error naming the input and what it is otherwise.
Result<const Value *> sequenceInput(const KernelContext &ctx, size_t index);

// Input `index` (a scalar integer) as a position in a sequence of `size` items: negative counts
// from the back. Valid positions are [-size, size - 1], or [-size, size] when `endAllowed`
// (SequenceInsert may append). `fallback` is used when the input is omitted.
Result<int64_t> sequencePosition(const KernelContext &ctx, size_t index, int64_t size,
                                 bool endAllowed, int64_t fallback);

} // namespace qs::ops
