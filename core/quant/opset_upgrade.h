#pragma once
// Raising a model's ai.onnx opset before quantization: QuantizeLinear/DequantizeLinear need 10,
// DynamicQuantizeLinear 11, and per-channel (axis) 13. ONNX Runtime's tools only bump the
// version number, which silently changes the meaning of Softmax, Squeeze, Split, ... ; we run
// ONNX's own version converter, which rewrites every node whose semantics changed.
#include "util/status.h"

#include <onnx/onnx_pb.h>

namespace qs {

// Returns `model` unchanged when its opset is already >= `target`. Node names are preserved;
// unnamed nodes keep being unnamed. Fails (Unsupported) naming the op the converter could not
// adapt.
Result<onnx::ModelProto> upgradeOpset(const onnx::ModelProto &model, int64_t target);

int64_t defaultDomainOpset(const onnx::ModelProto &model);

} // namespace qs
