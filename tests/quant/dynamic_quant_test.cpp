// Dynamic INT8 on models built in code: the standard-op patterns replace MatMul, Gemm, Conv and
// Gather, names survive, and outputs stay close to the float model.
#include "quant/opset_upgrade.h"
#include "quant/quantizer.h"
#include "quant_test_models.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

// ids[1,6] int64 -> Gather 'embed' (table[10,8]) -> MatMul 'proj' [8,8] -> Reshape to [6,8]
//   -> Gemm 'head' (transB, bias) -> out[6,4]
onnx::ModelProto transformerLikeModel()
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "ids", {1, 6}, onnx::TensorProto::INT64);
    randomInitializer(g, "table", {10, 8}, 1, 1.0f);
    randomInitializer(g, "proj_w", {8, 8}, 2, 0.3f);
    randomInitializer(g, "head_w", {4, 8}, 3, 0.3f);
    randomInitializer(g, "head_b", {4}, 4, 0.1f);
    addInt64Initializer(g, "rows", {6, 8});
    addNode(g, "Gather", {"table", "ids"}, {"emb"}, "embed");
    addNode(g, "MatMul", {"emb", "proj_w"}, {"h"}, "proj");
    addNode(g, "Reshape", {"h", "rows"}, {"h2"}, "reshape");
    auto &gemm = addNode(g, "Gemm", {"h2", "head_w", "head_b"}, {"out"}, "head");
    auto *transB = gemm.add_attribute();
    transB->set_name("transB");
    transB->set_type(onnx::AttributeProto::INT);
    transB->set_i(1);
    addOutput(g, "out", {6, 4});
    return model;
}

// The largest error of these dynamic-quantized outputs as a share of the float output's range:
// measured 0.0077 (MatMul/Gemm/Gather), 0.0088 (Conv), 0.0059 (Conv per channel).
constexpr double kDynamicMaxRelativeError = 0.015;

quantscope::Recipe dynamicRecipe()
{
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_DYNAMIC);
    return recipe;
}

TEST(DynamicQuantization, MatMulGemmGatherBecomeIntegerOps)
{
    auto model = loadProto(transformerLikeModel());
    auto result = quantizeModel(model, dynamicRecipe(), QuantizeSettings{}, silentProgress());
    ASSERT_TRUE(result.isOk()) << result.status().message();
    const auto &graph = result->model.graph();
    EXPECT_EQ(countOps(graph, "MatMulInteger"), 2);
    EXPECT_EQ(countOps(graph, "DynamicQuantizeLinear"), 2);
    EXPECT_EQ(countOps(graph, "MatMul"), 0);
    EXPECT_EQ(countOps(graph, "Gemm"), 0);
    EXPECT_EQ(findNode(graph, "proj")->op_type(), "MatMulInteger");
    EXPECT_EQ(findNode(graph, "head")->op_type(), "MatMulInteger");
    EXPECT_EQ(findNode(graph, "embed")->op_type(), "Gather");
    EXPECT_EQ(result->quantizedNodes, 3);

    Tensor ids = Tensor::fromVector<int64_t>({1, 6}, {0, 3, 9, 2, 2, 7});
    const NamedTensors expected = runModel(model, {{"ids", ids}});
    const NamedTensors actual = runModel(loadProto(result->model), {{"ids", ids}});
    ASSERT_EQ(actual.size(), 1u);
    EXPECT_EQ(actual[0].first, "out");
    expectCloseOutput(expected[0].second, actual[0].second, 0.99, kDynamicMaxRelativeError);
}

TEST(DynamicQuantization, ConvUsesUint8WeightsForOnnxRuntime)
{
    auto model = loadProto(convNetModel());
    auto result = quantizeModel(model, dynamicRecipe(), QuantizeSettings{}, silentProgress());
    ASSERT_TRUE(result.isOk()) << result.status().message();
    const auto &graph = result->model.graph();
    EXPECT_EQ(countOps(graph, "ConvInteger"), 2);
    for (const auto &init : graph.initializer()) {
        if (init.name() == "w1_quantized") {
            EXPECT_EQ(init.data_type(), onnx::TensorProto::UINT8);
        }
    }
    bool said = false;
    for (const auto &d : result->diagnostics)
        said |= d.message.find("ConvInteger") != std::string::npos;
    EXPECT_TRUE(said);
    const std::map<std::string, Tensor> inputs{{"x", uniformTensor({1, 3, 8, 8}, 5)}};
    const NamedTensors expected = runModel(model, inputs);
    const NamedTensors actual = runModel(loadProto(result->model), inputs);
    ASSERT_EQ(actual.size(), 1u);
    expectCloseOutput(expected[0].second, actual[0].second, 0.99, kDynamicMaxRelativeError);
}

TEST(DynamicQuantization, PerChannelConvSharesOneZeroPoint)
{
    auto model = loadProto(convNetModel());
    quantscope::Recipe recipe = dynamicRecipe();
    recipe.set_per_channel(true);
    auto result = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    ASSERT_TRUE(result.isOk()) << result.status().message();
    for (const auto &init : result->model.graph().initializer()) {
        if (init.name() == "w1_zero_point") {
            EXPECT_EQ(init.dims_size(), 0) << "ORT's ConvInteger needs a scalar zero point";
        }
        if (init.name() == "w1_scale") {
            EXPECT_EQ(init.dims(1), 4);
        }
    }
    const std::map<std::string, Tensor> inputs{{"x", uniformTensor({1, 3, 8, 8}, 5)}};
    const NamedTensors expected = runModel(model, inputs);
    const NamedTensors actual = runModel(loadProto(result->model), inputs);
    expectCloseOutput(expected[0].second, actual[0].second, 0.99, kDynamicMaxRelativeError);
}

TEST(DynamicQuantization, RejectsInt8Activations)
{
    auto model = loadProto(convNetModel());
    quantscope::Recipe recipe = dynamicRecipe();
    recipe.set_activation_type(quantscope::QUANT_TYPE_INT8);
    auto result = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    ASSERT_FALSE(result.isOk());
    EXPECT_NE(result.status().message().find("DynamicQuantizeLinear"), std::string::npos);
}

// Softmax before opset 13 flattens at `axis`; after the upgrade the model must compute the same.
TEST(OpsetUpgrade, Opset9SoftmaxKeepsItsMeaning)
{
    onnx::ModelProto proto = makeModel(9);
    onnx::GraphProto &g = *proto.mutable_graph();
    addInput(g, "x", {2, 3, 4});
    auto &softmax = addNode(g, "Softmax", {"x"}, {"y"}, "softmax");
    auto *axis = softmax.add_attribute();
    axis->set_name("axis");
    axis->set_type(onnx::AttributeProto::INT);
    axis->set_i(1); // over 3x4 = 12 values per row at opset 9
    addNode(g, "Unsqueeze", {"y"}, {"z"}, "unsqueeze");
    setIntsAttribute(*g.mutable_node(1), "axes", {0});
    addOutput(g, "z", {1, 2, 3, 4});
    auto upgraded = upgradeOpset(proto, 13);
    ASSERT_TRUE(upgraded.isOk()) << upgraded.status().message();
    EXPECT_EQ(defaultDomainOpset(*upgraded), 13);
    const std::map<std::string, Tensor> inputs{{"x", uniformTensor({2, 3, 4}, 3, -3, 3)}};
    const NamedTensors before = runModel(loadProto(proto), inputs);
    const NamedTensors after = runModel(loadProto(*upgraded), inputs);
    ASSERT_EQ(before.size(), 1u);
    ASSERT_EQ(after.size(), 1u);
    const auto a = before[0].second.values<float>();
    const auto b = after[0].second.values<float>();
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
        EXPECT_NEAR(a[i], b[i], 1e-6);
    EXPECT_TRUE(findNode(upgraded->graph(), "softmax"));
}

} // namespace
} // namespace qs
