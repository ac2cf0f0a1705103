// Identity and Dropout in inference: the output shares the input's buffer (no copy). Dropout's
// optional mask output is all true; training_mode=true (opset 12 input) is refused.
#include "runtime/ops/elementwise/elementwise_kernels.h"

namespace qs::ops {

namespace {

class IdentityKernel : public Kernel
{
public:
    explicit IdentityKernel(bool checkTrainingMode = false)
        : m_checkTrainingMode(checkTrainingMode)
    {}

    Status compute(KernelContext &ctx) const override
    {
        if (m_checkTrainingMode && trainingWithDrops(ctx))
            return unsupported(
                ctx.label()
                + ": training_mode=true with ratio > 0 is not supported (inference only)");
        ctx.setOutput(0, ctx.value(0)); // sequences and optionals pass through too
        if (ctx.outputCount() > 1) {
            Tensor &mask = ctx.allocateOutput(1, DType::Bool, ctx.input(0).shape());
            for (bool &value : mask.mutableValues<bool>())
                value = true;
        }
        return Status::ok();
    }

private:
    // Training mode drops values at random; with ratio 0 it is the identity, which we run.
    static bool trainingWithDrops(const KernelContext &ctx)
    {
        if (!ctx.hasInput(2) || ctx.input(2).elementCount() != 1 || ctx.input(2).doubleAt(0) == 0.0)
            return false;
        const double ratio
            = ctx.hasInput(1) && ctx.input(1).elementCount() == 1 ? ctx.input(1).doubleAt(0) : 0.5;
        return ratio != 0.0;
    }

    bool m_checkTrainingMode;
};

} // namespace

Result<std::unique_ptr<Kernel>> createIdentity(const KernelInfo &)
{
    return makeKernel<IdentityKernel>();
}

Result<std::unique_ptr<Kernel>> createDropout(const KernelInfo &info)
{
    if (info.opsetVersion() < 7) {
        auto isTest = info.getInt("is_test", 0);
        if (isTest && *isTest == 0)
            return info.unsupportedError("is_test=0 (training) is not supported");
    }
    // Training mode (opset 12 input 2) is decided per run unless everything is constant.
    if (info.hasInput(2))
        return makeKernel<IdentityKernel>(true);
    return makeKernel<IdentityKernel>();
}

} // namespace qs::ops
