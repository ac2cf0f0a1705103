#pragma once
// Tensors in and out of files: ONNX TensorProto (initializers, Constant values, the backend
// tests' input_N.pb / output_N.pb) and NumPy .npy (what users' scripts save and load).

#include "tensor/tensor.h"
#include "util/status.h"

#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace onnx {
class TensorProto;
}

namespace qs {

class Model;

// Decodes a TensorProto. Data in raw_data or in a mapped external file is viewed without a copy
// when it is aligned and little-endian; `model` resolves external data and keeps the bytes alive
// (may be null for tensors that carry their own data). `what` names the tensor in errors.
Result<Tensor> tensorFromProto(const onnx::TensorProto &proto,
                               std::shared_ptr<const Model> model = nullptr);
// Like tensorFromProto, with the raw bytes given and kept alive by `owner`.
Result<Tensor> tensorFromProtoBytes(const onnx::TensorProto &proto, std::span<const std::byte> raw,
                                    std::shared_ptr<const void> owner);

void tensorToProto(const Tensor &tensor, onnx::TensorProto &proto);

// A serialized TensorProto file (test_data_set_*/input_0.pb).
Result<Tensor> readTensorProtoFile(const std::string &path);
// NumPy .npy, format versions 1-3, little-endian, C order. Fortran order is rejected.
Result<Tensor> readNpyFile(const std::string &path);
Status writeNpyFile(const Tensor &tensor, const std::string &path); // atomically
// By extension: .npy, or .pb (TensorProto).
Result<Tensor> readTensorFile(const std::string &path);

} // namespace qs
