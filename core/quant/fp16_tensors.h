#pragma once
// Internal to the FP16 converter: float32 tensor data rewritten as float16 with clamping.
// Converted tensors always end up as raw_data, even when the source was external data, because
// the source file's bytes are float32 and cannot be shared with the new tensor.

#include "quantscope.pb.h"
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

// The largest magnitude among the values of `source` (a float32 tensor of `model`).
Result<float> maxMagnitude(const Model &model, const onnx::TensorProto &source);

// Writes the values of `source` (a float32 tensor of `model`, external data allowed) into
// `target` as float16. `target` keeps its name; it may be `source` itself. Returns how many
// values were clamped.
Result<int64_t> writeFloat16Tensor(const Model &model, const onnx::TensorProto &source,
                                   const Fp16Range &range, onnx::TensorProto &target);

// Writes the values of `source` into `target` as float32 raw_data: a self-contained copy that
// does not depend on `model`'s external files.
Status writeFloat32Tensor(const Model &model, const onnx::TensorProto &source,
                          onnx::TensorProto &target);

} // namespace qs
