#include "quant/fp16_tensors.h"

#include "model/model.h"
#include "tensor/tensor_io.h"

#include <Eigen/Core>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace qs {

Fp16Range fp16Range(const quantscope::Fp16Options &options)
{
    Fp16Range range;
    if (options.min_positive_val() > 0.0f)
        range.minPositive = options.min_positive_val();
    if (options.max_finite_val() > 0.0f)
        range.maxFinite = options.max_finite_val();
    return range;
}

Result<Tensor> readFloat32(const Model &model, const onnx::TensorProto &source)
{
    if (source.data_type() != onnx::TensorProto::FLOAT) {
        return internalError("tensor '" + source.name() + "' is not float32 (type "
                             + std::to_string(source.data_type()) + ")");
    }
    // A copy: the bytes may belong to a proto that does not outlive the caller's use.
    Result<Tensor> tensor = tensorFromProtoBytes(source, model.rawBytes(source), nullptr);
    if (!tensor)
        return tensor.status();
    return tensor->clone();
}

Result<float> maxMagnitude(const Model &model, const onnx::TensorProto &source)
{
    Result<Tensor> values = readFloat32(model, source);
    if (!values)
        return values.status();
    float largest = 0.0f;
    for (const float value : values->values<float>())
        largest = std::max(largest, std::fabs(value)); // NaN compares false: skipped
    return largest;
}

Tensor toFloat16(const Tensor &values, const Fp16Range &range, int64_t &clamped)
{
    Tensor result = Tensor::allocate(DType::Float16, values.shape());
    const float *source = values.data<float>();
    Eigen::half *target = result.mutableData<Eigen::half>();
    for (int64_t i = 0; i < values.elementCount(); ++i) {
        float value = source[i];
        const float magnitude = std::fabs(value);
        if (!std::isnan(value) && value != 0.0f) {
            if (magnitude < range.minPositive) {
                value = std::copysign(range.minPositive, value);
                ++clamped;
            } else if (magnitude > range.maxFinite) {
                value = std::copysign(range.maxFinite, value);
                ++clamped;
            }
        }
        target[i] = Eigen::half(value);
    }
    return result;
}

} // namespace qs
