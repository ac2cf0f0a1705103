#pragma once
// Models built in code for the tuning tests.
#include "model/model.h"
#include "support/model_builder.h"
#include "util/progress.h"

#include <functional>
#include <optional>
#include <random>

namespace qs::test {

// Weights drawn from N(0, 0.5) with one seeded generator shared by a model's initializers, except
// the elements a rule fixes (an outlier, a dead unit, an unused row).
class NormalWeights
{
public:
    explicit NormalWeights(unsigned seed)
        : m_random(seed)
    {}
    void add(onnx::GraphProto &graph, const std::string &name, const std::vector<int64_t> &dims,
             const std::function<std::optional<float>(int64_t element)> &fixed)
    {
        int64_t element = 0;
        addFloatInitializer(graph, name, dims, [&] {
            const std::optional<float> value = fixed(element++);
            return value ? *value : m_normal(m_random);
        });
    }

private:
    std::mt19937 m_random;
    std::normal_distribution<float> m_normal{0.0f, 0.5f};
};

// Counts the calibration passes: each one starts with a "calibrating on ..." report at 0.
class CalibrationCounter : public Progress
{
public:
    void report(int64_t done, int64_t, std::string_view what) override
    {
        if (done == 0 && what.starts_with("calibrating on"))
            ++passes;
    }
    int passes = 0;
};

// x[1,16] -> MatMul 'fc1' -> Relu -> MatMul 'fc2' -> Relu -> MatMul 'fc3' -> y[1,8]. fc2 is the
// known-sensitive node, through its weights alone: w2[0][0] is 100, but it multiplies a1[0],
// which is always 0 (w1's column 0 is -2 and x >= 0, so the Relu zeroes that unit), so the
// float output never sees it, while a per-tensor int8 scale of ~0.8 rounds w2's other weights
// (~N(0, 0.5)) to a few levels. Keeping fc2 in float fixes the output; so do per-channel weights
// (only column 0's scale is coarse, and w3's row 0 is zero); fc1 and fc3 quantize well.
inline onnx::ModelProto sensitiveMlp()
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &g = *proto.mutable_graph();
    addInput(g, "x", {1, 16});
    addOutput(g, "y", {1, 8});
    NormalWeights weights(7);
    weights.add(g, "w1", {16, 32}, [](int64_t element) {
        const bool deadUnit = element % 32 == 0;
        return deadUnit ? std::optional(-2.0f) : std::nullopt;
    });
    weights.add(g, "w2", {32, 32}, [](int64_t element) {
        const bool outlier = element == 0;
        return outlier ? std::optional(100.0f) : std::nullopt;
    });
    weights.add(g, "w3", {32, 8}, [](int64_t element) {
        const bool unused = element < 8; // h2[0] does not reach y: per-channel weights fix fc2
        return unused ? std::optional(0.0f) : std::nullopt;
    });
    addNode(g, "MatMul", {"x", "w1"}, {"h1"}, "fc1");
    addNode(g, "Relu", {"h1"}, {"a1"}, "act1");
    addNode(g, "MatMul", {"a1", "w2"}, {"h2"}, "fc2");
    addNode(g, "Relu", {"h2"}, {"a2"}, "act2");
    addNode(g, "MatMul", {"a2", "w3"}, {"y"}, "fc3");
    return proto;
}

inline std::shared_ptr<const Model> sensitiveMlpModel()
{
    auto model = Model::fromProto(sensitiveMlp(), ".");
    return model ? *model : nullptr;
}

// x[1,16] -> MatMul 'fc1' -> Relu -> MatMul 'fc2' -> y[1,8]: sensitive through an activation,
// not a weight. fc1's output unit 0 reads every input with weight 60, so a1's range is some
// hundreds while its other units stay within a few units; an 8-bit step of a1 then rounds them
// to a level or two, while 16 bits keep them. w2's row 0 is zero: the float output never sees
// unit 0. Per-channel weights quantize w1's column 0 on its own, so with them the activation is
// the only large error, and 16-bit activations on fc1 or fc2 (either side of a1) remove it.
inline onnx::ModelProto activationOutlierMlp()
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &g = *proto.mutable_graph();
    addInput(g, "x", {1, 16});
    addOutput(g, "y", {1, 8});
    NormalWeights weights(11);
    weights.add(g, "w1", {16, 32}, [](int64_t element) {
        const bool outlierUnit = element % 32 == 0;
        return outlierUnit ? std::optional(60.0f) : std::nullopt;
    });
    weights.add(g, "w2", {32, 8}, [](int64_t element) {
        const bool unused = element < 8;
        return unused ? std::optional(0.0f) : std::nullopt;
    });
    addNode(g, "MatMul", {"x", "w1"}, {"h1"}, "fc1");
    addNode(g, "Relu", {"h1"}, {"a1"}, "act1");
    addNode(g, "MatMul", {"a1", "w2"}, {"y"}, "fc2");
    return proto;
}

// x[1,8] in [0.5, 1.5] -> Add 0.5 "shift" -> Mul 1e3 "up1" -> Mul 1e3 "up2" (up to 2e6, beyond
// float16's 65504) -> Relu "relu" -> Mul 1e-3 "down1" -> Mul 1e-3 "down2" -> Add -1.5 "bias"
// -> Sigmoid "sig" -> y. Float16 cannot hold up2's and relu's outputs, and down1 reads relu's, so
// exactly {up2, relu, down1} must stay float32.
inline onnx::ModelProto fp16OverflowModel()
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 8});
    addOutput(graph, "y", {1, 8});
    addFloatInitializer(graph, "half", {1}, std::vector<float>{0.5f});
    addFloatInitializer(graph, "thousand", {1}, std::vector<float>{1e3f});
    addFloatInitializer(graph, "milli", {1}, std::vector<float>{1e-3f});
    addFloatInitializer(graph, "offset", {1}, std::vector<float>{-1.5f});
    addNode(graph, "Add", {"x", "half"}, {"a"}, "shift");
    addNode(graph, "Mul", {"a", "thousand"}, {"b"}, "up1");
    addNode(graph, "Mul", {"b", "thousand"}, {"c"}, "up2");
    addNode(graph, "Relu", {"c"}, {"d"}, "relu");
    addNode(graph, "Mul", {"d", "milli"}, {"e"}, "down1");
    addNode(graph, "Mul", {"e", "milli"}, {"f"}, "down2");
    addNode(graph, "Add", {"f", "offset"}, {"g"}, "bias");
    addNode(graph, "Sigmoid", {"g"}, {"y"}, "sig");
    return proto;
}

} // namespace qs::test
