// HannWindow, HammingWindow, BlackmanWindow (opset 17): a generalised cosine window of `size`
// samples, w[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N), N = size when periodic (the
// default, for spectral analysis) or size - 1 when symmetric (filter design). Output of the
// `output_datatype` attribute's type (float by default).
#include "runtime/ops/signal/signal_kernels.h"

#include <cmath>
#include <numbers>
#include <type_traits>

namespace qs::ops {

namespace {

struct CosineWindow
{
    double a0, a1, a2;
};

class WindowKernel final : public Kernel
{
public:
    WindowKernel(CosineWindow window, DType type, bool periodic)
        : m_window(window)
        , m_type(type)
        , m_periodic(periodic)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &sizeTensor = ctx.input(0);
        if (sizeTensor.elementCount() != 1
            || (sizeTensor.dtype() != DType::Int32 && sizeTensor.dtype() != DType::Int64))
            return ctx.error("size must be an int32/int64 scalar, got " + sizeTensor.describe());
        const int64_t size = sizeTensor.intAt(0);
        if (size < 0)
            return ctx.error("size " + std::to_string(size) + " is negative");
        Tensor &out = ctx.allocateOutput(0, m_type, {size});
        const double period = static_cast<double>(m_periodic ? size : size - 1);
        dispatchNumeric(m_type, [&](auto tag) {
            using T = decltype(tag);
            T *y = out.mutableData<T>();
            for (int64_t n = 0; n < size; ++n) {
                const double phase = period > 0 ? 2.0 * std::numbers::pi * n / period : 0.0;
                const double value = m_window.a0 - m_window.a1 * std::cos(phase)
                                     + m_window.a2 * std::cos(2.0 * phase);
                if constexpr (std::is_same_v<T, double>)
                    y[n] = value;
                else
                    y[n] = static_cast<T>(static_cast<float>(value));
            }
        });
        return Status::ok();
    }

private:
    CosineWindow m_window;
    DType m_type;
    bool m_periodic;
};

Result<std::unique_ptr<Kernel>> createWindow(const KernelInfo &info, CosineWindow window)
{
    auto type = info.getInt("output_datatype", static_cast<int64_t>(DType::Float32));
    if (!type)
        return type.status();
    const auto dtype = static_cast<DType>(*type);
    if (!isSupportedDType(dtype) || dtype == DType::String || dtype == DType::Bool)
        return info.unsupportedError("output_datatype " + std::to_string(*type)
                                     + " is not supported");
    auto periodic = info.getInt("periodic", 1);
    if (!periodic)
        return periodic.status();
    return makeKernel<WindowKernel>(window, dtype, *periodic != 0);
}

} // namespace

Result<std::unique_ptr<Kernel>> createBlackmanWindow(const KernelInfo &info)
{
    return createWindow(info, {0.42, 0.5, 0.08});
}
Result<std::unique_ptr<Kernel>> createHammingWindow(const KernelInfo &info)
{
    // ONNX's coefficients are 25/46 and 21/46 (the "optimal" Hamming), not 0.54 and 0.46.
    return createWindow(info, {25.0 / 46.0, 21.0 / 46.0, 0.0});
}
Result<std::unique_ptr<Kernel>> createHannWindow(const KernelInfo &info)
{
    return createWindow(info, {0.5, 0.5, 0.0});
}

} // namespace qs::ops
