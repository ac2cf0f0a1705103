#pragma once
// Static INT8 in QDQ format: QuantizeLinear -> DequantizeLinear pairs on the planned activations,
// weights stored quantized and read through DequantizeLinear (per channel with `axis`), biases
// as int32 with scale = input scale x weight scale. The float ops stay as they are, so any
// runtime runs the model; int8 runtimes fuse "DQ -> op -> Q" into integer kernels. Names: the
// producer keeps writing tensor T, T_QuantizeLinear_Output / T_DequantizeLinear_Output follow,
// and every reader of T reads the dequantized value (a graph output keeps its name: the
// producer writes T_QuantizeLinear_Input instead). Node names of kept nodes never change.
#include "quant/quant_emitter.h"

namespace qs {

Result<onnx::ModelProto> writeQdqModel(std::shared_ptr<const Model> model, const StaticPlan &plan,
                                       const std::map<std::string, TensorRange> &ranges,
                                       const StaticWriteOptions &options, Progress &progress);

} // namespace qs
