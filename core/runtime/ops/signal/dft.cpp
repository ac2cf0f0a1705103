// DFT (opset 17): the discrete Fourier transform of a real ([..., 1]) or complex ([..., 2])
// signal along `axis` (default 1), zero-padded or truncated to the optional dft_length input;
// `inverse` transforms back (divided by the length), `onesided` keeps the first N/2 + 1 bins
// (the others mirror them for real input). The output is complex, [..., 2].
#include "runtime/ops/signal/fourier.h"
#include "runtime/ops/signal/signal_kernels.h"

namespace qs::ops {

namespace {

class DftKernel final : public Kernel
{
public:
    DftKernel(int64_t axis, bool inverse, bool onesided)
        : m_axis(axis)
        , m_inverse(inverse)
        , m_onesided(onesided)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        auto signal = readComplex(ctx, x);
        if (!signal)
            return signal.status();
        // The axis counts the dims of the signal without the trailing real/complex one.
        const int64_t rank = x.rank() - 1;
        int64_t axis = m_axis < 0 ? m_axis + rank : m_axis;
        if (axis < 0 || axis >= rank)
            return ctx.error("axis " + std::to_string(m_axis) + " is outside the signal dims of "
                             + x.describe());
        const int64_t available = x.dim(axis);
        int64_t length = available;
        if (ctx.hasInput(1)) {
            if (ctx.input(1).elementCount() != 1)
                return ctx.error("dft_length must be a scalar, got " + ctx.input(1).describe());
            length = ctx.input(1).intAt(0);
            if (length < 1)
                return ctx.error("dft_length " + std::to_string(length) + " is not positive");
        }
        const int64_t bins = m_onesided ? length / 2 + 1 : length;
        int64_t outer = 1, inner = 1;
        for (int64_t d = 0; d < axis; ++d)
            outer *= x.dim(d);
        for (int64_t d = axis + 1; d < rank; ++d)
            inner *= x.dim(d);
        Shape outShape(x.shape().begin(), x.shape().end() - 1);
        outShape[static_cast<size_t>(axis)] = bins;
        std::vector<std::complex<double>> result(static_cast<size_t>(outer * bins * inner));
        for (int64_t o = 0; o < outer; ++o) {
            for (int64_t i = 0; i < inner; ++i) {
                discreteFourierTransform(signal->data() + o * available * inner + i, inner,
                                         available, length, m_inverse, bins,
                                         result.data() + o * bins * inner + i, inner);
            }
        }
        writeComplex(ctx, 0, x.dtype(), outShape, result);
        return Status::ok();
    }

private:
    int64_t m_axis;
    bool m_inverse;
    bool m_onesided;
};

} // namespace

Result<std::unique_ptr<Kernel>> createDft(const KernelInfo &info)
{
    auto axis = info.getInt("axis", 1);
    auto inverse = info.getInt("inverse", 0);
    auto onesided = info.getInt("onesided", 0);
    for (const Status &status : {axis.status(), inverse.status(), onesided.status()}) {
        if (!status)
            return status;
    }
    return makeKernel<DftKernel>(*axis, *inverse != 0, *onesided != 0);
}

} // namespace qs::ops
