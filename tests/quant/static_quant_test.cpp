// Static INT8 end to end on a model built in code: calibrate (random source), write QDQ or
// QOperator, check the structure (names kept, Relu folded, per-channel axes) and that the
// quantized model computes nearly what the float model does.
#include "quant/quantizer.h"
#include "quant_test_models.h"
#include "tensor/tensor_io.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

quantscope::Recipe staticRecipe(quantscope::QuantFormat format)
{
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_STATIC);
    recipe.set_format(format);
    recipe.mutable_calibration()->set_max_samples(8);
    return recipe;
}

struct Quantized
{
    std::shared_ptr<const Model> model;
    QuantizeResult result;
};

Quantized quantize(const onnx::ModelProto &proto, const quantscope::Recipe &recipe)
{
    auto model = loadProto(proto);
    auto result = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    EXPECT_TRUE(result.isOk()) << result.status().message();
    if (!result)
        return {};
    return {loadProto(result->model), *result};
}

// The int8 models here (MinMax calibration) stay within this share of the float output's range:
// measured 0.0194 per tensor, 0.0120 per channel, 0.0103 with conv2 and fc left float.
constexpr double kStaticMaxRelativeError = 0.03;

void expectCloseToFloat(const std::shared_ptr<const Model> &quantized, double minCosine,
                        double maxRelativeError)
{
    const auto reference = loadProto(convNetModel());
    const std::map<std::string, Tensor> inputs{{"x", uniformTensor({1, 3, 8, 8}, 99)}};
    const NamedTensors expected = runModel(reference, inputs);
    const NamedTensors actual = runModel(quantized, inputs);
    ASSERT_EQ(expected.size(), 1u);
    ASSERT_EQ(actual.size(), 1u);
    EXPECT_EQ(actual[0].first, "logits");
    expectCloseOutput(expected[0].second, actual[0].second, minCosine, maxRelativeError);
}

TEST(StaticQuantization, QdqKeepsNamesFoldsReluAndStaysClose)
{
    const Quantized q = quantize(convNetModel(), staticRecipe(quantscope::QUANT_FORMAT_QDQ));
    ASSERT_TRUE(q.model);
    const auto &graph = q.result.model.graph();
    for (const char *name : {"conv1", "pool", "conv2", "add", "flatten", "fc"})
        EXPECT_TRUE(findNode(graph, name)) << name;
    EXPECT_FALSE(findNode(graph, "relu1")) << "Relu after a quantized Conv folds into its range";
    EXPECT_EQ(countOps(graph, "Conv"), 2);
    EXPECT_EQ(countOps(graph, "Relu"), 0);
    EXPECT_GT(countOps(graph, "QuantizeLinear"), 4);
    // conv1 now writes relu1's output, read through Q -> DQ.
    EXPECT_EQ(findNode(graph, "conv1")->output(0), "r1");
    // Weights go through DequantizeLinear; biases are int32.
    EXPECT_EQ(findNode(graph, "conv1")->input(1), "w1_DequantizeLinear_Output");
    bool int32Bias = false;
    for (const auto &init : graph.initializer())
        int32Bias |= init.name() == "b1_quantized" && init.data_type() == onnx::TensorProto::INT32;
    EXPECT_TRUE(int32Bias);
    EXPECT_EQ(q.result.calibrationSamples, 8);
    expectCloseToFloat(q.model, 0.99, kStaticMaxRelativeError);
}

// The bound on the error's size is what catches a wrong scale: with the last MatMul's weight
// scale doubled, the logits double: their direction stays (measured cosine 0.9968, above the
// 0.99 bound) and only the error's size tells (0.58 of the output's range, 0.019 unaltered).
TEST(StaticQuantization, ADoubledWeightScaleFailsTheErrorBound)
{
    const Quantized q = quantize(convNetModel(), staticRecipe(quantscope::QUANT_FORMAT_QDQ));
    ASSERT_TRUE(q.model);
    onnx::ModelProto tampered = q.result.model;
    bool doubled = false;
    for (onnx::TensorProto &init : *tampered.mutable_graph()->mutable_initializer()) {
        if (init.name() != "fc_w_scale")
            continue;
        auto scale = tensorFromProto(init);
        ASSERT_TRUE(scale.isOk()) << scale.status().message();
        Tensor twice = scale->clone();
        for (float &value : twice.mutableValues<float>())
            value *= 2;
        init.clear_float_data();
        tensorToProto(twice, init);
        doubled = true;
    }
    ASSERT_TRUE(doubled);
    const auto reference = loadProto(convNetModel());
    const std::map<std::string, Tensor> inputs{{"x", uniformTensor({1, 3, 8, 8}, 99)}};
    const Tensor expected = runModel(reference, inputs).at(0).second;
    const Tensor right = runModel(q.model, inputs).at(0).second;
    const Tensor wrong = runModel(loadProto(tampered), inputs).at(0).second;
    EXPECT_LT(relativeMaxError(expected, right), kStaticMaxRelativeError);
    EXPECT_GT(cosine(expected, wrong), 0.99) << "cosine alone would pass it";
    EXPECT_GT(relativeMaxError(expected, wrong), kStaticMaxRelativeError)
        << "cosine " << cosine(expected, wrong);
}

TEST(StaticQuantization, PerChannelWeightsCarryAnAxis)
{
    quantscope::Recipe recipe = staticRecipe(quantscope::QUANT_FORMAT_QDQ);
    recipe.set_per_channel(true);
    const Quantized q = quantize(convNetModel(), recipe);
    ASSERT_TRUE(q.model);
    bool sawAxis = false;
    for (const auto &node : q.result.model.graph().node())
        if (node.op_type() == "DequantizeLinear" && node.input(0) == "w1_quantized")
            for (const auto &attribute : node.attribute())
                sawAxis |= attribute.name() == "axis" && attribute.i() == 0;
    EXPECT_TRUE(sawAxis);
    for (const auto &init : q.result.model.graph().initializer()) {
        if (init.name() == "w1_scale") {
            EXPECT_EQ(init.dims(0), 4);
        }
    }
    expectCloseToFloat(q.model, 0.99, kStaticMaxRelativeError);
}

TEST(StaticQuantization, QOperatorUsesQLinearOpsAndRunsPoolOnIntegers)
{
    const Quantized q = quantize(convNetModel(), staticRecipe(quantscope::QUANT_FORMAT_QOPERATOR));
    ASSERT_TRUE(q.model);
    const auto &graph = q.result.model.graph();
    EXPECT_EQ(countOps(graph, "QLinearConv"), 2);
    EXPECT_EQ(countOps(graph, "QLinearMatMul"), 1);
    EXPECT_EQ(countOps(graph, "Conv"), 0);
    EXPECT_EQ(findNode(graph, "conv1")->op_type(), "QLinearConv");
    EXPECT_EQ(findNode(graph, "fc")->op_type(), "QLinearMatMul");
    // MaxPool reads conv1's quantized output directly.
    EXPECT_EQ(findNode(graph, "pool")->input(0), "r1_quantized");
    expectCloseToFloat(q.model, 0.99, kStaticMaxRelativeError);
}

TEST(StaticQuantization, ExcludedNodesAndOpTypesStayFloat)
{
    quantscope::Recipe recipe = staticRecipe(quantscope::QUANT_FORMAT_QDQ);
    recipe.add_nodes_to_exclude("conv2");
    recipe.add_op_types_to_exclude("MatMul");
    const Quantized q = quantize(convNetModel(), recipe);
    ASSERT_TRUE(q.model);
    const auto &graph = q.result.model.graph();
    EXPECT_EQ(findNode(graph, "conv2")->input(1), "w2");
    EXPECT_EQ(findNode(graph, "fc")->input(1), "fc_w");
    EXPECT_EQ(findNode(graph, "conv1")->input(1), "w1_DequantizeLinear_Output");
    expectCloseToFloat(q.model, 0.99, kStaticMaxRelativeError);
}

TEST(StaticQuantization, UnknownNodeNameListsTheClosest)
{
    auto model = loadProto(convNetModel());
    quantscope::Recipe recipe = staticRecipe(quantscope::QUANT_FORMAT_QDQ);
    recipe.add_nodes_to_exclude("conv_2");
    auto result = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    ASSERT_FALSE(result.isOk());
    EXPECT_NE(result.status().message().find("no node 'conv_2'"), std::string::npos);
    EXPECT_NE(result.status().message().find("closest: conv2"), std::string::npos)
        << result.status().message();
}

TEST(StaticQuantization, RejectsInt8ActivationsWithUint8Weights)
{
    auto model = loadProto(convNetModel());
    quantscope::Recipe recipe = staticRecipe(quantscope::QUANT_FORMAT_QDQ);
    recipe.set_activation_type(quantscope::QUANT_TYPE_INT8);
    recipe.set_weight_type(quantscope::QUANT_TYPE_UINT8);
    auto result = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    ASSERT_FALSE(result.isOk());
    EXPECT_NE(result.status().message().find("uint8 weights"), std::string::npos);
}

TEST(StaticQuantization, EffectiveRecipeWritesEveryDefault)
{
    auto model = loadProto(convNetModel());
    auto recipe = effectiveRecipe(staticRecipe(quantscope::QUANT_FORMAT_UNSPECIFIED), *model);
    ASSERT_TRUE(recipe.isOk()) << recipe.status().message();
    EXPECT_EQ(recipe->format(), quantscope::QUANT_FORMAT_QDQ);
    EXPECT_EQ(recipe->activation_type(), quantscope::QUANT_TYPE_UINT8);
    EXPECT_EQ(recipe->weight_type(), quantscope::QUANT_TYPE_INT8);
    EXPECT_TRUE(recipe->has_symmetric_weights() && recipe->symmetric_weights());
    EXPECT_TRUE(recipe->has_reduce_range() && recipe->reduce_range()); // U8S8 without VNNI
    EXPECT_EQ(recipe->calibration().method(), quantscope::CALIBRATION_METHOD_MINMAX);
    EXPECT_FLOAT_EQ(recipe->calibration().percentile(), 99.999f);
    EXPECT_EQ(recipe->calibration().num_bins(), 2048);
    EXPECT_GT(recipe->op_types_to_quantize_size(), 10);
}

TEST(StaticQuantization, EveryCalibrationMethodProducesARunnableModel)
{
    for (const auto method :
         {quantscope::CALIBRATION_METHOD_MINMAX, quantscope::CALIBRATION_METHOD_PERCENTILE,
          quantscope::CALIBRATION_METHOD_ENTROPY}) {
        quantscope::Recipe recipe = staticRecipe(quantscope::QUANT_FORMAT_QDQ);
        recipe.mutable_calibration()->set_method(method);
        const Quantized q = quantize(convNetModel(), recipe);
        ASSERT_TRUE(q.model) << method;
        // Measured up to 0.0295 (entropy) of the output's range.
        expectCloseToFloat(q.model, 0.97, 0.045);
    }
}

} // namespace
} // namespace qs

namespace qs {
namespace {

using namespace qs::test;

// Cancels once calibration has finished its second sample.
class CancelDuringCalibration : public Progress
{
public:
    void report(int64_t done, int64_t total, std::string_view what) override
    {
        (void) total;
        if (what.starts_with("calibrating"))
            m_samplesSeen = done;
        if (m_samplesSeen >= 2)
            cancel();
    }
    int64_t m_samplesSeen = 0;
};

TEST(StaticQuantization, CancellingStopsCalibrationAtTheNextSample)
{
    auto model = loadProto(convNetModel());
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_STATIC);
    recipe.mutable_calibration()->set_max_samples(50);
    CancelDuringCalibration progress;
    auto result = quantizeModel(model, recipe, QuantizeSettings{}, progress);
    ASSERT_FALSE(result.isOk());
    EXPECT_EQ(result.status().code(), StatusCode::Cancelled);
    EXPECT_EQ(progress.m_samplesSeen, 2);
}

} // namespace
} // namespace qs
