// ReverseSequence (opset 10): for each batch entry b, reverses the first sequence_lens[b] steps
// along time_axis and copies the rest; batch_axis and time_axis are 0 and 1 in either order.
#include "runtime/ops/tensor/tensor_kernels.h"

#include <cstring>

namespace qs::ops {

namespace {

class ReverseSequenceKernel final : public Kernel
{
public:
    ReverseSequenceKernel(int64_t batchAxis, int64_t timeAxis)
        : m_batchAxis(batchAxis)
        , m_timeAxis(timeAxis)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const Tensor &lengths = ctx.input(1);
        if (x.rank() < 2)
            return ctx.error("input must have at least 2 dims, got " + x.describe());
        const int64_t batch = x.dim(m_batchAxis), steps = x.dim(m_timeAxis);
        if (lengths.rank() != 1 || lengths.dim(0) != batch)
            return ctx.error("sequence_lens " + lengths.describe() + " should have "
                             + std::to_string(batch) + " entries");
        Tensor &y = ctx.allocateOutput(0, x.dtype(), x.shape());
        int64_t block = dtypeSize(x.dtype());
        for (int64_t d = 2; d < x.rank(); ++d)
            block *= x.dim(d);
        // Offsets of (batch b, step t) in elements of `block` bytes.
        const int64_t batchStride = m_batchAxis == 0 ? steps : 1;
        const int64_t timeStride = m_timeAxis == 0 ? batch : 1;
        const auto *src = static_cast<const char *>(x.rawData());
        auto *dst = static_cast<char *>(y.mutableRawData());
        for (int64_t b = 0; b < batch; ++b) {
            const int64_t length = lengths.intAt(b);
            if (length < 0 || length > steps)
                return ctx.error("sequence_lens[" + std::to_string(b)
                                 + "] = " + std::to_string(length) + " is outside [0, "
                                 + std::to_string(steps) + "]");
            for (int64_t t = 0; t < steps; ++t) {
                const int64_t from = t < length ? length - 1 - t : t;
                std::memcpy(dst + (b * batchStride + t * timeStride) * block,
                            src + (b * batchStride + from * timeStride) * block,
                            static_cast<size_t>(block));
            }
        }
        return Status::ok();
    }

private:
    int64_t m_batchAxis;
    int64_t m_timeAxis;
};

} // namespace

Result<std::unique_ptr<Kernel>> createReverseSequence(const KernelInfo &info)
{
    auto batchAxis = info.getInt("batch_axis", 1);
    if (!batchAxis)
        return batchAxis.status();
    auto timeAxis = info.getInt("time_axis", 0);
    if (!timeAxis)
        return timeAxis.status();
    if (!((*batchAxis == 0 && *timeAxis == 1) || (*batchAxis == 1 && *timeAxis == 0)))
        return info.error("batch_axis and time_axis must be 0 and 1 in either order");
    return makeKernel<ReverseSequenceKernel>(*batchAxis, *timeAxis);
}

} // namespace qs::ops
