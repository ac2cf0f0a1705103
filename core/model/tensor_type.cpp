#include "model/tensor_type.h"

#include <onnx/onnx_pb.h>

namespace qs {

std::string Dim::toString() const
{
    if (isKnown())
        return std::to_string(value);
    return symbol.empty() ? "?" : symbol;
}

TensorType TensorType::fromTypeProto(const onnx::TypeProto &type)
{
    TensorType result;
    if (!type.has_tensor_type())
        return result; // sequences, maps and optionals are shown without element type
    const onnx::TypeProto_Tensor &tensor = type.tensor_type();
    result.elementType = tensor.elem_type();
    if (!tensor.has_shape())
        return result;
    result.hasShape = true;
    for (const onnx::TensorShapeProto_Dimension &dim : tensor.shape().dim()) {
        Dim d;
        if (dim.has_dim_value())
            d.value = dim.dim_value();
        else if (dim.has_dim_param())
            d.symbol = dim.dim_param();
        result.dims.push_back(std::move(d));
    }
    return result;
}

TensorType TensorType::fromTensor(const onnx::TensorProto &tensor)
{
    TensorType result;
    result.elementType = tensor.data_type();
    result.hasShape = true;
    for (const int64_t dim : tensor.dims())
        result.dims.push_back(Dim{dim, {}});
    return result;
}

std::optional<int64_t> TensorType::elementCount() const
{
    if (!hasShape)
        return std::nullopt;
    int64_t count = 1;
    for (const Dim &dim : dims) {
        if (!dim.isKnown())
            return std::nullopt;
        // Dims from a hostile file overflow int64: then the count is unknown.
        if (__builtin_mul_overflow(count, dim.value, &count))
            return std::nullopt;
    }
    return count;
}

std::string TensorType::shapeString() const
{
    if (!hasShape)
        return "?";
    std::string text = "[";
    for (size_t i = 0; i < dims.size(); ++i) {
        if (i > 0)
            text += ',';
        text += dims[i].toString();
    }
    return text + "]";
}

} // namespace qs
