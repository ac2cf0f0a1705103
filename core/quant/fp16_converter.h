#pragma once
// Float32 -> float16 conversion of a whole model (weights, activations, graph signature), after
// onnxconverter-common's convert_float_to_float16 without its known bugs: existing Cast(to=FLOAT)
// nodes in the converted region become Cast(to=FLOAT16), casts are shared per (value, type) and
// never chained, and ops whose schema has no float16 form at the model's opset stay float32.

#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include "quantscope.pb.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

class Model;

struct Fp16Result
{
    onnx::ModelProto model;              // the converted model (not yet saved)
    int64_t convertedTensors = 0;        // initializers/Constant values turned into float16
    int64_t clampedValues = 0;           // values moved into [min_positive, max_finite]
    int64_t insertedCasts = 0;
    std::vector<Diagnostic> diagnostics; // clamped weights, blocked nodes
};

// `options.node_block_list` holds display names the caller has already validated. Converted
// tensors are written as raw_data; tensors left float32 keep their storage (external data too).
Result<Fp16Result> convertToFloat16(const Model &model, const quantscope::Fp16Options &options,
                                    Progress &progress);

// onnxconverter-common's DEFAULT_OP_BLOCK_LIST: ML-domain ops, and ops whose float16 kernels are
// missing or lose too much (TopK, Range, CumSum, Resize...).
std::vector<std::string> defaultFp16OpBlockList();

} // namespace qs
