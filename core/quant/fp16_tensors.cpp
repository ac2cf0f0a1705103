#include "quant/fp16_tensors.h"

#include "model/model.h"
#include "tensor/tensor_io.h"

#include <Eigen/Core>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace qs {

namespace {

Result<std::vector<float>> readFloat32Values(const Model &model, const onnx::TensorProto &source)
{
    if (source.data_type() != onnx::TensorProto::FLOAT) {
        return internalError("tensor '" + source.name() + "' is not float32 (type "
                             + std::to_string(source.data_type()) + ")");
    }
    Result<Tensor> tensor = tensorFromProtoBytes(source, model.rawBytes(source), nullptr);
    if (!tensor)
        return tensor.status();
    const std::span<const float> values = tensor->values<float>();
    return std::vector<float>(values.begin(), values.end());
}

// Drops every way the tensor could hold data so that only the new raw_data remains.
void resetData(onnx::TensorProto &target, const onnx::TensorProto &source, int32_t type)
{
    // `source` may be `target`: copy the dims before clearing anything.
    const std::vector<int64_t> dims(source.dims().begin(), source.dims().end());
    target.clear_dims();
    for (const int64_t dim : dims)
        target.add_dims(dim);
    target.set_data_type(type);
    target.clear_float_data();
    target.clear_int32_data();
    target.clear_raw_data();
    target.clear_external_data();
    target.clear_data_location();
}

int64_t clampInPlace(std::vector<float> &values, const Fp16Range &range)
{
    int64_t clamped = 0;
    for (float &value : values) {
        const float magnitude = std::fabs(value);
        if (std::isnan(value) || value == 0.0f)
            continue;
        if (magnitude < range.minPositive) {
            value = std::copysign(range.minPositive, value);
            ++clamped;
        } else if (magnitude > range.maxFinite) {
            value = std::copysign(range.maxFinite, value);
            ++clamped;
        }
    }
    return clamped;
}

} // namespace

Fp16Range fp16Range(const quantscope::Fp16Options &options)
{
    Fp16Range range;
    if (options.min_positive_val() > 0.0f)
        range.minPositive = options.min_positive_val();
    if (options.max_finite_val() > 0.0f)
        range.maxFinite = options.max_finite_val();
    return range;
}

Result<float> maxMagnitude(const Model &model, const onnx::TensorProto &source)
{
    Result<std::vector<float>> values = readFloat32Values(model, source);
    if (!values)
        return values.status();
    float largest = 0.0f;
    for (const float value : *values)
        largest = std::max(largest, std::fabs(value)); // NaN compares false: skipped
    return largest;
}

Result<int64_t> writeFloat16Tensor(const Model &model, const onnx::TensorProto &source,
                                   const Fp16Range &range, onnx::TensorProto &target)
{
    Result<std::vector<float>> values = readFloat32Values(model, source);
    if (!values)
        return values.status();
    const int64_t clamped = clampInPlace(*values, range);

    // ONNX stores float16 raw_data little-endian whatever the host; write the bytes explicitly.
    std::string raw(values->size() * 2, '\0');
    for (size_t i = 0; i < values->size(); ++i) {
        const Eigen::half half((*values)[i]);
        uint16_t bits = 0;
        std::memcpy(&bits, &half, sizeof(bits));
        raw[2 * i] = static_cast<char>(bits & 0xff);
        raw[2 * i + 1] = static_cast<char>(bits >> 8);
    }
    resetData(target, source, onnx::TensorProto::FLOAT16);
    target.set_raw_data(std::move(raw));
    return clamped;
}

Status writeFloat32Tensor(const Model &model, const onnx::TensorProto &source,
                          onnx::TensorProto &target)
{
    Result<std::vector<float>> values = readFloat32Values(model, source);
    if (!values)
        return values.status();
    std::string raw(values->size() * sizeof(float), '\0');
    for (size_t i = 0; i < values->size(); ++i) {
        uint32_t bits = 0;
        std::memcpy(&bits, &(*values)[i], sizeof(bits));
        for (int byte = 0; byte < 4; ++byte)
            raw[4 * i + byte] = static_cast<char>((bits >> (8 * byte)) & 0xff);
    }
    resetData(target, source, onnx::TensorProto::FLOAT);
    target.set_raw_data(std::move(raw));
    return Status::ok();
}

} // namespace qs
