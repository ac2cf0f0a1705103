// Sequence and optional values through the session: each row is a small graph of sequence ops
// ending in a tensor, checked against the values written out by hand; then what a sequence
// output does to run()/runValues(), what the observer sees, and the errors that name positions.
#include "support/model_builder.h"

#include "model/model.h"
#include "runtime/session.h"

#include <gtest/gtest.h>

#include <functional>

namespace qs {
namespace {

using namespace qs::test;

const Tensor kA = Tensor::fromVector<float>({1, 2}, {1, 2});
const Tensor kB = Tensor::fromVector<float>({1, 2}, {3, 4});
const Tensor kC = Tensor::fromVector<float>({1, 2}, {5, 6});

Result<NamedValues> runGraph(const std::function<void(onnx::GraphProto &)> &build,
                             const std::map<std::string, Tensor> &inputs,
                             const RunOptions &options = {})
{
    onnx::ModelProto model = makeModel(17);
    onnx::GraphProto &graph = *model.mutable_graph();
    for (const auto &[name, tensor] : inputs)
        addInput(graph, name, tensor.shape());
    build(graph);
    auto loaded = Model::fromProto(std::move(model), ".");
    if (!loaded)
        return loaded.status();
    auto session = Session::create(*loaded, sessionOptions(1));
    if (!session)
        return session.status();
    return (*session)->runValues(inputs, options);
}

void addPosition(onnx::GraphProto &graph, const std::string &name, int64_t value)
{
    onnx::TensorProto &tensor = *graph.add_initializer();
    tensor.set_name(name);
    tensor.set_data_type(onnx::TensorProto::INT64);
    tensor.add_int64_data(value);
}

struct SequenceCase
{
    const char *name;
    std::function<void(onnx::GraphProto &)> build; // reads a, b, c; writes the tensor "y"
    Tensor expected;
};

TEST(Sequence, OpsComputeWhatTheSpecSays)
{
    const SequenceCase cases[] = {
        {"construct, insert at 1, erase the last, concat on axis 0",
         [](onnx::GraphProto &g) {
             addPosition(g, "one", 1);
             addNode(g, "SequenceConstruct", {"a", "b"}, {"s"});
             addNode(g, "SequenceInsert", {"s", "c", "one"}, {"s2"});
             addNode(g, "SequenceErase", {"s2"}, {"s3"});
             setIntAttribute(addNode(g, "ConcatFromSequence", {"s3"}, {"y"}), "axis", 0);
         },
         Tensor::fromVector<float>({2, 2}, {1, 2, 5, 6})},
        {"insert at the end by default, then the length",
         [](onnx::GraphProto &g) {
             addNode(g, "SequenceEmpty", {}, {"e"});
             addNode(g, "SequenceInsert", {"e", "a"}, {"s1"});
             addNode(g, "SequenceInsert", {"s1", "b"}, {"s2"});
             addNode(g, "SequenceLength", {"s2"}, {"y"});
         },
         Tensor::scalar<int64_t>(2)},
        {"negative position counts from the back",
         [](onnx::GraphProto &g) {
             addPosition(g, "minus_three", -3);
             addNode(g, "SequenceConstruct", {"a", "b", "c"}, {"s"});
             addNode(g, "SequenceAt", {"s", "minus_three"}, {"y"});
         },
         kA},
        {"split by a scalar length leaves a shorter last piece",
         [](onnx::GraphProto &g) {
             addPosition(g, "last", -1);
             addPosition(g, "two", 2); // a scalar split length
             setIntAttribute(addNode(g, "Concat", {"a", "b", "c"}, {"x"}), "axis", 0);
             addNode(g, "SplitToSequence", {"x", "two"}, {"s"});
             addNode(g, "SequenceAt", {"s", "last"}, {"y"});
         },
         kC},
        {"split into ones without keepdims, stacked back on a new axis 1",
         [](onnx::GraphProto &g) {
             auto &split = addNode(g, "SplitToSequence", {"a"}, {"s"});
             setIntAttribute(split, "axis", 1);
             setIntAttribute(split, "keepdims", 0);
             auto &concat = addNode(g, "ConcatFromSequence", {"s"}, {"y"});
             setIntAttribute(concat, "axis", 1);
             setIntAttribute(concat, "new_axis", 1);
         },
         kA},
        {"an optional of a tensor has it and gives it back",
         [](onnx::GraphProto &g) {
             addNode(g, "Optional", {"b"}, {"o"});
             addNode(g, "OptionalGetElement", {"o"}, {"y"});
         },
         kB},
    };
    const std::map<std::string, Tensor> inputs = {{"a", kA}, {"b", kB}, {"c", kC}};
    for (const SequenceCase &c : cases) {
        SCOPED_TRACE(c.name);
        auto outputs = runGraph(
            [&](onnx::GraphProto &g) {
                c.build(g);
                g.add_output()->set_name("y");
            },
            inputs);
        ASSERT_TRUE(outputs) << outputs.status().message();
        const Tensor &y = outputs->front().second.tensor();
        ASSERT_EQ(y.describe(), c.expected.describe());
        for (int64_t i = 0; i < y.elementCount(); ++i)
            EXPECT_EQ(y.doubleAt(i), c.expected.doubleAt(i)) << "element " << i;
    }
}

void sequenceOutputGraph(onnx::GraphProto &g)
{
    addNode(g, "Relu", {"a"}, {"r"});
    addNode(g, "SequenceConstruct", {"r", "a"}, {"s"});
    addNode(g, "SequenceLength", {"s"}, {"n"});
    g.add_output()->set_name("s");
    g.add_output()->set_name("n");
}

TEST(Sequence, SequenceOutputsComeFromRunValuesAndTheObserverSeesTensorsOnly)
{
    std::vector<std::string> observed;
    RunOptions options;
    options.observer = [&](const std::string &name, const Tensor &) { observed.push_back(name); };
    auto outputs = runGraph(sequenceOutputGraph, {{"a", kA}}, options);
    ASSERT_TRUE(outputs) << outputs.status().message();
    ASSERT_EQ(outputs->size(), 2u);
    const Value &sequence = (*outputs)[0].second;
    ASSERT_TRUE(sequence.isSequence());
    ASSERT_EQ(sequence.items().size(), 2u);
    EXPECT_EQ(sequence.elementType(), DType::Float32);
    EXPECT_EQ(sequence.items()[1].values<float>()[1], 2.0f);
    EXPECT_EQ((*outputs)[1].second.tensor().intAt(0), 2);
    EXPECT_EQ(observed, (std::vector<std::string>{"r", "n"}));
}

TEST(Sequence, RunRefusesASequenceOutputByName)
{
    onnx::ModelProto model = makeModel(17);
    addInput(*model.mutable_graph(), "a", {1, 2});
    sequenceOutputGraph(*model.mutable_graph());
    auto loaded = Model::fromProto(std::move(model), ".");
    ASSERT_TRUE(loaded) << loaded.status().message();
    auto session = Session::create(*loaded, sessionOptions(1));
    ASSERT_TRUE(session) << session.status().message();
    auto outputs = (*session)->run({{"a", kA}});
    ASSERT_FALSE(outputs);
    EXPECT_NE(outputs.status().message().find("output 's' is a sequence"), std::string::npos)
        << outputs.status().message();
}

TEST(Sequence, PositionsOutsideTheSequenceAreErrorsNamingThem)
{
    auto outputs = runGraph(
        [](onnx::GraphProto &g) {
            addPosition(g, "three", 3);
            addNode(g, "SequenceConstruct", {"a", "b", "c"}, {"s"});
            addNode(g, "SequenceAt", {"s", "three"}, {"y"});
            g.add_output()->set_name("y");
        },
        {{"a", kA}, {"b", kB}, {"c", kC}});
    ASSERT_FALSE(outputs);
    EXPECT_NE(outputs.status().message().find("position 3 is outside [-3, 2]"), std::string::npos)
        << outputs.status().message();
}

TEST(Sequence, OptionalWithoutAValueHasNoElement)
{
    auto outputs = runGraph(
        [](onnx::GraphProto &g) {
            auto &optional = addNode(g, "Optional", {}, {"o"});
            auto *type = optional.add_attribute();
            type->set_name("type");
            type->set_type(onnx::AttributeProto::TYPE_PROTO);
            type->mutable_tp()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
            addNode(g, "OptionalHasElement", {"o"}, {"y"});
            g.add_output()->set_name("y");
            g.add_output()->set_name("o");
        },
        {});
    ASSERT_TRUE(outputs) << outputs.status().message();
    EXPECT_FALSE((*outputs)[0].second.tensor().values<bool>()[0]);
    EXPECT_TRUE((*outputs)[1].second.isOptional());
    EXPECT_FALSE((*outputs)[1].second.hasElement());
}

} // namespace
} // namespace qs
