// A quantized variant's nodes matched to its FP32 reference (core/layout/node_matching): models
// the project's quantizer writes here (static QDQ and QOperator, dynamic, FP16) from the small
// conv net of the quantizer tests and from PaddleOCR cls when it is fetched, one renamed the way
// ONNX Runtime names its nodes; and the variant's layout with the plumbing folded, so that it
// has the reference's boxes.
#include "layout/graph_layout.h"
#include "layout/node_matching.h"
#include "model/graph_index.h"
#include "quant/quant_test_models.h"
#include "quant/quantizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace qs {
namespace {

using namespace qs::test;

quantscope::Recipe recipeFor(quantscope::QuantMode mode,
                             quantscope::QuantFormat format = quantscope::QUANT_FORMAT_QDQ)
{
    quantscope::Recipe recipe;
    recipe.set_mode(mode);
    if (mode == quantscope::QUANT_MODE_STATIC) {
        recipe.set_format(format);
        recipe.mutable_calibration()->set_max_samples(4);
    }
    return recipe;
}

onnx::ModelProto quantizedProto(const std::shared_ptr<const Model> &reference,
                                const quantscope::Recipe &recipe)
{
    auto result = quantizeModel(reference, recipe, QuantizeSettings{}, silentProgress());
    EXPECT_TRUE(result.isOk()) << result.status().message();
    return result ? result->model : onnx::ModelProto{};
}

bool isPlumbing(const std::string &op)
{
    return op == "QuantizeLinear" || op == "DequantizeLinear" || op == "DynamicQuantizeLinear"
           || op == "Cast";
}

// A dynamically quantized Gemm becomes a MatMulInteger.
bool sameFloatOp(const std::string &referenceOp, const std::string &variantOp)
{
    const std::string asFloat = floatOpType(variantOp);
    auto matMulLike = [](const std::string &op) { return op == "MatMul" || op == "Gemm"; };
    return asFloat == referenceOp || (matMulLike(asFloat) && matMulLike(referenceOp));
}

// What every matching must give: nothing of the variant left over, every plumbing node inside a
// matched op, matches in both directions agreeing and their op types compatible.
// `leftOverMarker`: a part of the names of variant-only nodes the test expects.
void expectAligned(const GraphIndex &reference, const GraphIndex &variant,
                   const NodeMatching &matching, const std::string &leftOverMarker = {})
{
    std::set<int> leftOver;
    for (int id : matching.unmatchedVariant) {
        leftOver.insert(id);
        const std::string &name = variant.nodes()[id].displayName;
        if (leftOverMarker.empty() || name.find(leftOverMarker) == std::string::npos)
            ADD_FAILURE() << "variant node left over: " << name << " ("
                          << variant.nodes()[id].opType << ")";
    }
    for (int id : variant.mainGraph().nodes) {
        const NodeInfo &node = variant.nodes()[id];
        const int host = matching.foldedInto[id];
        if (host >= 0) {
            EXPECT_EQ(matching.foldedInto[host], -1) << node.displayName << ": fold chain";
            EXPECT_TRUE(matching.referenceOf[host] >= 0 || leftOver.count(host))
                << node.displayName << " folded into " << variant.nodes()[host].displayName;
            EXPECT_EQ(matching.referenceNodeFor(id), matching.referenceOf[host]);
        } else if (isPlumbing(node.opType) && node.opType != "Cast") {
            ADD_FAILURE() << node.displayName << " (" << node.opType << ") not folded";
        }
        const int ref = matching.referenceOf[id];
        if (ref >= 0) {
            EXPECT_EQ(matching.variantNodeFor(ref), id);
            EXPECT_TRUE(sameFloatOp(reference.nodes()[ref].opType, node.opType)
                        || reference.nodes()[ref].displayName == node.displayName)
                << node.displayName;
        }
    }
}

const NodeInfo &variantOf(const GraphIndex &reference, const GraphIndex &variant,
                          const NodeMatching &matching, const std::string &name)
{
    const NodeInfo *ref = reference.findByDisplayName(name);
    EXPECT_TRUE(ref) << name;
    const int id = ref ? matching.variantNodeFor(ref->id) : -1;
    EXPECT_GE(id, 0) << name << " has no counterpart";
    static const NodeInfo kNone;
    return id >= 0 ? variant.nodes()[id] : kNone;
}

class NodeMatchingTest : public ::testing::Test
{
protected:
    void SetUp() override { m_reference = loadProto(convNetModel()); }

    std::shared_ptr<const Model> variant(const quantscope::Recipe &recipe)
    {
        return loadProto(quantizedProto(m_reference, recipe));
    }

    std::shared_ptr<const Model> m_reference;
};

TEST(FloatOpType, ReadsQuantizedFormsAsTheirFloatOp)
{
    EXPECT_EQ(floatOpType("QLinearConv"), "Conv");
    EXPECT_EQ(floatOpType("ConvInteger"), "Conv");
    EXPECT_EQ(floatOpType("MatMulInteger"), "MatMul");
    EXPECT_EQ(floatOpType("QLinearMatMul"), "MatMul");
    EXPECT_EQ(floatOpType("QGemm"), "Gemm");
    EXPECT_EQ(floatOpType("QLinearAdd"), "Add");
    EXPECT_EQ(floatOpType("QLinearGlobalAveragePool"), "GlobalAveragePool");
    EXPECT_EQ(floatOpType("Relu"), "Relu");
    EXPECT_EQ(floatOpType("QLinear"), "QLinear");
}

TEST_F(NodeMatchingTest, StaticQdqFoldsEveryPairIntoTheOpItWraps)
{
    auto quantized = variant(recipeFor(quantscope::QUANT_MODE_STATIC));
    ASSERT_TRUE(quantized);
    const GraphIndex &ref = m_reference->index();
    const GraphIndex &var = quantized->index();
    const NodeMatching matching = matchVariantNodes(ref, var);
    expectAligned(ref, var, matching);

    EXPECT_EQ(variantOf(ref, var, matching, "conv1").opType, "Conv");
    EXPECT_EQ(variantOf(ref, var, matching, "fc").opType, "MatMul");
    // conv2's weight is dequantized inside its box; the pair quantizing pool's output is part of
    // its first reader.
    const NodeInfo &conv2 = variantOf(ref, var, matching, "conv2");
    int foldedIntoConv2 = 0;
    for (int id : var.mainGraph().nodes)
        foldedIntoConv2 += matching.foldedInto[id] == conv2.id;
    EXPECT_GE(foldedIntoConv2, 2);
    // The only reference nodes without a counterpart are Relus the quantizer folded into
    // their Conv.
    for (int id : matching.unmatchedReference)
        EXPECT_EQ(ref.nodes()[id].opType, "Relu") << ref.nodes()[id].displayName;
    EXPECT_GE(matching.matched, 6);
}

TEST_F(NodeMatchingTest, QOperatorFormsMatchTheirFloatOps)
{
    auto quantized
        = variant(recipeFor(quantscope::QUANT_MODE_STATIC, quantscope::QUANT_FORMAT_QOPERATOR));
    ASSERT_TRUE(quantized);
    const GraphIndex &ref = m_reference->index();
    const GraphIndex &var = quantized->index();
    const NodeMatching matching = matchVariantNodes(ref, var);
    expectAligned(ref, var, matching);
    EXPECT_EQ(variantOf(ref, var, matching, "conv1").opType, "QLinearConv");
    EXPECT_EQ(variantOf(ref, var, matching, "conv2").opType, "QLinearConv");
    EXPECT_EQ(variantOf(ref, var, matching, "fc").opType, "QLinearMatMul");
}

TEST_F(NodeMatchingTest, DynamicIntegerOpsTakeTheirRescalingHelpers)
{
    auto quantized = variant(recipeFor(quantscope::QUANT_MODE_DYNAMIC));
    ASSERT_TRUE(quantized);
    const GraphIndex &ref = m_reference->index();
    const GraphIndex &var = quantized->index();
    const NodeMatching matching = matchVariantNodes(ref, var);
    expectAligned(ref, var, matching);
    const NodeInfo &fc = variantOf(ref, var, matching, "fc");
    EXPECT_EQ(fc.opType, "MatMulInteger");
    std::set<std::string> helperOps;
    for (int id : var.mainGraph().nodes)
        if (matching.foldedInto[id] == fc.id)
            helperOps.insert(var.nodes()[id].opType);
    EXPECT_TRUE(helperOps.count("DynamicQuantizeLinear"));
    EXPECT_TRUE(helperOps.count("Mul")) << "the int32 result's rescaling is part of fc";
    EXPECT_TRUE(matching.unmatchedReference.empty());
}

TEST_F(NodeMatchingTest, Fp16CastsAreFolded)
{
    auto converted = variant(recipeFor(quantscope::QUANT_MODE_FP16));
    ASSERT_TRUE(converted);
    const NodeMatching matching = matchVariantNodes(m_reference->index(), converted->index());
    expectAligned(m_reference->index(), converted->index(), matching);
    EXPECT_TRUE(matching.unmatchedReference.empty());
}

// ONNX Runtime's quantizer names QLinearConv "conv1_quant"; a tool may also rename a node
// entirely, and then its output tensor (read back through its DequantizeLinear) still says
// which float op it was.
TEST_F(NodeMatchingTest, RenamedNodesMatchBySuffixOrByTheirTensor)
{
    onnx::ModelProto proto = quantizedProto(m_reference,
                                            recipeFor(quantscope::QUANT_MODE_STATIC,
                                                      quantscope::QUANT_FORMAT_QOPERATOR));
    for (onnx::NodeProto &node : *proto.mutable_graph()->mutable_node()) {
        if (node.name() == "conv1")
            node.set_name("conv1_quant");
        if (node.name() == "fc")
            node.set_name("renamed_by_a_tool");
    }
    auto renamed = loadProto(std::move(proto));
    ASSERT_TRUE(renamed);
    const GraphIndex &ref = m_reference->index();
    const GraphIndex &var = renamed->index();
    const NodeMatching matching = matchVariantNodes(ref, var);
    expectAligned(ref, var, matching);
    EXPECT_EQ(variantOf(ref, var, matching, "conv1").displayName, "conv1_quant");
    EXPECT_EQ(variantOf(ref, var, matching, "fc").displayName, "renamed_by_a_tool");
}

// Laid out with the plumbing folded, the variant has one node box per matched op, the same
// boxes the reference has except the ops the quantizer removed.
TEST_F(NodeMatchingTest, FoldedVariantLayoutHasTheReferenceBoxes)
{
    auto quantized = variant(recipeFor(quantscope::QUANT_MODE_STATIC));
    ASSERT_TRUE(quantized);
    const NodeMatching matching = matchVariantNodes(m_reference->index(), quantized->index());
    LayoutOptions options;
    options.foldInto = matching.foldedInto;
    auto variantLayout = layoutGraph(quantized->index(), options);
    auto referenceLayout = layoutGraph(m_reference->index(), LayoutOptions{});
    ASSERT_TRUE(variantLayout.isOk()) << variantLayout.status().message();
    ASSERT_TRUE(referenceLayout.isOk());
    auto nodeBoxes = [](const GraphLayout &layout) {
        int count = 0;
        for (const LayoutBox &box : layout.boxes) {
            count += box.kind == LayoutBox::Kind::Node;
            EXPECT_FALSE(isPlumbing(box.title)) << box.subtitle;
        }
        return count;
    };
    EXPECT_EQ(nodeBoxes(*variantLayout),
              nodeBoxes(*referenceLayout) - int(matching.unmatchedReference.size()));
    // Every Q/DQ is drawn by its host's box, and the edges still connect input to output.
    for (int id : quantized->index().mainGraph().nodes) {
        if (matching.foldedInto[id] >= 0) {
            EXPECT_EQ(variantLayout->boxOfNode[id],
                      variantLayout->boxOfNode[matching.foldedInto[id]]);
        }
    }
    // A Relu removed from a chain takes one of its two edges with it; a Q/DQ pair that two ops
    // read (pool's output: conv2 and add) keeps both edges.
    EXPECT_EQ(variantLayout->edges.size() + matching.unmatchedReference.size(),
              referenceLayout->edges.size());
}

TEST(NodeMatchingOnPaddleOcr, ClsQdqAlignsWithItsReference)
{
    const std::string path = std::string(QS_OCR_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";
    // make test fetches the assets first; a missing model is a failure, not a skip.
    ASSERT_TRUE(std::filesystem::exists(path)) << path << " not fetched (make assets)";
    auto reference = Model::load(path);
    ASSERT_TRUE(reference.isOk()) << reference.status().message();
    quantscope::Recipe recipe = recipeFor(quantscope::QUANT_MODE_STATIC);
    auto &dims = *recipe.mutable_calibration()->mutable_dim_values();
    dims["p2o.DynamicDimension.0"] = 1;
    dims["p2o.DynamicDimension.1"] = 48;
    dims["p2o.DynamicDimension.2"] = 192;
    auto quantized = loadProto(quantizedProto(*reference, recipe));
    ASSERT_TRUE(quantized);
    const GraphIndex &ref = (*reference)->index();
    const NodeMatching matching = matchVariantNodes(ref, quantized->index());
    // ONNX's version converter (opset 11 -> 13) rewrote the Softmax as Flatten, Softmax, Shape
    // and Reshape; the three it added exist only in the variant and are drawn as themselves.
    expectAligned(ref, quantized->index(), matching, "_opset13_");
    int convolutions = 0, matched = 0;
    for (int id : ref.mainGraph().nodes) {
        if (ref.nodes()[id].opType != "Conv")
            continue;
        ++convolutions;
        matched += matching.variantNodeFor(id) >= 0;
    }
    EXPECT_GT(convolutions, 10);
    EXPECT_EQ(matched, convolutions);
    // What the quantizer's preparation removed: BatchNormalization folded into its Conv
    // (measured 35), HardSwish's Add/Clip/Mul (18 each; its Div became the HardSwish), the
    // Relus folded into their Conv (15) and one Cast of a constant.
    const std::set<std::string> removedByTheQuantizer{"BatchNormalization",
                                                      "Add",
                                                      "Clip",
                                                      "Mul",
                                                      "Relu",
                                                      "Cast"};
    for (int id : matching.unmatchedReference)
        EXPECT_TRUE(removedByTheQuantizer.count(ref.nodes()[id].opType))
            << ref.nodes()[id].displayName << " (" << ref.nodes()[id].opType << ")";
}

} // namespace
} // namespace qs
