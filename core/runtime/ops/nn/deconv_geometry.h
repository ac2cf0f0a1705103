#pragma once
// ConvTranspose's attributes and the geometry oneDNN's deconvolution needs, shared by the float
// kernel (nn/conv_transpose.cpp) and the int8 one (quant/int8_conv_transpose.cpp).

#include "runtime/ops/nn/nn_util.h"

namespace qs::ops {

struct DeconvSettings
{
    WindowAttributes window;
    int64_t group = 1;
    std::vector<int64_t> outputPadding, outputShape;

    // Reads kernel_shape, strides, dilations, pads, auto_pad, group, output_padding and
    // output_shape. `weightRank`, when known, trims an output_shape that lists N and C too (as
    // older exporters write it).
    static Result<DeconvSettings> parse(const KernelInfo &info, int64_t weightRank);
};

struct DeconvGeometry
{
    Shape outputShape;
    dnnl::memory::dims strides, dilations, padBegin, padEnd; // oneDNN's: dilation - 1,
                                                             // end pad minus output_padding
    // ONNX's weights [C_in, M / group, k...] described as oneDNN's logical
    // [(group,) OC/G, IC/G, k...] by strides, without copying.
    dnnl::memory::dims weightDims, weightStrides;
};

// The geometry for input `x` and weights `w`; errors name `label` and the shapes.
Result<DeconvGeometry> resolveDeconvGeometry(const DeconvSettings &settings, const Shape &x,
                                             const Shape &w, const std::string &label);

} // namespace qs::ops
