// Quantization pre-processing is exact: the folded / rewritten model computes what the original
// does, with the BatchNorm, affine steps and decomposed HardSwish gone and node names kept.
#include "quant/quant_preprocess.h"
#include "quant_test_models.h"
#include "support/random_data.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

onnx::TensorProto &scalar(onnx::GraphProto &g, const std::string &name, float value)
{
    onnx::TensorProto &t = *g.add_initializer();
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::FLOAT);
    t.add_float_data(value);
    return t;
}

// x -> Conv 'conv1' (3x3, pad 1) -> BatchNormalization 'bn' -> Mul 0.9 -> Add 0.5
//   -> x*Clip(x+3,0,6)/6 (ends in Div 'hs_div') -> Mul 0.5 -> Add -0.25 -> Conv 'conv2' (1x1) -> y
onnx::ModelProto blockModel(int opset)
{
    onnx::ModelProto model = makeModel(opset);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {1, 3, 6, 6});
    randomInitializer(g, "w1", {4, 3, 3, 3}, 1);
    randomInitializer(g, "b1", {4}, 2, 0.1f);
    randomInitializer(g, "bn_scale", {4}, 3, 1.0f);
    randomInitializer(g, "bn_bias", {4}, 4, 0.5f);
    randomInitializer(g, "bn_mean", {4}, 5, 0.5f);
    std::vector<float> variance = randomNormal(4, 6, 0.1f);
    for (float &v : variance)
        v = v * v + 0.5f;
    addFloatInitializer(g, "bn_var", {4}, variance);
    randomInitializer(g, "w2", {5, 4, 1, 1}, 7);
    for (const auto &[name, value] : {std::pair<const char *, float>{"k_mul", 0.9f},
                                      {"k_add", 0.5f},
                                      {"three", 3},
                                      {"zero", 0},
                                      {"six", 6},
                                      {"k_mul2", 0.5f},
                                      {"k_add2", -0.25f}})
        scalar(g, name, value);
    auto &conv1 = addNode(g, "Conv", {"x", "w1", "b1"}, {"c1"}, "conv1");
    setIntsAttribute(conv1, "pads", {1, 1, 1, 1});
    addNode(g, "BatchNormalization", {"c1", "bn_scale", "bn_bias", "bn_mean", "bn_var"}, {"n1"},
            "bn");
    addNode(g, "Mul", {"n1", "k_mul"}, {"m1"}, "lab_mul");
    addNode(g, "Add", {"m1", "k_add"}, {"a1"}, "lab_add");
    addNode(g, "Add", {"a1", "three"}, {"h1"}, "hs_add");
    addNode(g, "Clip", {"h1", "zero", "six"}, {"h2"}, "hs_clip");
    addNode(g, "Mul", {"a1", "h2"}, {"h3"}, "hs_mul");
    addNode(g, "Div", {"h3", "six"}, {"h4"}, "hs_div");
    addNode(g, "Mul", {"h4", "k_mul2"}, {"p1"}, "pre_mul");
    addNode(g, "Add", {"p1", "k_add2"}, {"p2"}, "pre_add");
    addNode(g, "Conv", {"p2", "w2"}, {"y"}, "conv2");
    addOutput(g, "y", {1, 5, 6, 6});
    return model;
}

TEST(QuantPreprocess, FoldsAffineStepsAndRecognisesHardSwishExactly)
{
    const auto original = loadProto(blockModel(14));
    auto result = preprocessForQuantization(original, silentProgress());
    ASSERT_TRUE(result.isOk()) << result.status().message();
    EXPECT_EQ(result->foldedIntoConv, 5); // bn, lab_mul, lab_add after; pre_mul, pre_add before
    EXPECT_EQ(result->hardSwish, 1);
    const auto &graph = result->model.graph();
    EXPECT_EQ(countOps(graph, "BatchNormalization"), 0);
    EXPECT_EQ(countOps(graph, "Mul"), 0);
    EXPECT_EQ(countOps(graph, "Add"), 0);
    EXPECT_EQ(countOps(graph, "HardSwish"), 1);
    ASSERT_TRUE(findNode(graph, "conv1"));
    EXPECT_EQ(findNode(graph, "conv1")->output(0), "a1");
    EXPECT_EQ(findNode(graph, "hs_div")->op_type(), "HardSwish");
    EXPECT_EQ(findNode(graph, "conv2")->input(0), "h4");

    const std::map<std::string, Tensor> inputs{{"x", uniformTensor({1, 3, 6, 6}, 9, -2, 2)}};
    const NamedTensors expected = runModel(original, inputs);
    const NamedTensors actual = runModel(loadProto(result->model), inputs);
    ASSERT_EQ(actual.size(), 1u);
    const auto a = expected[0].second.values<float>();
    const auto b = actual[0].second.values<float>();
    for (size_t i = 0; i < a.size(); ++i)
        EXPECT_NEAR(a[i], b[i], 1e-4f * (1 + std::fabs(a[i])));
}

TEST(QuantPreprocess, ShiftBeforeAPaddedConvStaysAndOldOpsetsKeepTheirHardSwish)
{
    onnx::ModelProto proto = blockModel(13);
    auto *conv2 = proto.mutable_graph()->mutable_node(10);
    setIntsAttribute(*conv2, "pads", {1, 1, 1, 1});
    proto.mutable_graph()
        ->mutable_output(0)
        ->mutable_type()
        ->mutable_tensor_type()
        ->mutable_shape()
        ->mutable_dim(2)
        ->set_dim_value(8);
    proto.mutable_graph()
        ->mutable_output(0)
        ->mutable_type()
        ->mutable_tensor_type()
        ->mutable_shape()
        ->mutable_dim(3)
        ->set_dim_value(8);
    const auto original = loadProto(proto);
    auto result = preprocessForQuantization(original, silentProgress());
    ASSERT_TRUE(result.isOk()) << result.status().message();
    EXPECT_EQ(result->hardSwish, 0);      // HardSwish is an opset-14 op
    EXPECT_EQ(result->foldedIntoConv, 3); // the Add in front of the padded conv2 stays
    const auto &graph = result->model.graph();
    EXPECT_TRUE(findNode(graph, "pre_add"));
    EXPECT_TRUE(findNode(graph, "pre_mul"));
    const std::map<std::string, Tensor> inputs{{"x", uniformTensor({1, 3, 6, 6}, 9, -2, 2)}};
    const NamedTensors expected = runModel(original, inputs);
    const NamedTensors actual = runModel(loadProto(result->model), inputs);
    ASSERT_EQ(actual.size(), 1u);
    EXPECT_GT(cosine(expected[0].second, actual[0].second), 0.999999);
}

} // namespace
} // namespace qs
