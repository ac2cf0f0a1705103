#include "runtime/ops/nn/pool_indices.h"

#include <algorithm>
#include <array>
#include <limits>

namespace qs::ops {

void maxPoolWithIndices(const Tensor &src, const WindowGeometry &geometry, bool columnMajor,
                        Tensor &values, Tensor &indices, int threads)
{
    // Spatial rank 1..3 padded to 3 dims (leading unit dims) so one loop nest serves all.
    const size_t rank = geometry.kernel.size();
    const size_t lead = 3 - rank;
    std::array<int64_t, 3> in{1, 1, 1}, out{1, 1, 1}, kernel{1, 1, 1}, stride{1, 1, 1},
        dilation{1, 1, 1}, pad{0, 0, 0};
    for (size_t i = 0; i < rank; ++i) {
        in[lead + i] = src.dim(static_cast<int64_t>(2 + i));
        out[lead + i] = geometry.output[i];
        kernel[lead + i] = geometry.kernel[i];
        stride[lead + i] = geometry.strides[i];
        dilation[lead + i] = geometry.dilations[i];
        pad[lead + i] = geometry.padBegin[i];
    }
    const int64_t planes = src.dim(0) * src.dim(1);
    const int64_t inPlane = in[0] * in[1] * in[2];
    const int64_t outPlane = out[0] * out[1] * out[2];
    const float *x = src.data<float>();
    float *y = values.mutableData<float>();
    int64_t *idx = indices.mutableData<int64_t>();
#pragma omp parallel for num_threads(threads) if (planes * outPlane > 16384)
    for (int64_t plane = 0; plane < planes; ++plane) {
        const float *xp = x + plane * inPlane;
        int64_t o = plane * outPlane;
        for (int64_t od = 0; od < out[0]; ++od) {
            for (int64_t oh = 0; oh < out[1]; ++oh) {
                for (int64_t ow = 0; ow < out[2]; ++ow, ++o) {
                    float best = -std::numeric_limits<float>::infinity();
                    int64_t bestD = -1, bestH = 0, bestW = 0;
                    for (int64_t kd = 0; kd < kernel[0]; ++kd) {
                        const int64_t d = od * stride[0] - pad[0] + kd * dilation[0];
                        if (d < 0 || d >= in[0])
                            continue;
                        for (int64_t kh = 0; kh < kernel[1]; ++kh) {
                            const int64_t h = oh * stride[1] - pad[1] + kh * dilation[1];
                            if (h < 0 || h >= in[1])
                                continue;
                            for (int64_t kw = 0; kw < kernel[2]; ++kw) {
                                const int64_t w = ow * stride[2] - pad[2] + kw * dilation[2];
                                if (w < 0 || w >= in[2])
                                    continue;
                                const float v = xp[(d * in[1] + h) * in[2] + w];
                                if (bestD < 0 || v > best) {
                                    best = v;
                                    bestD = d, bestH = h, bestW = w;
                                }
                            }
                        }
                    }
                    y[o] = best;
                    bestD = std::max<int64_t>(bestD, 0); // a window entirely in padding
                    const int64_t position = columnMajor
                                                 ? bestD * in[1] * in[2] + bestW * in[1] + bestH
                                                 : (bestD * in[1] + bestH) * in[2] + bestW;
                    idx[o] = plane * inPlane + position;
                }
            }
        }
    }
}

} // namespace qs::ops
