// FoldConstants (graph/passes/fold_constants.h): the chains torch.onnx.export writes around
// weights and shapes fold into initializers, checked by op counts and by running each model
// before and after through the engine; and every op the pass evaluates itself, one row per case,
// against the engine's own kernel on the same constant inputs.
#include "graph/passes/fold_constants.h"
#include "support/model_builder.h"
#include "support/pass_runner.h"
#include "support/random_data.h"

#include <gtest/gtest.h>

#include <cstring>

namespace qs {
namespace {

using namespace qs::test;

PassOutcome foldConstants(const onnx::ModelProto &proto)
{
    PassPipeline pipeline;
    pipeline.add<FoldConstants>();
    return runPasses(proto, pipeline);
}

Tensor randomInput(const Shape &shape, unsigned seed)
{
    return Tensor::fromVector<float>(shape, randomNormal(size_t(shapeElementCount(shape)), seed));
}

// Same type, shape and bytes: folding computes what the kernel computes, not something close.
void expectIdentical(const std::vector<Tensor> &actual, const std::vector<Tensor> &expected)
{
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        ASSERT_EQ(actual[i].dtype(), expected[i].dtype()) << "output " << i;
        ASSERT_EQ(actual[i].shape(), expected[i].shape()) << "output " << i;
        EXPECT_EQ(std::memcmp(actual[i].rawData(), expected[i].rawData(),
                              size_t(expected[i].byteSize())),
                  0)
            << "output " << i << ": " << actual[i].describe();
    }
}

int initializerNamed(const onnx::GraphProto &graph, const std::string &name)
{
    int count = 0;
    for (const auto &tensor : graph.initializer())
        count += tensor.name() == name;
    return count;
}

// What torch.onnx.export writes for two convolutions sharing one bias parameter: each reads it
// through its own Identity. Both must end up reading the one initializer.
TEST(FoldConstants, SharedParametersAreReadThroughTheirIdentityNodes)
{
    onnx::ModelProto proto = makeModel(13);
    auto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 2, 5, 5});
    addOutput(graph, "y", {1, 2, 5, 5});
    addFloatInitializer(graph, "w1", {2, 2, 3, 3}, randomNormal(36, 1, 0.3f));
    addFloatInitializer(graph, "w2", {2, 2, 1, 1}, randomNormal(4, 2));
    addFloatInitializer(graph, "shared_bias", {2}, randomNormal(2, 3));
    addNode(graph, "Identity", {"shared_bias"}, {"bias_a"}, "Identity_0");
    addNode(graph, "Identity", {"shared_bias"}, {"bias_b"}, "Identity_1");
    setIntsAttribute(addNode(graph, "Conv", {"x", "w1", "bias_a"}, {"c"}, "conv1"), "pads",
                     {1, 1, 1, 1});
    addNode(graph, "Conv", {"c", "w2", "bias_b"}, {"y"}, "conv2");
    const PassOutcome outcome = foldConstants(proto);
    EXPECT_EQ(outcome.opCounts, (std::map<std::string, int>{{"Conv", 2}}));
    for (const auto &node : outcome.model.graph().node())
        EXPECT_EQ(node.input(2), "shared_bias") << node.name();
    EXPECT_EQ(outcome.model.graph().initializer_size(), 3); // no copy of the bias
    const std::map<std::string, Tensor> inputs{{"x", randomInput({1, 2, 5, 5}, 4)}};
    expectIdentical(runUnfused(outcome.model, inputs), runUnfused(proto, inputs));
}

// A weight stored as float16 and cast, reshaped from a flat vector through an Unsqueeze'd
// shape, and a shape computation on an activation whose shape the model fixes
// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape): all of it becomes initializers, and only
// the MatMul and the Reshape of the activation remain.
TEST(FoldConstants, FoldsWeightChainsAndShapeComputations)
{
    onnx::ModelProto proto = makeModel(13);
    auto &graph = *proto.mutable_graph();
    addInput(graph, "x", {2, 3, 4});
    addOutput(graph, "y", {2, 5});
    onnx::TensorProto &half = *graph.add_initializer();
    half.set_name("w_half");
    half.set_data_type(onnx::TensorProto::FLOAT16);
    half.add_dims(60);
    const std::vector<float> values = randomNormal(60, 5);
    std::vector<Eigen::half> halves(values.begin(), values.end());
    half.set_raw_data(halves.data(), halves.size() * sizeof(Eigen::half));
    addInt64Initializer(graph, "w_shape", {12, 5});
    addInt64Initializer(graph, "zero", {0});
    addInt64Initializer(graph, "minus_one", {-1});
    auto &cast = addNode(graph, "Cast", {"w_half"}, {"w_flat"}, "cast");
    setIntAttribute(cast, "to", onnx::TensorProto::FLOAT);
    addNode(graph, "Reshape", {"w_flat", "w_shape"}, {"w"}, "reshape_w");
    addNode(graph, "Shape", {"x"}, {"x_shape"}, "shape");
    setIntAttribute(addNode(graph, "Gather", {"x_shape", "zero"}, {"batch"}, "gather"), "axis", 0);
    setIntAttribute(addNode(graph, "Concat", {"batch", "minus_one"}, {"flat_shape"}, "concat"),
                    "axis", 0);
    addNode(graph, "Reshape", {"x", "flat_shape"}, {"x_flat"}, "reshape_x");
    addNode(graph, "MatMul", {"x_flat", "w"}, {"y"}, "matmul");
    const PassOutcome outcome = foldConstants(proto);
    EXPECT_EQ(outcome.opCounts, (std::map<std::string, int>{{"Reshape", 1}, {"MatMul", 1}}));
    EXPECT_EQ(initializerNamed(outcome.model.graph(), "w"), 1);
    EXPECT_EQ(initializerNamed(outcome.model.graph(), "flat_shape"), 1);
    const std::map<std::string, Tensor> inputs{{"x", randomInput({2, 3, 4}, 6)}};
    expectIdentical(runUnfused(outcome.model, inputs), runUnfused(proto, inputs));
}

// What must stay: a graph output's producer, a Shape of a value with a symbolic dim, an op the
// pass does not evaluate, and a fold that would make the file grow (ConstantOfShape).
TEST(FoldConstants, LeavesWhatItMustNotFold)
{
    onnx::ModelProto proto = makeModel(13);
    auto &graph = *proto.mutable_graph();
    addInput(graph, "x", {-1, 4}); // symbolic batch
    addOutput(graph, "y", {-1, 4});
    addOutput(graph, "k", {4});
    addOutput(graph, "big", {512, 512});
    addFloatInitializer(graph, "c", {4}, randomNormal(4, 7));
    addInt64Initializer(graph, "big_shape", {512, 512});
    addNode(graph, "Identity", {"c"}, {"k"}, "identity_output"); // a graph output
    addNode(graph, "Shape", {"x"}, {"x_shape"}, "shape");        // batch unknown
    addNode(graph, "Sqrt", {"c"}, {"root"}, "sqrt");             // not evaluated
    addNode(graph, "ConstantOfShape", {"big_shape"}, {"big"}, "constant_of_shape");
    addNode(graph, "Reshape", {"x", "x_shape"}, {"x_same"}, "reshape");
    addNode(graph, "Add", {"x_same", "root"}, {"y"}, "add");
    const PassOutcome outcome = foldConstants(proto);
    EXPECT_EQ(outcome.opCounts, (std::map<std::string, int>{{"Identity", 1},
                                                            {"Shape", 1},
                                                            {"Sqrt", 1},
                                                            {"ConstantOfShape", 1},
                                                            {"Reshape", 1},
                                                            {"Add", 1}}));
    EXPECT_FALSE(outcome.context.records.at(0).modified);
}

// Constant nodes in the forms Graph::constant does not read become initializers, so a chain
// starting at one folds too.
TEST(FoldConstants, ConstantAttributeFormsBecomeInitializers)
{
    onnx::ModelProto proto = makeModel(13);
    auto &graph = *proto.mutable_graph();
    addInput(graph, "x", {2, 3});
    addOutput(graph, "y", {3, 2});
    setIntsAttribute(addNode(graph, "Constant", {}, {"shape"}, "constant_shape"), "value_ints",
                     {3, 2});
    addNode(graph, "Reshape", {"x", "shape"}, {"y"}, "reshape");
    const PassOutcome outcome = foldConstants(proto);
    EXPECT_EQ(outcome.opCounts, (std::map<std::string, int>{{"Reshape", 1}}));
    EXPECT_EQ(initializerNamed(outcome.model.graph(), "shape"), 1);
    const std::map<std::string, Tensor> inputs{{"x", randomInput({2, 3}, 8)}};
    expectIdentical(runUnfused(outcome.model, inputs), runUnfused(proto, inputs));
}

// --- every evaluated op against the engine's kernel ---

struct OpCase
{
    const char *name;
    int opset;
    // Adds the node under test reading constants and writing "folded".
    std::function<void(onnx::GraphProto &)> build;
};

void addInt32Initializer(onnx::GraphProto &graph, const std::string &name, Shape dims,
                         const std::vector<int32_t> &values)
{
    onnx::TensorProto &tensor = *graph.add_initializer();
    tensor.set_name(name);
    tensor.set_data_type(onnx::TensorProto::INT32);
    for (const int64_t dim : dims)
        tensor.add_dims(dim);
    for (const int32_t value : values)
        tensor.add_int32_data(value);
}

onnx::TensorProto &addShapedInt64(onnx::GraphProto &graph, const std::string &name, Shape dims,
                                  const std::vector<int64_t> &values)
{
    onnx::TensorProto &tensor = addInt64Initializer(graph, name, values);
    tensor.clear_dims();
    for (const int64_t dim : dims)
        tensor.add_dims(dim);
    return tensor;
}

void addData(onnx::GraphProto &graph)
{
    addFloatInitializer(graph, "data", {2, 3, 4}, randomNormal(24, 9));
}

const std::vector<OpCase> &opCases()
{
    static const std::vector<OpCase> cases = {
        {"Transpose", 13,
         [](auto &g) {
             addData(g);
             setIntsAttribute(addNode(g, "Transpose", {"data"}, {"folded"}), "perm", {2, 0, 1});
         }},
        {"TransposeDefault", 13,
         [](auto &g) {
             addData(g);
             addNode(g, "Transpose", {"data"}, {"folded"});
         }},
        {"GatherMatrixIndices", 13,
         [](auto &g) {
             addData(g);
             addShapedInt64(g, "indices", {2, 2}, {2, -1, 0, 1});
             setIntAttribute(addNode(g, "Gather", {"data", "indices"}, {"folded"}), "axis", 1);
         }},
        {"GatherScalarInt32", 13,
         [](auto &g) {
             addData(g);
             addInt32Initializer(g, "index", {}, {3});
             setIntAttribute(addNode(g, "Gather", {"data", "index"}, {"folded"}), "axis", -1);
         }},
        {"SliceStepsAndNegatives", 13,
         [](auto &g) {
             addData(g);
             addInt64Initializer(g, "starts", {-1, 0});
             addInt64Initializer(g, "ends", {-100, 4});
             addInt64Initializer(g, "axes", {2, 1});
             addInt64Initializer(g, "steps", {-2, 2});
             addNode(g, "Slice", {"data", "starts", "ends", "axes", "steps"}, {"folded"});
         }},
        {"SliceOpset9Attributes", 9,
         [](auto &g) {
             addData(g);
             auto &slice = addNode(g, "Slice", {"data"}, {"folded"});
             setIntsAttribute(slice, "starts", {1, 1});
             setIntsAttribute(slice, "ends", {3, 1000});
             setIntsAttribute(slice, "axes", {1, 2});
         }},
        {"ConcatMiddleAxis", 13,
         [](auto &g) {
             addData(g);
             addFloatInitializer(g, "more", {2, 1, 4}, randomNormal(8, 10));
             setIntAttribute(addNode(g, "Concat", {"data", "more", "data"}, {"folded"}), "axis", 1);
         }},
        {"SqueezeUnsqueezeOpset11", 11,
         [](auto &g) {
             addFloatInitializer(g, "column", {3, 1}, randomNormal(3, 11));
             setIntsAttribute(addNode(g, "Squeeze", {"column"}, {"row"}), "axes", {1});
             setIntsAttribute(addNode(g, "Unsqueeze", {"row"}, {"folded"}), "axes", {0, -1});
         }},
        {"SqueezeUnsqueezeOpset13", 13,
         [](auto &g) {
             addFloatInitializer(g, "column", {3, 1}, randomNormal(3, 11));
             addInt64Initializer(g, "axes", {0, 2});
             addNode(g, "Squeeze", {"column"}, {"row"});
             addNode(g, "Unsqueeze", {"row", "axes"}, {"folded"});
         }},
        {"FlattenAndReshapeWithZero", 13,
         [](auto &g) {
             addData(g);
             addInt64Initializer(g, "shape", {0, -1});
             setIntAttribute(addNode(g, "Flatten", {"data"}, {"flat"}), "axis", 2);
             addNode(g, "Reshape", {"flat", "shape"}, {"folded"});
         }},
        {"CastFloatToInt32AndBack", 13,
         [](auto &g) {
             addFloatInitializer(g, "values", {5}, {-2.7f, -0.5f, 0.4f, 1.5f, 7.9f});
             setIntAttribute(addNode(g, "Cast", {"values"}, {"ints"}), "to",
                             onnx::TensorProto::INT32);
             setIntAttribute(addNode(g, "Cast", {"ints"}, {"folded"}), "to",
                             onnx::TensorProto::FLOAT);
         }},
        {"CastToBool", 13,
         [](auto &g) {
             addFloatInitializer(g, "values", {3}, {0.0f, -1.0f, 0.25f});
             setIntAttribute(addNode(g, "Cast", {"values"}, {"folded"}), "to",
                             onnx::TensorProto::BOOL);
         }},
        {"BroadcastArithmetic", 13,
         [](auto &g) {
             addData(g);
             addFloatInitializer(g, "row", {4}, randomNormal(4, 12));
             addFloatInitializer(g, "column", {3, 1}, randomNormal(3, 13));
             addNode(g, "Mul", {"data", "row"}, {"scaled"});
             addNode(g, "Sub", {"scaled", "column"}, {"shifted"});
             addNode(g, "Div", {"shifted", "row"}, {"divided"});
             addNode(g, "Add", {"divided", "column"}, {"folded"});
         }},
        {"IntegerDivisionTruncates", 13,
         [](auto &g) {
             addInt64Initializer(g, "numerators", {7, -7, 9, 224});
             addShapedInt64(g, "two", {}, {2});
             addNode(g, "Div", {"numerators", "two"}, {"folded"});
         }},
        {"ConstantOfShapeWithInt64Value", 13,
         [](auto &g) {
             addInt64Initializer(g, "shape", {2, 3});
             auto &node = addNode(g, "ConstantOfShape", {"shape"}, {"folded"});
             onnx::TensorProto value;
             value.set_data_type(onnx::TensorProto::INT64);
             value.add_dims(1);
             value.add_int64_data(7);
             setTensorAttribute(node, "value", value);
         }},
    };
    return cases;
}

class EvaluatedOp : public testing::TestWithParam<OpCase>
{};

// The case's nodes, then an Identity to the graph output: the output's producer stays (it is
// the model's interface), so everything before it folds and the Identity reads the result.
TEST_P(EvaluatedOp, FoldsToWhatTheEngineComputes)
{
    const OpCase &op = GetParam();
    onnx::ModelProto proto = makeModel(op.opset);
    auto &graph = *proto.mutable_graph();
    op.build(graph);
    addNode(graph, "Identity", {"folded"}, {"y"}, "to_output");
    graph.add_output()->set_name("y");
    const PassOutcome outcome = foldConstants(proto);
    EXPECT_EQ(outcome.opCounts, (std::map<std::string, int>{{"Identity", 1}}));
    expectIdentical(runUnfused(outcome.model, {}), runUnfused(proto, {}));
}

INSTANTIATE_TEST_SUITE_P(FoldConstants, EvaluatedOp, testing::ValuesIn(opCases()),
                         [](const testing::TestParamInfo<OpCase> &info) {
                             return std::string(info.param.name);
                         });

} // namespace
} // namespace qs
