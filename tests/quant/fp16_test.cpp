// The FP16 converter as a pass: each test builds a small model, converts it, checks the rewrite
// (types, casts, blocked nodes, clamping) and runs both models through the engine. Every
// converted model must pass ONNX's checker and strict shape inference. Real models are in
// tests/quant_models/fp16_real_models_test.cpp.
#include "fp16_test_support.h"
#include "graph/graph.h"
#include "graph/pass.h"

namespace qs {
namespace {

using namespace qs::test;
using namespace qs::fp16test;

// x[1,2,6,6] -> Conv(w, b) "conv" -> Relu "relu" -> Sigmoid "sigmoid" -> y
onnx::ModelProto convModel()
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 2, 6, 6});
    addOutput(graph, "y", {1, 3, 6, 6});
    addInitializer(graph, "w", {3, 2, 3, 3});
    addInitializer(graph, "b", {3});
    setIntsAttribute(addNode(graph, "Conv", {"x", "w", "b"}, {"c"}, "conv"), "pads", {1, 1, 1, 1});
    addNode(graph, "Relu", {"c"}, {"r"}, "relu");
    addNode(graph, "Sigmoid", {"r"}, {"y"}, "sigmoid");
    return proto;
}

TEST(Fp16, ConvertsEverythingWithoutCasts)
{
    Fp16Result result = convertAndCompare(convModel(), {{"x", ramp({1, 2, 6, 6})}}, options());
    EXPECT_EQ(result.convertedTensors, 2);
    EXPECT_EQ(result.insertedCasts, 0);
    EXPECT_EQ(countOps(result.model, "Cast"), 0);
    const onnx::GraphProto &graph = result.model.graph();
    EXPECT_EQ(elemType(graph.input(), "x"), kHalf);
    EXPECT_EQ(elemType(graph.output(), "y"), kHalf);
    EXPECT_EQ(initializerNamed(graph, "w")->data_type(), kHalf);
    EXPECT_EQ(initializerNamed(graph, "w")->raw_data().size(), 3u * 2 * 3 * 3 * 2);
    EXPECT_EQ(result.clampedValues, 0);
}

TEST(Fp16, KeepIoTypesCastsAtTheBoundary)
{
    Fp16Result result = convertAndCompare(convModel(), {{"x", ramp({1, 2, 6, 6})}}, options(true));
    const onnx::GraphProto &graph = result.model.graph();
    EXPECT_EQ(elemType(graph.input(), "x"), kFloat);
    EXPECT_EQ(elemType(graph.output(), "y"), kFloat);
    EXPECT_EQ(result.insertedCasts, 2);
    const onnx::NodeProto *outputCast = producerOf(graph, "y");
    ASSERT_TRUE(outputCast);
    EXPECT_EQ(outputCast->op_type(), "Cast");
    EXPECT_EQ(castTo(*outputCast), kFloat);
    // The producer keeps its name and writes a new value.
    const onnx::NodeProto *sigmoid = nodeNamed(graph, "sigmoid");
    ASSERT_TRUE(sigmoid);
    EXPECT_EQ(sigmoid->output(0), outputCast->input(0));
    const onnx::NodeProto *conv = nodeNamed(graph, "conv");
    const onnx::NodeProto *inputCast = producerOf(graph, conv->input(0));
    ASSERT_TRUE(inputCast);
    EXPECT_EQ(inputCast->input(0), "x");
    EXPECT_EQ(castTo(*inputCast), kHalf);
}

TEST(Fp16, NodeBlockListKeepsNodeInFloat32)
{
    quantscope::Fp16Options fp16Options = options(true);
    fp16Options.add_node_block_list("relu");
    Fp16Result result = convertAndCompare(convModel(), {{"x", ramp({1, 2, 6, 6})}}, fp16Options);
    // x -> fp16, c -> fp32 for relu, r -> fp16 for sigmoid, y_fp16 -> y.
    EXPECT_EQ(result.insertedCasts, 4);
    const onnx::GraphProto &graph = result.model.graph();
    const onnx::NodeProto *relu = nodeNamed(graph, "relu");
    EXPECT_EQ(castTo(*producerOf(graph, relu->input(0))), kFloat);
    EXPECT_TRUE(stayedFloat32(result, "relu"));
}

// x -> Conv -> Resize(scales) -> Relu -> y: Resize is blocked by default.
onnx::ModelProto resizeModel()
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 2, 4, 4});
    addOutput(graph, "y", {1, 3, 8, 8});
    addInitializer(graph, "w", {3, 2, 1, 1});
    onnx::TensorProto &scales = addInitializer(graph, "scales", {4});
    const float values[] = {1, 1, 2, 2};
    scales.set_raw_data(std::string(reinterpret_cast<const char *>(values), sizeof(values)));
    addNode(graph, "Conv", {"x", "w"}, {"c"}, "conv");
    addNode(graph, "Resize", {"c", "", "scales"}, {"up"}, "resize");
    addNode(graph, "Relu", {"up"}, {"y"}, "relu");
    return proto;
}

TEST(Fp16, ResizeIsBlockedByDefaultWithCastsAround)
{
    Fp16Result result = convertAndCompare(resizeModel(), {{"x", ramp({1, 2, 4, 4})}}, options());
    const onnx::GraphProto &graph = result.model.graph();
    EXPECT_EQ(result.insertedCasts, 2);
    const onnx::NodeProto *resize = nodeNamed(graph, "resize");
    ASSERT_TRUE(resize);
    EXPECT_EQ(castTo(*producerOf(graph, resize->input(0))), kFloat);
    EXPECT_EQ(resize->input(2), "scales");
    EXPECT_EQ(initializerNamed(graph, "scales")->data_type(), kFloat);
    const onnx::NodeProto *relu = nodeNamed(graph, "relu");
    EXPECT_EQ(castTo(*producerOf(graph, relu->input(0))), kHalf);
}

TEST(Fp16, FloatOnlyInputStaysFloat32WhenTheNodeConverts)
{
    // An explicit list without Resize: Resize converts, but its scales have no float16 form.
    quantscope::Fp16Options fp16Options = options();
    fp16Options.add_op_block_list("TopK");
    Fp16Result result = convertAndCompare(resizeModel(), {{"x", ramp({1, 2, 4, 4})}}, fp16Options);
    EXPECT_EQ(result.insertedCasts, 0);
    EXPECT_EQ(initializerNamed(result.model.graph(), "scales")->data_type(), kFloat);
    EXPECT_EQ(initializerNamed(result.model.graph(), "w")->data_type(), kHalf);
}

TEST(Fp16, ExistingCastToFloatIsRetargeted)
{
    // idx(int64) -> Cast(to=FLOAT) "to_float" -> Mul(x) "mul" -> y, and -> Relu "relu" -> z
    // with relu blocked: the Cast becomes to=FLOAT16 and relu gets its own Cast from idx.
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {4});
    addInput(graph, "idx", {4}, onnx::TensorProto::INT64);
    addOutput(graph, "y", {4});
    addOutput(graph, "z", {4});
    onnx::NodeProto &cast = addNode(graph, "Cast", {"idx"}, {"f"}, "to_float");
    auto *to = cast.add_attribute();
    to->set_name("to");
    to->set_type(onnx::AttributeProto::INT);
    to->set_i(kFloat);
    addNode(graph, "Mul", {"x", "f"}, {"y"}, "mul");
    addNode(graph, "Relu", {"f"}, {"z"}, "relu");
    quantscope::Fp16Options fp16Options = options(true);
    fp16Options.add_node_block_list("relu");
    Fp16Result result = convertAndCompare(proto,
                                          {{"x", ramp({4})},
                                           {"idx", Tensor::fromVector<int64_t>({4}, {1, 2, 3, -4})}},
                                          fp16Options);
    const onnx::GraphProto &out = result.model.graph();
    EXPECT_EQ(castTo(*nodeNamed(out, "to_float")), kHalf);
    const onnx::NodeProto *reluCast = producerOf(out, nodeNamed(out, "relu")->input(0));
    ASSERT_TRUE(reluCast);
    EXPECT_EQ(reluCast->input(0), "idx");
    EXPECT_EQ(castTo(*reluCast), kFloat);
}

TEST(Fp16, OneCastPerValueAndTypeAndNoChains)
{
    // x -> Relu "a" (blocked) -> Sigmoid "s1", Sigmoid "s2" (both read a's output) -> Add
    //   -> Relu "b" (blocked) -> Exp "e" -> y; and Neg "n" (blocked) also reads a's output.
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {8});
    addOutput(graph, "y", {8});
    addOutput(graph, "m", {8});
    addNode(graph, "Relu", {"x"}, {"ra"}, "a");
    addNode(graph, "Sigmoid", {"ra"}, {"s1o"}, "s1");
    addNode(graph, "Sigmoid", {"ra"}, {"s2o"}, "s2");
    addNode(graph, "Add", {"s1o", "s2o"}, {"sum"}, "add");
    addNode(graph, "Relu", {"sum"}, {"rb"}, "b");
    addNode(graph, "Exp", {"rb"}, {"y"}, "e");
    addNode(graph, "Neg", {"ra"}, {"m"}, "n");
    quantscope::Fp16Options fp16Options = options(true);
    for (const char *name : {"a", "b", "n"})
        fp16Options.add_node_block_list(name);
    Fp16Result result = convertAndCompare(proto, {{"x", ramp({8})}}, fp16Options);
    // ra -> fp16 (shared by s1 and s2), sum -> fp32, rb -> fp16, y_fp16 -> y. x and m stay
    // float32 end to end.
    EXPECT_EQ(result.insertedCasts, 4);
    EXPECT_EQ(countOps(result.model, "Cast"), 4);
    const onnx::GraphProto &out = result.model.graph();
    EXPECT_EQ(nodeNamed(out, "s1")->input(0), nodeNamed(out, "s2")->input(0));
    EXPECT_EQ(nodeNamed(out, "a")->input(0), "x");
    EXPECT_EQ(nodeNamed(out, "n")->output(0), "m");
}

TEST(Fp16, ClampsWeightsIntoFloat16Range)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {6});
    addOutput(graph, "y", {6});
    onnx::TensorProto &w = addInitializer(graph, "w", {6});
    const float values[] = {1e-9f, 1e6f, -1e6f, 0.5f, 0.0f, -1e-9f};
    w.set_raw_data(std::string(reinterpret_cast<const char *>(values), sizeof(values)));
    addNode(graph, "Mul", {"x", "w"}, {"y"}, "mul");
    auto model = load(proto);
    auto result = convertToFloat16(*model, options(), silentProgress());
    ASSERT_TRUE(result) << result.status().message();
    EXPECT_EQ(result->clampedValues, 4);
    EXPECT_EQ(result->convertedTensors, 1);
    ASSERT_FALSE(result->diagnostics.empty());
    EXPECT_EQ(result->diagnostics[0].severity, Severity::Warning);
    EXPECT_NE(result->diagnostics[0].message.find("4 weights clamped"), std::string::npos);
    expectValidModel(result->model);

    const onnx::TensorProto &converted = *initializerNamed(result->model.graph(), "w");
    auto tensor = tensorFromProto(converted);
    ASSERT_TRUE(tensor) << tensor.status().message();
    const float expected[] = {1e-7f, 1e4f, -1e4f, 0.5f, 0.0f, -1e-7f};
    for (int i = 0; i < 6; ++i) {
        // 1e-7 is a float16 subnormal: it rounds to 2^-23 (1.19e-7).
        const double tolerance = std::max(std::fabs(expected[i]) * 1e-3, 3e-8);
        EXPECT_NEAR(tensor->doubleAt(i), expected[i], tolerance) << i;
    }
}

TEST(Fp16, InitializerSharedByBlockedAndConvertedNodes)
{
    // x -> Add(x, w) "blocked_add" -> Mul(., w) "mul" -> y
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {4});
    addOutput(graph, "y", {4});
    addInitializer(graph, "w", {4});
    addNode(graph, "Add", {"x", "w"}, {"s"}, "blocked_add");
    addNode(graph, "Mul", {"s", "w"}, {"y"}, "mul");
    quantscope::Fp16Options fp16Options = options();
    fp16Options.add_node_block_list("blocked_add");
    Fp16Result result = convertAndCompare(proto, {{"x", ramp({4})}}, fp16Options);
    const onnx::GraphProto &out = result.model.graph();
    EXPECT_EQ(initializerNamed(out, "w")->data_type(), kFloat);
    const std::string &mulWeight = nodeNamed(out, "mul")->input(1);
    EXPECT_NE(mulWeight, "w");
    ASSERT_TRUE(initializerNamed(out, mulWeight));
    EXPECT_EQ(initializerNamed(out, mulWeight)->data_type(), kHalf);
    EXPECT_EQ(nodeNamed(out, "blocked_add")->input(1), "w");
    EXPECT_EQ(result.convertedTensors, 1);
    EXPECT_EQ(result.insertedCasts, 2); // x -> fp32 for the Add, s -> fp16 for the Mul
}

TEST(Fp16, ConstantNodesAndConstantOfShapeConvert)
{
    // x + Constant(k) + ConstantOfShape(shape) (default value: float32 zero) -> y
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {3});
    addOutput(graph, "y", {3});
    addInt64Initializer(graph, "shape", {3});
    onnx::NodeProto &constant = addNode(graph, "Constant", {}, {"k"}, "k_node");
    auto *value = constant.add_attribute();
    value->set_name("value_floats");
    value->set_type(onnx::AttributeProto::FLOATS);
    for (const float v : {1.0f, 2.0f, 3.0f})
        value->add_floats(v);
    addNode(graph, "ConstantOfShape", {"shape"}, {"zeros"}, "zeros_node");
    addNode(graph, "Add", {"x", "k"}, {"s"}, "add1");
    addNode(graph, "Add", {"s", "zeros"}, {"y"}, "add2");
    Fp16Result result = convertAndCompare(proto, {{"x", ramp({3})}}, options());
    EXPECT_EQ(result.convertedTensors, 1);
    EXPECT_EQ(result.insertedCasts, 0);
    const onnx::NodeProto &k = *nodeNamed(result.model.graph(), "k_node");
    ASSERT_EQ(k.attribute_size(), 1);
    EXPECT_EQ(k.attribute(0).t().data_type(), kHalf);
}

// a = x + half; out = If(flag, then: Relu(a), else: Neg(a)) -> Sigmoid -> y
onnx::ModelProto ifModel()
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {2});
    addInput(graph, "flag", {}, onnx::TensorProto::BOOL);
    addOutput(graph, "y", {2});
    addInitializer(graph, "half", {2});
    addNode(graph, "Add", {"x", "half"}, {"a"}, "add");
    onnx::NodeProto &branch = addNode(graph, "If", {"flag"}, {"out"}, "branch");
    addNode(graph, "Sigmoid", {"out"}, {"y"}, "sigmoid");
    auto makeBranch = [](const std::string &name, const std::string &opType,
                         const std::string &value) {
        onnx::AttributeProto attribute;
        attribute.set_name(name);
        attribute.set_type(onnx::AttributeProto::GRAPH);
        onnx::GraphProto &body = *attribute.mutable_g();
        body.set_name(name);
        addNode(body, opType, {"a"}, {value}, name + "_node");
        addOutput(body, value, {2});
        return attribute;
    };
    *branch.add_attribute() = makeBranch("then_branch", "Relu", "then_relu");
    *branch.add_attribute() = makeBranch("else_branch", "Neg", "else_neg");
    return proto;
}

TEST(Fp16, IfSubgraphsConvertInside)
{
    for (const bool flag : {true, false}) {
        Fp16Result result = convertAndCompare(ifModel(),
                                              {{"x", Tensor::fromVector<float>({2}, {-2.0f, 1.0f})},
                                               {"flag", Tensor::fromVector<bool>({}, {flag})}},
                                              options());
        // Inside each branch: the Relu/Neg reads the outer float16 `a` directly and its
        // output is cast to float32 for the If; after the If, one Cast back to float16.
        EXPECT_EQ(result.insertedCasts, 3);
        const onnx::GraphProto &graph = result.model.graph();
        const onnx::NodeProto &branch = *nodeNamed(graph, "branch");
        for (const onnx::AttributeProto &attribute : branch.attribute()) {
            const onnx::GraphProto &body = attribute.g();
            EXPECT_EQ(body.node(0).input(0), "a");
            EXPECT_EQ(elemType(body.output(), body.output(0).name()), kFloat);
            EXPECT_EQ(castTo(*producerOf(body, body.output(0).name())), kFloat);
        }
        EXPECT_EQ(castTo(*producerOf(graph, nodeNamed(graph, "sigmoid")->input(0))), kHalf);
    }
}

// m = Max(x, w) (blocked: float32); out = If(flag, then: m * w, else: m + w) -> Sigmoid -> y.
// The branches convert, so they read float16 variants of the parent's m and w.
onnx::ModelProto blockedValueReadByBranchesModel()
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {2});
    addInput(graph, "flag", {}, onnx::TensorProto::BOOL);
    addOutput(graph, "y", {2});
    addInitializer(graph, "w", {2});
    addNode(graph, "Max", {"x", "w"}, {"m"}, "blocked");
    onnx::NodeProto &branch = addNode(graph, "If", {"flag"}, {"out"}, "branch");
    addNode(graph, "Sigmoid", {"out"}, {"y"}, "sigmoid");
    for (const auto &[attribute, op] :
         {std::pair<std::string, std::string>{"then_branch", "Mul"}, {"else_branch", "Add"}}) {
        onnx::AttributeProto &body = *branch.add_attribute();
        body.set_name(attribute);
        body.set_type(onnx::AttributeProto::GRAPH);
        body.mutable_g()->set_name(attribute);
        addNode(*body.mutable_g(), op, {"m", "w"}, {attribute + "_out"}, attribute + "_node");
        addOutput(*body.mutable_g(), attribute + "_out", {2});
    }
    return proto;
}

// The pass through a PassPipeline over the Graph, as the converter runs it: subgraphs first, then
// the parent makes its variants and points the branches' reads at them.
TEST(Fp16, PassPointsSubgraphReadsAtTheParentsVariants)
{
    auto model = load(blockedValueReadByBranchesModel());
    auto graph = Graph::fromModel(model);
    ASSERT_TRUE(graph) << graph.status().message();
    PassPipeline pipeline;
    auto pass = std::make_unique<Fp16ConvertPass>(options());
    const Fp16ConvertPass &conversion = *pass;
    pipeline.add(std::move(pass));
    PassContext context;
    auto ran = pipeline.run(**graph, context, PassPipeline::Scope::WithSubgraphs);
    ASSERT_TRUE(ran) << ran.status().message();
    (*graph)->removeUnusedConstants();
    auto written = (*graph)->toModelProto();
    ASSERT_TRUE(written) << written.status().message();
    expectValidModel(*written);
    expectNoCastChains(*written);

    // x -> float32 for Max; m -> float16 for the branches; each branch's output -> float32 for
    // the If; the If's output -> float16 for Sigmoid.
    EXPECT_EQ(conversion.counts().insertedCasts, 5);
    EXPECT_EQ(countOps(*written, "Cast"), 5);
    const onnx::GraphProto &main = written->graph();
    EXPECT_EQ(initializerNamed(main, "w")->data_type(), kFloat); // Max reads it
    ASSERT_TRUE(initializerNamed(main, "w_fp16")); // read by the branches only, yet kept
    EXPECT_EQ(initializerNamed(main, "w_fp16")->data_type(), kHalf);
    for (const onnx::AttributeProto &attribute : nodeNamed(main, "branch")->attribute()) {
        const onnx::NodeProto &node = attribute.g().node(0);
        EXPECT_EQ(node.input(0), "m_fp16");
        EXPECT_EQ(node.input(1), "w_fp16");
        EXPECT_EQ(castTo(*producerOf(attribute.g(), attribute.g().output(0).name())), kFloat);
    }
    EXPECT_EQ(elemType(main.output(), "y"), kHalf);
    auto converted = load(*written);
    ASSERT_TRUE(converted);
    for (const bool flag : {true, false}) {
        const std::map<std::string, Tensor> inputs{{"x",
                                                    Tensor::fromVector<float>({2}, {-2.0f, 1.0f})},
                                                   {"flag", Tensor::fromVector<bool>({}, {flag})}};
        expectClose(run(model, inputs), run(converted, inputs), 0.999);
    }
}

TEST(Fp16, BatchNormWithStatisticsBeyondFloat16StaysFloat32)
{
    // A running variance of 1e7 (PP-OCRv4's detector has one) cannot be clamped to 1e4 without
    // changing the output by a factor of 30.
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 2, 3, 3});
    addOutput(graph, "y", {1, 2, 3, 3});
    addInitializer(graph, "scale", {2});
    addInitializer(graph, "bias", {2});
    addInitializer(graph, "mean", {2});
    onnx::TensorProto &var = addInitializer(graph, "var", {2});
    const float variances[] = {1e7f, 4.0f};
    var.set_raw_data(std::string(reinterpret_cast<const char *>(variances), sizeof(variances)));
    addNode(graph, "Mul", {"x", "x"}, {"sq"}, "square");
    addNode(graph, "BatchNormalization", {"sq", "scale", "bias", "mean", "var"}, {"bn"}, "bn");
    addNode(graph, "Relu", {"bn"}, {"y"}, "relu");
    Tensor x = ramp({1, 2, 3, 3}, 10.0f); // squares up to 1e4: float16 holds them
    Fp16Result result = convertAndCompare(proto, {{"x", x}}, options());
    EXPECT_EQ(result.clampedValues, 0);
    EXPECT_EQ(initializerNamed(result.model.graph(), "var")->data_type(), kFloat);
    EXPECT_EQ(result.insertedCasts, 2);
    EXPECT_TRUE(stayedFloat32(result, "bn"));
}

TEST(Fp16, LoopBodyConvertsWithCastsAtItsBoundary)
{
    // y = Loop(3 times: v = v * w + v) over x; w is an outer initializer read by the body.
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {4});
    addOutput(graph, "y", {4});
    addInitializer(graph, "w", {4});
    addInt64Initializer(graph, "trips", {3}).clear_dims(); // a scalar
    onnx::NodeProto &node = addNode(graph, "Loop", {"trips", "", "x"}, {"y"}, "loop");
    auto *body = node.add_attribute();
    body->set_name("body");
    body->set_type(onnx::AttributeProto::GRAPH);
    onnx::GraphProto &g = *body->mutable_g();
    g.set_name("body");
    addInput(g, "i", {}, onnx::TensorProto::INT64);
    addInput(g, "cond_in", {}, onnx::TensorProto::BOOL);
    addInput(g, "v_in", {4});
    addOutput(g, "cond_out", {}, onnx::TensorProto::BOOL);
    addOutput(g, "v_out", {4});
    addNode(g, "Identity", {"cond_in"}, {"cond_out"}, "keep_going");
    addNode(g, "Mul", {"v_in", "w"}, {"vw"}, "scale");
    addNode(g, "Add", {"vw", "v_in"}, {"v_out"}, "accumulate");
    Fp16Result result = convertAndCompare(proto, {{"x", ramp({4})}}, options(true));
    // Only the body casts: v_in to float16, v_out back to float32; x and y stay float32.
    EXPECT_EQ(result.insertedCasts, 2);
    EXPECT_EQ(initializerNamed(result.model.graph(), "w")->data_type(), kHalf);
    EXPECT_EQ(elemType(result.model.graph().output(), "y"), kFloat);
}

TEST(Fp16, CancelledProgressStops)
{
    auto model = load(convModel());
    Progress progress;
    progress.cancel();
    auto result = convertToFloat16(*model, options(), progress);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.status().code(), StatusCode::Cancelled);
}

TEST(Fp16, DefaultBlockListMatchesOnnxconverterCommon)
{
    const std::vector<std::string> list = defaultFp16OpBlockList();
    EXPECT_EQ(list.size(), 28u);
    const std::set<std::string> ops(list.begin(), list.end());
    for (const char *op : {"Resize", "TopK", "Range", "CumSum", "Min", "Max", "Upsample"})
        EXPECT_TRUE(ops.count(op)) << op;
}

} // namespace
} // namespace qs
