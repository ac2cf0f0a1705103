#pragma once
// Scales and zero points, computed the way ONNX Runtime's quantization tools compute them so
// that recipes carry over (onnxruntime/python/tools/quantization/quant_utils.py):
//  - the real range is widened to include 0 (zero must be exact: padding, ReLU);
//  - symmetric ranges become [-max|x|, max|x|] with the middle zero point (0 or 128);
//  - reduce-range uses 7 bits ([0,127] / [-64,64]) for CPUs without VNNI that would saturate;
//  - a scale too small to divide by becomes 1 with zero point 0.
// Weights are quantized here too: per tensor or per channel along an axis, and int32 biases
// with scale = input scale x weight scale.
#include "quantscope.pb.h"
#include "tensor/tensor.h"

#include <cstdint>
#include <vector>

namespace qs {

struct QuantRange
{
    int32_t qmin = 0;
    int32_t qmax = 255;
};

// The integer range of `type`; `reduceRange` and `symmetric` as in ORT's get_qmin_qmax_for_qType.
QuantRange quantRange(quantscope::QuantType type, bool reduceRange, bool symmetric);

DType quantDType(quantscope::QuantType type); // Int8 or UInt8

// A16W8: the 16-bit activation type of the same signedness as `activationType` (uint16 for
// uint8, int16 for int8), and its range (symmetric int16 drops -32768 like int8 drops -128).
DType sixteenBitDType(quantscope::QuantType activationType);
QuantRange sixteenBitRange(quantscope::QuantType activationType, bool symmetric);

struct QuantParams
{
    float scale = 1.0f;
    int32_t zeroPoint = 0;
};

QuantParams computeQuantParams(float rmin, float rmax, QuantRange range, bool symmetric);

// A float tensor quantized per tensor (axis -1: one scale) or per channel along `axis`.
struct QuantizedTensor
{
    Tensor values;             // int8 / uint8 / int32 (biases)
    std::vector<float> scales; // one, or one per channel
    std::vector<int32_t> zeroPoints;
    int64_t axis = -1;
};

struct WeightQuantOptions
{
    quantscope::QuantType type = quantscope::QUANT_TYPE_INT8;
    bool symmetric = true;
    bool reduceRange = false;
    int64_t axis = -1; // per-channel axis, -1 for per tensor
};

// `weights` must be float32 (float16/float64 are widened first by the caller).
QuantizedTensor quantizeWeights(const Tensor &weights, const WeightQuantOptions &options);

// Bias of a Conv/Gemm/MatMul as int32 with scale[c] = inputScale * weightScales[c] and zero
// point 0; `weightScales` has one entry or one per output channel (bias element).
QuantizedTensor quantizeBias(const Tensor &bias, float inputScale,
                             const std::vector<float> &weightScales);

// Round-half-to-even like numpy.round / ONNX QuantizeLinear, then saturate.
int32_t quantizeValue(float value, const QuantParams &params, QuantRange range);

} // namespace qs
