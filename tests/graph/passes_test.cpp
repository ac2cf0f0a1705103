// The float passes the engine and the quantizer share (graph/passes): each builds a small graph,
// runs the pass, checks the op counts and compares outputs before and after.
#include "graph/fused_ops.h"
#include "graph/passes/fold_affine_into_conv.h"
#include "graph/passes/recognize_hardswish.h"
#include "support/model_builder.h"
#include "support/pass_runner.h"
#include "support/random_data.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

std::vector<float> positive(size_t count, unsigned seed)
{
    std::vector<float> values = randomNormal(count, seed);
    for (float &v : values)
        v = 0.5f + std::fabs(v);
    return values;
}

Tensor randomInput(const Shape &shape, unsigned seed)
{
    return Tensor::fromVector<float>(shape, randomNormal(size_t(shapeElementCount(shape)), seed));
}

void expectPassKeepsResults(const onnx::ModelProto &proto, const PassOutcome &outcome,
                            const Shape &inputShape)
{
    const std::map<std::string, Tensor> inputs{{"x", randomInput(inputShape, 11)}};
    expectSameOutputs(runUnfused(outcome.model, inputs), runUnfused(proto, inputs), 1e-5f);
}

// Conv -> BatchNormalization -> Mul(per channel) -> Sub(scalar) -> Div(per channel): one Conv.
TEST(FoldAffineIntoConv, FoldsBatchNormAndArithmeticChains)
{
    onnx::ModelProto proto = makeModel(13);
    auto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 3, 5, 5});
    addOutput(graph, "y", {1, 4, 5, 5});
    addFloatInitializer(graph, "w", {4, 3, 3, 3}, randomNormal(4 * 27, 1, 0.3f));
    addFloatInitializer(graph, "gamma", {4}, randomNormal(4, 2));
    addFloatInitializer(graph, "beta", {4}, randomNormal(4, 3));
    addFloatInitializer(graph, "mean", {4}, randomNormal(4, 4));
    addFloatInitializer(graph, "var", {4}, positive(4, 5));
    addFloatInitializer(graph, "scale", {1, 4, 1, 1}, randomNormal(4, 6));
    addFloatInitializer(graph, "shift", {}, {0.75f});
    addFloatInitializer(graph, "divisor", {4, 1, 1}, positive(4, 7));
    setIntsAttribute(addNode(graph, "Conv", {"x", "w"}, {"c"}, "conv"), "pads", {1, 1, 1, 1});
    addNode(graph, "BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"bn"}, "bn");
    addNode(graph, "Mul", {"bn", "scale"}, {"scaled"}, "mul");
    addNode(graph, "Sub", {"scaled", "shift"}, {"shifted"}, "sub");
    addNode(graph, "Div", {"shifted", "divisor"}, {"y"}, "div");
    PassPipeline pipeline;
    pipeline.add<FoldAffineIntoConv>();
    const PassOutcome outcome = runPasses(proto, pipeline);
    EXPECT_EQ(outcome.opCounts, (std::map<std::string, int>{{"Conv", 1}}));
    EXPECT_EQ(outcome.model.graph().node(0).output(0), "y");
    EXPECT_EQ(outcome.model.graph().node(0).name(), "conv");
    // The original weights are unused and swept; the folded ones remain.
    EXPECT_EQ(outcome.model.graph().initializer_size(), 2);
    expectPassKeepsResults(proto, outcome, {1, 3, 5, 5});
}

// A constant first operand of Sub, a second reader of the conv output, or a per-spatial
// constant stop the chain.
TEST(FoldAffineIntoConv, StopsWhereTheStepIsNotPerChannel)
{
    onnx::ModelProto proto = makeModel(13);
    auto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 2, 4, 4});
    addOutput(graph, "y", {1, 2, 4, 4});
    addOutput(graph, "c", {1, 2, 4, 4});
    addFloatInitializer(graph, "w", {2, 2, 1, 1}, randomNormal(4, 1));
    addFloatInitializer(graph, "k", {}, {2.0f});
    addNode(graph, "Conv", {"x", "w"}, {"c"}, "conv"); // c is a graph output too
    addNode(graph, "Sub", {"k", "c"}, {"y"}, "sub");
    PassPipeline pipeline;
    pipeline.add<FoldAffineIntoConv>();
    const PassOutcome outcome = runPasses(proto, pipeline);
    EXPECT_EQ(outcome.opCounts, (std::map<std::string, int>{{"Conv", 1}, {"Sub", 1}}));
    EXPECT_FALSE(outcome.context.records.at(0).modified);
}

// ConvTranspose with groups: W is [C, M/g, k, k], the scale goes per output channel of a group.
TEST(FoldAffineIntoConv, FoldsIntoGroupedConvTranspose)
{
    onnx::ModelProto proto = makeModel(13);
    auto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 4, 3, 3});
    addOutput(graph, "y", {1, 6, 6, 6});
    addFloatInitializer(graph, "w", {4, 3, 2, 2}, randomNormal(4 * 3 * 4, 1, 0.5f));
    addFloatInitializer(graph, "b", {6}, randomNormal(6, 2));
    addFloatInitializer(graph, "scale", {6, 1, 1}, randomNormal(6, 3));
    auto &deconv = addNode(graph, "ConvTranspose", {"x", "w", "b"}, {"d"}, "deconv");
    setIntsAttribute(deconv, "strides", {2, 2});
    auto *group = deconv.add_attribute();
    group->set_name("group");
    group->set_type(onnx::AttributeProto::INT);
    group->set_i(2);
    addNode(graph, "Mul", {"d", "scale"}, {"y"}, "mul");
    PassPipeline pipeline;
    pipeline.add<FoldAffineIntoConv>();
    const PassOutcome outcome = runPasses(proto, pipeline);
    EXPECT_EQ(outcome.opCounts, (std::map<std::string, int>{{"ConvTranspose", 1}}));
    expectPassKeepsResults(proto, outcome, {1, 4, 3, 3});
}

// x * 0.5 - 0.25 in front of an unpadded conv folds into it; a shift in front of a padded conv
// does not (padding zeros are not shifted), but a pure scale does.
TEST(FoldInputScaleIntoConv, FoldsScalesAndShiftsWherePaddingAllows)
{
    for (const bool padded : {false, true}) {
        onnx::ModelProto proto = makeModel(13);
        auto &graph = *proto.mutable_graph();
        addInput(graph, "x", {1, 2, 4, 4});
        addOutput(graph, "y",
                  padded ? std::vector<int64_t>{1, 3, 4, 4} : std::vector<int64_t>{1, 3, 2, 2});
        addFloatInitializer(graph, "w", {3, 2, 3, 3}, randomNormal(3 * 18, 1, 0.3f));
        addFloatInitializer(graph, "b", {3}, randomNormal(3, 2));
        addFloatInitializer(graph, "half", {}, {0.5f});
        addFloatInitializer(graph, "quarter", {}, {0.25f});
        addNode(graph, "Mul", {"x", "half"}, {"scaled"}, "mul");
        addNode(graph, "Sub", {"scaled", "quarter"}, {"shifted"}, "sub");
        auto &conv = addNode(graph, "Conv", {"shifted", "w", "b"}, {"y"}, "conv");
        setIntsAttribute(conv, "pads",
                         padded ? std::vector<int64_t>{1, 1, 1, 1}
                                : std::vector<int64_t>{0, 0, 0, 0});
        PassPipeline pipeline;
        pipeline.add<FoldInputScaleIntoConv>();
        const PassOutcome outcome = runPasses(proto, pipeline);
        const std::map<std::string, int> expected
            = padded ? std::map<std::string, int>{{"Mul", 1}, {"Sub", 1}, {"Conv", 1}}
                     : std::map<std::string, int>{{"Conv", 1}};
        EXPECT_EQ(outcome.opCounts, expected) << "padded " << padded;
        expectPassKeepsResults(proto, outcome, {1, 2, 4, 4});
    }
}

onnx::ModelProto decomposedHardSwish(int opset)
{
    onnx::ModelProto proto = makeModel(opset);
    auto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 8});
    addOutput(graph, "y", {1, 8});
    addFloatInitializer(graph, "three", {}, {3.0f});
    addFloatInitializer(graph, "zero", {}, {0.0f});
    addFloatInitializer(graph, "six", {}, {6.0f});
    addNode(graph, "Add", {"three", "x"}, {"plus3"}, "add");
    addNode(graph, "Clip", {"plus3", "zero", "six"}, {"clipped"}, "clip");
    addNode(graph, "Mul", {"clipped", "x"}, {"times"}, "mul");
    addNode(graph, "Div", {"times", "six"}, {"y"}, "div");
    return proto;
}

TEST(RecognizeHardSwish, StandardOpFromOpset14)
{
    const onnx::ModelProto proto = decomposedHardSwish(14);
    PassPipeline pipeline;
    pipeline.add<RecognizeHardSwish>();
    const PassOutcome outcome = runPasses(proto, pipeline);
    EXPECT_EQ(outcome.opCounts, (std::map<std::string, int>{{"HardSwish", 1}}));
    EXPECT_EQ(outcome.model.graph().node(0).name(), "div"); // the name of the pattern's end
    EXPECT_EQ(outcome.model.graph().initializer_size(), 0);
    expectPassKeepsResults(proto, outcome, {1, 8});
}

TEST(RecognizeHardSwish, BelowOpset14OnlyAsAnInternalOp)
{
    const onnx::ModelProto proto = decomposedHardSwish(13);
    PassPipeline pipeline;
    pipeline.add<RecognizeHardSwish>();
    EXPECT_EQ(runPasses(proto, pipeline).opCounts.size(), 4u); // files keep standard ops
    const PassOutcome internal = runPasses(proto, pipeline, /*allowInternalOps=*/true);
    EXPECT_EQ(internal.opCounts,
              (std::map<std::string, int>{{std::string(kFusedDomain) + ":HardSwish", 1}}));
}

} // namespace
} // namespace qs
