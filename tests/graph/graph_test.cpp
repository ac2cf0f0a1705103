// The Graph's indexes, edits, constants, subgraphs and round trip to protobuf.
#include "graph/graph.h"
#include "graph/pass.h"
#include "model/attributes.h"
#include "model/model.h"
#include "support/model_builder.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using test::addInitializer;
using test::addInput;
using test::addNode;
using test::addOutput;

std::shared_ptr<const Model> load(onnx::ModelProto proto)
{
    auto model = Model::fromProto(std::move(proto), "");
    EXPECT_TRUE(model) << model.status().message();
    return *model;
}

// x -> Relu -> r -> Mul(r, w) -> y, r also read by Add -> z.
onnx::ModelProto branchyModel()
{
    onnx::ModelProto model = test::makeModel(13);
    auto &graph = *model.mutable_graph();
    addInput(graph, "x", {1, 4});
    addInitializer(graph, "w", {1, 4});
    addNode(graph, "Relu", {"x"}, {"r"}, "relu");
    addNode(graph, "Mul", {"r", "w"}, {"y"}, "mul");
    addNode(graph, "Add", {"r", "r"}, {"z"}); // unnamed: display name Add_2
    addOutput(graph, "y", {1, 4});
    addOutput(graph, "z", {1, 4});
    return model;
}

std::unique_ptr<Graph> graphOf(const std::shared_ptr<const Model> &model)
{
    auto graph = Graph::fromModel(model);
    EXPECT_TRUE(graph) << graph.status().message();
    return std::move(*graph);
}

TEST(Graph, IndexesProducersReadersAndUses)
{
    auto model = load(branchyModel());
    auto graph = graphOf(model);
    ASSERT_EQ(graph->nodeCount(), 3u);
    const auto ids = graph->nodeIds();
    EXPECT_EQ(graph->node(ids[2]).displayName, "Add_2");
    EXPECT_EQ(graph->producer("r"), ids[0]);
    EXPECT_EQ(graph->producer("x"), kNoNode);
    EXPECT_EQ(graph->readers("r").size(), 3u); // Mul once, Add twice
    EXPECT_EQ(graph->useCount("y"), 1);        // the graph output
    EXPECT_EQ(graph->soleReader("r"), kNoNode);
    EXPECT_EQ(graph->soleReader("x"), ids[0]);
    EXPECT_EQ(graph->soleReader("y"), kNoNode); // a graph output is not a node reader
    EXPECT_EQ(graph->valueType("x").elementType, onnx::TensorProto::FLOAT);
    ASSERT_NE(graph->constant("w"), nullptr);
    EXPECT_FLOAT_EQ(graph->constant("w")->data<float>()[0], 0.5f);
    EXPECT_EQ(graph->constant("r"), nullptr);
    EXPECT_TRUE(graph->checkConsistency());
}

TEST(Graph, EditsKeepIndexesAndOrder)
{
    auto model = load(branchyModel());
    auto graph = graphOf(model);
    const auto ids = graph->nodeIds();
    // Insert Neg between Relu and its readers.
    onnx::NodeProto neg;
    neg.set_op_type("Neg");
    neg.set_name(graph->uniqueNodeName("relu"));
    EXPECT_EQ(neg.name(), "relu_1");
    neg.add_input("r");
    const std::string negated = graph->uniqueValueName("r");
    neg.add_output(negated);
    const NodeId negId = graph->insertAfter(ids[0], neg);
    graph->replaceUses("r", negated);
    // replaceUses rewired Neg's own input too; point it back.
    graph->setInput(negId, 0, "r");
    EXPECT_EQ(graph->readers("r").size(), 1u);
    EXPECT_EQ(graph->readers(negated).size(), 3u);
    EXPECT_EQ(graph->nodeIds()[1], negId);
    EXPECT_TRUE(graph->checkConsistency()) << graph->checkConsistency().message();

    // A node reading a value before it is produced is caught.
    onnx::NodeProto early;
    early.set_op_type("Identity");
    early.add_input("y");
    early.add_output("early");
    const NodeId earlyId = graph->insertBefore(ids[0], early);
    EXPECT_FALSE(graph->checkConsistency());
    graph->removeNode(earlyId);
    EXPECT_TRUE(graph->checkConsistency());

    // Editing an input behind Graph's back is caught too.
    graph->node(ids[1]).proto.set_input(1, "x");
    EXPECT_FALSE(graph->checkConsistency());
}

TEST(Graph, AbsorbIntoTakesOutputAndLabels)
{
    onnx::ModelProto proto = test::makeModel(13);
    auto &g = *proto.mutable_graph();
    addInput(g, "x", {1, 4});
    addNode(g, "Neg", {"x"}, {"a"}, "neg");
    addNode(g, "Relu", {"a"}, {"b"}, "relu");
    addOutput(g, "b", {1, 4});
    auto model = load(proto);
    auto graph = graphOf(model);
    const auto ids = graph->nodeIds();
    graph->absorbInto(ids[0], ids[1]);
    EXPECT_EQ(graph->nodeCount(), 1u);
    EXPECT_EQ(graph->node(ids[0]).proto.output(0), "b");
    EXPECT_EQ(graph->producer("b"), ids[0]);
    ASSERT_EQ(graph->node(ids[0]).absorbed.size(), 1u);
    EXPECT_EQ(graph->node(ids[0]).absorbed[0], "+Relu 'relu'");
    EXPECT_TRUE(graph->checkConsistency());
}

TEST(Graph, ConstantsFromInitializersConstantNodesAndPasses)
{
    onnx::ModelProto proto = test::makeModel(13);
    auto &g = *proto.mutable_graph();
    addInput(g, "x", {2});
    auto &constant = addNode(g, "Constant", {}, {"c"}, "const");
    auto *value = constant.add_attribute();
    value->set_name("value");
    value->set_type(onnx::AttributeProto::TENSOR);
    value->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
    value->mutable_t()->add_dims(2);
    value->mutable_t()->add_float_data(1.5f);
    value->mutable_t()->add_float_data(2.5f);
    addInitializer(g, "unused", {3});
    addNode(g, "Add", {"x", "c"}, {"y"}, "add");
    addOutput(g, "y", {2});
    auto model = load(proto);
    auto graph = graphOf(model);
    ASSERT_NE(graph->constant("c"), nullptr);
    EXPECT_FLOAT_EQ(graph->constant("c")->data<float>()[1], 2.5f);
    const std::string added = graph->addInitializer("c", Tensor::scalar<float>(4.0f));
    EXPECT_EQ(added, "c_1");
    EXPECT_FLOAT_EQ(graph->constant(added)->data<float>()[0], 4.0f);
    // Only the Add reads c_1 now: the Constant node, "unused" and nothing else go.
    graph->setInput(graph->nodeIds()[1], 1, added);
    graph->removeUnusedConstants();
    EXPECT_EQ(graph->nodeCount(), 1u);
    EXPECT_FALSE(graph->isInitializer("unused"));
    EXPECT_TRUE(graph->isInitializer(added));

    auto written = graph->toModelProto();
    ASSERT_TRUE(written) << written.status().message();
    ASSERT_EQ(written->graph().initializer_size(), 1);
    EXPECT_EQ(written->graph().initializer(0).name(), "c_1");
    EXPECT_EQ(written->graph().node_size(), 1);
    auto reloaded = Model::fromProto(std::move(*written), "");
    ASSERT_TRUE(reloaded) << reloaded.status().message();
}

// If with a then-branch reading an outer value: subgraphs become child Graphs, their outer reads
// count as uses, and writing back restores the bodies.
TEST(Graph, SubgraphsRoundTrip)
{
    onnx::ModelProto proto = test::makeModel(13);
    auto &g = *proto.mutable_graph();
    addInput(g, "cond", {}, onnx::TensorProto::BOOL);
    addInput(g, "x", {2});
    addNode(g, "Neg", {"x"}, {"n"}, "neg");
    auto &ifNode = addNode(g, "If", {"cond"}, {"y"}, "if");
    for (const char *branch : {"then_branch", "else_branch"}) {
        auto *attribute = ifNode.add_attribute();
        attribute->set_name(branch);
        attribute->set_type(onnx::AttributeProto::GRAPH);
        auto &body = *attribute->mutable_g();
        body.set_name(branch);
        addNode(body, std::string(branch) == "then_branch" ? "Relu" : "Sigmoid", {"n"},
                {std::string(branch) + "_out"});
        addOutput(body, std::string(branch) + "_out", {2});
    }
    addOutput(g, "y", {2});
    auto model = load(proto);
    auto graph = graphOf(model);
    const NodeId ifId = graph->nodeIds()[1];
    ASSERT_EQ(graph->node(ifId).subgraphs.size(), 2u);
    Graph &then = *graph->node(ifId).subgraphs[0].graph;
    EXPECT_EQ(then.parent(), graph.get());
    EXPECT_EQ(graph->useCount("n"), 1); // read by both bodies through the If: one implicit use
    EXPECT_EQ(graph->soleReader("n"), kNoNode);
    EXPECT_EQ(then.valueType("n").elementType, onnx::TensorProto::FLOAT);
    EXPECT_TRUE(graph->checkConsistency()) << graph->checkConsistency().message();

    // Renaming an outer value reaches the bodies.
    graph->setOutput(graph->nodeIds()[0], 0, "n2");
    graph->replaceUses("n", "n2");
    EXPECT_EQ(then.readers("n2").size(), 1u);
    EXPECT_TRUE(graph->checkConsistency()) << graph->checkConsistency().message();

    auto written = graph->toModelProto();
    ASSERT_TRUE(written) << written.status().message();
    const auto &thenBody = written->graph().node(1).attribute(0).g();
    ASSERT_EQ(thenBody.node_size(), 1);
    EXPECT_EQ(thenBody.node(0).input(0), "n2");
    EXPECT_EQ(thenBody.output(0).name(), "then_branch_out");
}

class CountingPass : public GraphPass
{
public:
    explicit CountingPass(bool breakGraph)
        : m_break(breakGraph)
    {}
    std::string_view name() const override { return "Counting"; }
    Result<bool> apply(Graph &graph, PassContext &) override
    {
        ++applied;
        if (m_break)
            graph.node(graph.nodeIds()[0]).proto.set_output(0, "renamed"); // behind Graph's back
        return m_break;
    }
    int applied = 0;

private:
    bool m_break;
};

TEST(PassPipeline, RecordsPassesAndCatchesBrokenGraphs)
{
    auto model = load(branchyModel());
    auto graph = graphOf(model);
    PassContext context;
    PassPipeline fine;
    fine.add<CountingPass>(false);
    auto result = fine.run(*graph, context);
    ASSERT_TRUE(result);
    EXPECT_FALSE(*result);
    ASSERT_EQ(context.records.size(), 1u);
    EXPECT_EQ(context.records[0].pass, "Counting");

    PassPipeline broken;
    broken.add<CountingPass>(true);
    auto failed = broken.run(*graph, context);
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.status().message().find("graph pass Counting left the graph inconsistent"),
              std::string::npos)
        << failed.status().message();
}

TEST(Attributes, TypedReadersIgnoreOtherTypes)
{
    onnx::NodeProto node;
    setIntAttribute(node, "group", 4);
    setFloatAttribute(node, "alpha", 0.25f);
    setIntsAttribute(node, "pads", {1, 1, 1, 1});
    EXPECT_EQ(intAttribute(node, "group", 1), 4);
    EXPECT_EQ(intAttribute(node, "alpha", 7), 7); // a float is not an int
    EXPECT_FLOAT_EQ(floatAttribute(node, "alpha", 0.0f), 0.25f);
    EXPECT_EQ(intsAttribute(node, "pads").size(), 4u);
    setIntAttribute(node, "group", 2); // replaces, does not add
    EXPECT_EQ(node.attribute_size(), 3);
    EXPECT_EQ(intAttribute(node, "group", 1), 2);
    EXPECT_TRUE(removeAttribute(node, "group"));
    EXPECT_FALSE(hasAttribute(node, "group"));
    EXPECT_TRUE(isDefaultDomain("ai.onnx"));
    EXPECT_FALSE(isDefaultDomain("com.microsoft"));
}

} // namespace
} // namespace qs
