#pragma once
// The discrete Fourier transform that DFT and STFT share: a direct O(N * bins) sum in double.
// These ops are rare in the models the engine runs and their lengths short, so clarity wins
// over an FFT here.

#include "runtime/kernel.h"

#include <complex>
#include <vector>

namespace qs::ops {

// out[k * outStride] = sum_{n < N} x[n] e^{-+2 pi i k n / N} for k < bins, where x[n] is
// in[n * inStride] for n < available and 0 beyond (zero padding to the transform length N).
// The inverse uses e^{+...} and divides by N.
void discreteFourierTransform(const std::complex<double> *in, int64_t inStride, int64_t available,
                              int64_t length, bool inverse, int64_t bins, std::complex<double> *out,
                              int64_t outStride);

// Reads a real ([..., 1]) or complex ([..., 2]) float tensor as complex values; an error for
// another last dim or a non-float type.
Result<std::vector<std::complex<double>>> readComplex(const KernelContext &ctx, const Tensor &x);
// Allocates output `index` of `type` shaped `shape` + [2] and fills it from `values`.
void writeComplex(KernelContext &ctx, size_t index, DType type, Shape shape,
                  const std::vector<std::complex<double>> &values);

} // namespace qs::ops
