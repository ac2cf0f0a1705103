// SequenceErase: a new sequence without the tensor at `position` (the last by default).
#include "runtime/ops/sequence/sequence_kernels.h"
#include "runtime/ops/sequence/sequence_util.h"

namespace qs::ops {

namespace {

class SequenceEraseKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        Result<const Value *> sequence = sequenceInput(ctx, 0);
        if (!sequence)
            return sequence.status();
        std::vector<Tensor> items = (*sequence)->items();
        const auto size = static_cast<int64_t>(items.size());
        if (size == 0)
            return ctx.error("cannot erase from an empty sequence");
        Result<int64_t> at = sequencePosition(ctx, 1, size, /*endAllowed=*/false, size - 1);
        if (!at)
            return at.status();
        items.erase(items.begin() + *at);
        ctx.setOutput(0, Value::sequence((*sequence)->elementType(), std::move(items)));
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createSequenceErase(const KernelInfo &)
{
    return makeKernel<SequenceEraseKernel>();
}

} // namespace qs::ops
