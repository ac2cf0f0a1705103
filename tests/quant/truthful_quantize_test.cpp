// Issue 16 on models built in code: a quantizer sees weights through the constant chains torch
// writes, says which eligible nodes it left in float and why (result, diagnostics, recipe), never
// reads the options of a mode it is not running, and keeps the recipe's exclusions in float in
// every mode, FP16 included.
#include "model/graph_index.h"
#include "quant/quantizer.h"
#include "quant/recipe_io.h"
#include "quant_test_models.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

quantscope::Recipe recipeFor(quantscope::QuantMode mode)
{
    quantscope::Recipe recipe;
    recipe.set_mode(mode);
    if (mode == quantscope::QUANT_MODE_STATIC)
        recipe.mutable_calibration()->set_max_samples(4);
    return recipe;
}

Result<QuantizeResult> quantize(const onnx::ModelProto &proto, const quantscope::Recipe &recipe)
{
    return quantizeModel(loadProto(proto), recipe, QuantizeSettings{}, silentProgress());
}

// x[1,2,6,6] -> conv1 -> conv2 -> y, both biases read through Identity nodes of one shared
// parameter, as torch.onnx.export writes shared parameters. With `unfoldableBias`, conv2's bias
// is that parameter plus the mean of x ('bias_add'): computed from the input, so no fold can
// make it a constant.
onnx::ModelProto identityBiasModel(bool unfoldableBias)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {1, 2, 6, 6});
    addOutput(g, "y", {1, 2, 6, 6});
    randomInitializer(g, "w1", {2, 2, 3, 3}, 1);
    randomInitializer(g, "w2", {2, 2, 1, 1}, 2);
    randomInitializer(g, "shared_bias", {2}, 3, 0.1f);
    addNode(g, "Identity", {"shared_bias"}, {"bias1"}, "Identity_0");
    addNode(g, "Identity", {"shared_bias"}, {"bias2"}, "Identity_1");
    setIntsAttribute(addNode(g, "Conv", {"x", "w1", "bias1"}, {"c1"}, "conv1"), "pads",
                     {1, 1, 1, 1});
    std::string conv2Bias = "bias2";
    if (unfoldableBias) {
        auto &mean = addNode(g, "ReduceMean", {"x"}, {"x_mean"}, "mean");
        setIntAttribute(mean, "keepdims", 0);
        addNode(g, "Add", {"bias2", "x_mean"}, {"bias2_shifted"}, "bias_add");
        conv2Bias = "bias2_shifted";
    }
    addNode(g, "Conv", {"c1", "w2", conv2Bias}, {"y"}, "conv2");
    return model;
}

const NodeLeftInFloat *leftInFloat(const QuantizeResult &result, const std::string &node)
{
    for (const NodeLeftInFloat &entry : result.coverage.leftInFloat()) {
        if (entry.node == node)
            return &entry;
    }
    return nullptr;
}

// Issue 16, item 1: the Convs whose bias came through an Identity stayed float, unreported.
TEST(TruthfulQuantize, DynamicConvsTakeTheirBiasThroughIdentityNodes)
{
    auto result = quantize(identityBiasModel(false), recipeFor(quantscope::QUANT_MODE_DYNAMIC));
    ASSERT_TRUE(result) << result.status().message();
    EXPECT_EQ(countOps(result->model.graph(), "ConvInteger"), 2);
    EXPECT_EQ(countOps(result->model.graph(), "Conv"), 0);
    EXPECT_EQ(result->coverage.eligible(), 2);
    EXPECT_EQ(result->coverage.quantized(), 2);
    EXPECT_TRUE(result->coverage.leftInFloat().empty());
    EXPECT_EQ(result->summary, "2 of 2 eligible nodes quantized (Conv 2)");
    EXPECT_EQ(result->recipe.left_in_float_size(), 0);

    const std::map<std::string, Tensor> inputs{{"x", uniformTensor({1, 2, 6, 6}, 7)}};
    const NamedTensors expected = runModel(loadProto(identityBiasModel(false)), inputs);
    const NamedTensors actual = runModel(loadProto(result->model), inputs);
    ASSERT_EQ(actual.size(), 1u);
    // Measured: the largest error is 0.0092 of the output's range.
    expectCloseOutput(expected[0].second, actual[0].second, 0.99, 0.015);
}

// A bias no fold can make constant: the node is named with the reason, as a diagnostic, in the
// result's coverage and in the saved recipe.
TEST(TruthfulQuantize, AnUnfoldableBiasIsReportedWithNodeAndReason)
{
    auto result = quantize(identityBiasModel(true), recipeFor(quantscope::QUANT_MODE_DYNAMIC));
    ASSERT_TRUE(result) << result.status().message();
    EXPECT_EQ(countOps(result->model.graph(), "ConvInteger"), 1);
    const NodeLeftInFloat *conv2 = leftInFloat(*result, "conv2");
    ASSERT_TRUE(conv2);
    EXPECT_EQ(conv2->opType, "Conv");
    EXPECT_EQ(conv2->severity, Severity::Warning);
    EXPECT_EQ(conv2->reasonText(),
              "bias comes from node 'bias_add' (Add), computed from the model's "
              "inputs, not a constant");
    EXPECT_EQ(result->summary,
              "1 of 2 eligible nodes quantized (Conv 1); 1 left in float (Conv 1)");
    bool diagnosed = false;
    for (const Diagnostic &diagnostic : result->diagnostics)
        diagnosed |= diagnostic.node == "conv2"
                     && diagnostic.message == "Conv left in float: " + conv2->reasonText();
    EXPECT_TRUE(diagnosed);

    TempDir dir;
    const std::string output = dir.file("conv_dynamic.onnx");
    ASSERT_TRUE(saveQuantizeResult(*result, output, dir.path()));
    auto saved = loadRecipe(recipePathFor(output));
    ASSERT_TRUE(saved) << saved.status().message();
    ASSERT_EQ(saved->left_in_float_size(), 1);
    EXPECT_EQ(saved->left_in_float(0).node(), "conv2");
    EXPECT_EQ(saved->left_in_float(0).op_type(), "Conv");
    EXPECT_EQ(saved->left_in_float(0).reason(), conv2->reasonText());
    // Loaded again as a recipe, the list is not a setting: the next run finds its own.
    auto rerun = quantize(identityBiasModel(false), *saved);
    ASSERT_TRUE(rerun) << rerun.status().message();
    EXPECT_EQ(rerun->recipe.left_in_float_size(), 0);
}

// Static: a Conv whose weight is computed stays float with the reason; the QOperator format
// reports the ops it has no int8 form for instead of counting them as quantized.
TEST(TruthfulQuantize, StaticReportsWhatItLeavesInFloat)
{
    onnx::ModelProto model = convNetModel();
    onnx::GraphProto &g = *model.mutable_graph();
    // conv2's weight: w2 scaled by the mean of x.
    for (auto &node : *g.mutable_node()) {
        if (node.name() == "conv2")
            node.set_input(1, "w2_scaled");
    }
    auto &mean = *g.add_node();
    mean = makeNode("ReduceMean", {"x"}, {"x_mean"}, "mean");
    setIntAttribute(mean, "keepdims", 0);
    *g.add_node() = makeNode("Mul", {"w2", "x_mean"}, {"w2_scaled"}, "weight_mul");
    // Nodes in topological order: the two new ones before conv2 (index 3), mean first (the
    // quantizer refuses a model ONNX's checker refuses, and an unsorted graph is one).
    auto *nodes = g.mutable_node();
    for (int i = nodes->size() - 1; i > 3; --i)
        nodes->SwapElements(i, i - 1);
    for (int i = nodes->size() - 1; i > 3; --i)
        nodes->SwapElements(i, i - 1);

    auto qdq = quantize(model, recipeFor(quantscope::QUANT_MODE_STATIC));
    ASSERT_TRUE(qdq) << qdq.status().message();
    const NodeLeftInFloat *conv2 = leftInFloat(*qdq, "conv2");
    ASSERT_TRUE(conv2);
    EXPECT_EQ(conv2->reasonText(), "weight comes from node 'weight_mul' (Mul), computed from the "
                                   "model's inputs, not a constant");
    EXPECT_EQ(conv2->severity, Severity::Warning);

    quantscope::Recipe qoperator = recipeFor(quantscope::QUANT_MODE_STATIC);
    qoperator.set_format(quantscope::QUANT_FORMAT_QOPERATOR);
    auto written = quantize(convNetModel(), qoperator);
    ASSERT_TRUE(written) << written.status().message();
    const NodeLeftInFloat *add = leftInFloat(*written, "add");
    ASSERT_TRUE(add);
    EXPECT_NE(add->reasonText().find("QOperator format has no standard ONNX op for Add"),
              std::string::npos);
    EXPECT_EQ(countOps(written->model.graph(), "Add"), 1);
    EXPECT_EQ(written->quantizedNodes, written->coverage.quantized());
    EXPECT_LT(written->coverage.quantized(), written->coverage.eligible());
}

// Issue 16, item 2: an FP16 block list naming a node of another model stopped an INT8 run.
TEST(TruthfulQuantize, OptionsOfOtherModesAreNeitherCheckedNorKept)
{
    auto model = loadProto(convNetModel());
    quantscope::Recipe recipe = recipeFor(quantscope::QUANT_MODE_STATIC);
    recipe.mutable_fp16()->add_node_block_list("/layer1/layer1.0/conv1/Conv");
    recipe.mutable_fp16()->add_op_block_list("NoSuchOp");
    auto effective = effectiveRecipe(recipe, *model);
    ASSERT_TRUE(effective) << effective.status().message();
    EXPECT_FALSE(effective->has_fp16());

    quantscope::Recipe dynamic = recipeFor(quantscope::QUANT_MODE_DYNAMIC);
    dynamic.mutable_calibration()->set_data_dir("/a/folder/for/another/model");
    dynamic.set_format(quantscope::QUANT_FORMAT_QOPERATOR);
    auto dynamicEffective = effectiveRecipe(dynamic, *model);
    ASSERT_TRUE(dynamicEffective) << dynamicEffective.status().message();
    EXPECT_FALSE(dynamicEffective->has_calibration());
    EXPECT_EQ(dynamicEffective->format(), quantscope::QUANT_FORMAT_UNSPECIFIED);

    quantscope::Recipe fp16 = recipeFor(quantscope::QUANT_MODE_FP16);
    fp16.add_nodes_to_quantize("no_such_node");
    fp16.add_op_types_to_quantize("Conv");
    fp16.set_per_channel(true);
    auto fp16Effective = effectiveRecipe(fp16, *model);
    ASSERT_TRUE(fp16Effective) << fp16Effective.status().message();
    EXPECT_EQ(fp16Effective->nodes_to_quantize_size(), 0);
    EXPECT_EQ(fp16Effective->op_types_to_quantize_size(), 0);
    EXPECT_FALSE(fp16Effective->per_channel());

    // The chosen mode's own lists are still checked.
    quantscope::Recipe bad = recipeFor(quantscope::QUANT_MODE_FP16);
    bad.mutable_fp16()->add_node_block_list("no_such_node");
    EXPECT_FALSE(effectiveRecipe(bad, *model));
}

// The element type of `value` in the main graph, as shape inference on the written model has it.
int32_t elementTypeOf(const onnx::ModelProto &model, const std::string &value)
{
    return loadProto(model)->index().valueType(0, value).elementType;
}

// Issue 16, item 3: op types and nodes excluded in the recipe stay float32 in FP16 too.
TEST(TruthfulQuantize, Fp16KeepsTheExcludedOpTypesAndNodesInFloat)
{
    quantscope::Recipe recipe = recipeFor(quantscope::QUANT_MODE_FP16);
    recipe.mutable_fp16()->set_keep_io_types(true);
    recipe.add_op_types_to_exclude("Add");
    recipe.add_nodes_to_exclude("conv1");
    auto result = quantize(convNetModel(), recipe);
    ASSERT_TRUE(result) << result.status().message();
    const onnx::GraphProto &graph = result->model.graph();
    const onnx::NodeProto *add = findNode(graph, "add");
    const onnx::NodeProto *conv1 = findNode(graph, "conv1");
    const onnx::NodeProto *conv2 = findNode(graph, "conv2");
    ASSERT_TRUE(add && conv1 && conv2);
    EXPECT_EQ(elementTypeOf(result->model, add->output(0)), onnx::TensorProto::FLOAT);
    EXPECT_EQ(elementTypeOf(result->model, conv1->output(0)), onnx::TensorProto::FLOAT);
    EXPECT_EQ(elementTypeOf(result->model, conv2->output(0)), onnx::TensorProto::FLOAT16);
    // The written recipe says so in the one exclusion vocabulary, and the excluded nodes are
    // kept in float by choice, not reported as left in float.
    ASSERT_EQ(result->recipe.op_types_to_exclude_size(), 1);
    EXPECT_EQ(result->recipe.op_types_to_exclude(0), "Add");
    EXPECT_FALSE(leftInFloat(*result, "add"));
    EXPECT_FALSE(leftInFloat(*result, "conv1"));
    EXPECT_TRUE(result->coverage.leftInFloat().empty());
}

// x[2,4,16] -> MatMul -> LayerNorm and GELU as torch writes them below opsets 17 and 20 ->
// MatMul -> y. Issue 15: their Add/Mul steps were quantized, which put Q/DQ pairs inside each
// pattern (the variance plus epsilon rounded to 8 bits) and kept the engine from fusing them,
// so the INT8 text encoder ran slower than its FP32 form.
onnx::ModelProto normAndGeluModel()
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {2, 4, 16});
    addOutput(g, "y", {2, 4, 16});
    randomInitializer(g, "w1", {16, 16}, 1);
    randomInitializer(g, "w2", {16, 16}, 2);
    randomInitializer(g, "gamma", {16}, 3);
    randomInitializer(g, "beta", {16}, 4);
    addFloatInitializer(g, "two", {}, {2.0f});
    addFloatInitializer(g, "eps", {}, {1e-5f});
    addFloatInitializer(g, "sqrt2", {}, {1.4142135f});
    addFloatInitializer(g, "one", {}, {1.0f});
    addFloatInitializer(g, "half", {}, {0.5f});
    addNode(g, "MatMul", {"x", "w1"}, {"h"}, "matmul1");
    setIntsAttribute(addNode(g, "ReduceMean", {"h"}, {"mean"}, "ln_mean"), "axes", {-1});
    addNode(g, "Sub", {"h", "mean"}, {"d"}, "ln_sub");
    addNode(g, "Pow", {"d", "two"}, {"d2"}, "ln_pow");
    setIntsAttribute(addNode(g, "ReduceMean", {"d2"}, {"var"}, "ln_var"), "axes", {-1});
    addNode(g, "Add", {"var", "eps"}, {"var_eps"}, "ln_eps");
    addNode(g, "Sqrt", {"var_eps"}, {"std"}, "ln_sqrt");
    addNode(g, "Div", {"d", "std"}, {"n"}, "ln_div");
    addNode(g, "Mul", {"n", "gamma"}, {"scaled"}, "ln_scale");
    addNode(g, "Add", {"scaled", "beta"}, {"normed"}, "ln_bias");
    addNode(g, "Div", {"normed", "sqrt2"}, {"g_div"}, "gelu_div");
    addNode(g, "Erf", {"g_div"}, {"g_erf"}, "gelu_erf");
    addNode(g, "Add", {"g_erf", "one"}, {"g_add"}, "gelu_add");
    addNode(g, "Mul", {"normed", "g_add"}, {"g_mul"}, "gelu_mul");
    addNode(g, "Mul", {"g_mul", "half"}, {"gelu"}, "gelu_half");
    addNode(g, "MatMul", {"gelu", "w2"}, {"y"}, "matmul2");
    return model;
}

TEST(TruthfulQuantize, DecomposedLayerNormAndGeluStayFloatAsAWhole)
{
    for (const auto format : {quantscope::QUANT_FORMAT_QDQ, quantscope::QUANT_FORMAT_QOPERATOR}) {
        quantscope::Recipe recipe = recipeFor(quantscope::QUANT_MODE_STATIC);
        recipe.set_format(format);
        auto result = quantize(normAndGeluModel(), recipe);
        ASSERT_TRUE(result) << result.status().message();
        // Both MatMuls are quantized; every step of the two patterns stays float, said so.
        EXPECT_EQ(result->coverage.quantized(), 2);
        for (const char *node : {"ln_eps", "ln_scale", "ln_bias"}) {
            const NodeLeftInFloat *entry = leftInFloat(*result, node);
            ASSERT_TRUE(entry) << node;
            EXPECT_EQ(entry->reason.id, MessageId::InsideLayerNormPattern) << node;
            EXPECT_EQ(entry->severity, Severity::Info);
            EXPECT_NE(entry->reasonText().find("decomposed LayerNorm (ending at 'ln_bias')"),
                      std::string::npos)
                << entry->reasonText();
        }
        for (const char *node : {"gelu_add", "gelu_mul", "gelu_half"}) {
            const NodeLeftInFloat *entry = leftInFloat(*result, node);
            ASSERT_TRUE(entry) << node;
            EXPECT_EQ(entry->reason.id, MessageId::InsideGeluPattern) << node;
        }
        // Quantized values only at the patterns' ends: the MatMuls' inputs.
        const onnx::GraphProto &written = result->model.graph();
        for (const auto &node : written.node()) {
            if (node.op_type() != "QuantizeLinear" && node.op_type() != "QLinearMatMul"
                && node.op_type() != "DynamicQuantizeLinear")
                continue;
            for (const char *inside : {"mean", "d", "d2", "var", "var_eps", "std", "n", "scaled",
                                       "g_div", "g_erf", "g_add", "g_mul"})
                EXPECT_NE(node.input(0), inside) << node.name();
        }
    }
}

} // namespace
} // namespace qs
