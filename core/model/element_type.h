#pragma once
// Names and sizes of ONNX tensor element types (TensorProto::DataType), in the spelling users
// know from NumPy: float32, int64, ...

#include <cstdint>
#include <string_view>

namespace qs {

// Byte size of one element; 0 for strings and unknown types (their size is not fixed).
int64_t elementByteSize(int32_t onnxType);

// "float32", "float16", "int8", ...; "undefined" for 0 and "type<N>" for codes we do not know.
std::string_view elementTypeName(int32_t onnxType);

} // namespace qs
