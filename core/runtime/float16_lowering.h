#pragma once
// Float16 as a storage format: a model whose weights and activations are float16 is rewritten
// once, when a session is created, into the same model in float32, and run in float32.
//
// Why: the engine's kernels compute in float32 (oneDNN, Eigen); given float16 operands they
// widened every input and narrowed every output on every call, which made FP16 models several
// times slower than their FP32 originals. Lowering widens the weights once instead, and the
// session converts only the graph inputs and outputs per run. Results are slightly more accurate
// than true float16 arithmetic (intermediate values keep float32 precision and range), as with
// ONNX Runtime's CPU provider, which inserts casts around float16 ops it has no kernel for.

#include "tensor/tensor.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <memory>

namespace qs {

class Model;

// True when anything in the model is FLOAT16: an initializer, a tensor attribute (Constant,
// ConstantOfShape), a graph input/output/value_info, a Cast `to` or a `dtype` attribute, in the
// main graph, in If/Loop/Scan subgraphs or in local functions.
bool usesFloat16(const onnx::ModelProto &model);

// A copy of `model` in which every FLOAT16 is FLOAT: tensors are decoded and stored again as
// float32 raw_data, Cast `to` and `dtype` attributes and every declared type change, subgraphs
// and local functions included. Tensors of other types are copied as they are (external data
// references too, so the copy must be loaded with the original's base folder).
//
// Float16 tensors stored as external data are read through `dataSource`, which must be the
// loaded model whose proto() is `model`; without it they fail with a message naming the tensor.
Result<onnx::ModelProto> lowerFloat16ToFloat32(const onnx::ModelProto &model,
                                               std::shared_ptr<const Model> dataSource = nullptr);

// Element-wise conversions of whole tensors, split across `threads` for large tensors. A tensor
// that is not of the source type is returned unchanged (it shares the storage).
Tensor convertFloat16ToFloat32(const Tensor &tensor, int threads = 1);
Tensor convertFloat32ToFloat16(const Tensor &tensor, int threads = 1);

} // namespace qs
