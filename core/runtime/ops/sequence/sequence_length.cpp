// SequenceLength: the number of tensors in a sequence, as an int64 scalar.
#include "runtime/ops/sequence/sequence_kernels.h"
#include "runtime/ops/sequence/sequence_util.h"

namespace qs::ops {

namespace {

class SequenceLengthKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        Result<const Value *> sequence = sequenceInput(ctx, 0);
        if (!sequence)
            return sequence.status();
        ctx.output(0) = Tensor::scalar<int64_t>(static_cast<int64_t>((*sequence)->items().size()));
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createSequenceLength(const KernelInfo &)
{
    return makeKernel<SequenceLengthKernel>();
}

} // namespace qs::ops
