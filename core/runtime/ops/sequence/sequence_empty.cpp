// SequenceEmpty: a sequence of no tensors of the element type given by `dtype` (float default).
#include "runtime/ops/sequence/sequence_kernels.h"

namespace qs::ops {

namespace {

class SequenceEmptyKernel final : public Kernel
{
public:
    explicit SequenceEmptyKernel(DType type)
        : m_type(type)
    {}

    Status compute(KernelContext &ctx) const override
    {
        ctx.setOutput(0, Value::sequence(m_type, {}));
        return Status::ok();
    }

private:
    DType m_type;
};

} // namespace

Result<std::unique_ptr<Kernel>> createSequenceEmpty(const KernelInfo &info)
{
    Result<int64_t> dtype = info.getInt("dtype", static_cast<int64_t>(DType::Float32));
    if (!dtype)
        return dtype.status();
    return makeKernel<SequenceEmptyKernel>(static_cast<DType>(*dtype));
}

} // namespace qs::ops
