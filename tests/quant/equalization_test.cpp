// Cross-layer equalization (quant/cross_layer_equalization.h) on graphs built in code: the float
// outputs stay what they were, each equalized pair's per-channel weight ranges become equal, a
// ReLU6 between two convs stops the pair (or becomes a Relu when asked), and quantize's recipe
// runs it and says so.
#include "quant/cross_layer_equalization.h"
#include "quant/quantizer.h"
#include "quant_test_models.h"
#include "tensor/tensor_io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace qs {
namespace {

using namespace qs::test;

// x[1,3,8,8] -> Conv 'conv1' (8 channels, 3x3, ranges spread 2^-4..2^3 across channels) ->
// `activation` -> depthwise Conv 'dw' (group 8) -> Relu -> Conv 'project' (1x1, 4 channels).
onnx::ModelProto convChain(const std::string &activation)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {1, 3, 8, 8});
    std::mt19937 random(7);
    std::normal_distribution<float> normal(0.0f, 0.3f);
    int element = 0;
    addFloatInitializer(g, "w1", {8, 3, 3, 3}, [&] {
        const int channel = element++ / 27;
        return normal(random) * std::ldexp(1.0f, channel - 4);
    });
    randomInitializer(g, "b1", {8}, 2, 0.1f);
    randomInitializer(g, "w2", {8, 1, 3, 3}, 3);
    randomInitializer(g, "b2", {8}, 4, 0.1f);
    randomInitializer(g, "w3", {4, 8, 1, 1}, 5);
    auto &conv1 = addNode(g, "Conv", {"x", "w1", "b1"}, {"c1"}, "conv1");
    setIntsAttribute(conv1, "pads", {1, 1, 1, 1});
    std::string between = "c1";
    if (activation == "Relu6") {
        addFloatInitializer(g, "zero", {}, std::vector<float>{0.0f});
        addFloatInitializer(g, "six", {}, std::vector<float>{6.0f});
        addNode(g, "Clip", {"c1", "zero", "six"}, {"a1"}, "relu6");
        between = "a1";
    } else if (!activation.empty()) {
        addNode(g, activation, {"c1"}, {"a1"}, "act1");
        between = "a1";
    }
    auto &dw = addNode(g, "Conv", {between, "w2", "b2"}, {"c2"}, "dw");
    setIntsAttribute(dw, "pads", {1, 1, 1, 1});
    setIntAttribute(dw, "group", 8);
    addNode(g, "Relu", {"c2"}, {"r2"}, "relu2");
    addNode(g, "Conv", {"r2", "w3"}, {"y"}, "project");
    addOutput(g, "y", {1, 4, 8, 8});
    return model;
}

// x[2,6] -> Gemm 'fc1' (transB, 10 outputs) -> LeakyRelu -> Gemm 'fc2' (B [10, 3]).
onnx::ModelProto gemmChain()
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {2, 6});
    std::mt19937 random(11);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    int element = 0;
    addFloatInitializer(g, "w1", {10, 6},
                        [&] { return normal(random) * std::ldexp(1.0f, element++ / 6 - 5); });
    randomInitializer(g, "b1", {10}, 2, 0.1f);
    randomInitializer(g, "w2", {10, 3}, 3);
    randomInitializer(g, "b2", {3}, 4, 0.1f);
    auto &fc1 = addNode(g, "Gemm", {"x", "w1", "b1"}, {"h"}, "fc1");
    setIntAttribute(fc1, "transB", 1);
    addNode(g, "LeakyRelu", {"h"}, {"a"}, "act");
    addNode(g, "Gemm", {"a", "w2", "b2"}, {"y"}, "fc2");
    addOutput(g, "y", {2, 3});
    return model;
}

Tensor weightOf(const onnx::ModelProto &model, const std::string &node)
{
    const onnx::NodeProto *found = findNode(model.graph(), node);
    EXPECT_NE(found, nullptr) << node;
    for (const auto &initializer : model.graph().initializer()) {
        if (found && initializer.name() == found->input(1)) {
            auto tensor = tensorFromProto(initializer);
            EXPECT_TRUE(tensor) << tensor.status().message();
            return tensor ? *tensor : Tensor{};
        }
    }
    ADD_FAILURE() << "no weight for " << node;
    return {};
}

// max |W| per output channel (axis 0 rows) or per input channel (`columns` of a [M, C, k...]
// weight, or of a depthwise weight's rows).
std::vector<double> rowRanges(const Tensor &weight)
{
    const int64_t rows = weight.shape()[0];
    const int64_t per = weight.elementCount() / rows;
    std::vector<double> ranges(size_t(rows), 0.0);
    for (int64_t e = 0; e < weight.elementCount(); ++e)
        ranges[size_t(e / per)] = std::max(ranges[size_t(e / per)],
                                           double(std::fabs(weight.data<float>()[e])));
    return ranges;
}

double spread(const std::vector<double> &ranges)
{
    const auto [low, high] = std::minmax_element(ranges.begin(), ranges.end());
    return *high / *low;
}

void expectSameOutputs(const std::shared_ptr<const Model> &before,
                       const std::shared_ptr<const Model> &after,
                       const std::map<std::string, Tensor> &inputs)
{
    const NamedTensors a = runModel(before, inputs);
    const NamedTensors b = runModel(after, inputs);
    ASSERT_EQ(a.size(), b.size());
    for (size_t o = 0; o < a.size(); ++o) {
        const auto x = a[o].second.values<float>();
        const auto y = b[o].second.values<float>();
        double scale = 0;
        for (const float v : x)
            scale = std::max(scale, double(std::fabs(v)));
        for (size_t i = 0; i < x.size(); ++i)
            ASSERT_NEAR(x[i], y[i], 1e-4 * scale) << a[o].first << "[" << i << "]";
    }
}

TEST(CrossLayerEqualization, ConvChainKeepsOutputsAndEqualizesRanges)
{
    for (const std::string activation : {"", "Relu", "LeakyRelu"}) {
        SCOPED_TRACE("activation '" + activation + "'");
        auto model = loadProto(convChain(activation));
        auto equalized = equalizeCrossLayer(model, {}, silentProgress());
        ASSERT_TRUE(equalized) << equalized.status().message();
        EXPECT_EQ(equalized->pairs, 2); // conv1 -> dw, dw -> project
        EXPECT_GT(equalized->sweeps, 1);
        EXPECT_NE(equalized->summary().find("2 Conv/Gemm pairs rescaled"), std::string::npos)
            << equalized->summary();
        auto after = loadProto(equalized->model);
        expectSameOutputs(model, after, {{"x", uniformTensor({1, 3, 8, 8}, 9, -1.0f, 1.0f)}});

        const onnx::ModelProto &proto = equalized->model;
        EXPECT_GT(spread(rowRanges(weightOf(convChain(activation), "conv1"))), 50.0);
        // conv1's output channel i and dw's channel i (its row: depthwise) now share a range;
        // dw's rows also face project's columns, so the chain settles between the two pairs.
        const std::vector<double> r1 = rowRanges(weightOf(proto, "conv1"));
        const std::vector<double> r2 = rowRanges(weightOf(proto, "dw"));
        const Tensor w3 = weightOf(proto, "project");
        std::vector<double> r3(8, 0.0);
        for (int64_t e = 0; e < w3.elementCount(); ++e)
            r3[size_t(e % 8)] = std::max(r3[size_t(e % 8)], double(std::fabs(w3.data<float>()[e])));
        for (size_t i = 0; i < 8; ++i) {
            EXPECT_NEAR(r1[i] / r2[i], 1.0, 0.01) << "channel " << i;
            EXPECT_NEAR(r2[i] / r3[i], 1.0, 0.01) << "channel " << i;
        }
        EXPECT_LT(spread(r1), spread(rowRanges(weightOf(convChain(activation), "conv1"))) / 4);
    }
}

TEST(CrossLayerEqualization, GemmPairThroughLeakyRelu)
{
    auto model = loadProto(gemmChain());
    auto equalized = equalizeCrossLayer(model, {}, silentProgress());
    ASSERT_TRUE(equalized) << equalized.status().message();
    EXPECT_EQ(equalized->pairs, 1);
    expectSameOutputs(model, loadProto(equalized->model),
                      {{"x", uniformTensor({2, 6}, 5, -2.0f, 2.0f)}});
    const std::vector<double> r1 = rowRanges(weightOf(equalized->model, "fc1")); // transB rows
    const std::vector<double> r2 = rowRanges(weightOf(equalized->model, "fc2")); // B [K, N] rows
    for (size_t i = 0; i < r1.size(); ++i)
        EXPECT_NEAR(r1[i] / r2[i], 1.0, 1e-3) << "channel " << i;
}

TEST(CrossLayerEqualization, Relu6StopsThePairUnlessMadeRelu)
{
    auto model = loadProto(convChain("Relu6"));
    auto exact = equalizeCrossLayer(model, {}, silentProgress());
    ASSERT_TRUE(exact) << exact.status().message();
    EXPECT_EQ(exact->pairs, 1); // dw -> project only
    EXPECT_EQ(exact->skippedBoundedClips, 1);
    EXPECT_NE(exact->summary().find("ReLU6"), std::string::npos) << exact->summary();
    expectSameOutputs(model, loadProto(exact->model),
                      {{"x", uniformTensor({1, 3, 8, 8}, 9, -1.0f, 1.0f)}});

    EqualizationOptions options;
    options.relu6AsRelu = true;
    auto relu = equalizeCrossLayer(model, options, silentProgress());
    ASSERT_TRUE(relu) << relu.status().message();
    EXPECT_EQ(relu->pairs, 2);
    EXPECT_EQ(relu->relu6Replaced, 1);
    EXPECT_EQ(countOps(relu->model.graph(), "Clip"), 0);
    EXPECT_EQ(findNode(relu->model.graph(), "relu6")->op_type(), "Relu");
}

TEST(CrossLayerEqualization, QuantizeRunsItAndSaysSo)
{
    auto model = loadProto(convChain("Relu"));
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_STATIC);
    recipe.mutable_calibration()->set_max_samples(4);
    recipe.set_cross_layer_equalization(true);
    auto result = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    ASSERT_TRUE(result) << result.status().message();
    EXPECT_NE(result->summary.find("cross-layer equalization: 2 Conv/Gemm pairs rescaled"),
              std::string::npos)
        << result->summary;
    EXPECT_TRUE(result->recipe.cross_layer_equalization());

    recipe.set_mode(quantscope::QUANT_MODE_DYNAMIC);
    recipe.clear_calibration();
    auto dynamic = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    ASSERT_TRUE(dynamic) << dynamic.status().message();
    EXPECT_NE(dynamic->summary.find("cross-layer equalization"), std::string::npos);

    recipe.set_mode(quantscope::QUANT_MODE_FP16);
    auto fp16 = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    ASSERT_FALSE(fp16);
    EXPECT_NE(fp16.status().message().find("cross_layer_equalization"), std::string::npos);
}

} // namespace
} // namespace qs
