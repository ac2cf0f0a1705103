// The int8 path for QDQ models: each DequantizeLinear -> op -> QuantizeLinear group is built in
// code with random data from fixed seeds, run once fused (int8 kernels: oneDNN QLinearConv,
// table lookups, QLinearAdd/Mul, 8-bit data movement) and once unfused (the float reference
// path: dequantize, float op, quantize), and compared in output quantization steps. The observer
// shows that the float values inside a group really disappeared.
#include "support/qdq_graph.h"

#include <gtest/gtest.h>

#include <random>

namespace qs {
namespace {

using namespace qs::test;

struct ConvCase
{
    const char *name;
    int64_t channels, filters, kernel, stride, pad, group;
    bool perChannel;
    const char *activation; // "", "Relu", "Clip", or "HardSwish" (its own Q/DQ group)
    bool signedActivations;
    bool transposed = false; // ConvTranspose: W [C, F/group, k, k], per-channel on axis 1
    int weightLimit = 64;    // |w| <= 64: 7 bits, as reduce_range writes them
};

std::ostream &operator<<(std::ostream &out, const ConvCase &c)
{
    return out << c.name;
}

// x -> Q -> DQ -> Conv(DQ(W int8), DQ(B int32)) [-> Relu/Clip] -> Q -> DQ -> y
onnx::ModelProto convGroup(const ConvCase &c, int64_t size)
{
    onnx::ModelProto model = makeModel(14); // HardSwish is opset 14
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "x", {1, c.channels, size, size});
    const QParams xq{0.02f, c.signedActivations ? 3 : 128, c.signedActivations};
    const std::string x = quantizeDequantize(graph, "x", xq);

    // 7-bit weights by default, as our static recipe writes them. Full-range ones would saturate
    // oneDNN's int16 sums on CPUs without VNNI; the engine must then stay exact anyway.
    const std::vector<int64_t> weightDims
        = c.transposed ? std::vector<int64_t>{c.channels, c.filters / c.group, c.kernel, c.kernel}
                       : std::vector<int64_t>{c.filters, c.channels / c.group, c.kernel, c.kernel};
    std::mt19937 random(11);
    std::uniform_int_distribution<int> weightValue(-c.weightLimit, c.weightLimit);
    std::vector<int8_t> weights(size_t(shapeElementCount(weightDims)));
    for (int8_t &w : weights)
        w = int8_t(weightValue(random));
    const int64_t scaleCount = !c.perChannel ? 1 : c.transposed ? c.filters / c.group : c.filters;
    std::vector<float> weightScales;
    for (int64_t f = 0; f < scaleCount; ++f)
        weightScales.push_back(0.004f + 0.001f * float(f % 5));
    addConstant<int8_t>(graph, "w_q", weightDims, weights, onnx::TensorProto::INT8);
    std::vector<int64_t> scaleDims;
    if (c.perChannel)
        scaleDims.push_back(scaleCount);
    addConstant<float>(graph, "w_scale", scaleDims, weightScales, onnx::TensorProto::FLOAT);
    addConstant<int8_t>(graph, "w_zero", scaleDims, std::vector<int8_t>(weightScales.size(), 0),
                        onnx::TensorProto::INT8);
    onnx::NodeProto &weightDq = addNode(graph, "DequantizeLinear", {"w_q", "w_scale", "w_zero"},
                                        {"w"});
    auto *axis = weightDq.add_attribute();
    axis->set_name("axis");
    axis->set_type(onnx::AttributeProto::INT);
    axis->set_i(c.transposed ? 1 : 0);

    std::vector<int32_t> bias;
    std::vector<float> biasScales;
    for (int64_t f = 0; f < c.filters; ++f) {
        bias.push_back(int32_t(f * 37 % 200) - 100);
        biasScales.push_back(xq.scale * weightScales[size_t(f % scaleCount)]);
    }
    addConstant<int32_t>(graph, "b_q", {c.filters}, bias, onnx::TensorProto::INT32);
    addConstant<float>(graph, "b_scale", {c.filters}, biasScales, onnx::TensorProto::FLOAT);
    onnx::NodeProto &biasDq = addNode(graph, "DequantizeLinear", {"b_q", "b_scale"}, {"b"});
    auto *biasAxis = biasDq.add_attribute();
    biasAxis->set_name("axis");
    biasAxis->set_type(onnx::AttributeProto::INT);
    biasAxis->set_i(0);

    onnx::NodeProto &conv = addNode(graph, c.transposed ? "ConvTranspose" : "Conv", {x, "w", "b"},
                                    {"conv"}, "conv");
    setIntsAttribute(conv, "kernel_shape", {c.kernel, c.kernel});
    setIntsAttribute(conv, "strides", {c.stride, c.stride});
    setIntsAttribute(conv, "pads", {c.pad, c.pad, c.pad, c.pad});
    auto *group = conv.add_attribute();
    group->set_name("group");
    group->set_type(onnx::AttributeProto::INT);
    group->set_i(c.group);
    std::string y = "conv";
    if (std::string(c.activation) == "Relu") {
        addNode(graph, "Relu", {"conv"}, {"act"});
        y = "act";
    } else if (std::string(c.activation) == "Clip") {
        addScale(graph, "clip_low", 0.0f);
        addScale(graph, "clip_high", 1.5f);
        addNode(graph, "Clip", {"conv", "clip_low", "clip_high"}, {"act"});
        y = "act";
    } else if (std::string(c.activation) == "HardSwish") {
        addNode(graph, "HardSwish", {quantizeDequantize(graph, "conv", {0.03f, 100})}, {"act"});
        y = "act";
    }
    const std::string out
        = quantizeDequantize(graph, y, {0.03f, c.signedActivations ? -5 : 60, c.signedActivations});
    addNode(graph, "Identity", {out}, {"y"});
    addOutput(graph, "y", {});
    return model;
}

class QdqConv : public ::testing::TestWithParam<ConvCase>
{};

TEST_P(QdqConv, Int8ConvolutionMatchesTheFloatPath)
{
    const ConvCase &c = GetParam();
    const int64_t size = 13;
    const onnx::ModelProto model = convGroup(c, size);
    const Tensor x = Tensor::fromVector<float>({1, c.channels, size, size},
                                               randomNormal(size_t(c.channels * size * size), 3));
    const Outcome fused = runModel(model, {{"x", x}}, true);
    const Outcome reference = runModel(model, {{"x", x}}, false);
    // A step of the Conv's output may move the HardSwish table's output by two.
    const bool lookup = std::string(c.activation) == "HardSwish";
    expectWithinSteps(fused, reference, 0.03f, lookup ? 2 : 1, 0.01);
    EXPECT_TRUE(observes(reference, "conv"));
    if (lookup) {
        EXPECT_FALSE(observes(fused, "conv_quantized"))
            << "the table should be fused into the Conv";
    }
    EXPECT_FALSE(observes(fused, "conv")) << "the float Conv output should be fused away";
    EXPECT_FALSE(observes(fused, "x_dequantized"));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, QdqConv,
    ::testing::Values(
        ConvCase{"Conv3x3PerChannelRelu", 8, 16, 3, 1, 1, 1, true, "Relu", false},
        ConvCase{"Conv3x3Stride2PerTensor", 8, 16, 3, 2, 1, 1, false, "", false},
        ConvCase{"Depthwise3x3Clip", 16, 16, 3, 1, 1, 16, true, "Clip", false},
        ConvCase{"Pointwise1x1", 16, 24, 1, 1, 0, 1, true, "", false},
        ConvCase{"Depthwise3x3HardSwishTable", 16, 16, 3, 1, 1, 16, true, "HardSwish", false},
        ConvCase{"Grouped5x5Stride2", 8, 8, 5, 2, 2, 2, true, "Relu", false},
        ConvCase{"SignedActivations", 8, 16, 3, 1, 1, 1, true, "Relu", true},
        ConvCase{"FullRangeWeightsStayExact", 16, 16, 3, 1, 1, 1, true, "Relu", false, false, 127},
        ConvCase{"Transposed2x2Stride2", 8, 12, 2, 2, 0, 1, true, "", false, true},
        ConvCase{"TransposedGrouped3x3Relu", 8, 8, 3, 2, 1, 2, true, "Relu", false, true}),
    [](const auto &info) { return std::string(info.param.name); });

// DQ(a), DQ(b) -> Add / Mul -> Q, with the SE block's per-channel broadcast for Mul.
TEST(QdqFusion, AddAndMulRunOnEightBitInputs)
{
    for (const char *op : {"Add", "Mul"}) {
        SCOPED_TRACE(op);
        onnx::ModelProto model = makeModel(13);
        onnx::GraphProto &graph = *model.mutable_graph();
        addInput(graph, "a", {1, 6, 9, 9});
        addInput(graph, "b", {1, 6, 1, 1});
        const std::string a = quantizeDequantize(graph, "a", {0.04f, 100});
        const std::string b = quantizeDequantize(graph, "b", {0.02f, 30});
        addNode(graph, op, {a, b}, {"sum"});
        addNode(graph, "Identity", {quantizeDequantize(graph, "sum", {0.05f, 128})}, {"y"});
        addOutput(graph, "y", {});
        const std::map<std::string, Tensor> inputs
            = {{"a", Tensor::fromVector<float>({1, 6, 9, 9}, randomNormal(486, 5, 2.0f))},
               {"b", Tensor::fromVector<float>({1, 6, 1, 1}, randomNormal(6, 6, 1.5f))}};
        const Outcome fused = runModel(model, inputs, true);
        const Outcome reference = runModel(model, inputs, false);
        expectWithinSteps(fused, reference, 0.05f, 0, 0.0);
        EXPECT_FALSE(observes(fused, "sum"));
    }
}

// DQ -> Resize(nearest) / MaxPool / Concat -> Q with equal parameters: the op moves bytes.
TEST(QdqFusion, DataMovementRunsOnEightBitValues)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "x", {1, 4, 6, 6});
    const QParams q{0.03f, 128};
    const std::string x = quantizeDequantize(graph, "x", q);
    addConstant<float>(graph, "scales", {4}, {1, 1, 2, 2}, onnx::TensorProto::FLOAT);
    onnx::NodeProto &resize = addNode(graph, "Resize", {x, "", "scales"}, {"up"});
    auto *mode = resize.add_attribute();
    mode->set_name("mode");
    mode->set_type(onnx::AttributeProto::STRING);
    mode->set_s("nearest");
    onnx::NodeProto &pool = addNode(graph, "MaxPool", {quantizeDequantize(graph, "up", q)},
                                    {"pooled"});
    setIntsAttribute(pool, "kernel_shape", {2, 2});
    setIntsAttribute(pool, "strides", {2, 2});
    const std::string pooled = quantizeDequantize(graph, "pooled", q);
    onnx::NodeProto &concat = addNode(graph, "Concat", {pooled, x}, {"joined"});
    auto *axis = concat.add_attribute();
    axis->set_name("axis");
    axis->set_type(onnx::AttributeProto::INT);
    axis->set_i(1);
    addNode(graph, "Identity", {quantizeDequantize(graph, "joined", q)}, {"y"});
    addOutput(graph, "y", {});
    const Tensor input = Tensor::fromVector<float>({1, 4, 6, 6}, randomNormal(144, 7));
    const Outcome fused = runModel(model, {{"x", input}}, true);
    const Outcome reference = runModel(model, {{"x", input}}, false);
    expectWithinSteps(fused, reference, q.scale, 0, 0.0);
    for (const char *name : {"up", "pooled", "joined"})
        EXPECT_FALSE(observes(fused, name)) << name;
}

// DQ -> GlobalAveragePool -> Q: an integer sum per channel, one requantization.
TEST(QdqFusion, GlobalAveragePoolAveragesEightBitValues)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "x", {2, 5, 7, 9});
    addNode(graph, "GlobalAveragePool", {quantizeDequantize(graph, "x", {0.03f, 120})}, {"pooled"});
    addNode(graph, "Identity", {quantizeDequantize(graph, "pooled", {0.01f, 128})}, {"y"});
    addOutput(graph, "y", {});
    const Tensor input = Tensor::fromVector<float>({2, 5, 7, 9}, randomNormal(630, 32));
    const Outcome fused = runModel(model, {{"x", input}}, true);
    const Outcome reference = runModel(model, {{"x", input}}, false);
    expectWithinSteps(fused, reference, 0.01f, 1, 0.2);
    EXPECT_FALSE(observes(fused, "pooled"));
}

// DQ(a) -> MatMul(DQ(W int8, per column)) -> Q becomes QLinearMatMul.
TEST(QdqFusion, MatMulBecomesQLinearMatMul)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "a", {2, 5, 32});
    const std::string a = quantizeDequantize(graph, "a", {0.03f, 120});
    std::mt19937 random(8);
    std::uniform_int_distribution<int> value(-64, 63);
    std::vector<int8_t> weights(32 * 24);
    for (int8_t &w : weights)
        w = int8_t(value(random));
    std::vector<float> scales;
    for (int i = 0; i < 24; ++i)
        scales.push_back(0.003f + 0.0005f * float(i % 7));
    addConstant<int8_t>(graph, "w_q", {32, 24}, weights, onnx::TensorProto::INT8);
    addConstant<float>(graph, "w_scale", {24}, scales, onnx::TensorProto::FLOAT);
    onnx::NodeProto &dq = addNode(graph, "DequantizeLinear", {"w_q", "w_scale"}, {"w"});
    auto *axis = dq.add_attribute();
    axis->set_name("axis");
    axis->set_type(onnx::AttributeProto::INT);
    axis->set_i(1);
    addNode(graph, "MatMul", {a, "w"}, {"product"});
    addNode(graph, "Identity", {quantizeDequantize(graph, "product", {0.02f, 128})}, {"y"});
    addOutput(graph, "y", {});
    const Tensor input = Tensor::fromVector<float>({2, 5, 32}, randomNormal(320, 9));
    const Outcome fused = runModel(model, {{"a", input}}, true);
    const Outcome reference = runModel(model, {{"a", input}}, false);
    expectWithinSteps(fused, reference, 0.02f, 1, 0.02);
    EXPECT_FALSE(observes(fused, "product"));
}

// DQ(a) -> Gemm(DQ(W int8 [N, K], transB), DQ(bias int32)) -> Relu -> Q becomes QGemm.
TEST(QdqFusion, GemmWithTransposedWeightsBiasAndReluBecomesQGemm)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "a", {6, 40});
    const QParams aq{0.03f, 120};
    const std::string a = quantizeDequantize(graph, "a", aq);
    std::mt19937 random(12);
    std::uniform_int_distribution<int> value(-64, 63);
    std::vector<int8_t> weights(16 * 40);
    for (int8_t &w : weights)
        w = int8_t(value(random));
    std::vector<float> scales;
    std::vector<int32_t> bias;
    std::vector<float> biasScales;
    for (int i = 0; i < 16; ++i) {
        scales.push_back(0.002f + 0.0005f * float(i % 5));
        bias.push_back(i * 41 % 300 - 150);
        biasScales.push_back(aq.scale * scales.back());
    }
    addConstant<int8_t>(graph, "w_q", {16, 40}, weights, onnx::TensorProto::INT8);
    addConstant<float>(graph, "w_scale", {16}, scales, onnx::TensorProto::FLOAT);
    onnx::NodeProto &dq = addNode(graph, "DequantizeLinear", {"w_q", "w_scale"}, {"w"});
    auto *axis = dq.add_attribute();
    axis->set_name("axis");
    axis->set_type(onnx::AttributeProto::INT);
    axis->set_i(0);
    addConstant<int32_t>(graph, "b_q", {16}, bias, onnx::TensorProto::INT32);
    addConstant<float>(graph, "b_scale", {16}, biasScales, onnx::TensorProto::FLOAT);
    *addNode(graph, "DequantizeLinear", {"b_q", "b_scale"}, {"b"}).add_attribute() = *axis;
    onnx::NodeProto &gemm = addNode(graph, "Gemm", {a, "w", "b"}, {"product"});
    auto *transB = gemm.add_attribute();
    transB->set_name("transB");
    transB->set_type(onnx::AttributeProto::INT);
    transB->set_i(1);
    addNode(graph, "Relu", {"product"}, {"act"});
    addNode(graph, "Identity", {quantizeDequantize(graph, "act", {0.01f, 10})}, {"y"});
    addOutput(graph, "y", {});
    const Tensor input = Tensor::fromVector<float>({6, 40}, randomNormal(240, 13));
    const Outcome fused = runModel(model, {{"a", input}}, true);
    const Outcome reference = runModel(model, {{"a", input}}, false);
    expectWithinSteps(fused, reference, 0.01f, 1, 0.02);
    EXPECT_FALSE(observes(fused, "product"));
    EXPECT_FALSE(observes(fused, "act"));
}

// DQ(a) -> MatMul(DQ(W)) -> Q -> DQ -> y, the graph output: the fused QLinearMatMul writes the
// dequantized floats itself (no int8 value in between), on the same 8-bit grid as the pair.
TEST(QdqFusion, MatMulWhoseOutputIsOnlyDequantizedWritesFloats)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "a", {5, 24});
    const std::string a = quantizeDequantize(graph, "a", {0.04f, 128});
    std::mt19937 random(21);
    std::uniform_int_distribution<int> value(-60, 60);
    std::vector<int8_t> weights(24 * 12);
    for (int8_t &w : weights)
        w = int8_t(value(random));
    addConstant<int8_t>(graph, "w_q", {24, 12}, weights, onnx::TensorProto::INT8);
    addConstant<float>(graph, "w_scale", {}, {0.003f}, onnx::TensorProto::FLOAT);
    addNode(graph, "DequantizeLinear", {"w_q", "w_scale"}, {"w"});
    addNode(graph, "MatMul", {a, "w"}, {"product"});
    const std::string product = quantizeDequantize(graph, "product", {0.02f, 3, true});
    addNode(graph, "Identity", {product}, {"y"});
    addOutput(graph, "y", {});
    const Tensor input = Tensor::fromVector<float>({5, 24}, randomNormal(120, 22));
    const Outcome fused = runModel(model, {{"a", input}}, true);
    const Outcome reference = runModel(model, {{"a", input}}, false);
    expectWithinSteps(fused, reference, 0.02f, 1, 0.02);
    EXPECT_FALSE(observes(fused, "product_quantized"));
    EXPECT_FALSE(observes(fused, "product"));
    EXPECT_TRUE(observes(fused, "product_dequantized"));
    // Every value is on the output's 8-bit grid: (q - 3) * 0.02 for an int8 q.
    for (const float y : fused.output) {
        const float q = y / 0.02f + 3.0f;
        EXPECT_NEAR(q, std::nearbyint(q), 1e-3f) << y;
        EXPECT_GE(q, -128.0f);
        EXPECT_LE(q, 127.0f);
    }
}

// The dynamic-quantization spelling DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(scale)
// -> Add(bias) becomes one MatMulIntegerToFloat: the same integers, the same float steps.
TEST(QdqFusion, DynamicMatMulChainBecomesOneNode)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "a", {4, 32});
    std::mt19937 random(40);
    std::uniform_int_distribution<int> value(-64, 64);
    std::vector<int8_t> weights(32 * 12);
    for (int8_t &w : weights)
        w = int8_t(value(random));
    addConstant<int8_t>(graph, "w_q", {32, 12}, weights, onnx::TensorProto::INT8);
    addConstant<int8_t>(graph, "w_zero", {}, {0}, onnx::TensorProto::INT8);
    addScale(graph, "w_scale", 0.01f);
    addConstant<float>(graph, "bias", {12}, randomNormal(12, 41), onnx::TensorProto::FLOAT);
    addNode(graph, "DynamicQuantizeLinear", {"a"}, {"a_q", "a_scale", "a_zero"});
    addNode(graph, "MatMulInteger", {"a_q", "w_q", "a_zero", "w_zero"}, {"acc"});
    onnx::NodeProto &cast = addNode(graph, "Cast", {"acc"}, {"acc_f"});
    auto *to = cast.add_attribute();
    to->set_name("to");
    to->set_type(onnx::AttributeProto::INT);
    to->set_i(onnx::TensorProto::FLOAT);
    addNode(graph, "Mul", {"a_scale", "w_scale"}, {"scale"});
    addNode(graph, "Mul", {"acc_f", "scale"}, {"product"});
    addNode(graph, "Add", {"product", "bias"}, {"y"});
    addOutput(graph, "y", {});
    const Tensor input = Tensor::fromVector<float>({4, 32}, randomNormal(128, 42));
    const Outcome fused = runModel(model, {{"a", input}}, true);
    const Outcome reference = runModel(model, {{"a", input}}, false);
    expectWithinSteps(fused, reference, 1e-5f, 0, 0.0);
    EXPECT_FALSE(observes(fused, "acc"));
    EXPECT_FALSE(observes(fused, "product"));
}

// A DequantizeLinear that another node also reads stays for it; the group still fuses.
TEST(QdqFusion, SharedDequantizeStaysForItsOtherReaders)
{
    onnx::ModelProto model = makeModel(14);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "x", {1, 2, 4, 4});
    const std::string x = quantizeDequantize(graph, "x", {0.05f, 128});
    addNode(graph, "HardSwish", {x}, {"act"});
    const std::string act = quantizeDequantize(graph, "act", {0.02f, 20});
    addNode(graph, "Add", {act, x}, {"y"});
    addOutput(graph, "y", {});
    const Tensor input = Tensor::fromVector<float>({1, 2, 4, 4}, randomNormal(32, 10, 2.0f));
    const Outcome fused = runModel(model, {{"x", input}}, true);
    const Outcome reference = runModel(model, {{"x", input}}, false);
    expectWithinSteps(fused, reference, 1e-4f, 0, 0.0);
    EXPECT_TRUE(observes(fused, "x_dequantized"));
    EXPECT_FALSE(observes(fused, "act"));
}

// A chain of int8 ops keeps its activations channels-last between the convolutions
// (fusion/int8_layout.cpp): Conv -> HardSwish -> Conv, a residual Add, a per-channel Mul by an
// NCHW [1, C, 1, 1] operand (a global average pool of an NHWC value plus an input), a nearest
// Resize with permuted scales, a last Conv back to NCHW.
// Adds DQ(W int8 [filters, channels, k, k], per channel) -> Conv -> Q -> DQ groups to a graph
// (random weights, same-size padding); each call returns the group's DQ output.
struct QdqConvs
{
    onnx::GraphProto &graph;
    std::mt19937 random;
    int counter = 0;

    std::string operator()(const std::string &input, int64_t channels, int64_t filters,
                           int64_t kernel)
    {
        std::uniform_int_distribution<int> weightValue(-64, 64);
        const std::string name = "conv" + std::to_string(counter++);
        std::vector<int8_t> weights(size_t(filters * channels * kernel * kernel));
        for (int8_t &w : weights)
            w = int8_t(weightValue(random));
        addConstant<int8_t>(graph, name + "_wq", {filters, channels, kernel, kernel}, weights,
                            onnx::TensorProto::INT8);
        addConstant<float>(graph, name + "_ws", {filters},
                           std::vector<float>(size_t(filters), 0.004f), onnx::TensorProto::FLOAT);
        onnx::NodeProto &dq = addNode(graph, "DequantizeLinear", {name + "_wq", name + "_ws"},
                                      {name + "_w"});
        auto *axis = dq.add_attribute();
        axis->set_name("axis");
        axis->set_type(onnx::AttributeProto::INT);
        axis->set_i(0);
        onnx::NodeProto &node = addNode(graph, "Conv", {input, name + "_w"}, {name}, name);
        setIntsAttribute(node, "pads", {kernel / 2, kernel / 2, kernel / 2, kernel / 2});
        return quantizeDequantize(graph, name, {0.05f, 110});
    }
};

TEST(QdqFusion, ChannelsLastRegionMatchesTheFloatPath)
{
    onnx::ModelProto model = makeModel(14);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "x", {1, 8, 10, 10});
    addInput(graph, "se", {1, 8, 1, 1});
    QdqConvs conv{graph, std::mt19937(21)};
    const std::string x = quantizeDequantize(graph, "x", {0.02f, 128});
    const std::string a = conv(x, 8, 8, 3);
    addNode(graph, "HardSwish", {a}, {"h"});
    const std::string h = quantizeDequantize(graph, "h", {0.03f, 20});
    const std::string b = conv(h, 8, 8, 1);
    addNode(graph, "Add", {b, h}, {"sum"});
    const std::string sum = quantizeDequantize(graph, "sum", {0.06f, 90});
    // A squeeze-and-excitation step: the mean of `sum` per channel (from NHWC) times the input se.
    addNode(graph, "GlobalAveragePool", {sum}, {"pooled"});
    const std::string pooled = quantizeDequantize(graph, "pooled", {0.02f, 128});
    addNode(graph, "Add", {pooled, quantizeDequantize(graph, "se", {0.01f, 0})}, {"gate"});
    addNode(graph, "Mul", {sum, quantizeDequantize(graph, "gate", {0.02f, 0})}, {"scaled"});
    const QParams scaledParams{0.05f, 100};
    const std::string scaled = quantizeDequantize(graph, "scaled", scaledParams);
    addConstant<float>(graph, "scales", {4}, {1, 1, 2, 2}, onnx::TensorProto::FLOAT);
    onnx::NodeProto &resize = addNode(graph, "Resize", {scaled, "", "scales"}, {"up"});
    auto *mode = resize.add_attribute();
    mode->set_name("mode");
    mode->set_type(onnx::AttributeProto::STRING);
    mode->set_s("nearest");
    const std::string up = quantizeDequantize(graph, "up", scaledParams);
    addNode(graph, "Identity", {conv(up, 8, 4, 3)}, {"y"});
    addOutput(graph, "y", {});

    const std::map<std::string, Tensor> inputs
        = {{"x", Tensor::fromVector<float>({1, 8, 10, 10}, randomNormal(800, 22))},
           {"se", Tensor::fromVector<float>({1, 8, 1, 1},
                                            {0.1f, 0.5f, 1.0f, 1.5f, 2.0f, 0.3f, 0.8f, 1.2f})}};
    const Outcome fused = runModel(model, inputs, true);
    const Outcome reference = runModel(model, inputs, false);
    // The same result with or without the channels-last copies (checked while writing the pass);
    // against the unfused path, one step of requantization anywhere upstream reaches the last
    // 3x3 Conv through 72 inputs, so a sixth of its outputs move by up to 4 steps.
    expectWithinSteps(fused, reference, 0.05f, 4, 0.25);
    // Stored NHWC inside the region, NCHW where a float op or the graph output reads.
    EXPECT_EQ(fused.shapes.at("h_quantized"), (Shape{1, 10, 10, 8}));
    EXPECT_EQ(fused.shapes.at("sum_quantized"), (Shape{1, 10, 10, 8}));
    EXPECT_EQ(fused.shapes.at("up_quantized"), (Shape{1, 20, 20, 8}));
    EXPECT_EQ(fused.shapes.at("conv2_quantized"), (Shape{1, 4, 20, 20}));
}

// A SqueezeNet Fire module after a stem pool: the MaxPool on 8-bit values and the channel Concat
// of the two expand convolutions (other scales: QLinearConcat) stay NHWC between the convolutions
// instead of going out to NCHW and back.
TEST(QdqFusion, PoolAndConcatStayChannelsLastBetweenConvolutions)
{
    onnx::ModelProto model = makeModel(14);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "x", {1, 8, 11, 11});
    QdqConvs conv{graph, std::mt19937(23)};
    const std::string stem = conv(quantizeDequantize(graph, "x", {0.02f, 128}), 8, 8, 3);
    onnx::NodeProto &pool = addNode(graph, "MaxPool", {stem}, {"pooled"});
    setIntsAttribute(pool, "kernel_shape", {3, 3});
    setIntsAttribute(pool, "strides", {2, 2});
    setIntAttribute(pool, "ceil_mode", 1);
    const std::string pooled = quantizeDequantize(graph, "pooled", {0.05f, 110});
    const std::string squeeze = conv(pooled, 8, 4, 1);
    onnx::NodeProto &concat = addNode(graph, "Concat",
                                      {conv(squeeze, 4, 6, 1), conv(squeeze, 4, 6, 3)}, {"fire"});
    setIntAttribute(concat, "axis", 1);
    const std::string fire = quantizeDequantize(graph, "fire", {0.08f, 100});
    addNode(graph, "Identity", {conv(fire, 12, 4, 1)}, {"y"});
    addOutput(graph, "y", {});

    const std::map<std::string, Tensor> inputs
        = {{"x", Tensor::fromVector<float>({1, 8, 11, 11}, randomNormal(8 * 11 * 11, 24))}};
    const Outcome fused = runModel(model, inputs, true);
    const Outcome reference = runModel(model, inputs, false);
    expectWithinSteps(fused, reference, 0.05f, 4, 0.25);
    EXPECT_EQ(fused.shapes.at("pooled_quantized"), (Shape{1, 5, 5, 8})); // ceil((11-3)/2)+1
    EXPECT_EQ(fused.shapes.at("fire_quantized"), (Shape{1, 5, 5, 12}));
    EXPECT_EQ(fused.shapes.at("conv4_quantized"), (Shape{1, 4, 5, 5})); // the graph output's
}

// MobileNetV3's HardSwish below opset 14 as a QDQ model spells it: DQ(c) * DQ(Q(HardSigmoid(
// DQ(c)))). The Mul of a value and a table of that value is one table, which the Conv then
// applies as it writes: one node where there were three.
TEST(QdqFusion, ValueTimesItsOwnTableBecomesOneTableInTheConvolution)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "x", {1, 8, 9, 9});
    QdqConvs conv{graph, std::mt19937(29)};
    const std::string c = conv(quantizeDequantize(graph, "x", {0.02f, 128}), 8, 8, 3);
    onnx::NodeProto &gate = addNode(graph, "HardSigmoid", {c}, {"gate"});
    setFloatAttribute(gate, "alpha", 1.0f / 6.0f);
    addNode(graph, "Mul", {c, quantizeDequantize(graph, "gate", {1.0f / 255.0f, 0})}, {"hswish"});
    addNode(graph, "Identity", {quantizeDequantize(graph, "hswish", {0.04f, 20})}, {"y"});
    addOutput(graph, "y", {});

    const std::map<std::string, Tensor> inputs
        = {{"x", Tensor::fromVector<float>({1, 8, 9, 9}, randomNormal(8 * 9 * 9, 30))}};
    const Outcome fused = runModel(model, inputs, true);
    const Outcome reference = runModel(model, inputs, false);
    // The conv's own requantization may move its output by one step against the float path;
    // the table after it is exact.
    expectWithinSteps(fused, reference, 0.04f, 2, 0.05);
    // The Conv writes the final 8-bit value itself: its own output and the gate are gone.
    for (const char *absorbed : {"gate_quantized", "conv0_quantized"})
        EXPECT_EQ(fused.shapes.count(absorbed), 0u) << absorbed << " should not be a value";
    EXPECT_EQ(fused.shapes.count("hswish_quantized"), 1u);
}

} // namespace
} // namespace qs
