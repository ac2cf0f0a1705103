// ConstantOfShape: a tensor of the given shape filled with the one-element 'value' attribute
// (float32 0 by default).
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cstring>

namespace qs::ops {

namespace {

class ConstantOfShapeKernel final : public Kernel
{
public:
    explicit ConstantOfShapeKernel(Tensor value)
        : m_value(std::move(value))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &shapeInput = ctx.input(0);
        if (shapeInput.rank() != 1)
            return ctx.error("input 'input' should be a 1-D shape, not " + shapeInput.describe());
        const Shape shape = shapeInput.toInt64Vector();
        for (int64_t d : shape) {
            if (d < 0)
                return ctx.error("shape " + intsToString(shape) + " has a negative dim");
        }
        Tensor &out = ctx.allocateOutput(0, m_value.dtype(), shape);
        const int64_t es = dtypeSize(m_value.dtype());
        auto *dst = static_cast<char *>(out.mutableRawData());
        const auto *value = static_cast<const char *>(m_value.rawData());
        bool zero = true;
        for (int64_t i = 0; i < es; ++i)
            zero = zero && value[i] == 0;
        if (zero) {
            std::memset(dst, 0, static_cast<size_t>(out.byteSize()));
            return Status::ok();
        }
        for (int64_t i = 0; i < out.elementCount(); ++i)
            std::memcpy(dst + i * es, value, static_cast<size_t>(es));
        return Status::ok();
    }

private:
    Tensor m_value;
};

} // namespace

Result<std::unique_ptr<Kernel>> createConstantOfShape(const KernelInfo &info)
{
    if (!info.hasAttribute("value"))
        return makeKernel<ConstantOfShapeKernel>(Tensor::scalar<float>(0.0f));
    Result<Tensor> value = info.getTensor("value");
    if (!value)
        return value.status();
    if (value->elementCount() != 1 || !isSupportedDType(value->dtype()))
        return info.error("attribute 'value' should hold one number, not " + value->describe());
    return makeKernel<ConstantOfShapeKernel>(std::move(*value));
}

} // namespace qs::ops
