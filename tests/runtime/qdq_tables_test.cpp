// The int8 path's tables: elementwise float steps between DequantizeLinear and QuantizeLinear
// (activations, arithmetic with a scalar constant, whole chains) become 256-entry lookups, and
// Concat inputs of other scales are requantized through them. Every case runs fused and unfused
// (the float reference path) and compares in output quantization steps: tables are exact.
#include "support/qdq_graph.h"

#include <gtest/gtest.h>

#include <random>

namespace qs {
namespace {

using namespace qs::test;

// Graph input `name` of `dims` -> QuantizeLinear -> DequantizeLinear with `q`; returns the
// dequantized value.
std::string addQuantizedInput(onnx::GraphProto &graph, const std::string &name,
                              std::vector<int64_t> dims, const QParams &q)
{
    addInput(graph, name, std::move(dims));
    return quantizeDequantize(graph, name, q);
}

// `value` -> QuantizeLinear -> DequantizeLinear with `q` -> the graph output "y".
void addQuantizedOutput(onnx::GraphProto &graph, const std::string &value, const QParams &q)
{
    addNode(graph, "Identity", {quantizeDequantize(graph, value, q)}, {"y"});
    addOutput(graph, "y", {});
}

// Runs `model` with the int8 fusion and without it (the float reference), expects the outputs
// within steps of `step` (expectWithinSteps), and returns the fused run.
Outcome runFusedAgainstReference(const onnx::ModelProto &model,
                                 const std::map<std::string, Tensor> &inputs, float step,
                                 int maxSteps = 0, double maxDifferentShare = 0.0)
{
    const Outcome fused = runModel(model, inputs, true);
    const Outcome reference = runModel(model, inputs, false);
    expectWithinSteps(fused, reference, step, maxSteps, maxDifferentShare);
    return fused;
}

// x -> Q -> DQ -> activation -> Q -> DQ: a 256-entry table, so the results are identical.
TEST(QdqFusion, ElementwiseActivationsBecomeExactTables)
{
    for (const char *op : {"HardSwish", "Sigmoid", "HardSigmoid", "LeakyRelu", "Tanh", "Relu"}) {
        SCOPED_TRACE(op);
        onnx::ModelProto model = makeModel(14);
        onnx::GraphProto &graph = *model.mutable_graph();
        const std::string x = addQuantizedInput(graph, "x", {2, 3, 17, 5}, {0.05f, 120});
        addNode(graph, op, {x}, {"act"});
        addQuantizedOutput(graph, "act", {0.01f, 40});
        const Tensor input = Tensor::fromVector<float>({2, 3, 17, 5}, randomNormal(510, 4, 3.0f));
        const Outcome fused = runFusedAgainstReference(model, {{"x", input}}, 0.01f);
        EXPECT_FALSE(observes(fused, "act"));
    }
}

// DQ(x) -> Add/Sub/Mul/Div with a one-element constant -> Q: PP-LCNet's learnable affine
// blocks. Each maps every 8-bit value to one 8-bit value, so it is a table and exact; the
// constant may be either operand, a float initializer or a dequantized int8 scalar.
TEST(QdqFusion, ScalarArithmeticBecomesExactTables)
{
    for (const char *op : {"Add", "Sub", "Mul", "Div"}) {
        for (const bool constantFirst : {false, true}) {
            for (const bool dequantizedConstant : {false, true}) {
                SCOPED_TRACE(std::string(op)
                             + (constantFirst ? " constant first" : " variable first")
                             + (dequantizedConstant ? ", DQ(int8) constant" : ", float constant"));
                onnx::ModelProto model = makeModel(13);
                onnx::GraphProto &graph = *model.mutable_graph();
                const std::string x = addQuantizedInput(graph, "x", {1, 3, 7, 5}, {0.05f, 120});
                std::string constant = "c";
                if (dequantizedConstant) {
                    addConstant<int8_t>(graph, "c_q", {1}, {int8_t(-37)}, onnx::TensorProto::INT8);
                    addScale(graph, "c_scale", 0.02f);
                    addZeroPoint(graph, "c_zero", 0, true);
                    addNode(graph, "DequantizeLinear", {"c_q", "c_scale", "c_zero"}, {"c"});
                } else {
                    addConstant<float>(graph, "c", {1, 1, 1}, {1.7f}, onnx::TensorProto::FLOAT);
                }
                if (constantFirst)
                    addNode(graph, op, {constant, x}, {"affine"});
                else
                    addNode(graph, op, {x, constant}, {"affine"});
                addQuantizedOutput(graph, "affine", {0.03f, 128});
                const Tensor input = Tensor::fromVector<float>({1, 3, 7, 5},
                                                               randomNormal(105, 31, 3.0f));
                const Outcome fused = runFusedAgainstReference(model, {{"x", input}}, 0.03f);
                EXPECT_FALSE(observes(fused, "affine"));
                EXPECT_EQ(fused.shapes.at("y"), (Shape{1, 3, 7, 5}));
            }
        }
    }
}

// x[1,4,6,6] -> Q -> DQ -> HardSwish "act" -> Mul(scalar) "scaled": the float chain of the two
// tests below.
onnx::ModelProto floatChainModel()
{
    onnx::ModelProto model = makeModel(14);
    onnx::GraphProto &graph = *model.mutable_graph();
    const std::string x = addQuantizedInput(graph, "x", {1, 4, 6, 6}, {0.04f, 128});
    addNode(graph, "HardSwish", {x}, {"act"});
    addConstant<float>(graph, "gain", {}, {1.3f}, onnx::TensorProto::FLOAT);
    addNode(graph, "Mul", {"act", "gain"}, {"scaled"});
    return model;
}

// A QOperator model quantizes only the Convs: QLinearConv -> DQ -> HardSwish -> Mul(scalar) ->
// Add(scalar) -> Q leaves a float chain between DQ and Q. Each value in it has one reader, so
// the whole chain is one table, computed in the same float order as the nodes: exact.
TEST(QdqFusion, FloatChainBetweenDequantizeAndQuantizeBecomesOneTable)
{
    onnx::ModelProto model = floatChainModel();
    onnx::GraphProto &graph = *model.mutable_graph();
    addConstant<float>(graph, "shift", {1}, {-0.2f}, onnx::TensorProto::FLOAT);
    addNode(graph, "Add", {"scaled", "shift"}, {"shifted"});
    addQuantizedOutput(graph, "shifted", {0.02f, 60});
    const Tensor input = Tensor::fromVector<float>({1, 4, 6, 6}, randomNormal(144, 35, 2.5f));
    const Outcome fused = runFusedAgainstReference(model, {{"x", input}}, 0.02f);
    for (const char *name : {"act", "scaled", "shifted"})
        EXPECT_FALSE(observes(fused, name)) << name;
}

// A float value inside the chain that something else also reads stays float: no table.
TEST(QdqFusion, FloatChainWithASecondReaderStaysFloat)
{
    onnx::ModelProto model = floatChainModel();
    onnx::GraphProto &graph = *model.mutable_graph();
    addQuantizedOutput(graph, "scaled", {0.02f, 60});
    addNode(graph, "Identity", {"act"}, {"act_copy"});
    addOutput(graph, "act_copy", {});
    const Tensor input = Tensor::fromVector<float>({1, 4, 6, 6}, randomNormal(144, 36, 2.5f));
    const Outcome fused = runFusedAgainstReference(model, {{"x", input}}, 0.02f);
    EXPECT_TRUE(observes(fused, "act"));
}

// A scalar whose rank exceeds the variable's would broadcast the output to a higher rank, so
// it is no table; the graph still runs and matches.
TEST(QdqFusion, ScalarOfHigherRankStaysAFloatOp)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    const std::string x = addQuantizedInput(graph, "x", {4, 6}, {0.05f, 120});
    addConstant<float>(graph, "c", {1, 1, 1}, {0.5f}, onnx::TensorProto::FLOAT);
    addNode(graph, "Mul", {x, "c"}, {"scaled"});
    addQuantizedOutput(graph, "scaled", {0.03f, 128});
    const Tensor input = Tensor::fromVector<float>({4, 6}, randomNormal(24, 32, 2.0f));
    const Outcome fused = runFusedAgainstReference(model, {{"x", input}}, 0.03f);
    EXPECT_EQ(fused.shapes.at("y"), (Shape{1, 4, 6}));
}

// Conv -> Q/DQ -> Mul(scalar) -> Q/DQ -> Add(scalar) -> Q/DQ -> HardSwish -> Q: the three
// tables compose into one, which the int8 Conv applies to its output; none of the values in
// between exists any more.
TEST(QdqFusion, ChainedTablesComposeIntoTheConvolution)
{
    onnx::ModelProto model = makeModel(14);
    onnx::GraphProto &graph = *model.mutable_graph();
    const std::string x = addQuantizedInput(graph, "x", {1, 4, 8, 8}, {0.02f, 128});
    std::mt19937 random(33);
    std::uniform_int_distribution<int> weightValue(-64, 64);
    std::vector<int8_t> weights(6 * 4 * 3 * 3);
    for (int8_t &w : weights)
        w = int8_t(weightValue(random));
    addConstant<int8_t>(graph, "wq", {6, 4, 3, 3}, weights, onnx::TensorProto::INT8);
    addScale(graph, "ws", 0.004f);
    addNode(graph, "DequantizeLinear", {"wq", "ws"}, {"w"});
    onnx::NodeProto &conv = addNode(graph, "Conv", {x, "w"}, {"conv"}, "conv");
    setIntsAttribute(conv, "pads", {1, 1, 1, 1});
    const std::string c = quantizeDequantize(graph, "conv", {0.05f, 110});
    addConstant<float>(graph, "gain", {}, {0.8f}, onnx::TensorProto::FLOAT);
    addNode(graph, "Mul", {c, "gain"}, {"scaled"});
    const std::string scaled = quantizeDequantize(graph, "scaled", {0.04f, 115});
    addConstant<float>(graph, "bias", {}, {0.3f}, onnx::TensorProto::FLOAT);
    addNode(graph, "Add", {"bias", scaled}, {"shifted"});
    const std::string shifted = quantizeDequantize(graph, "shifted", {0.04f, 100});
    addNode(graph, "HardSwish", {shifted}, {"act"});
    addQuantizedOutput(graph, "act", {0.03f, 20});
    const Tensor input = Tensor::fromVector<float>({1, 4, 8, 8}, randomNormal(256, 34));
    // The tables are exact; the int8 Conv may round a tie the other way before them.
    const Outcome fused = runFusedAgainstReference(model, {{"x", input}}, 0.03f, 2, 0.05);
    for (const char *name :
         {"conv_quantized", "scaled", "scaled_quantized", "shifted_quantized", "act"})
        EXPECT_FALSE(observes(fused, name)) << name;
}

// DQ inputs with their own scales -> Concat -> Q: each input requantized by a table (exact).
TEST(QdqFusion, ConcatOfOtherScalesRequantizesThroughTables)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    const QParams out{0.04f, 128};
    const std::string a = addQuantizedInput(graph, "a", {1, 3, 5, 5}, {0.01f, 128});
    const std::string b = addQuantizedInput(graph, "b", {1, 2, 5, 5}, out);
    onnx::NodeProto &concat = addNode(graph, "Concat", {a, b}, {"joined"});
    auto *axis = concat.add_attribute();
    axis->set_name("axis");
    axis->set_type(onnx::AttributeProto::INT);
    axis->set_i(1);
    addQuantizedOutput(graph, "joined", out);
    const std::map<std::string, Tensor> inputs
        = {{"a", Tensor::fromVector<float>({1, 3, 5, 5}, randomNormal(75, 30))},
           {"b", Tensor::fromVector<float>({1, 2, 5, 5}, randomNormal(50, 31, 2.0f))}};
    const Outcome fused = runFusedAgainstReference(model, inputs, out.scale);
    EXPECT_FALSE(observes(fused, "joined"));
    EXPECT_FALSE(observes(fused, "a_dequantized"));
}

} // namespace
} // namespace qs
