// The session's fusion passes change how a graph runs, never what it computes: each pattern is
// built in code, run fused and unfused on the same random input, and compared; the observer
// shows that the intermediate values really disappeared when fused.
#include "model/model.h"
#include "runtime/session.h"
#include "support/model_builder.h"
#include "support/random_data.h"
#include "support/run_node.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace qs {
namespace {

using namespace qs::test;

struct Observed
{
    std::vector<float> output; // the last graph output
    Shape outputShape;
    std::vector<std::string> values;
};

Observed runWith(const onnx::ModelProto &proto, const std::map<std::string, Tensor> &inputs,
                 bool fuse)
{
    auto model = Model::fromProto(proto, ".");
    EXPECT_TRUE(model) << model.status().message();
    auto session = Session::create(*model, sessionOptions(2, {}, fuse));
    EXPECT_TRUE(session) << session.status().message();
    Observed observed;
    RunOptions options;
    options.observer = [&](const std::string &name, const Tensor &) {
        observed.values.push_back(name);
    };
    auto outputs = (*session)->run(inputs, options);
    EXPECT_TRUE(outputs) << outputs.status().message();
    if (outputs) {
        const auto values = outputs->back().second.values<float>();
        observed.output.assign(values.begin(), values.end());
        observed.outputShape = outputs->back().second.shape();
    }
    return observed;
}

Observed runWith(const onnx::ModelProto &proto, const Tensor &x, bool fuse)
{
    return runWith(proto, {{"x", x}}, fuse);
}

void expectSameResults(const onnx::ModelProto &proto, const Shape &inputShape,
                       size_t expectedFusedValues)
{
    const auto values = randomNormal(static_cast<size_t>(shapeElementCount(inputShape)), 5);
    const Tensor x = Tensor::fromVector<float>(inputShape, values);
    const Observed fused = runWith(proto, x, true);
    const Observed plain = runWith(proto, x, false);
    ASSERT_EQ(fused.output.size(), plain.output.size());
    float scale = 0.0f;
    for (const float v : plain.output)
        scale = std::max(scale, std::fabs(v));
    for (size_t i = 0; i < plain.output.size(); ++i)
        ASSERT_NEAR(fused.output[i], plain.output[i], 1e-5f * std::max(scale, 1.0f)) << "at " << i;
    EXPECT_EQ(fused.values.size(), expectedFusedValues)
        << "fused run observed " << fused.values.size() << " values, unfused "
        << plain.values.size() << ": " << ::testing::PrintToString(fused.values);
    EXPECT_GT(plain.values.size(), fused.values.size());
}

// x[1,4,6,6] -> Conv 3x3 (8 out) -> Mul(per-channel) -> Add(scalar)
//            -> Add(3) -> Clip(0,6) -> Mul(x) -> Div(6)       (decomposed HardSwish)
//            -> Mul(scalar) -> Add(scalar)                    (learnable affine block)
TEST(Fusion, ConvAffineHardSwishAndAffineBecomeOneConv)
{
    onnx::ModelProto proto = makeModel(11);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 4, 6, 6});
    addOutput(graph, "y", {1, 8, 6, 6});
    addFloatInitializer(graph, "w", {8, 4, 3, 3}, randomNormal(8 * 4 * 9, 1, 0.3f));
    addFloatInitializer(graph, "b", {8}, randomNormal(8, 2));
    addFloatInitializer(graph, "scale", {8, 1, 1}, randomNormal(8, 3));
    addFloatInitializer(graph, "shift", {1}, {0.25f});
    addFloatInitializer(graph, "three", {}, {3.0f});
    addFloatInitializer(graph, "six", {}, {6.0f});
    addFloatInitializer(graph, "lab_scale", {1}, {1.5f});
    addFloatInitializer(graph, "lab_bias", {1}, {-0.1f});
    setIntsAttribute(addNode(graph, "Conv", {"x", "w", "b"}, {"c"}, "conv"), "pads", {1, 1, 1, 1});
    addNode(graph, "Mul", {"c", "scale"}, {"c_scaled"});
    addNode(graph, "Add", {"c_scaled", "shift"}, {"c_shifted"});
    addNode(graph, "Add", {"c_shifted", "three"}, {"plus3"});
    addFloatInitializer(graph, "zero", {}, {0.0f});
    addNode(graph, "Clip", {"plus3", "zero", "six"}, {"clipped"}); // opset 11: bounds are inputs
    addNode(graph, "Mul", {"c_shifted", "clipped"}, {"times"});
    addNode(graph, "Div", {"times", "six"}, {"hswish"});
    addNode(graph, "Mul", {"hswish", "lab_scale"}, {"lab"});
    addNode(graph, "Add", {"lab", "lab_bias"}, {"y"});
    expectSameResults(proto, {1, 4, 6, 6}, 1); // only "y" is produced
}

// x[2,16] -> MatMul(W[16,32]) -> Add(bias[32]) -> Div(sqrt 2) -> Erf -> Add(1) -> Mul(x) -> Mul(0.5)
TEST(Fusion, MatMulBiasAndErfGeluBecomeOneMatMul)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {2, 16});
    addOutput(graph, "y", {2, 32});
    addFloatInitializer(graph, "w", {16, 32}, randomNormal(16 * 32, 7, 0.5f));
    addFloatInitializer(graph, "bias", {32}, randomNormal(32, 8));
    addFloatInitializer(graph, "sqrt2", {}, {std::sqrt(2.0f)});
    addFloatInitializer(graph, "one", {}, {1.0f});
    addFloatInitializer(graph, "half", {}, {0.5f});
    addNode(graph, "MatMul", {"x", "w"}, {"mm"});
    addNode(graph, "Add", {"mm", "bias"}, {"h"});
    addNode(graph, "Div", {"h", "sqrt2"}, {"scaled"});
    addNode(graph, "Erf", {"scaled"}, {"erf"});
    addNode(graph, "Add", {"erf", "one"}, {"erf1"});
    addNode(graph, "Mul", {"h", "erf1"}, {"prod"});
    addNode(graph, "Mul", {"prod", "half"}, {"y"});
    expectSameResults(proto, {2, 16}, 1);
}

// LayerNorm as torch writes it below opset 17, over a dynamic-length sequence (so its shape is
// not known when the session fuses): x[2,5,24] -> ReduceMean(-1) -> Sub -> Pow 2 -> ReduceMean
// -> Add(eps) -> Sqrt -> Div -> Mul(gamma[24]) -> Add(beta[24]) becomes one LayerNormalization.
TEST(Fusion, DecomposedLayerNormBecomesOneNode)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {2, -1, 24});
    addOutput(graph, "y", {});
    addFloatInitializer(graph, "two", {}, {2.0f});
    addFloatInitializer(graph, "eps", {}, {1e-5f});
    addFloatInitializer(graph, "gamma", {24}, randomNormal(24, 11));
    addFloatInitializer(graph, "beta", {24}, randomNormal(24, 12));
    setIntsAttribute(addNode(graph, "ReduceMean", {"x"}, {"mean"}), "axes", {-1});
    addNode(graph, "Sub", {"x", "mean"}, {"d"});
    addNode(graph, "Pow", {"d", "two"}, {"d2"});
    setIntsAttribute(addNode(graph, "ReduceMean", {"d2"}, {"var"}), "axes", {-1});
    addNode(graph, "Add", {"var", "eps"}, {"var_eps"});
    addNode(graph, "Sqrt", {"var_eps"}, {"std"});
    addNode(graph, "Div", {"d", "std"}, {"n"});
    addNode(graph, "Mul", {"n", "gamma"}, {"scaled"});
    addNode(graph, "Add", {"scaled", "beta"}, {"y"});
    expectSameResults(proto, {2, 5, 24}, 1);
}

TEST(Fusion, ClipAttributesAreIgnoredFromOpset11)
{
    // Opset 11 reads Clip's bounds from inputs; stale min/max attributes must not be fused in.
    onnx::ModelProto proto = makeModel(11);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 1, 2, 2});
    addOutput(graph, "y", {1, 1, 2, 2});
    addFloatInitializer(graph, "w", {1, 1, 1, 1}, {10.0f});
    addNode(graph, "Conv", {"x", "w"}, {"c"});
    onnx::NodeProto &clip = addNode(graph, "Clip", {"c"}, {"y"});
    auto *attr = clip.add_attribute();
    attr->set_name("max");
    attr->set_type(onnx::AttributeProto::FLOAT);
    attr->set_f(1.0f);
    const Tensor x = Tensor::fromVector<float>({1, 1, 2, 2}, {1, 2, 3, 4});
    EXPECT_EQ(runWith(proto, x, true).output, (std::vector<float>{10, 20, 30, 40}));
}

TEST(Fusion, ValuesWithSeveralReadersAreNotFused)
{
    // The Conv output is also a graph output: folding the Mul into it would change that output.
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 2, 4, 4});
    addOutput(graph, "c", {1, 2, 4, 4});
    addOutput(graph, "y", {1, 2, 4, 4});
    addFloatInitializer(graph, "w", {2, 2, 1, 1}, {1, 2, 3, 4});
    addFloatInitializer(graph, "s", {1}, {2.0f});
    addNode(graph, "Conv", {"x", "w"}, {"c"});
    addNode(graph, "Mul", {"c", "s"}, {"y"});
    const Tensor x = Tensor::fromVector<float>({1, 2, 4, 4}, randomNormal(32, 9));
    const Observed fused = runWith(proto, x, true);
    EXPECT_EQ(fused.values, (std::vector<std::string>{"c", "y"}));
}

// A small CNN with every kind of node the blocked layout pass keeps blocked (blocked_layout.h):
// a stem Conv reading plain input, MaxPool, a depthwise and a pointwise Conv, a residual Add, a
// squeeze-excite branch (GlobalAveragePool -> 1x1 Convs -> HardSigmoid -> Mul by a per-channel
// value), a Mul by a per-channel constant, a channel Concat, a BatchNormalization, a grouped
// Conv, a zero Pad, AveragePool, and Flatten, which needs the plain layout back. The fused run must equal the unfused one, and every value between
// the stem and Flatten must stay blocked: only one BlockedToPlain conversion runs. The
// BatchNormalization and the Relu after it run as one ChannelAffine.
TEST(Fusion, FloatActivationsStayChannelBlockedBetweenConvolutions)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 3, 16, 16});
    addOutput(graph, "y", {1, 32});
    std::mt19937 random(11);
    std::normal_distribution<float> normal(0.0f, 0.3f);
    auto weights = [&](const std::string &name, std::vector<int64_t> dims) {
        addFloatInitializer(graph, name, dims, [&] { return normal(random); });
    };
    weights("w_stem", {16, 3, 3, 3});
    weights("b_stem", {16});
    weights("w_dw", {16, 1, 3, 3});
    weights("w_pw", {16, 16, 1, 1});
    weights("w_se1", {8, 16, 1, 1});
    weights("w_se2", {16, 8, 1, 1});
    weights("channel_scale", {1, 16, 1, 1});
    setIntsAttribute(addNode(graph, "Conv", {"x", "w_stem", "b_stem"}, {"stem"}, "stem"), "pads",
                     {1, 1, 1, 1});
    addNode(graph, "Relu", {"stem"}, {"stem_relu"});
    onnx::NodeProto &pool = addNode(graph, "MaxPool", {"stem_relu"}, {"a"});
    setIntsAttribute(pool, "kernel_shape", {3, 3});
    setIntsAttribute(pool, "strides", {2, 2});
    setIntsAttribute(pool, "pads", {1, 1, 1, 1});
    onnx::NodeProto &depthwise = addNode(graph, "Conv", {"a", "w_dw"}, {"b"}, "depthwise");
    setIntsAttribute(depthwise, "pads", {1, 1, 1, 1});
    setIntAttribute(depthwise, "group", 16);
    addNode(graph, "Conv", {"b", "w_pw"}, {"c"}, "pointwise");
    addNode(graph, "Add", {"c", "a"}, {"d"});
    addNode(graph, "GlobalAveragePool", {"d"}, {"g"});
    addNode(graph, "Conv", {"g", "w_se1"}, {"g1"}, "se1");
    addNode(graph, "Relu", {"g1"}, {"g1_relu"});
    addNode(graph, "Conv", {"g1_relu", "w_se2"}, {"g2"}, "se2");
    addNode(graph, "HardSigmoid", {"g2"}, {"s"});
    addNode(graph, "Mul", {"d", "s"}, {"e"});
    addNode(graph, "Mul", {"e", "channel_scale"}, {"f"});
    setIntAttribute(addNode(graph, "Concat", {"e", "f"}, {"h"}), "axis", -3);
    // DenseNet-style BatchNormalization after the Concat, a grouped Conv (RegNet), and the
    // all-zero Pad torch writes before AvgPool2d.
    weights("bn_scale", {32});
    weights("bn_bias", {32});
    weights("bn_mean", {32});
    addFloatInitializer(graph, "bn_var", {32}, [&] { return 0.5f + std::fabs(normal(random)); });
    addNode(graph, "BatchNormalization", {"h", "bn_scale", "bn_bias", "bn_mean", "bn_var"}, {"hb"});
    addNode(graph, "Relu", {"hb"}, {"hr"}); // fused into the ChannelAffine the BN becomes
    weights("w_group", {32, 16, 1, 1});
    setIntAttribute(addNode(graph, "Conv", {"hr", "w_group"}, {"hg"}, "grouped"), "group", 2);
    addInt64Initializer(graph, "no_pads", {0, 0, 0, 0, 0, 0, 0, 0});
    addNode(graph, "Pad", {"hg", "no_pads"}, {"hp"});
    onnx::NodeProto &average = addNode(graph, "AveragePool", {"hp"}, {"p"});
    setIntsAttribute(average, "kernel_shape", {2, 2});
    setIntsAttribute(average, "strides", {2, 2});
    addNode(graph, "GlobalAveragePool", {"p"}, {"q"});
    addNode(graph, "Flatten", {"q"}, {"y"});

    const auto values = randomNormal(3 * 16 * 16, 12);
    const Tensor x = Tensor::fromVector<float>({1, 3, 16, 16}, values);
    const Observed fused = runWith(proto, x, true);
    const Observed plain = runWith(proto, x, false);
    ASSERT_EQ(fused.output.size(), 32u);
    ASSERT_EQ(plain.output.size(), 32u);
    for (size_t i = 0; i < plain.output.size(); ++i)
        EXPECT_NEAR(fused.output[i], plain.output[i], 1e-5f) << "at " << i;
    // The fused run observes the blocked values under "<name>::blocked" where a plain copy
    // was needed, and exactly one conversion's output: q (read by Flatten).
    int blockedCopies = 0;
    for (const std::string &value : fused.values)
        blockedCopies += value.ends_with("::blocked");
    EXPECT_EQ(blockedCopies, 1) << ::testing::PrintToString(fused.values);
    // BatchNormalization -> Relu ran as one node writing the Relu's output.
    EXPECT_EQ(std::count(fused.values.begin(), fused.values.end(), "hb"), 0);
    EXPECT_EQ(std::count(fused.values.begin(), fused.values.end(), "hr"), 1);
}

// Channels that do not fill whole blocks (12: padded to 16 lanes with AVX2's 8 and AVX-512's
// 16) stay blocked too, with padding lanes: the same kinds of nodes as above, plus ops that fill
// the padding with non-zero values (Sigmoid, HardSigmoid, an Add of a scalar), after which a
// convolution reads the plain value instead, and a Div by a per-channel constant (padded with
// ones). The fused run must equal the unfused one.
TEST(Fusion, PaddedChannelsStayBlocked)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 3, 16, 16});
    addOutput(graph, "y", {1, 12});
    std::mt19937 random(13);
    std::normal_distribution<float> normal(0.0f, 0.3f);
    auto weights = [&](const std::string &name, std::vector<int64_t> dims) {
        addFloatInitializer(graph, name, dims, [&] { return normal(random); });
    };
    weights("w_stem", {12, 3, 3, 3});
    weights("w_dw", {12, 1, 3, 3});
    weights("w_pw", {12, 12, 1, 1});
    weights("w_se1", {8, 12, 1, 1});
    weights("w_se2", {12, 8, 1, 1});
    weights("w_last", {12, 12, 1, 1});
    weights("channel_scale", {1, 12, 1, 1});
    addFloatInitializer(graph, "channel_divisor", {12, 1, 1},
                        [&] { return 0.5f + std::fabs(normal(random)); });
    addFloatInitializer(graph, "three", {}, {3.0f});
    setIntsAttribute(addNode(graph, "Conv", {"x", "w_stem"}, {"stem"}, "stem"), "pads",
                     {1, 1, 1, 1});
    addNode(graph, "Relu", {"stem"}, {"stem_relu"});
    onnx::NodeProto &pool = addNode(graph, "MaxPool", {"stem_relu"}, {"a"});
    setIntsAttribute(pool, "kernel_shape", {3, 3});
    setIntsAttribute(pool, "strides", {2, 2});
    setIntsAttribute(pool, "pads", {1, 1, 1, 1});
    onnx::NodeProto &depthwise = addNode(graph, "Conv", {"a", "w_dw"}, {"b"}, "depthwise");
    setIntsAttribute(depthwise, "pads", {1, 1, 1, 1});
    setIntAttribute(depthwise, "group", 12);
    addNode(graph, "Conv", {"b", "w_pw"}, {"c"}, "pointwise");
    addNode(graph, "Add", {"c", "a"}, {"d"});
    addNode(graph, "GlobalAveragePool", {"d"}, {"g"});
    addNode(graph, "Conv", {"g", "w_se1"}, {"g1"}, "se1");
    addNode(graph, "Relu", {"g1"}, {"g1_relu"});
    addNode(graph, "Conv", {"g1_relu", "w_se2"}, {"g2"}, "se2");
    addNode(graph, "HardSigmoid", {"g2"}, {"s"}); // padding 0.5 (dirty)
    addNode(graph, "Mul", {"d", "s"}, {"e"});     // clean again: d's padding is zero
    addNode(graph, "Mul", {"e", "channel_scale"}, {"f"});
    addNode(graph, "Div", {"f", "channel_divisor"}, {"h"});
    addNode(graph, "Sigmoid", {"h"}, {"k"});                // dirty
    addNode(graph, "Add", {"k", "three"}, {"m"});           // dirty
    addNode(graph, "Conv", {"m", "w_last"}, {"n"}, "last"); // reads m plain
    addNode(graph, "Exp", {"n"}, {"o"});                    // not on padded lanes: stays plain
    addNode(graph, "GlobalAveragePool", {"o"}, {"q"});
    addNode(graph, "Flatten", {"q"}, {"y"});

    const auto values = randomNormal(3 * 16 * 16, 14);
    const Tensor x = Tensor::fromVector<float>({1, 3, 16, 16}, values);
    const Observed fused = runWith(proto, x, true);
    const Observed plain = runWith(proto, x, false);
    ASSERT_EQ(fused.output.size(), 12u);
    ASSERT_EQ(plain.output.size(), 12u);
    for (size_t i = 0; i < plain.output.size(); ++i)
        EXPECT_NEAR(fused.output[i], plain.output[i], 1e-4f * std::fabs(plain.output[i]))
            << "at " << i;
    // One conversion: m (dirty) for the last Conv; n is written plain by that Conv itself.
    std::vector<std::string> blockedCopies;
    for (const std::string &value : fused.values)
        if (value.ends_with("::blocked"))
            blockedCopies.push_back(value);
    EXPECT_EQ(blockedCopies, (std::vector<std::string>{"m::blocked"}))
        << ::testing::PrintToString(fused.values);
}

// ShuffleNet's branches start at a Slice with computed bounds, which ONNX's shape inference
// leaves untyped, and so is everything after it. A convolution's weights still tell its output's
// channels, so the branch (1x1 Conv, depthwise Conv, 1x1 Conv) stays blocked: here the input
// itself is declared without a shape.
TEST(Fusion, UntypedConvolutionOutputsStayBlocked)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    onnx::ValueInfoProto &input = *graph.add_input();
    input.set_name("x");
    input.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    addOutput(graph, "y", {});
    graph.mutable_output(0)->mutable_type()->mutable_tensor_type()->clear_shape();
    addFloatInitializer(graph, "w1", {24, 12, 1, 1}, randomNormal(24 * 12, 1, 0.3f));
    addFloatInitializer(graph, "w_dw", {24, 1, 3, 3}, randomNormal(24 * 9, 2, 0.3f));
    addFloatInitializer(graph, "w2", {12, 24, 1, 1}, randomNormal(12 * 24, 3, 0.3f));
    addNode(graph, "Conv", {"x", "w1"}, {"a"}, "expand");
    addNode(graph, "Relu", {"a"}, {"b"});
    onnx::NodeProto &depthwise = addNode(graph, "Conv", {"b", "w_dw"}, {"c"}, "depthwise");
    setIntsAttribute(depthwise, "pads", {1, 1, 1, 1});
    setIntAttribute(depthwise, "group", 24);
    addNode(graph, "Conv", {"c", "w2"}, {"y"}, "project");

    const Tensor x = Tensor::fromVector<float>({1, 12, 10, 10}, randomNormal(1200, 4));
    auto model = Model::fromProto(proto, ".");
    ASSERT_TRUE(model) << model.status().message();
    std::map<std::string, Shape> shapes;
    std::vector<float> outputs[2];
    for (const bool fuse : {false, true}) {
        auto session = Session::create(*model, sessionOptions(2, {}, fuse));
        ASSERT_TRUE(session) << session.status().message();
        RunOptions options;
        options.observer = [&](const std::string &name, const Tensor &value) {
            if (fuse)
                shapes[name] = value.shape();
        };
        auto result = (*session)->run({{"x", x}}, options);
        ASSERT_TRUE(result) << result.status().message();
        const auto values = result->back().second.values<float>();
        outputs[fuse].assign(values.begin(), values.end());
    }
    ASSERT_EQ(outputs[0].size(), 1200u);
    for (size_t i = 0; i < outputs[0].size(); ++i)
        EXPECT_NEAR(outputs[1][i], outputs[0][i], 1e-4f) << "at " << i;
    // The depthwise convolution's output c is blocked: [1, 24/B rounded up, 10, 10, B].
    ASSERT_TRUE(shapes.count("c")) << ::testing::PrintToString(shapes);
    EXPECT_EQ(shapes["c"].size(), 5u) << ::testing::PrintToString(shapes["c"]);
    EXPECT_EQ(shapes["y"], (Shape{1, 12, 10, 10}));
}

// torch.onnx.export writes an Identity for every shared parameter; the engine reads through it,
// so that a Conv's bias is a constant again for the fusions (SqueezeNet's static QDQ model kept
// every Conv float because of these).
TEST(Fusion, IdentityOfAConstantIsReadThrough)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 4, 6, 6});
    addOutput(graph, "y", {1, 8, 6, 6});
    addFloatInitializer(graph, "w", {8, 4, 3, 3}, randomNormal(8 * 4 * 9, 1, 0.3f));
    addFloatInitializer(graph, "b", {8}, randomNormal(8, 2));
    addNode(graph, "Identity", {"b"}, {"b_shared"});
    setIntsAttribute(addNode(graph, "Conv", {"x", "w", "b_shared"}, {"c"}, "conv"), "pads",
                     {1, 1, 1, 1});
    addNode(graph, "Relu", {"c"}, {"y"});
    expectSameResults(proto, {1, 4, 6, 6}, 1); // Identity gone, Relu fused: only "y"
}

// SiLU as exporters write it, Mul(x, Sigmoid(x)), in either operand order, becomes one Swish
// that the Conv before it applies (oneDNN's swish post-op); HardSwish as torch writes it before
// opset 14, Mul(x, HardSigmoid(x; 1/6, 1/2)), one HardSwish.
TEST(Fusion, SiluBecomesASwishInsideTheConv)
{
    for (const int variant : {0, 1, 2}) {
        const bool sigmoidFirst = variant == 1, hard = variant == 2;
        onnx::ModelProto proto = makeModel(13);
        onnx::GraphProto &graph = *proto.mutable_graph();
        addInput(graph, "x", {1, 4, 6, 6});
        addOutput(graph, "y", {1, 8, 6, 6});
        addFloatInitializer(graph, "w", {8, 4, 3, 3}, randomNormal(8 * 4 * 9, 1, 0.5f));
        addFloatInitializer(graph, "b", {8}, randomNormal(8, 2));
        setIntsAttribute(addNode(graph, "Conv", {"x", "w", "b"}, {"c"}, "conv"), "pads",
                         {1, 1, 1, 1});
        onnx::NodeProto &sigmoid = addNode(graph, hard ? "HardSigmoid" : "Sigmoid", {"c"}, {"s"});
        if (hard) {
            setFloatAttribute(sigmoid, "alpha", 1.0f / 6.0f);
            setFloatAttribute(sigmoid, "beta", 0.5f);
        }
        if (sigmoidFirst)
            addNode(graph, "Mul", {"s", "c"}, {"y"});
        else
            addNode(graph, "Mul", {"c", "s"}, {"y"});
        expectSameResults(proto, {1, 4, 6, 6}, 1); // only "y" is produced
    }
}

// A blocked value that an If body reads (an implicit input, not a direct reader) must reach the
// body in the plain layout: the branch outputs equal the unfused run's.
TEST(Fusion, BlockedValuesReachSubgraphsPlain)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 4, 6, 6});
    addInput(graph, "cond", {}, onnx::TensorProto::BOOL);
    addOutput(graph, "y", {1, 16, 6, 6});
    addFloatInitializer(graph, "w", {16, 4, 3, 3}, randomNormal(16 * 4 * 9, 3, 0.3f));
    setIntsAttribute(addNode(graph, "Conv", {"x", "w"}, {"c"}, "conv"), "pads", {1, 1, 1, 1});
    addNode(graph, "Relu", {"c"}, {"r"}); // a blocked reader, so that c is blocked
    onnx::NodeProto &branch = addNode(graph, "If", {"cond"}, {"b"}, "branch");
    onnx::GraphProto &thenGraph = addGraphAttribute(branch, "then_branch");
    addNode(thenGraph, "Neg", {"c"}, {"negated"});
    addOutput(thenGraph, "negated", {1, 16, 6, 6});
    onnx::GraphProto &elseGraph = addGraphAttribute(branch, "else_branch");
    addNode(elseGraph, "Identity", {"c"}, {"same"});
    addOutput(elseGraph, "same", {1, 16, 6, 6});
    addNode(graph, "Add", {"r", "b"}, {"y"});

    const Tensor x = Tensor::fromVector<float>({1, 4, 6, 6}, randomNormal(4 * 36, 4));
    for (const bool condition : {true, false}) {
        const std::map<std::string, Tensor> inputs
            = {{"x", x}, {"cond", Tensor::fromVector<bool>({}, {condition})}};
        const Observed fused = runWith(proto, inputs, true);
        const Observed plain = runWith(proto, inputs, false);
        ASSERT_EQ(fused.outputShape, (Shape{1, 16, 6, 6}));
        ASSERT_EQ(plain.outputShape, (Shape{1, 16, 6, 6}));
        for (size_t i = 0; i < plain.output.size(); ++i)
            ASSERT_NEAR(fused.output[i], plain.output[i], 1e-5f) << "at " << i;
    }
}

} // namespace
} // namespace qs
