#pragma once
// Helpers of the FP16 converter tests: build, convert, validate (checker, strict shape
// inference, no Cast chains) and run models before and after.
#include "data/random_inputs.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "quant/fp16_converter.h"
#include "runtime/session.h"
#include "support/model_builder.h"
#include "tensor/tensor_io.h"

#include <gtest/gtest.h>
#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>

namespace qs::fp16test {

using namespace qs::test;
constexpr int32_t kFloat = onnx::TensorProto::FLOAT;
constexpr int32_t kHalf = onnx::TensorProto::FLOAT16;

inline std::shared_ptr<const Model> load(onnx::ModelProto proto)
{
    auto model = Model::fromProto(std::move(proto), ".");
    EXPECT_TRUE(model) << model.status().message();
    return model ? model.value() : nullptr;
}

inline quantscope::Fp16Options options(bool keepIoTypes = false)
{
    quantscope::Fp16Options options;
    options.set_keep_io_types(keepIoTypes);
    return options;
}

inline void expectValidModel(const onnx::ModelProto &proto)
{
    try {
        onnx::checker::check_model(proto);
    } catch (const std::exception &error) {
        ADD_FAILURE() << "checker: " << error.what();
    }
    onnx::ModelProto copy = proto;
    try {
        onnx::ShapeInferenceOptions strict(true, 1, false);
        onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(), strict);
    } catch (const std::exception &error) {
        ADD_FAILURE() << "shape inference: " << error.what();
    }
}

inline void forEachNode(
    const onnx::GraphProto &graph,
    const std::function<void(const onnx::GraphProto &, const onnx::NodeProto &)> &fn)
{
    for (const onnx::NodeProto &node : graph.node()) {
        fn(graph, node);
        for (const onnx::AttributeProto &attribute : node.attribute()) {
            if (attribute.has_g())
                forEachNode(attribute.g(), fn);
            for (const onnx::GraphProto &subgraph : attribute.graphs())
                forEachNode(subgraph, fn);
        }
    }
}

inline int countOps(const onnx::ModelProto &proto, const std::string &opType)
{
    int count = 0;
    forEachNode(proto.graph(), [&](const onnx::GraphProto &, const onnx::NodeProto &node) {
        count += node.op_type() == opType;
    });
    return count;
}

inline const onnx::NodeProto *nodeNamed(const onnx::GraphProto &graph, const std::string &name)
{
    for (const onnx::NodeProto &node : graph.node()) {
        if (node.name() == name)
            return &node;
    }
    return nullptr;
}

inline const onnx::NodeProto *producerOf(const onnx::GraphProto &graph, const std::string &value)
{
    for (const onnx::NodeProto &node : graph.node()) {
        for (const std::string &output : node.output()) {
            if (output == value)
                return &node;
        }
    }
    return nullptr;
}

inline int64_t castTo(const onnx::NodeProto &cast)
{
    for (const onnx::AttributeProto &attribute : cast.attribute()) {
        if (attribute.name() == "to")
            return attribute.i();
    }
    return 0;
}

// No Cast reads the output of another Cast (searched within each graph).
inline void expectNoCastChains(const onnx::ModelProto &proto)
{
    forEachNode(proto.graph(), [](const onnx::GraphProto &graph, const onnx::NodeProto &node) {
        if (node.op_type() != "Cast")
            return;
        const onnx::NodeProto *producer = producerOf(graph, node.input(0));
        EXPECT_FALSE(producer && producer->op_type() == "Cast")
            << "Cast '" << node.name() << "' reads Cast '" << producer->name() << "'";
    });
}

inline int32_t elemType(const google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> &values,
                        const std::string &name)
{
    for (const onnx::ValueInfoProto &value : values) {
        if (value.name() == name)
            return value.type().tensor_type().elem_type();
    }
    return 0;
}

inline const onnx::TensorProto *initializerNamed(const onnx::GraphProto &graph,
                                                 const std::string &name)
{
    for (const onnx::TensorProto &tensor : graph.initializer()) {
        if (tensor.name() == name)
            return &tensor;
    }
    return nullptr;
}

inline Tensor toDType(const Tensor &tensor, DType type)
{
    if (tensor.dtype() == type || !isFloatingDType(tensor.dtype()))
        return tensor;
    Tensor out = Tensor::allocate(type, tensor.shape());
    for (int64_t i = 0; i < tensor.elementCount(); ++i) {
        const double value = tensor.doubleAt(i);
        if (type == DType::Float16)
            out.mutableData<Eigen::half>()[i] = Eigen::half(static_cast<float>(value));
        else
            out.mutableData<float>()[i] = static_cast<float>(value);
    }
    return out;
}

// Runs `model`, first converting float inputs to the element type it declares.
inline NamedTensors run(const std::shared_ptr<const Model> &model,
                        std::map<std::string, Tensor> inputs)
{
    for (const onnx::ValueInfoProto &input : model->proto().graph().input()) {
        auto it = inputs.find(input.name());
        const auto type = static_cast<DType>(input.type().tensor_type().elem_type());
        if (it != inputs.end())
            it->second = toDType(it->second, type);
    }
    auto session = Session::create(model, sessionOptions(1));
    EXPECT_TRUE(session) << session.status().message();
    if (!session)
        return {};
    auto outputs = (*session)->run(inputs);
    EXPECT_TRUE(outputs) << outputs.status().message();
    return outputs ? *outputs : NamedTensors{};
}

inline double cosine(const Tensor &a, const Tensor &b)
{
    double dot = 0, normA = 0, normB = 0;
    for (int64_t i = 0; i < a.elementCount(); ++i) {
        const double x = a.doubleAt(i), y = b.doubleAt(i);
        dot += x * y;
        normA += x * x;
        normB += y * y;
    }
    if (normA == 0 && normB == 0)
        return 1.0;
    return dot / std::sqrt(normA * normB);
}

// The largest |a - b| as a share of the reference's range (max - min); 0 when both are equal
// constants. Cosine alone passes an output off by a constant factor.
inline double relativeMaxError(const Tensor &reference, const Tensor &actual)
{
    double largest = 0, low = 0, high = 0;
    for (int64_t i = 0; i < reference.elementCount(); ++i) {
        const double x = reference.doubleAt(i), y = actual.doubleAt(i);
        largest = std::max(largest, std::fabs(x - y));
        low = i ? std::min(low, x) : x;
        high = i ? std::max(high, x) : x;
    }
    if (largest == 0)
        return 0;
    return largest / std::max(high - low, std::fabs(high));
}

// float16 keeps 11 significant bits: a converted output is within a few steps of 2^-11 of the
// reference's range. Measured over the tests in fp16_test.cpp: at most 0.00050 (BatchNorm kept
// float32 beside converted nodes), most 0.0002-0.0004.
inline constexpr double kFp16MaxRelativeError = 0.0015;

inline void expectClose(const NamedTensors &expected, const NamedTensors &actual, double minCosine,
                        double maxRelativeError = kFp16MaxRelativeError)
{
    ASSERT_EQ(expected.size(), actual.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(expected[i].first, actual[i].first);
        ASSERT_EQ(expected[i].second.shape(), actual[i].second.shape()) << expected[i].first;
        EXPECT_GE(cosine(expected[i].second, actual[i].second), minCosine) << expected[i].first;
        EXPECT_LE(relativeMaxError(expected[i].second, actual[i].second), maxRelativeError)
            << expected[i].first;
    }
}

// Converts, validates, runs both models on `inputs` and compares; returns the result.
inline Fp16Result convertAndCompare(const onnx::ModelProto &proto,
                                    const std::map<std::string, Tensor> &inputs,
                                    const quantscope::Fp16Options &fp16Options)
{
    auto model = load(proto);
    auto result = convertToFloat16(*model, fp16Options, silentProgress());
    EXPECT_TRUE(result) << result.status().message();
    if (!result)
        return {};
    expectValidModel(result->model);
    expectNoCastChains(result->model);
    auto converted = load(result->model);
    for (const Diagnostic &diagnostic : converted->diagnostics())
        EXPECT_NE(diagnostic.severity, Severity::Error) << diagnostic.message;
    expectClose(run(model, inputs), run(converted, inputs), 0.999);
    return std::move(result).value();
}

// The conversion reported node `name` as staying float32, with a reason.
inline bool stayedFloat32(const Fp16Result &result, const std::string &name)
{
    for (const Fp16NodeOutcome &node : result.nodes) {
        if (node.node == name)
            return !node.converted && node.reason.id != MessageId::None;
    }
    return false;
}

inline Tensor ramp(Shape shape, float scale = 0.1f)
{
    Tensor tensor = Tensor::allocate(DType::Float32, shape);
    for (int64_t i = 0; i < tensor.elementCount(); ++i)
        tensor.mutableData<float>()[i] = std::sin(static_cast<float>(i) * 0.7f) * scale * 10;
    return tensor;
}

} // namespace qs::fp16test
