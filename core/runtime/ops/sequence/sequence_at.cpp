// SequenceAt: the tensor at `position` of a sequence (shared, not copied).
#include "runtime/ops/sequence/sequence_kernels.h"
#include "runtime/ops/sequence/sequence_util.h"

namespace qs::ops {

namespace {

class SequenceAtKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        Result<const Value *> sequence = sequenceInput(ctx, 0);
        if (!sequence)
            return sequence.status();
        if (!ctx.hasInput(1))
            return ctx.error("position is missing");
        const auto size = static_cast<int64_t>((*sequence)->items().size());
        Result<int64_t> at = sequencePosition(ctx, 1, size, /*endAllowed=*/false, 0);
        if (!at)
            return at.status();
        ctx.output(0) = (*sequence)->items()[static_cast<size_t>(*at)];
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createSequenceAt(const KernelInfo &)
{
    return makeKernel<SequenceAtKernel>();
}

} // namespace qs::ops
