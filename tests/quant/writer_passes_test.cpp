// The quantizer's writers as graph passes (STYLE.md section 3): a tiny model built in code, the
// pass run through a PassPipeline over its Graph, the op counts checked, and the written model
// run through the engine against the float one.
#include "graph/graph.h"
#include "graph/pass.h"
#include "quant/calibration/calibrator.h"
#include "quant/dynamic_quantizer.h"
#include "quant/qdq_writer.h"
#include "quant/qoperator_writer.h"
#include "quant/static_plan.h"
#include "quant_test_models.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

// Runs `pipeline` over every graph of `model` (subgraphs first), sweeps unused constants and
// returns the written model.
onnx::ModelProto runPipeline(const std::shared_ptr<const Model> &model,
                             const PassPipeline &pipeline, PassContext &context)
{
    auto graph = Graph::fromModel(model);
    EXPECT_TRUE(graph) << graph.status().message();
    if (!graph)
        return {};
    auto ran = pipeline.run(**graph, context, PassPipeline::Scope::WithSubgraphs);
    EXPECT_TRUE(ran) << ran.status().message();
    (*graph)->removeUnusedConstants();
    auto proto = (*graph)->toModelProto();
    EXPECT_TRUE(proto) << proto.status().message();
    return proto ? *proto : onnx::ModelProto{};
}

void expectSameOutputs(const std::shared_ptr<const Model> &reference,
                       const onnx::ModelProto &written, const std::map<std::string, Tensor> &inputs,
                       double minCosine)
{
    const NamedTensors expected = runModel(reference, inputs);
    const NamedTensors actual = runModel(loadProto(written), inputs);
    ASSERT_EQ(expected.size(), actual.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(expected[i].first, actual[i].first);
        EXPECT_GT(cosine(expected[i].second, actual[i].second), minCosine) << expected[i].first;
        // The error's size too (cosine misses a wrong scale): measured at most 0.022 of the
        // output's range (static QDQ and QOperator), 0.014 dynamic, 0.005 in a Loop body.
        EXPECT_LT(relativeMaxError(expected[i].second, actual[i].second), 0.035)
            << expected[i].first;
    }
}

const std::map<std::string, Tensor> &convNetInputs()
{
    static const std::map<std::string, Tensor> inputs{{"x", uniformTensor({1, 3, 8, 8}, 7)}};
    return inputs;
}

TEST(WriterPasses, DynamicQuantizePassRewritesSelectedNodes)
{
    const auto model = loadProto(convNetModel());
    const std::vector<std::string> types = defaultDynamicOpTypes();
    PassPipeline pipeline;
    auto pass = std::make_unique<DynamicQuantizePass>(NodeSelection({types.begin(), types.end()},
                                                                    {}, {"conv2"}, {}),
                                                      DynamicOptions{});
    const DynamicQuantizePass &dynamic = *pass;
    pipeline.add(std::move(pass));
    PassContext context;
    const onnx::ModelProto written = runPipeline(model, pipeline, context);
    const auto &graph = written.graph();

    EXPECT_EQ(dynamic.quantizedNodes(), 2);
    ASSERT_EQ(context.records.size(), 1u);
    EXPECT_TRUE(context.records[0].modified);
    EXPECT_EQ(countOps(graph, "ConvInteger"), 1);
    EXPECT_EQ(countOps(graph, "MatMulInteger"), 1);
    EXPECT_EQ(countOps(graph, "DynamicQuantizeLinear"), 2);
    EXPECT_EQ(countOps(graph, "Conv"), 1); // conv2 is excluded by its display name
    EXPECT_EQ(countOps(graph, "MatMul"), 0);
    EXPECT_EQ(findNode(graph, "conv1")->op_type(), "ConvInteger");
    EXPECT_EQ(findNode(graph, "fc")->op_type(), "MatMulInteger");
    // The float weights the integer nodes replaced are swept; conv2's stays.
    for (const auto &initializer : graph.initializer()) {
        EXPECT_NE(initializer.name(), "w1");
        EXPECT_NE(initializer.name(), "fc_w");
    }
    EXPECT_TRUE(findNode(graph, "conv2") && findNode(graph, "conv2")->input(1) == "w2");
    expectSameOutputs(model, written, convNetInputs(), 0.99);
}

// The calibrated ranges of a plan's tensors over a few random inputs.
std::map<std::string, TensorRange> calibrated(const std::shared_ptr<const Model> &model,
                                              const StaticPlan &plan)
{
    auto session = Session::create(model, sessionOptions(1, {}, false));
    EXPECT_TRUE(session) << session.status().message();
    if (!session)
        return {};
    auto source = randomSource(inputSpecs(**session), 4, /*seed=*/3);
    auto result = calibrate(**session, *source, plan.tensorsToCalibrate(), CalibrationSettings{},
                            silentProgress());
    EXPECT_TRUE(result) << result.status().message();
    return result ? result->ranges : std::map<std::string, TensorRange>{};
}

// `model` planned with the default op types, calibrated on random inputs and written by a
// static writer pass.
template<typename WritePass>
onnx::ModelProto writeStatic(const std::shared_ptr<const Model> &model)
{
    const std::vector<std::string> types = defaultStaticOpTypes();
    const StaticPlan plan
        = planStaticQuantization(*model, NodeSelection({types.begin(), types.end()}, {}, {}, {}),
                                 false);
    const auto ranges = calibrated(model, plan);
    StaticWriteOptions options;
    options.reduceRange = true; // U8S8 as the quantizer's default recipe
    PassPipeline pipeline;
    pipeline.add<WritePass>(plan, ranges, options);
    PassContext context;
    return runPipeline(model, pipeline, context);
}

TEST(WriterPasses, QdqWritePassPairsActivationsAndFoldsRelu)
{
    const auto model = loadProto(convNetModel());
    const onnx::ModelProto written = writeStatic<QdqWritePass>(model);
    const auto &graph = written.graph();

    // Q/DQ on x, r1 (relu1 folded into conv1), p, c2, sum, flat and the output logits; DQ on the
    // weights w1, w2, fc_w and the int32 biases b1, b2.
    EXPECT_EQ(countOps(graph, "QuantizeLinear"), 7);
    EXPECT_EQ(countOps(graph, "DequantizeLinear"), 12);
    EXPECT_EQ(countOps(graph, "Relu"), 0);
    EXPECT_EQ(countOps(graph, "Conv"), 2);
    EXPECT_EQ(countOps(graph, "MatMul"), 1);
    EXPECT_EQ(findNode(graph, "conv1")->output(0), "r1");
    EXPECT_EQ(findNode(graph, "conv1")->input(0), "x_DequantizeLinear_Output");
    EXPECT_EQ(findNode(graph, "conv1")->input(1), "w1_DequantizeLinear_Output");
    EXPECT_EQ(findNode(graph, "pool")->input(0), "r1_DequantizeLinear_Output");
    // The graph output keeps its name: fc writes logits_QuantizeLinear_Input, the DQ logits.
    EXPECT_EQ(findNode(graph, "fc")->output(0), "logits_QuantizeLinear_Input");
    expectSameOutputs(model, written, convNetInputs(), 0.99);
}

TEST(WriterPasses, QOperatorWritePassKeepsIntegersBetweenQLinearOps)
{
    const auto model = loadProto(convNetModel());
    const onnx::ModelProto written = writeStatic<QOperatorWritePass>(model);
    const auto &graph = written.graph();

    EXPECT_EQ(countOps(graph, "QLinearConv"), 2);
    EXPECT_EQ(countOps(graph, "QLinearMatMul"), 1);
    EXPECT_EQ(countOps(graph, "Conv") + countOps(graph, "MatMul") + countOps(graph, "Relu"), 0);
    // Quantized where float meets int8: x in front of conv1, flat in front of fc; dequantized
    // for the float Add (c2, p) and for the graph output.
    EXPECT_EQ(countOps(graph, "QuantizeLinear"), 2);
    EXPECT_EQ(countOps(graph, "DequantizeLinear"), 3);
    EXPECT_EQ(findNode(graph, "pool")->input(0), "r1_quantized");
    EXPECT_EQ(findNode(graph, "add")->input(0), "c2");
    expectSameOutputs(model, written, convNetInputs(), 0.99);
}

// x -> Loop (2 trips; body: v = MatMul(v, w) with w an outer initializer) -> y: the writer runs
// inside the body, with its own DynamicQuantizeLinear and the outer weight quantized there.
TEST(WriterPasses, DynamicQuantizePassRewritesLoopBodies)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &g = *proto.mutable_graph();
    addInput(g, "x", {1, 4});
    addOutput(g, "y", {1, 4});
    randomInitializer(g, "w", {4, 4}, 11, 0.5f);
    addInt64Initializer(g, "trips", {2}).clear_dims();
    onnx::NodeProto &loop = addNode(g, "Loop", {"trips", "", "x"}, {"y"}, "loop");
    auto *body = loop.add_attribute();
    body->set_name("body");
    body->set_type(onnx::AttributeProto::GRAPH);
    onnx::GraphProto &b = *body->mutable_g();
    b.set_name("body");
    addInput(b, "i", {}, onnx::TensorProto::INT64);
    addInput(b, "cond_in", {}, onnx::TensorProto::BOOL);
    addInput(b, "v_in", {1, 4});
    addOutput(b, "cond_out", {}, onnx::TensorProto::BOOL);
    addOutput(b, "v_out", {1, 4});
    addNode(b, "Identity", {"cond_in"}, {"cond_out"}, "keep_going");
    addNode(b, "MatMul", {"v_in", "w"}, {"v_out"}, "step");
    const auto model = loadProto(proto);
    PassPipeline pipeline;
    pipeline.add<DynamicQuantizePass>(NodeSelection({"MatMul"}, {}, {}, {}), DynamicOptions{});
    PassContext context;
    const onnx::ModelProto written = runPipeline(model, pipeline, context);
    const onnx::GraphProto &writtenBody = written.graph().node(0).attribute(0).g();
    EXPECT_EQ(countOps(writtenBody, "MatMulInteger"), 1);
    EXPECT_EQ(countOps(writtenBody, "DynamicQuantizeLinear"), 1);
    EXPECT_EQ(findNode(writtenBody, "step")->op_type(), "MatMulInteger");
    // The float weight was read only by the body: swept once quantized.
    EXPECT_EQ(written.graph().initializer_size(), 1); // trips
    expectSameOutputs(model, written, {{"x", uniformTensor({1, 4}, 5, -1, 1)}}, 0.99);
}

} // namespace
} // namespace qs
