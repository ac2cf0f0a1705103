// The direct discrete Fourier transform of fourier.h.
#include "runtime/ops/signal/fourier.h"

#include "runtime/ops/reduce/reference_values.h"

#include <cmath>
#include <numbers>

namespace qs::ops {

void discreteFourierTransform(const std::complex<double> *in, int64_t inStride, int64_t available,
                              int64_t length, bool inverse, int64_t bins, std::complex<double> *out,
                              int64_t outStride)
{
    const int64_t used = std::min(available, length);
    const double sign = inverse ? 1.0 : -1.0;
    for (int64_t k = 0; k < bins; ++k) {
        std::complex<double> sum = 0.0;
        for (int64_t n = 0; n < used; ++n) {
            // k * n reduced modulo the length keeps the angle small and accurate.
            const double angle = sign * 2.0 * std::numbers::pi
                                 * static_cast<double>((k * n) % length) / length;
            sum += in[n * inStride] * std::complex<double>(std::cos(angle), std::sin(angle));
        }
        out[k * outStride] = inverse ? sum / static_cast<double>(length) : sum;
    }
}

Result<std::vector<std::complex<double>>> readComplex(const KernelContext &ctx, const Tensor &x)
{
    if (x.rank() < 1 || (x.dim(x.rank() - 1) != 1 && x.dim(x.rank() - 1) != 2))
        return ctx.error("input must end in a dim of 1 (real) or 2 (complex), got " + x.describe());
    auto values = widenToDouble(ctx, x);
    if (!values)
        return values.status();
    const bool complex = x.dim(x.rank() - 1) == 2;
    std::vector<std::complex<double>> result(values->size() / (complex ? 2 : 1));
    for (size_t i = 0; i < result.size(); ++i)
        result[i] = complex ? std::complex<double>((*values)[2 * i], (*values)[2 * i + 1])
                            : std::complex<double>((*values)[i], 0.0);
    return result;
}

void writeComplex(KernelContext &ctx, size_t index, DType type, Shape shape,
                  const std::vector<std::complex<double>> &values)
{
    shape.push_back(2);
    std::vector<double> flat(values.size() * 2);
    for (size_t i = 0; i < values.size(); ++i) {
        flat[2 * i] = values[i].real();
        flat[2 * i + 1] = values[i].imag();
    }
    writeFromDouble(ctx, index, type, shape, flat);
}

} // namespace qs::ops
