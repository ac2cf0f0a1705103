#include "runtime/ops/sequence/sequence_util.h"

namespace qs::ops {

Result<const Value *> sequenceInput(const KernelContext &ctx, size_t index)
{
    const Value &value = ctx.value(index);
    if (!value.isSequence())
        return ctx.error("input " + std::to_string(index) + " must be a sequence but is "
                         + value.describe());
    return &value;
}

Result<int64_t> sequencePosition(const KernelContext &ctx, size_t index, int64_t size,
                                 bool endAllowed, int64_t fallback)
{
    if (!ctx.hasInput(index))
        return fallback;
    const Tensor &position = ctx.input(index);
    if (position.elementCount() != 1
        || (position.dtype() != DType::Int32 && position.dtype() != DType::Int64))
        return ctx.error("position must be one int32 or int64 value but is " + position.describe());
    int64_t at = position.intAt(0);
    const int64_t last = endAllowed ? size : size - 1;
    if (at < -size || at > last)
        return ctx.error("position " + std::to_string(at) + " is outside [" + std::to_string(-size)
                         + ", " + std::to_string(last) + "] for a sequence of "
                         + std::to_string(size) + " items");
    if (at < 0)
        at += size;
    return at;
}

} // namespace qs::ops
