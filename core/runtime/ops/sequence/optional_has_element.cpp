// OptionalHasElement: whether an optional holds something, as a bool scalar. Since opset 18 the
// input may also be a tensor or a sequence (true) or omitted (false).
#include "runtime/ops/sequence/sequence_kernels.h"

namespace qs::ops {

namespace {

class OptionalHasElementKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        const Value &input = ctx.value(0);
        const bool has = input.isOptional() ? input.hasElement() : !input.empty();
        ctx.output(0) = Tensor::scalar<bool>(has);
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createOptionalHasElement(const KernelInfo &)
{
    return makeKernel<OptionalHasElementKernel>();
}

} // namespace qs::ops
