#pragma once
// Raising a model's ai.onnx opset before quantization: QuantizeLinear/DequantizeLinear need 10,
// DynamicQuantizeLinear 11, and per-channel (axis) 13. ONNX Runtime's tools only bump the
// version number, which silently changes the meaning of Softmax, Squeeze, Split, ... ; we run
// ONNX's own version converter, which rewrites every node whose semantics changed.
#include "util/diagnostic.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <vector>

namespace qs {

// Returns `model` unchanged when its opset is already >= `target`. Node names are preserved;
// unnamed nodes keep being unnamed. Fails (Unsupported) naming the op the converter could not
// adapt.
Result<onnx::ModelProto> upgradeOpset(const onnx::ModelProto &model, int64_t target);

int64_t defaultDomainOpset(const onnx::ModelProto &model);

// 16-bit QuantizeLinear / DequantizeLinear (A16W8) came with opset 21.
constexpr int64_t kSixteenBitQdqOpset = 21;

// upgradeOpset in place when `model` is below `target`, with an Info diagnostic saying so and
// `why` (what needs the opset).
Status raiseOpset(onnx::ModelProto &model, int64_t target, MessageId why,
                  std::vector<Diagnostic> &diagnostics);

} // namespace qs
