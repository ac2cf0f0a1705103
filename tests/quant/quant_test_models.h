#pragma once
// Small models built in code for the quantizer tests, and a way to run any model proto through
// the engine and compare it with another.
#include "model/model.h"
#include "runtime/session.h"
#include "support/model_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace qs::test {

inline onnx::TensorProto &randomInitializer(onnx::GraphProto &graph, const std::string &name,
                                            std::vector<int64_t> dims, unsigned seed,
                                            float scale = 0.3f)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> normal(0.0f, scale);
    return addFloatInitializer(graph, name, dims, [&] { return normal(random); });
}

// x[1,3,8,8] -> Conv 'conv1' (3x3, pad 1) -> Relu 'relu1' -> MaxPool 'pool' (2x2)
//   -> Conv 'conv2' (1x1) -> Add 'add' (+ pool) -> Flatten 'flatten' -> MatMul 'fc' -> logits[1,5]
inline onnx::ModelProto convNetModel()
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {1, 3, 8, 8});
    randomInitializer(g, "w1", {4, 3, 3, 3}, 1);
    randomInitializer(g, "b1", {4}, 2, 0.1f);
    randomInitializer(g, "w2", {4, 4, 1, 1}, 3);
    randomInitializer(g, "b2", {4}, 4, 0.1f);
    randomInitializer(g, "fc_w", {64, 5}, 5, 0.1f);
    auto &conv1 = addNode(g, "Conv", {"x", "w1", "b1"}, {"c1"}, "conv1");
    setIntsAttribute(conv1, "pads", {1, 1, 1, 1});
    addNode(g, "Relu", {"c1"}, {"r1"}, "relu1");
    auto &pool = addNode(g, "MaxPool", {"r1"}, {"p"}, "pool");
    setIntsAttribute(pool, "kernel_shape", {2, 2});
    setIntsAttribute(pool, "strides", {2, 2});
    addNode(g, "Conv", {"p", "w2", "b2"}, {"c2"}, "conv2");
    addNode(g, "Add", {"c2", "p"}, {"sum"}, "add");
    addNode(g, "Flatten", {"sum"}, {"flat"}, "flatten");
    addNode(g, "MatMul", {"flat", "fc_w"}, {"logits"}, "fc");
    addOutput(g, "logits", {1, 5});
    return model;
}

inline std::shared_ptr<const Model> loadProto(onnx::ModelProto proto)
{
    auto model = Model::fromProto(std::move(proto), "");
    EXPECT_TRUE(model.isOk()) << model.status().message();
    return model.isOk() ? *model : nullptr;
}

inline Tensor uniformTensor(Shape shape, unsigned seed, float low = 0.0f, float high = 1.0f)
{
    Tensor tensor = Tensor::allocate(DType::Float32, std::move(shape));
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> uniform(low, high);
    for (float &v : tensor.mutableValues<float>())
        v = uniform(random);
    return tensor;
}

inline NamedTensors runModel(const std::shared_ptr<const Model> &model,
                             const std::map<std::string, Tensor> &inputs)
{
    auto session = Session::create(model, sessionOptions(1));
    EXPECT_TRUE(session.isOk()) << session.status().message();
    if (!session)
        return {};
    auto outputs = (*session)->run(inputs);
    EXPECT_TRUE(outputs.isOk()) << outputs.status().message();
    return outputs.isOk() ? *outputs : NamedTensors{};
}

inline double cosine(const Tensor &a, const Tensor &b)
{
    const auto x = a.values<float>();
    const auto y = b.values<float>();
    double dot = 0, nx = 0, ny = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        dot += double(x[i]) * y[i];
        nx += double(x[i]) * x[i];
        ny += double(y[i]) * y[i];
    }
    return dot / (std::sqrt(nx * ny) + 1e-30);
}

// The largest |a - b| as a share of the reference's range (max - min). Cosine does not see a
// wrong magnitude (a doubled output has cosine 1); this does, and reads as "off by 3% of what
// the output spans".
inline double relativeMaxError(const Tensor &reference, const Tensor &actual)
{
    const auto x = reference.values<float>();
    const auto y = actual.values<float>();
    double largest = 0, low = x.empty() ? 0 : x[0], high = low;
    for (size_t i = 0; i < x.size(); ++i) {
        largest = std::max(largest, std::fabs(double(x[i]) - double(y[i])));
        low = std::min(low, double(x[i]));
        high = std::max(high, double(x[i]));
    }
    return largest / std::max(high - low, 1e-30);
}

// Cosine and the error's size: what a quantized or converted output must keep.
inline void expectCloseOutput(const Tensor &reference, const Tensor &actual, double minCosine,
                              double maxRelativeError)
{
    const double similarity = cosine(reference, actual);
    const double error = relativeMaxError(reference, actual);
    EXPECT_GT(similarity, minCosine);
    EXPECT_LT(error, maxRelativeError) << "cosine " << similarity;
}

inline int countOps(const onnx::GraphProto &graph, const std::string &opType)
{
    int count = 0;
    for (const auto &node : graph.node())
        count += node.op_type() == opType;
    return count;
}

inline const onnx::NodeProto *findNode(const onnx::GraphProto &graph, const std::string &name)
{
    for (const auto &node : graph.node())
        if (node.name() == name)
            return &node;
    return nullptr;
}

} // namespace qs::test
