// STFT (opset 17): the short-time Fourier transform of signal [batch, length, 1|2]: frames of
// frame_length samples every frame_step, each multiplied by the optional window (whose length
// then is the frame length) and transformed (fourier.h). Output [batch, frames, bins, 2] with
// bins = frame_length / 2 + 1 when `onesided` (the default), else frame_length.
#include "runtime/ops/signal/fourier.h"
#include "runtime/ops/signal/signal_kernels.h"

#include "runtime/ops/reduce/reference_values.h"

namespace qs::ops {

namespace {

class StftKernel final : public Kernel
{
public:
    explicit StftKernel(bool onesided)
        : m_onesided(onesided)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.rank() != 3)
            return ctx.error("signal must be [batch, length, 1|2], got " + x.describe());
        auto signal = readComplex(ctx, x);
        if (!signal)
            return signal.status();
        if (ctx.input(1).elementCount() != 1)
            return ctx.error("frame_step must be a scalar, got " + ctx.input(1).describe());
        const int64_t step = ctx.input(1).intAt(0);
        std::vector<double> window;
        int64_t frameLength = -1;
        if (ctx.hasInput(2)) {
            auto values = widenToDouble(ctx, ctx.input(2));
            if (!values)
                return values.status();
            window = std::move(*values);
            frameLength = static_cast<int64_t>(window.size());
        }
        if (ctx.hasInput(3)) {
            const int64_t given = ctx.input(3).intAt(0);
            if (frameLength >= 0 && given != frameLength)
                return ctx.error("frame_length " + std::to_string(given)
                                 + " differs from the window's length "
                                 + std::to_string(frameLength));
            frameLength = given;
        }
        const int64_t batch = x.dim(0), length = x.dim(1);
        if (frameLength < 1 || frameLength > length || step < 1)
            return ctx.error("frame_length " + std::to_string(frameLength) + " and frame_step "
                             + std::to_string(step) + " do not fit a signal of "
                             + std::to_string(length) + " samples");
        const int64_t frames = (length - frameLength) / step + 1;
        const int64_t bins = m_onesided ? frameLength / 2 + 1 : frameLength;
        std::vector<std::complex<double>> frame(static_cast<size_t>(frameLength));
        std::vector<std::complex<double>> result(static_cast<size_t>(batch * frames * bins));
        for (int64_t b = 0; b < batch; ++b) {
            for (int64_t f = 0; f < frames; ++f) {
                const std::complex<double> *start = signal->data() + b * length + f * step;
                for (int64_t n = 0; n < frameLength; ++n)
                    frame[n] = window.empty() ? start[n] : start[n] * window[n];
                discreteFourierTransform(frame.data(), 1, frameLength, frameLength, false, bins,
                                         result.data() + (b * frames + f) * bins, 1);
            }
        }
        writeComplex(ctx, 0, x.dtype(), {batch, frames, bins}, result);
        return Status::ok();
    }

private:
    bool m_onesided;
};

} // namespace

Result<std::unique_ptr<Kernel>> createStft(const KernelInfo &info)
{
    auto onesided = info.getInt("onesided", 1);
    if (!onesided)
        return onesided.status();
    return makeKernel<StftKernel>(*onesided != 0);
}

} // namespace qs::ops
