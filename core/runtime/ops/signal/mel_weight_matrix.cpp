// MelWeightMatrix (opset 17): the [dft_length / 2 + 1, num_mel_bins] matrix that maps a onesided
// spectrum to mel bands. num_mel_bins + 2 edges are spaced evenly on the mel scale
// (2595 log10(1 + hz / 700)) from lower_edge_hertz, mel_step = (high - low) / (num_mel_bins + 2)
// as ONNX's reference computes it, and mapped to spectrum bins floor((dft_length + 1) * hz /
// sample_rate); band i is a triangle rising from edge i to edge i + 1 and falling to edge i + 2.
#include "runtime/ops/signal/signal_kernels.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace qs::ops {

namespace {

double hertzToMel(double hz)
{
    return 2595.0 * std::log10(1.0 + hz / 700.0);
}
double melToHertz(double mel)
{
    return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
}

class MelWeightMatrixKernel final : public Kernel
{
public:
    explicit MelWeightMatrixKernel(DType type)
        : m_type(type)
    {}

    Status compute(KernelContext &ctx) const override
    {
        for (size_t i = 0; i < 5; ++i) {
            if (ctx.input(i).elementCount() != 1)
                return ctx.error("input " + std::to_string(i) + " must be a scalar, got "
                                 + ctx.input(i).describe());
        }
        const int64_t melBins = ctx.input(0).intAt(0), dftLength = ctx.input(1).intAt(0);
        const int64_t sampleRate = ctx.input(2).intAt(0);
        const double lower = ctx.input(3).doubleAt(0), upper = ctx.input(4).doubleAt(0);
        if (melBins < 1 || dftLength < 1 || sampleRate < 1)
            return ctx.error("num_mel_bins, dft_length and sample_rate must be positive");
        const int64_t spectrumBins = dftLength / 2 + 1;
        const double low = hertzToMel(lower);
        const double step = (hertzToMel(upper) - low) / static_cast<double>(melBins + 2);
        std::vector<int64_t> edges(static_cast<size_t>(melBins + 2));
        for (size_t i = 0; i < edges.size(); ++i) {
            const double hz = melToHertz(static_cast<double>(i) * step + low);
            const auto bin = static_cast<int64_t>(
                std::floor(static_cast<double>(dftLength + 1) * hz / sampleRate));
            edges[i] = std::clamp<int64_t>(bin, 0, spectrumBins - 1);
        }
        std::vector<double> weights(static_cast<size_t>(spectrumBins * melBins), 0.0);
        auto at = [&](int64_t bin, int64_t band) -> double & {
            return weights[static_cast<size_t>(bin * melBins + band)];
        };
        for (int64_t band = 0; band < melBins; ++band) {
            const int64_t left = edges[band], centre = edges[band + 1], right = edges[band + 2];
            if (centre == left) {
                at(centre, band) = 1.0;
            } else {
                for (int64_t j = left; j <= centre; ++j)
                    at(j, band) = static_cast<double>(j - left)
                                  / static_cast<double>(centre - left);
            }
            for (int64_t j = centre; j < right; ++j)
                at(j, band) = static_cast<double>(right - j) / static_cast<double>(right - centre);
        }
        Tensor &out = ctx.allocateOutput(0, m_type, {spectrumBins, melBins});
        dispatchNumeric(m_type, [&](auto tag) {
            using T = decltype(tag);
            T *y = out.mutableData<T>();
            for (size_t i = 0; i < weights.size(); ++i) {
                if constexpr (std::is_same_v<T, double>)
                    y[i] = weights[i];
                else
                    y[i] = static_cast<T>(static_cast<float>(weights[i]));
            }
        });
        return Status::ok();
    }

private:
    DType m_type;
};

} // namespace

Result<std::unique_ptr<Kernel>> createMelWeightMatrix(const KernelInfo &info)
{
    auto type = info.getInt("output_datatype", static_cast<int64_t>(DType::Float32));
    if (!type)
        return type.status();
    const auto dtype = static_cast<DType>(*type);
    if (!isSupportedDType(dtype) || dtype == DType::String || dtype == DType::Bool)
        return info.unsupportedError("output_datatype " + std::to_string(*type)
                                     + " is not supported");
    return makeKernel<MelWeightMatrixKernel>(dtype);
}

} // namespace qs::ops
