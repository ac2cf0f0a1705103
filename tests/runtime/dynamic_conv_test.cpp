// Dynamically quantized convolutions (runtime/fusion/dynamic_conv.cpp): the chain
// DynamicQuantizeLinear -> ConvInteger -> Cast -> Mul(x_scale * W_scale) -> Add(bias) runs fused
// as a float convolution of the same integers with the scale and bias as post-ops. Built in code
// the way ONNX Runtime's and our dynamic quantizers write it (full-range uint8 weights with zero
// point 128, the scale product Mul after the ConvInteger), run fused and unfused (the exact
// int32 ConvInteger): the outputs must be identical, not merely close, since the float sums of
// integers are exact and the post-ops round as the Mul and Add do.
#include "support/qdq_graph.h"

#include <gtest/gtest.h>

#include <random>

namespace qs {
namespace {

using namespace qs::test;

struct DynamicConvCase
{
    const char *name;
    int64_t channels, filters, kernel, group, size;
    bool perChannelScale; // W_scale [1, M, 1, 1] instead of one value
    bool bias;
    bool relu;
};

std::ostream &operator<<(std::ostream &out, const DynamicConvCase &c)
{
    return out << c.name;
}

class DynamicConv : public ::testing::TestWithParam<DynamicConvCase>
{};

// One dynamically quantized conv reading `input`; returns its float output's name.
std::string addDynamicConv(onnx::GraphProto &graph, const std::string &input,
                           const DynamicConvCase &c, const std::string &name, int seed)
{
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> weightValue(0, 255);
    const std::vector<int64_t> weightDims{c.filters, c.channels / c.group, c.kernel, c.kernel};
    std::vector<uint8_t> weights(size_t(shapeElementCount(weightDims)));
    for (uint8_t &w : weights)
        w = uint8_t(weightValue(random));
    addConstant<uint8_t>(graph, name + "_wq", weightDims, weights, onnx::TensorProto::UINT8);
    addConstant<uint8_t>(graph, name + "_wzero", {}, {128}, onnx::TensorProto::UINT8);
    std::vector<float> scales;
    for (int64_t f = 0; f < (c.perChannelScale ? c.filters : 1); ++f)
        scales.push_back(0.002f + 0.0007f * float(f % 7));
    addConstant<float>(graph, name + "_wscale",
                       c.perChannelScale ? std::vector<int64_t>{1, c.filters, 1, 1}
                                         : std::vector<int64_t>{1, 1, 1, 1},
                       scales, onnx::TensorProto::FLOAT);
    addNode(graph, "DynamicQuantizeLinear", {input},
            {name + "_xq", name + "_xscale", name + "_xzero"});
    onnx::NodeProto &conv = addNode(graph, "ConvInteger",
                                    {name + "_xq", name + "_wq", name + "_xzero", name + "_wzero"},
                                    {name + "_acc"}, name);
    setIntsAttribute(conv, "pads", {c.kernel / 2, c.kernel / 2, c.kernel / 2, c.kernel / 2});
    if (c.group > 1) {
        auto *group = conv.add_attribute();
        group->set_name("group");
        group->set_type(onnx::AttributeProto::INT);
        group->set_i(c.group);
    }
    onnx::NodeProto &cast = addNode(graph, "Cast", {name + "_acc"}, {name + "_accf"});
    auto *to = cast.add_attribute();
    to->set_name("to");
    to->set_type(onnx::AttributeProto::INT);
    to->set_i(onnx::TensorProto::FLOAT);
    addNode(graph, "Mul", {name + "_xscale", name + "_wscale"}, {name + "_scale"});
    std::string out = name + "_scaled";
    addNode(graph, "Mul", {name + "_accf", name + "_scale"}, {out});
    if (c.bias) {
        addConstant<float>(graph, name + "_bias", {c.filters, 1, 1},
                           randomNormal(size_t(c.filters), seed + 1), onnx::TensorProto::FLOAT);
        addNode(graph, "Add", {out, name + "_bias"}, {name + "_biased"});
        out = name + "_biased";
    }
    if (c.relu) {
        addNode(graph, "Relu", {out}, {name + "_relu"});
        out = name + "_relu";
    }
    return out;
}

// Two convs in a row, so that the second reads the first's output (blocked when the channels
// fill blocks), then the graph output.
TEST_P(DynamicConv, RunsAsAFloatConvWithIdenticalResults)
{
    const DynamicConvCase &c = GetParam();
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "x", {1, c.channels, c.size, c.size});
    const std::string first = addDynamicConv(graph, "x", c, "first", 7);
    DynamicConvCase second = c;
    second.channels = c.filters;
    second.filters = c.group > 1 ? c.filters : c.channels;
    second.group = c.group > 1 ? c.filters : 1;
    addNode(graph, "Identity", {addDynamicConv(graph, first, second, "second", 17)}, {"y"});
    addOutput(graph, "y", {});
    const Tensor input
        = Tensor::fromVector<float>({1, c.channels, c.size, c.size},
                                    randomNormal(size_t(c.channels * c.size * c.size), 3, 2.0f));
    const Outcome fused = runModel(model, {{"x", input}}, true);
    const Outcome reference = runModel(model, {{"x", input}}, false);
    ASSERT_EQ(fused.output.size(), reference.output.size());
    ASSERT_FALSE(fused.output.empty());
    for (size_t i = 0; i < fused.output.size(); ++i)
        ASSERT_EQ(fused.output[i], reference.output[i]) << "at " << i;
    // The int32 sums and the separate scale steps are gone from the fused run.
    EXPECT_TRUE(observes(reference, "first_acc"));
    EXPECT_FALSE(observes(fused, "first_acc"));
    EXPECT_FALSE(observes(fused, "second_accf"));
    EXPECT_FALSE(observes(fused, "first_xq"));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DynamicConv,
    ::testing::Values(
        // name, channels, filters, kernel, group, size, per-channel scale, bias, relu
        DynamicConvCase{"Blocked3x3BiasRelu", 16, 32, 3, 1, 12, false, true, true},
        DynamicConvCase{"PlainChannels3x3", 3, 12, 3, 1, 9, false, true, false},
        DynamicConvCase{"PerChannelScale1x1", 24, 16, 1, 1, 7, true, true, true},
        DynamicConvCase{"Depthwise", 16, 16, 3, 16, 10, false, true, true},
        // A squeeze-excite conv: the output is one vector of channels.
        DynamicConvCase{"OneByOneSpatial", 32, 16, 1, 1, 1, true, true, true},
        DynamicConvCase{"NoBias", 16, 16, 3, 1, 6, false, false, false}),
    ::testing::PrintToStringParamName());

// x_q read by another node (here a graph output) keeps its DynamicQuantizeLinear, and the conv
// stays the exact ConvInteger.
TEST(DynamicConvFusion, QuantizedInputReadElsewhereStaysInteger)
{
    const DynamicConvCase c{"Shared", 16, 16, 3, 1, 6, false, true, true};
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    addInput(graph, "x", {1, 16, 6, 6});
    addNode(graph, "Identity", {addDynamicConv(graph, "x", c, "conv", 5)}, {"y"});
    addOutput(graph, "y", {});
    addOutput(graph, "conv_xq", {});
    const Tensor input = Tensor::fromVector<float>({1, 16, 6, 6}, randomNormal(16 * 36, 9, 2.0f));
    const Outcome fused = runModel(model, {{"x", input}}, true);
    const Outcome reference = runModel(model, {{"x", input}}, false);
    ASSERT_EQ(fused.output, reference.output);
    EXPECT_TRUE(observes(fused, "conv_acc"));
}

} // namespace
} // namespace qs
