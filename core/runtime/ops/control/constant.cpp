// Constant: its value is known when the session is built, so the compiler folds it into a
// constant slot (the kernel runs once, at build time).
#include "runtime/ops/control/control_kernels.h"

#include <onnx/onnx_pb.h>

namespace qs::ops {

namespace {

class ConstantKernel final : public Kernel
{
public:
    explicit ConstantKernel(Tensor value)
        : m_value(std::move(value))
    {}
    Status compute(KernelContext &context) const override
    {
        context.output(0) = m_value;
        return Status::ok();
    }

private:
    Tensor m_value;
};

} // namespace

Result<std::unique_ptr<Kernel>> createConstant(const KernelInfo &info)
{
    // Opset 12 added value_float(s) / value_int(s) beside the tensor `value`.
    if (info.hasAttribute("value")) {
        Result<Tensor> value = info.getTensor("value");
        if (!value)
            return value.status();
        return makeKernel<ConstantKernel>(std::move(*value));
    }
    if (const auto *attr = info.attribute("value_float"))
        return makeKernel<ConstantKernel>(Tensor::scalar<float>(attr->f()));
    if (const auto *attr = info.attribute("value_int"))
        return makeKernel<ConstantKernel>(Tensor::scalar<int64_t>(attr->i()));
    if (const auto *attr = info.attribute("value_floats")) {
        std::vector<float> values(attr->floats().begin(), attr->floats().end());
        return makeKernel<ConstantKernel>(
            Tensor::fromVector<float>({static_cast<int64_t>(values.size())}, values));
    }
    if (const auto *attr = info.attribute("value_ints")) {
        std::vector<int64_t> values(attr->ints().begin(), attr->ints().end());
        return makeKernel<ConstantKernel>(
            Tensor::fromVector<int64_t>({static_cast<int64_t>(values.size())}, values));
    }
    if (info.hasAttribute("sparse_value"))
        return info.unsupportedError("sparse_value constants are not supported");
    return info.unsupportedError("string constants are not supported");
}

} // namespace qs::ops
