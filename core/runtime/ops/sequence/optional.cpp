// Optional: wraps its input in an optional, or, with the input omitted, makes an optional that
// holds nothing (of the kind the `type` attribute names).
#include "runtime/ops/sequence/sequence_kernels.h"

#include <onnx/onnx_pb.h>

namespace qs::ops {

namespace {

class OptionalKernel final : public Kernel
{
public:
    explicit OptionalKernel(Value::Kind emptyKind)
        : m_emptyKind(emptyKind)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Value &input = ctx.value(0);
        ctx.setOutput(0, input.empty() ? Value::noneOptional(m_emptyKind) : Value::optional(input));
        return Status::ok();
    }

private:
    Value::Kind m_emptyKind;
};

} // namespace

Result<std::unique_ptr<Kernel>> createOptional(const KernelInfo &info)
{
    const onnx::AttributeProto *type = info.attribute("type");
    if (!info.hasInput(0) && (!type || !type->has_tp()))
        return info.error("without an input, attribute 'type' must say what the optional holds");
    const bool ofSequence = type && type->has_tp() && type->tp().has_sequence_type();
    return makeKernel<OptionalKernel>(ofSequence ? Value::Kind::Sequence : Value::Kind::Tensor);
}

} // namespace qs::ops
