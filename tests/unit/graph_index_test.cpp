// The graph index on models built in code: ordering, scoping, names, params and MACs.
#include "model/graph_index.h"
#include "model/model.h"
#include "model/model_summary.h"
#include "support/model_builder.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

std::shared_ptr<const Model> build(onnx::ModelProto proto)
{
    auto model = Model::fromProto(std::move(proto), ".");
    EXPECT_TRUE(model.isOk()) << model.status().message();
    return model.value();
}

std::vector<std::string> namesInOrder(const Model &model, int graph = 0)
{
    std::vector<std::string> names;
    for (const int id : model.index().graphs()[graph].nodes)
        names.push_back(model.index().nodes()[id].displayName);
    return names;
}

TEST(GraphIndex, SortsUnsortedNodesTopologically)
{
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 4});
    addOutput(graph, "z", {1, 4});
    // Stored consumer-first: z = Relu(y), y = Sigmoid(x)... plus an independent Neg.
    addNode(graph, "Relu", {"y"}, {"z"}, "relu");
    addNode(graph, "Neg", {"x"}, {"n"}, "neg");
    addNode(graph, "Sigmoid", {"x"}, {"y"}, "sigmoid");
    auto model = build(proto);

    EXPECT_EQ(namesInOrder(*model), (std::vector<std::string>{"neg", "sigmoid", "relu"}));
    const GraphIndex &index = model->index();
    ASSERT_NE(index.producer(0, "y"), nullptr);
    EXPECT_EQ(index.producer(0, "y")->displayName, "sigmoid");
    EXPECT_EQ(index.producer(0, "x"), nullptr); // graph input
    auto consumers = index.consumers(0, "x");
    ASSERT_EQ(consumers.size(), 2u);
    // Types come from shape inference for the intermediate value.
    EXPECT_EQ(index.valueType(0, "y").shapeString(), "[1,4]");
    EXPECT_EQ(index.findByDisplayName("relu")->fileIndex, 0);
}

TEST(GraphIndex, NamesUnnamedNodesAndReportsDuplicates)
{
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {2});
    addOutput(graph, "c", {2});
    addNode(graph, "Relu", {"x"}, {"a"});
    addNode(graph, "Relu", {"a"}, {"b"}, "same");
    addNode(graph, "Relu", {"b"}, {"c"}, "same");
    auto model = build(proto);

    EXPECT_EQ(namesInOrder(*model), (std::vector<std::string>{"Relu_0", "same", "same"}));
    bool reported = false;
    for (const Diagnostic &diagnostic : model->diagnostics())
        reported |= diagnostic.message.find("duplicate node name 'same'") != std::string::npos;
    EXPECT_TRUE(reported);
}

TEST(GraphIndex, RecursesIntoSubgraphsWithPaths)
{
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "cond", {}, onnx::TensorProto::BOOL);
    addInput(graph, "x", {3});
    addOutput(graph, "y", {3});
    // Both branches read "x2" from the main graph: the If must come after its producer.
    onnx::NodeProto &ifNode = addNode(graph, "If", {"cond"}, {"y"}, "branch");
    addNode(graph, "Mul", {"x", "x"}, {"x2"}, "square");
    for (const char *branchName : {"then_branch", "else_branch"}) {
        onnx::GraphProto &branch = addGraphAttribute(ifNode, branchName);
        addNode(branch, std::string(branchName) == "then_branch" ? "Relu" : "Neg", {"x2"},
                {std::string(branchName) + "_out"});
        addOutput(branch, std::string(branchName) + "_out", {3});
    }
    auto model = build(proto);
    const GraphIndex &index = model->index();

    ASSERT_EQ(index.graphs().size(), 3u);
    EXPECT_EQ(namesInOrder(*model), (std::vector<std::string>{"square", "branch"}));
    EXPECT_EQ(index.graphs()[1].path, "branch/then_branch");
    EXPECT_EQ(index.graphs()[2].path, "branch/else_branch");
    EXPECT_EQ(index.nodes().size(), 4u);
    const NodeInfo *inner = &index.nodes()[index.graphs()[1].nodes.at(0)];
    EXPECT_EQ(inner->opType, "Relu");
    // Outer-scope lookups from inside the subgraph.
    ASSERT_NE(index.producer(inner->graph, "x2"), nullptr);
    EXPECT_EQ(index.producer(inner->graph, "x2")->displayName, "square");
    EXPECT_EQ(index.valueType(inner->graph, "x").shapeString(), "[3]");

    const ModelSummary summary = summarize(*model);
    EXPECT_EQ(summary.nodeCount, 2);
    EXPECT_EQ(summary.nodeCountTotal, 4);
}

TEST(GraphIndex, CountsSharedInitializersOncePerModelButPerConsumingNode)
{
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "a", {2, 8});
    addOutput(graph, "c", {2, 4});
    addInitializer(graph, "w", {8, 8});
    addInitializer(graph, "w2", {8, 4});
    addNode(graph, "MatMul", {"a", "w"}, {"b"}, "first");
    addNode(graph, "MatMul", {"b", "w"}, {"b2"}, "second");
    addNode(graph, "MatMul", {"b2", "w2"}, {"c"}, "third");
    auto model = build(proto);
    const GraphIndex &index = model->index();

    EXPECT_EQ(index.findByDisplayName("first")->paramCount, 64);
    EXPECT_EQ(index.findByDisplayName("second")->paramCount, 64);
    EXPECT_EQ(index.findByDisplayName("second")->paramBytes, 256);
    EXPECT_EQ(index.findByDisplayName("first")->macs, 2 * 8 * 8);
    EXPECT_EQ(index.findByDisplayName("third")->macs, 2 * 4 * 8);
    const ModelSummary summary = summarize(*model);
    EXPECT_EQ(summary.parameterCount, 64 + 32);
    EXPECT_EQ(summary.initializerBytes, (64 + 32) * 4);
    ASSERT_EQ(summary.opTypes.size(), 1u);
    EXPECT_EQ(summary.opTypes[0].count, 3);
    EXPECT_EQ(summary.opTypes[0].macs, 128 + 128 + 64);
    // Initializers are not graph inputs in the signature, even when listed as inputs.
    ASSERT_EQ(summary.inputs.size(), 1u);
}

TEST(GraphIndex, ComputesConvAndGemmMacs)
{
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "image", {1, 3, 8, 8});
    addOutput(graph, "logits", {1, 10});
    addInitializer(graph, "kernel", {16, 3, 3, 3});
    addInitializer(graph, "fc", {10, 16});
    addInt64Initializer(graph, "flat", {1, 16});
    onnx::NodeProto &conv = addNode(graph, "Conv", {"image", "kernel"}, {"features"}, "conv");
    setIntsAttribute(conv, "kernel_shape", {3, 3});
    setIntsAttribute(conv, "pads", {1, 1, 1, 1});
    addNode(graph, "GlobalAveragePool", {"features"}, {"pooled"}, "pool");
    addNode(graph, "Reshape", {"pooled", "flat"}, {"vector"}, "reshape");
    onnx::NodeProto &gemm = addNode(graph, "Gemm", {"vector", "fc"}, {"logits"}, "gemm");
    auto *transB = gemm.add_attribute();
    transB->set_name("transB");
    transB->set_type(onnx::AttributeProto::INT);
    transB->set_i(1);
    auto model = build(proto);
    const GraphIndex &index = model->index();

    EXPECT_EQ(index.valueType(0, "features").shapeString(), "[1,16,8,8]");
    EXPECT_EQ(index.findByDisplayName("conv")->macs, int64_t(16) * 8 * 8 * 3 * 3 * 3);
    EXPECT_EQ(index.findByDisplayName("gemm")->macs, 10 * 16);
    EXPECT_FALSE(index.findByDisplayName("pool")->macs.has_value());
    EXPECT_EQ(index.findByDisplayName("conv")->opsetVersion, 13);
}

// A model exported with a dynamic batch reports MACs per sample (batch 1), as onnx-tool does,
// not "-" (issue 16); an unknown dim other than the batch still leaves the count unknown.
TEST(GraphIndex, CountsMacsPerSampleForASymbolicBatch)
{
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "image", {-1, 3, 8, 8});
    addInput(graph, "tokens", {-1, -1, 16}); // batch and sequence both symbolic
    addOutput(graph, "features", {-1, 16, 8, 8});
    addOutput(graph, "projected", {-1, -1, 4});
    addInitializer(graph, "kernel", {16, 3, 3, 3});
    addInitializer(graph, "projection", {16, 4});
    onnx::NodeProto &conv = addNode(graph, "Conv", {"image", "kernel"}, {"features"}, "conv");
    setIntsAttribute(conv, "kernel_shape", {3, 3});
    setIntsAttribute(conv, "pads", {1, 1, 1, 1});
    addNode(graph, "MatMul", {"tokens", "projection"}, {"projected"}, "matmul");
    auto model = build(proto);
    const GraphIndex &index = model->index();

    EXPECT_EQ(index.findByDisplayName("conv")->macs, int64_t(16) * 8 * 8 * 3 * 3 * 3);
    EXPECT_FALSE(index.findByDisplayName("matmul")->macs.has_value());
}

TEST(GraphIndex, ReportsCyclesWithoutLosingNodes)
{
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1});
    addOutput(graph, "b", {1});
    addNode(graph, "Add", {"x", "b"}, {"a"}, "first");
    addNode(graph, "Relu", {"a"}, {"b"}, "second");
    auto model = build(proto);
    EXPECT_EQ(model->index().nodes().size(), 2u);
    bool reported = false;
    for (const Diagnostic &diagnostic : model->diagnostics())
        reported |= diagnostic.message.find("cycle") != std::string::npos;
    EXPECT_TRUE(reported);
}

TEST(GraphIndex, CheckerFindingsBecomeDiagnosticsAndTheModelStillOpens)
{
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1});
    addOutput(graph, "y", {1});
    addNode(graph, "NoSuchOp", {"x"}, {"y"}, "mystery");
    auto model = build(proto);
    ASSERT_FALSE(model->diagnostics().empty());
    EXPECT_EQ(model->diagnostics().front().severity, Severity::Error);
    EXPECT_NE(model->diagnostics().front().message.find("NoSuchOp"), std::string::npos);
    EXPECT_EQ(model->index().nodes().size(), 1u);
}

} // namespace
} // namespace qs
