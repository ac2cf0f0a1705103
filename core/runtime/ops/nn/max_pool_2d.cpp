#include "runtime/ops/nn/max_pool_2d.h"

#include <algorithm>
#include <limits>

namespace qs::ops {

namespace {

template<typename T>
void poolPlanes(const T *in, T *out, int64_t planes, int64_t inH, int64_t inW,
                const WindowGeometry &g, int threads)
{
    const int64_t outH = g.output[0], outW = g.output[1];
    const int64_t kh = g.kernel[0], kw = g.kernel[1], sh = g.strides[0], sw = g.strides[1];
    const int64_t ph = g.padBegin[0], pw = g.padBegin[1];
    // A parallel region only where the work pays for its barrier.
    const bool parallel = threads > 1 && planes > 1 && planes * outH * outW * kh * kw >= (1 << 16);
#pragma omp parallel for num_threads(threads) schedule(static) if (parallel)
    for (int64_t plane = 0; plane < planes; ++plane) {
        const T *src = in + plane * inH * inW;
        T *dst = out + plane * outH * outW;
        for (int64_t oy = 0; oy < outH; ++oy) {
            T *row = dst + oy * outW;
            std::fill(row, row + outW, std::numeric_limits<T>::lowest());
            const int64_t top = oy * sh - ph;
            const int64_t kyBegin = std::max<int64_t>(0, -top);
            const int64_t kyEnd = std::min<int64_t>(kh, inH - top);
            for (int64_t ky = kyBegin; ky < kyEnd; ++ky) {
                const T *line = src + (top + ky) * inW;
                for (int64_t kx = 0; kx < kw; ++kx) {
                    // Outputs whose tap kx lands inside the row: ox*sw - pw + kx in [0, inW).
                    const int64_t offset = kx - pw;
                    const int64_t first = offset >= 0 ? 0 : (-offset + sw - 1) / sw;
                    const int64_t last = std::min<int64_t>(outW, (inW - offset + sw - 1) / sw);
                    for (int64_t ox = first; ox < last; ++ox)
                        row[ox] = std::max(row[ox], line[ox * sw + offset]);
                }
            }
        }
    }
}

} // namespace

bool directMaxPool2dApplies(const Tensor &x, const WindowGeometry &geometry)
{
    const DType type = x.dtype();
    if (x.rank() != 4 || geometry.kernel.size() != 2
        || (type != DType::Float32 && type != DType::Int8 && type != DType::UInt8))
        return false;
    // Every window must hold at least one tap inside the image (ONNX pads never win; a window
    // entirely in the padding has no defined max), which holds when pads are below the kernel.
    for (size_t d = 0; d < 2; ++d) {
        const int64_t lastStart = (geometry.output[d] - 1) * geometry.strides[d]
                                  - geometry.padBegin[d];
        if (geometry.dilations[d] != 1 || geometry.padBegin[d] >= geometry.kernel[d]
            || lastStart >= x.dim(int64_t(d) + 2))
            return false;
    }
    return true;
}

void directMaxPool2d(const Tensor &x, const WindowGeometry &geometry, Tensor &out, int threads)
{
    const int64_t planes = x.dim(0) * x.dim(1), inH = x.dim(2), inW = x.dim(3);
    switch (x.dtype()) {
    case DType::Float32:
        poolPlanes(x.data<float>(), out.mutableData<float>(), planes, inH, inW, geometry, threads);
        break;
    case DType::Int8:
        poolPlanes(x.data<int8_t>(), out.mutableData<int8_t>(), planes, inH, inW, geometry, threads);
        break;
    case DType::UInt8:
        poolPlanes(x.data<uint8_t>(), out.mutableData<uint8_t>(), planes, inH, inW, geometry,
                   threads);
        break;
    default: break;
    }
}

} // namespace qs::ops
