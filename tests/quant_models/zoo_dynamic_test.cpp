// Dynamic INT8 on PyTorch exports from the model zoo (scripts/export-zoo.py, fetched by `make
// assets` into the asset cache): every Conv is quantized however the exporter wrapped its bias,
// and a Conv whose bias cannot become a constant is reported by name with the reason (issue 16:
// "5 nodes quantized", 40.5 of 46.7 MB, on a ResNet-18 whose biases came through Identity
// nodes). A missing asset fails the test with the file's name.
#include "model/graph_index.h"
#include "model/model.h"
#include "model/model_summary.h"
#include "quant/quantizer.h"
#include "support/model_builder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace qs {
namespace {

using namespace qs::test;

std::string zooModel(const std::string &name)
{
    const char *cache = std::getenv("QS_CACHE_DIR");
    const std::string home = std::getenv("HOME") ? std::getenv("HOME") : ".";
    return (cache ? std::string(cache) : home + "/.cache/quantscope") + "/zoo/" + name
           + "/model.onnx";
}

std::shared_ptr<const Model> loadZooModel(const std::string &name)
{
    const std::string path = zooModel(name);
    EXPECT_TRUE(std::filesystem::exists(path)) << path << " is missing: run `make assets`";
    auto model = Model::load(path);
    EXPECT_TRUE(model) << model.status().message();
    return model ? *model : nullptr;
}

QuantizeResult quantizeDynamic(const std::shared_ptr<const Model> &model)
{
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_DYNAMIC);
    auto result = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    EXPECT_TRUE(result) << result.status().message();
    return result ? std::move(*result) : QuantizeResult{};
}

QuantCoverage::OpTypeCount convCount(const QuantizeResult &result)
{
    for (const auto &count : result.coverage.byOpType()) {
        if (count.opType == "Conv")
            return count;
    }
    return {};
}

int countOps(const onnx::GraphProto &graph, const std::string &opType)
{
    int count = 0;
    for (const auto &node : graph.node())
        count += node.op_type() == opType;
    return count;
}

// The zoo's ResNet-18 as the export had it: the bias of every Conv after the first four
// read through an Identity node, as torch.onnx.export writes shared parameters; with
// `unfoldable`, "/layer1/layer1.0/conv2/Conv" takes its bias plus the mean of the input
// ('bias_shift'), which no fold can make a constant.
std::shared_ptr<const Model> resnetWithIdentityBiases(const Model &original, bool unfoldable)
{
    onnx::ModelProto proto = original.proto();
    onnx::GraphProto &graph = *proto.mutable_graph();
    google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
    int convs = 0;
    for (onnx::NodeProto &node : *graph.mutable_node()) {
        if (node.op_type() != "Conv" || node.input_size() < 3)
            continue;
        if (unfoldable && node.name() == "/layer1/layer1.0/conv2/Conv") {
            onnx::NodeProto &mean = *nodes.Add();
            mean = makeNode("ReduceMean", {"input"}, {"input_mean"}, "input_mean");
            setIntAttribute(mean, "keepdims", 0);
            *nodes.Add() = makeNode("Add", {node.input(2), "input_mean"}, {"shifted_bias"},
                                    "bias_shift");
            node.set_input(2, "shifted_bias");
        }
        if (convs++ < 4)
            continue;
        const std::string through = node.input(2) + "_identity";
        *nodes.Add() = makeNode("Identity", {node.input(2)}, {through},
                                "Identity_" + std::to_string(convs));
        node.set_input(2, through);
    }
    EXPECT_EQ(convs, 20);
    // The new nodes read only the input and initializers: they go first.
    for (onnx::NodeProto &node : *graph.mutable_node())
        *nodes.Add() = std::move(node);
    graph.mutable_node()->Swap(&nodes);
    auto model = Model::fromProto(std::move(proto), original.baseDir());
    EXPECT_TRUE(model) << model.status().message();
    return model ? *model : nullptr;
}

TEST(ZooDynamic, ResNet18QuantizesAllTwentyConvs)
{
    const auto model = loadZooModel("resnet18");
    ASSERT_TRUE(model);
    const QuantizeResult result = quantizeDynamic(model);
    EXPECT_EQ(convCount(result).eligible, 20);
    EXPECT_EQ(convCount(result).quantized, 20);
    EXPECT_EQ(countOps(result.model.graph(), "ConvInteger"), 20);
    EXPECT_TRUE(result.coverage.leftInFloat().empty());
    // Weights of 8 bits instead of 32: about a quarter of the float file.
    EXPECT_LT(double(result.model.ByteSizeLong()), 0.3 * double(model->fileBytes()));
}

// Issue 16, item 1: before constant folding only the four Convs without an Identity were
// quantized.
TEST(ZooDynamic, ResNet18ConvsReadingTheirBiasThroughIdentityAreQuantized)
{
    const auto original = loadZooModel("resnet18");
    ASSERT_TRUE(original);
    const auto model = resnetWithIdentityBiases(*original, false);
    ASSERT_TRUE(model);
    ASSERT_EQ(summarize(*model).nodeCount, 49 + 16);
    const QuantizeResult result = quantizeDynamic(model);
    EXPECT_EQ(convCount(result).quantized, 20);
    EXPECT_EQ(countOps(result.model.graph(), "ConvInteger"), 20);
    EXPECT_EQ(countOps(result.model.graph(), "Identity"), 0);
    EXPECT_TRUE(result.coverage.leftInFloat().empty());
    EXPECT_EQ(result.summary, "21 of 21 eligible nodes quantized (Conv 20, Gemm 1)");
    EXPECT_LT(double(result.model.ByteSizeLong()), 0.3 * double(original->fileBytes()));
}

TEST(ZooDynamic, ResNet18UnfoldableBiasIsReportedByName)
{
    const auto original = loadZooModel("resnet18");
    ASSERT_TRUE(original);
    const auto model = resnetWithIdentityBiases(*original, true);
    ASSERT_TRUE(model);
    const QuantizeResult result = quantizeDynamic(model);
    EXPECT_EQ(convCount(result).quantized, 19);
    ASSERT_EQ(result.coverage.leftInFloat().size(), 1u);
    const NodeLeftInFloat &left = result.coverage.leftInFloat()[0];
    EXPECT_EQ(left.node, "/layer1/layer1.0/conv2/Conv");
    EXPECT_EQ(left.reasonText(),
              "bias comes from node 'bias_shift' (Add), computed from the model's "
              "inputs, not a constant");
    ASSERT_EQ(result.recipe.left_in_float_size(), 1);
    EXPECT_EQ(result.recipe.left_in_float(0).node(), left.node);
    EXPECT_EQ(result.summary, "20 of 21 eligible nodes quantized (Conv 19, Gemm 1); 1 left in "
                              "float (Conv 1)");
}

// SqueezeNet as exported: 18 of its 26 Convs read their bias through Identity nodes.
TEST(ZooDynamic, SqueezeNetQuantizesAllTwentySixConvs)
{
    const auto model = loadZooModel("squeezenet1_1");
    ASSERT_TRUE(model);
    const QuantizeResult result = quantizeDynamic(model);
    EXPECT_EQ(convCount(result).eligible, 26);
    EXPECT_EQ(convCount(result).quantized, 26);
    EXPECT_EQ(countOps(result.model.graph(), "ConvInteger"), 26);
}

} // namespace
} // namespace qs
