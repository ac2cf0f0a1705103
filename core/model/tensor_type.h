#pragma once
// The type of a value as the inspector and later the engine see it: element type and a shape
// whose dims are numbers, symbols ("batch") or unknown.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace onnx {
class TypeProto;
class TensorProto;
} // namespace onnx

namespace qs {

struct Dim
{
    int64_t value = -1; // >= 0 when the size is known
    std::string symbol; // dim_param when the size is symbolic; empty when unknown

    bool isKnown() const { return value >= 0; }
    std::string toString() const; // "3", "batch" or "?"
};

struct TensorType
{
    int32_t elementType = 0; // onnx::TensorProto::DataType; 0 when unknown
    bool hasShape = false;   // false: rank unknown
    std::vector<Dim> dims;

    static TensorType fromTypeProto(const onnx::TypeProto &type);
    static TensorType fromTensor(const onnx::TensorProto &tensor);

    // Product of the dims when all are known.
    std::optional<int64_t> elementCount() const;
    std::string shapeString() const; // "[1,3,?,batch]" or "?" when the rank is unknown
};

} // namespace qs
