#pragma once
// Internal to the FP16 converter: float32 values rewritten as float16 with clamping. Converted
// tensors are new tensors (written as raw_data), even when the source was external data: the
// source file's bytes are float32 and cannot be shared with the new tensor.

#include "quantscope.pb.h"
#include "tensor/tensor.h"
#include "util/status.h"

#include <cstdint>

namespace onnx {
class TensorProto;
}

namespace qs {

class Model;

struct Fp16Range
{
    float minPositive = 1e-7f; // nonzero magnitudes below become +-minPositive
    float maxFinite = 1e4f;    // magnitudes above (infinities too) become +-maxFinite
};

// The range from the options: 0 stands for the defaults (onnxconverter-common's).
Fp16Range fp16Range(const quantscope::Fp16Options &options);

// The values of `source` (a tensor of `model`, external data allowed) as float32; an error when
// it is not float32.
Result<Tensor> readFloat32(const Model &model, const onnx::TensorProto &source);

// The largest magnitude among the values of `source` (a float32 tensor of `model`).
Result<float> maxMagnitude(const Model &model, const onnx::TensorProto &source);

// `values` (float32) as float16, clamped into `range`; `clamped` grows by the values moved.
Tensor toFloat16(const Tensor &values, const Fp16Range &range, int64_t &clamped);

} // namespace qs
