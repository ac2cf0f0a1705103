// QLinearGlobalAveragePool (com.quantscope.fused; inputs x, x_scale, x_zero_point, y_scale,
// y_zero_point; attribute channels_last): the session's fusion of DequantizeLinear ->
// GlobalAveragePool -> QuantizeLinear (fusion/qdq_elementwise.cpp). The 8-bit values of
// each channel are summed exactly in integers, then y = round((mean - x_zp) * x_scale / y_scale)
// + y_zp. With channels_last the input is stored [N, H, W, C] (fusion/int8_layout.cpp); the
// output is [N, C, 1, 1], which is the same bytes in both layouts.
#include "runtime/ops/quant/quant_kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace qs::ops {

namespace {

class QLinearGlobalAveragePoolKernel final : public Kernel
{
public:
    explicit QLinearGlobalAveragePoolKernel(bool channelsLast)
        : m_channelsLast(channelsLast)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.rank() != 4 || (x.dtype() != DType::UInt8 && x.dtype() != DType::Int8))
            return ctx.error("input " + x.describe() + " must be a 4-D uint8 or int8 tensor");
        const int64_t batch = x.dim(0);
        const int64_t channels = m_channelsLast ? x.dim(3) : x.dim(1);
        const int64_t plane = x.elementCount() / std::max<int64_t>(batch * channels, 1);
        const Tensor &yZeroPoint = ctx.input(4);
        const DType outType = yZeroPoint.empty() ? DType::UInt8 : yZeroPoint.dtype();
        Tensor &y = ctx.allocateOutput(0, outType, {batch, channels, 1, 1});
        const float xScale = float(ctx.input(1).doubleAt(0)),
                    yScale = float(ctx.input(3).doubleAt(0));
        const float xZero = ctx.input(2).empty() ? 0.0f : float(ctx.input(2).doubleAt(0));
        const float yZero = yZeroPoint.empty() ? 0.0f : float(yZeroPoint.doubleAt(0));
        const bool signedIn = x.dtype() == DType::Int8;
        const float low = outType == DType::Int8 ? -128.0f : 0.0f;
        const float high = outType == DType::Int8 ? 127.0f : 255.0f;
        std::vector<int64_t> sums(size_t(batch * channels), 0);
        const auto *in = static_cast<const uint8_t *>(x.rawData());
        auto value = [&](int64_t i) -> int64_t { return signedIn ? int8_t(in[i]) : in[i]; };
        if (m_channelsLast) {
            for (int64_t n = 0; n < batch; ++n)
                for (int64_t p = 0; p < plane; ++p)
                    for (int64_t c = 0; c < channels; ++c)
                        sums[size_t(n * channels + c)] += value((n * plane + p) * channels + c);
        } else {
#pragma omp parallel for num_threads(ctx.threads()) if (x.elementCount() > (1 << 16))
            for (int64_t nc = 0; nc < batch * channels; ++nc) {
                int64_t sum = 0;
                for (int64_t p = 0; p < plane; ++p)
                    sum += value(nc * plane + p);
                sums[size_t(nc)] = sum;
            }
        }
        auto *out = static_cast<uint8_t *>(y.mutableRawData());
        for (int64_t i = 0; i < batch * channels; ++i) {
            const float mean = float(double(sums[size_t(i)]) / double(std::max<int64_t>(plane, 1)));
            const float q = std::clamp(std::nearbyint((mean - xZero) * xScale / yScale) + yZero,
                                       low, high);
            out[i] = outType == DType::Int8 ? uint8_t(int8_t(q)) : uint8_t(q);
        }
        return Status::ok();
    }

private:
    bool m_channelsLast;
};

} // namespace

Result<std::unique_ptr<Kernel>> createQLinearGlobalAveragePool(const KernelInfo &info)
{
    Result<int64_t> channelsLast = info.getInt("channels_last", 0);
    if (!channelsLast)
        return channelsLast.status();
    if (info.inputCount() != 5)
        return info.error("expects x, x_scale, x_zero_point, y_scale, y_zero_point");
    return makeKernel<QLinearGlobalAveragePoolKernel>(*channelsLast != 0);
}

} // namespace qs::ops
