#pragma once
// Building and running small QDQ graphs for the int8 fusion tests: constants, Q -> DQ pairs,
// seeded random data, a run fused and unfused with an observer, and the comparison in output
// quantization steps.
#include "model/model.h"
#include "runtime/session.h"
#include "support/model_builder.h"
#include "support/random_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace qs::test {

template<typename T>
inline onnx::TensorProto &addConstant(onnx::GraphProto &graph, const std::string &name,
                                      std::vector<int64_t> dims, const std::vector<T> &values,
                                      int32_t type)
{
    onnx::TensorProto &tensor = *graph.add_initializer();
    tensor.set_name(name);
    tensor.set_data_type(type);
    for (const int64_t d : dims)
        tensor.add_dims(d);
    tensor.set_raw_data(
        std::string(reinterpret_cast<const char *>(values.data()), values.size() * sizeof(T)));
    return tensor;
}

inline void addScale(onnx::GraphProto &graph, const std::string &name, float value)
{
    addConstant<float>(graph, name, {}, {value}, onnx::TensorProto::FLOAT);
}

// A per-tensor zero point of type uint8 or int8.
inline void addZeroPoint(onnx::GraphProto &graph, const std::string &name, int value, bool isSigned)
{
    if (isSigned)
        addConstant<int8_t>(graph, name, {}, {int8_t(value)}, onnx::TensorProto::INT8);
    else
        addConstant<uint8_t>(graph, name, {}, {uint8_t(value)}, onnx::TensorProto::UINT8);
}

struct QParams
{
    float scale;
    int zeroPoint;
    bool isSigned = false;
};

// `input` (float) -> QuantizeLinear -> DequantizeLinear; returns the dequantized name.
inline std::string quantizeDequantize(onnx::GraphProto &graph, const std::string &input,
                                      const QParams &q)
{
    const std::string scale = input + "_scale", zero = input + "_zero_point";
    addScale(graph, scale, q.scale);
    addZeroPoint(graph, zero, q.zeroPoint, q.isSigned);
    addNode(graph, "QuantizeLinear", {input, scale, zero}, {input + "_quantized"});
    addNode(graph, "DequantizeLinear", {input + "_quantized", scale, zero},
            {input + "_dequantized"});
    return input + "_dequantized";
}

struct Outcome
{
    std::vector<float> output;
    std::vector<std::string> observed;
    std::map<std::string, Shape> shapes; // of the observed values, as stored
};

inline Outcome runModel(const onnx::ModelProto &proto, const std::map<std::string, Tensor> &inputs,
                        bool fuse)
{
    auto model = Model::fromProto(proto, ".");
    EXPECT_TRUE(model) << model.status().message();
    auto session = Session::create(*model, sessionOptions(2, {}, fuse));
    EXPECT_TRUE(session) << session.status().message();
    Outcome run;
    if (!session)
        return run;
    RunOptions options;
    options.observer = [&](const std::string &name, const Tensor &value) {
        run.observed.push_back(name);
        run.shapes[name] = value.shape();
    };
    auto outputs = (*session)->run(inputs, options);
    EXPECT_TRUE(outputs) << outputs.status().message();
    if (outputs) {
        const auto values = outputs->front().second.values<float>();
        run.output.assign(values.begin(), values.end());
    }
    return run;
}

// Fused and reference outputs (both dequantized with scale `step`) differ by at most
// `maxSteps` steps, and at most `maxDifferentShare` of them differ at all. Requantizing in a
// different float order may move a value sitting on a rounding tie by one step.
inline void expectWithinSteps(const Outcome &fused, const Outcome &reference, float step,
                              int maxSteps, double maxDifferentShare)
{
    ASSERT_EQ(fused.output.size(), reference.output.size());
    ASSERT_FALSE(fused.output.empty());
    size_t different = 0;
    for (size_t i = 0; i < fused.output.size(); ++i) {
        const float steps = std::fabs(fused.output[i] - reference.output[i]) / step;
        ASSERT_LE(steps, maxSteps + 1e-3f)
            << "at " << i << ": " << fused.output[i] << " vs " << reference.output[i];
        different += steps > 0.5f;
    }
    EXPECT_LE(double(different) / double(fused.output.size()), maxDifferentShare)
        << different << " of " << fused.output.size() << " values differ";
}

inline bool observes(const Outcome &run, const std::string &name)
{
    return std::find(run.observed.begin(), run.observed.end(), name) != run.observed.end();
}

} // namespace qs::test
