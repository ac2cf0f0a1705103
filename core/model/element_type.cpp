#include "model/element_type.h"

#include <onnx/onnx_pb.h>

namespace qs {

namespace {

struct ElementTypeFacts
{
    int32_t code;
    std::string_view name;
    int64_t byteSize;
};

constexpr ElementTypeFacts kElementTypes[] = {
    {onnx::TensorProto::UNDEFINED, "undefined", 0},
    {onnx::TensorProto::FLOAT, "float32", 4},
    {onnx::TensorProto::UINT8, "uint8", 1},
    {onnx::TensorProto::INT8, "int8", 1},
    {onnx::TensorProto::UINT16, "uint16", 2},
    {onnx::TensorProto::INT16, "int16", 2},
    {onnx::TensorProto::INT32, "int32", 4},
    {onnx::TensorProto::INT64, "int64", 8},
    {onnx::TensorProto::STRING, "string", 0},
    {onnx::TensorProto::BOOL, "bool", 1},
    {onnx::TensorProto::FLOAT16, "float16", 2},
    {onnx::TensorProto::DOUBLE, "float64", 8},
    {onnx::TensorProto::UINT32, "uint32", 4},
    {onnx::TensorProto::UINT64, "uint64", 8},
    {onnx::TensorProto::COMPLEX64, "complex64", 8},
    {onnx::TensorProto::COMPLEX128, "complex128", 16},
    {onnx::TensorProto::BFLOAT16, "bfloat16", 2},
};

const ElementTypeFacts *findElementType(int32_t code)
{
    for (const ElementTypeFacts &facts : kElementTypes) {
        if (facts.code == code)
            return &facts;
    }
    return nullptr;
}

} // namespace

int64_t elementByteSize(int32_t onnxType)
{
    const ElementTypeFacts *facts = findElementType(onnxType);
    return facts ? facts->byteSize : 0;
}

std::string_view elementTypeName(int32_t onnxType)
{
    const ElementTypeFacts *facts = findElementType(onnxType);
    if (facts)
        return facts->name;
    // Codes from newer ONNX versions (float8, int4, ...) are shown by number, not misnamed.
    static thread_local std::string unknown;
    unknown = "type" + std::to_string(onnxType);
    return unknown;
}

} // namespace qs
