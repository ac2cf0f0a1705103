// SequenceConstruct: a sequence of the node's inputs, which must share one element type.
#include "runtime/ops/sequence/sequence_kernels.h"

namespace qs::ops {

namespace {

class SequenceConstructKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        std::vector<Tensor> items;
        items.reserve(ctx.inputCount());
        for (size_t i = 0; i < ctx.inputCount(); ++i) {
            const Tensor &item = ctx.input(i);
            if (item.empty())
                return ctx.error("input " + std::to_string(i) + " must be a tensor but is "
                                 + ctx.value(i).describe());
            if (!items.empty() && item.dtype() != items.front().dtype())
                return ctx.error("input " + std::to_string(i) + " is " + item.describe()
                                 + " but input 0 is " + items.front().describe()
                                 + " (a sequence holds one element type)");
            items.push_back(item);
        }
        if (items.empty())
            return ctx.error("needs at least one input");
        const DType type = items.front().dtype();
        ctx.setOutput(0, Value::sequence(type, std::move(items)));
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createSequenceConstruct(const KernelInfo &)
{
    return makeKernel<SequenceConstructKernel>();
}

} // namespace qs::ops
