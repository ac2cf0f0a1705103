// SequenceInsert: a new sequence with a tensor inserted at `position` (the end by default).
#include "runtime/ops/sequence/sequence_kernels.h"
#include "runtime/ops/sequence/sequence_util.h"

namespace qs::ops {

namespace {

class SequenceInsertKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        Result<const Value *> sequence = sequenceInput(ctx, 0);
        if (!sequence)
            return sequence.status();
        const Tensor &item = ctx.input(1);
        if (item.empty())
            return ctx.error("input 1 must be a tensor but is " + ctx.value(1).describe());
        const DType type = (*sequence)->elementType();
        if (type != DType::Undefined && item.dtype() != type)
            return ctx.error("cannot insert " + item.describe() + " into a "
                             + (*sequence)->describe());
        std::vector<Tensor> items = (*sequence)->items();
        const auto size = static_cast<int64_t>(items.size());
        Result<int64_t> at = sequencePosition(ctx, 2, size, /*endAllowed=*/true, size);
        if (!at)
            return at.status();
        items.insert(items.begin() + *at, item);
        ctx.setOutput(0, Value::sequence(item.dtype(), std::move(items)));
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createSequenceInsert(const KernelInfo &)
{
    return makeKernel<SequenceInsertKernel>();
}

} // namespace qs::ops
