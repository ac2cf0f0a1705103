// OptionalGetElement: what an optional holds (an error when it holds nothing). Since opset 18 a
// tensor or sequence input passes through unchanged.
#include "runtime/ops/sequence/sequence_kernels.h"

namespace qs::ops {

namespace {

class OptionalGetElementKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        const Value &input = ctx.value(0);
        if (!input.isOptional()) {
            if (input.empty())
                return ctx.error("the input has no value");
            ctx.setOutput(0, input);
            return Status::ok();
        }
        if (!input.hasElement())
            return ctx.error("the optional holds nothing");
        ctx.setOutput(0, input.element());
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createOptionalGetElement(const KernelInfo &)
{
    return makeKernel<OptionalGetElementKernel>();
}

} // namespace qs::ops
