// Identity: the output shares the input's buffer (no copy). Dropout, which is Identity outside
// training, is dropout.cpp.
#include "runtime/ops/elementwise/elementwise_kernels.h"

namespace qs::ops {

namespace {

class IdentityKernel : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        ctx.setOutput(0, ctx.value(0)); // sequences and optionals pass through too
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createIdentity(const KernelInfo &)
{
    return makeKernel<IdentityKernel>();
}

} // namespace qs::ops
