// Neural-network kernels (core/runtime/ops/nn): what ONNX's backend tests miss — fused
// activations against the plain op, clear shape errors, changing input shapes (primitive cache),
// float16, and oneDNN paths against plain loops on random data with a fixed seed.
#include "support/random_data.h"
#include "support/run_node.h"

#include <gtest/gtest.h>

#include <cmath>

namespace qs {
namespace {

using test::nodeUnderTest;
using test::runNode;
using test::setFloatAttribute;
using test::setIntAttribute;
using test::setIntsAttribute;

Tensor randomTensor(Shape shape, uint32_t seed)
{
    return Tensor::fromVector<float>(shape,
                                     test::randomUniform(size_t(shapeElementCount(shape)), seed));
}

void expectNear(const Tensor &actual, const std::vector<float> &expected, float tolerance = 1e-4f)
{
    ASSERT_EQ(actual.elementCount(), int64_t(expected.size()));
    const auto values = actual.values<float>();
    for (size_t i = 0; i < expected.size(); ++i)
        ASSERT_NEAR(values[i], expected[i], tolerance * (1.0f + std::abs(expected[i])))
            << "element " << i;
}

// A graph of `nodes`; inputs listed in `dynamic` get symbolic dims, `constants` are initializers.
struct GraphSpec
{
    std::vector<onnx::NodeProto> nodes;
    std::vector<std::pair<std::string, Tensor>> inputs;
    std::vector<std::string> constants;
    std::vector<std::string> dynamic;
    std::string output;
};

Result<std::shared_ptr<const Session>> buildSession(const GraphSpec &spec, bool fuse)
{
    onnx::ModelProto model;
    model.set_ir_version(8);
    model.add_opset_import()->set_version(17);
    onnx::GraphProto *graph = model.mutable_graph();
    graph->set_name("nn_test");
    for (const auto &node : spec.nodes)
        *graph->add_node() = node;
    for (const auto &[name, tensor] : spec.inputs) {
        if (std::find(spec.constants.begin(), spec.constants.end(), name) != spec.constants.end()) {
            onnx::TensorProto *initializer = graph->add_initializer();
            tensorToProto(tensor, *initializer);
            initializer->set_name(name);
            continue;
        }
        const bool dynamic = std::find(spec.dynamic.begin(), spec.dynamic.end(), name)
                             != spec.dynamic.end();
        auto *input = graph->add_input();
        input->set_name(name);
        auto *type = input->mutable_type()->mutable_tensor_type();
        type->set_elem_type(static_cast<int32_t>(tensor.dtype()));
        for (size_t i = 0; i < tensor.shape().size(); ++i) {
            auto *dim = type->mutable_shape()->add_dim();
            if (dynamic && i != 1)
                dim->set_dim_param("d" + std::to_string(i));
            else
                dim->set_dim_value(tensor.shape()[i]);
        }
    }
    graph->add_output()->set_name(spec.output);
    auto loaded = Model::fromProto(std::move(model), ".");
    if (!loaded)
        return loaded.status();
    SessionOptions options;
    options.threads = 2;
    options.fuse = fuse;
    return Session::create(*loaded, options);
}

Result<Tensor> runGraph(const GraphSpec &spec, const std::map<std::string, Tensor> &feeds,
                        bool fuse = true)
{
    auto session = buildSession(spec, fuse);
    if (!session)
        return session.status();
    auto outputs = (*session)->run(feeds);
    if (!outputs)
        return outputs.status();
    return outputs->at(0).second;
}

// Plain 2-D convolution (NCHW, groups, strides, symmetric pads, dilations).
std::vector<float> referenceConv2d(const Tensor &x, const Tensor &w, const Tensor *b, int64_t group,
                                   int64_t stride, int64_t pad, int64_t dilation)
{
    const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
    const int64_t m = w.dim(0), kh = w.dim(2), kw = w.dim(3), cg = c / group, mg = m / group;
    const int64_t oh = (h + 2 * pad - (kh - 1) * dilation - 1) / stride + 1;
    const int64_t ow = (wd + 2 * pad - (kw - 1) * dilation - 1) / stride + 1;
    std::vector<float> y(size_t(n * m * oh * ow));
    const float *xv = x.data<float>(), *wv = w.data<float>();
    for (int64_t in = 0; in < n; ++in)
        for (int64_t om = 0; om < m; ++om)
            for (int64_t oy = 0; oy < oh; ++oy)
                for (int64_t ox = 0; ox < ow; ++ox) {
                    double sum = b ? b->data<float>()[om] : 0.0;
                    const int64_t g = om / mg;
                    for (int64_t ic = 0; ic < cg; ++ic)
                        for (int64_t ky = 0; ky < kh; ++ky)
                            for (int64_t kx = 0; kx < kw; ++kx) {
                                const int64_t iy = oy * stride - pad + ky * dilation;
                                const int64_t ix = ox * stride - pad + kx * dilation;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd)
                                    continue;
                                sum += xv[((in * c + g * cg + ic) * h + iy) * wd + ix]
                                       * wv[((om * cg + ic) * kh + ky) * kw + kx];
                            }
                    y[size_t(((in * m + om) * oh + oy) * ow + ox)] = float(sum);
                }
    return y;
}

// ---- fused activations equal the op followed by the activation ----

struct ActivationCase
{
    const char *op;
    std::function<void(onnx::NodeProto &)> configure;
    std::function<float(float)> apply;
};

std::vector<ActivationCase> activationCases()
{
    return {
        {"Relu", {}, [](float v) { return std::max(v, 0.0f); }},
        {"LeakyRelu", [](onnx::NodeProto &n) { setFloatAttribute(n, "alpha", 0.1f); },
         [](float v) { return v >= 0 ? v : 0.1f * v; }},
        {"Clip",
         [](onnx::NodeProto &n) {
             n.add_input("lo");
             n.add_input("hi");
         },
         [](float v) { return std::min(std::max(v, -0.25f), 0.5f); }},
        {"Sigmoid", {}, [](float v) { return 1.0f / (1.0f + std::exp(-v)); }},
        {"HardSigmoid", [](onnx::NodeProto &n) { setFloatAttribute(n, "alpha", 0.3f); },
         [](float v) { return std::min(std::max(0.3f * v + 0.5f, 0.0f), 1.0f); }},
        {"HardSwish", {}, [](float v) { return v * std::min(std::max(v / 6 + 0.5f, 0.0f), 1.0f); }},
        {"Tanh", {}, [](float v) { return std::tanh(v); }},
    };
}

void checkFusion(const onnx::NodeProto &producer,
                 std::vector<std::pair<std::string, Tensor>> inputs,
                 std::vector<std::string> constants, const std::map<std::string, Tensor> &feeds)
{
    GraphSpec plain{{producer}, inputs, constants, {}, "y"};
    Result<Tensor> reference = runGraph(plain, feeds, false);
    ASSERT_TRUE(reference) << reference.status().message();
    inputs.push_back({"lo", Tensor::scalar<float>(-0.25f)});
    inputs.push_back({"hi", Tensor::scalar<float>(0.5f)});
    constants.push_back("lo");
    constants.push_back("hi");
    for (const ActivationCase &activation : activationCases()) {
        SCOPED_TRACE(std::string(producer.op_type()) + " + " + activation.op);
        onnx::NodeProto act = nodeUnderTest(activation.op, {"y"}, {"z"});
        if (activation.configure)
            activation.configure(act);
        Result<Tensor> fused = runGraph({{producer, act}, inputs, constants, {}, "z"}, feeds);
        ASSERT_TRUE(fused) << fused.status().message();
        std::vector<float> expected;
        for (float v : reference->values<float>())
            expected.push_back(activation.apply(v));
        expectNear(*fused, expected);
    }
}

TEST(NnFusion, ConvWithActivationEqualsConvThenActivation)
{
    onnx::NodeProto conv = nodeUnderTest("Conv", {"x", "w", "b"}, {"y"});
    setIntsAttribute(conv, "pads", {1, 1, 1, 1});
    const Tensor x = randomTensor({1, 4, 9, 7}, 1);
    checkFusion(conv, {{"x", x}, {"w", randomTensor({6, 4, 3, 3}, 2)}, {"b", randomTensor({6}, 3)}},
                {"w", "b"}, {{"x", x}});
}

TEST(NnFusion, GemmAndMatMulWithActivation)
{
    onnx::NodeProto gemm = nodeUnderTest("Gemm", {"a", "b", "c"}, {"y"});
    setIntAttribute(gemm, "transB", 1);
    setFloatAttribute(gemm, "alpha", 0.5f);
    setFloatAttribute(gemm, "beta", 2.0f);
    const Tensor a = randomTensor({5, 8}, 4);
    checkFusion(gemm, {{"a", a}, {"b", randomTensor({3, 8}, 5)}, {"c", randomTensor({3}, 6)}},
                {"b", "c"}, {{"a", a}});
    onnx::NodeProto matmul = nodeUnderTest("MatMul", {"a", "b"}, {"y"});
    const Tensor a3 = randomTensor({2, 5, 8}, 7);
    checkFusion(matmul, {{"a", a3}, {"b", randomTensor({8, 3}, 8)}}, {"b"}, {{"a", a3}});
}

// ---- conv against a plain loop, with changing input shapes (primitive cache) ----

TEST(NnConv, DynamicShapesMatchReference)
{
    const Tensor w = randomTensor({6, 2, 3, 3}, 10);
    const Tensor b = randomTensor({6}, 11);
    onnx::NodeProto conv = nodeUnderTest("Conv", {"x", "w", "b"}, {"y"});
    setIntAttribute(conv, "group", 2);
    setIntsAttribute(conv, "strides", {2, 2});
    setIntsAttribute(conv, "pads", {1, 1, 1, 1});
    setIntsAttribute(conv, "dilations", {2, 2});
    GraphSpec spec{{conv},
                   {{"x", randomTensor({1, 4, 8, 8}, 0)}, {"w", w}, {"b", b}},
                   {"w", "b"},
                   {"x"},
                   "y"};
    // The second 1x4x8x8 run reuses the cached primitive of the first.
    for (const Shape &shape : {Shape{1, 4, 8, 8}, Shape{3, 4, 11, 6}, Shape{1, 4, 8, 8}}) {
        SCOPED_TRACE(shapeToString(shape));
        const Tensor x = randomTensor(shape, uint32_t(shape[0] * 100 + shape[2]));
        Result<Tensor> y = runGraph(spec, {{"x", x}});
        ASSERT_TRUE(y) << y.status().message();
        expectNear(*y, referenceConv2d(x, w, &b, 2, 2, 1, 2));
    }
}

TEST(NnConv, DepthwiseAndRuntimeWeightsMatchReference)
{
    const Tensor x = randomTensor({2, 8, 10, 9}, 20);
    const Tensor w = randomTensor({8, 1, 3, 3}, 21);
    onnx::NodeProto conv = nodeUnderTest("Conv", {"x", "w"}, {"y"});
    setIntAttribute(conv, "group", 8);
    setIntsAttribute(conv, "pads", {1, 1, 1, 1});
    for (bool constant : {true, false}) {
        SCOPED_TRACE(constant ? "constant W" : "runtime W");
        auto y = runNode(conv, {{"x", x}, {"w", w}}, 17,
                         constant ? std::vector<std::string>{"w"} : std::vector<std::string>{});
        ASSERT_TRUE(y) << y.status().message();
        expectNear(y->at(0), referenceConv2d(x, w, nullptr, 8, 1, 1, 1));
    }
}

TEST(NnConv, Float16MatchesFloat32)
{
    const Tensor x = randomTensor({1, 3, 6, 6}, 30);
    const Tensor w = randomTensor({4, 3, 3, 3}, 31);
    auto half = [](const Tensor &t) {
        Tensor h = Tensor::allocate(DType::Float16, t.shape());
        for (int64_t i = 0; i < t.elementCount(); ++i)
            h.mutableData<Eigen::half>()[i] = Eigen::half(t.data<float>()[i]);
        return h;
    };
    onnx::NodeProto conv = nodeUnderTest("Conv", {"x", "w"}, {"y"});
    auto y = runNode(conv, {{"x", half(x)}, {"w", half(w)}}, 17, {"w"});
    ASSERT_TRUE(y) << y.status().message();
    ASSERT_EQ(y->at(0).dtype(), DType::Float16);
    const std::vector<float> expected = referenceConv2d(x, w, nullptr, 1, 1, 0, 1);
    for (size_t i = 0; i < expected.size(); ++i)
        EXPECT_NEAR(float(y->at(0).data<Eigen::half>()[i]), expected[i], 2e-2f) << i;
}

// ---- MatMul / Gemm paths ----

TEST(NnMatMul, BroadcastAndPromotionMatchLoops)
{
    struct Case
    {
        Shape a, b, out;
    };
    for (const Case &c : {Case{{2, 1, 3, 4}, {3, 4, 5}, {2, 3, 3, 5}}, Case{{4}, {2, 4, 3}, {2, 3}},
                          Case{{2, 3, 4}, {4}, {2, 3}}, Case{{3, 4}, {4, 2}, {3, 2}}}) {
        SCOPED_TRACE(shapeToString(c.a) + " x " + shapeToString(c.b));
        const Tensor a = randomTensor(c.a, 40), b = randomTensor(c.b, 41);
        for (bool constant : {false, true}) {
            const std::vector<std::string> constants = constant ? std::vector<std::string>{"b"}
                                                                : std::vector<std::string>{};
            auto y = runNode(nodeUnderTest("MatMul", {"a", "b"}, {"y"}), {{"a", a}, {"b", b}}, 17,
                             constants);
            ASSERT_TRUE(y) << y.status().message();
            EXPECT_EQ(y->at(0).shape(), c.out);
            // Every output element is a dot product, summed here in double precision.
            Shape a2 = c.a.size() == 1 ? Shape{1, c.a[0]} : c.a;
            Shape b2 = c.b.size() == 1 ? Shape{c.b[0], 1} : c.b;
            const int64_t m = a2[a2.size() - 2], k = a2.back(), n = b2.back();
            const int64_t batches = y->at(0).elementCount() / (m * n);
            const int64_t aBatches = a.elementCount() / (m * k);
            const int64_t bBatches = b.elementCount() / (k * n);
            std::vector<float> expected;
            for (int64_t i = 0; i < batches; ++i) {
                // Broadcast pattern of these cases: the operand with fewer batches repeats.
                const float *ap = a.data<float>() + (i % aBatches) * m * k;
                const float *bp = b.data<float>() + (i % bBatches) * k * n;
                if (c.a.size() == 4)
                    ap = a.data<float>() + (i / 3) * m * k;
                for (int64_t r = 0; r < m; ++r)
                    for (int64_t col = 0; col < n; ++col) {
                        double sum = 0;
                        for (int64_t j = 0; j < k; ++j)
                            sum += ap[r * k + j] * bp[j * n + col];
                        expected.push_back(float(sum));
                    }
            }
            expectNear(y->at(0), expected);
        }
    }
}

TEST(NnGemm, ConstantAndRuntimeOperandsAgree)
{
    onnx::NodeProto gemm = nodeUnderTest("Gemm", {"a", "b", "c"}, {"y"});
    setIntAttribute(gemm, "transA", 1);
    setFloatAttribute(gemm, "alpha", 1.5f);
    setFloatAttribute(gemm, "beta", -0.5f);
    const Tensor a = randomTensor({6, 4}, 50), b = randomTensor({6, 5}, 51);
    for (const Shape &cShape : {Shape{}, Shape{5}, Shape{4, 1}, Shape{4, 5}}) {
        SCOPED_TRACE("C " + shapeToString(cShape));
        const Tensor c = randomTensor(cShape, 52);
        auto runtime = runNode(gemm, {{"a", a}, {"b", b}, {"c", c}});
        auto constant = runNode(gemm, {{"a", a}, {"b", b}, {"c", c}}, 17, {"b", "c"});
        ASSERT_TRUE(runtime) << runtime.status().message();
        ASSERT_TRUE(constant) << constant.status().message();
        std::vector<float> expected;
        for (int64_t i = 0; i < 4; ++i)
            for (int64_t j = 0; j < 5; ++j) {
                double sum = 0;
                for (int64_t k = 0; k < 6; ++k)
                    sum += a.data<float>()[k * 4 + i] * b.data<float>()[k * 5 + j];
                const int64_t ci = cShape.size() == 2 ? (cShape[0] == 1 ? 0 : i) * cShape[1]
                                                            + (cShape[1] == 1 ? 0 : j)
                                   : cShape.size() == 1 ? j
                                                        : 0;
                expected.push_back(float(1.5 * sum - 0.5 * c.data<float>()[ci]));
            }
        expectNear(runtime->at(0), expected);
        expectNear(constant->at(0), expected);
    }
}

// ---- errors name the node, the value and expected vs actual ----

std::vector<test::ErrorCase> errorCases()
{
    std::vector<test::ErrorCase> cases;
    cases.push_back({"conv_channels",
                     nodeUnderTest("Conv", {"x", "w"}, {"y"}),
                     {{"x", randomTensor({1, 3, 5, 5}, 1)}, {"w", randomTensor({2, 4, 3, 3}, 2)}},
                     {"Conv_under_test", "'W' float32[2,4,3,3]", "[1,3,5,5]", "3 input channels"}});
    cases.push_back({"conv_window_too_large",
                     nodeUnderTest("Conv", {"x", "w"}, {"y"}),
                     {{"x", randomTensor({1, 1, 2, 2}, 1)}, {"w", randomTensor({1, 1, 3, 3}, 2)}},
                     {"Conv_under_test", "larger than the padded input"},
                     {"w"}});
    cases.push_back({"matmul_k",
                     nodeUnderTest("MatMul", {"a", "b"}, {"y"}),
                     {{"a", randomTensor({2, 3}, 1)}, {"b", randomTensor({4, 5}, 2)}},
                     {"MatMul_under_test", "[2,3]", "[4,5]", "3 columns", "4 rows"}});
    cases.push_back({"gemm_c_broadcast",
                     nodeUnderTest("Gemm", {"a", "b", "c"}, {"y"}),
                     {{"a", randomTensor({2, 3}, 1)},
                      {"b", randomTensor({3, 4}, 2)},
                      {"c", randomTensor({3}, 3)}},
                     {"Gemm_under_test", "'C' float32[3]", "[2,4]"}});
    onnx::NodeProto train = nodeUnderTest("BatchNormalization", {"x", "s", "b", "m", "v"}, {"y"});
    setIntAttribute(train, "training_mode", 1);
    cases.push_back({"batchnorm_training_channels",
                     train,
                     {{"x", randomTensor({1, 2, 2}, 1)},
                      {"s", randomTensor({3}, 2)},
                      {"b", randomTensor({2}, 3)},
                      {"m", randomTensor({2}, 4)},
                      {"v", randomTensor({2}, 5)}},
                     {"BatchNormalization_under_test", "float32[3]", "one value per channel",
                      "float32[1,2,2]"}});
    cases.push_back({"maxpool_no_kernel",
                     nodeUnderTest("MaxPool", {"x"}, {"y"}),
                     {{"x", randomTensor({1, 1, 4, 4}, 1)}},
                     {"MaxPool_under_test", "kernel_shape"}});
    return cases;
}

TEST(NnErrors, MessagesNameNodeValueAndExpectation)
{
    test::expectErrorsMention(errorCases());
}

// ---- pooling and batch norm corners ----

TEST(NnPool, MaxPoolIndicesAndGlobalPools)
{
    onnx::NodeProto pool = nodeUnderTest("MaxPool", {"x"}, {"y", "i"});
    setIntsAttribute(pool, "kernel_shape", {2, 2});
    setIntsAttribute(pool, "strides", {2, 2});
    const Tensor x = Tensor::fromVector<float>({1, 1, 2, 4}, {1, 5, 2, 0, 3, 4, 8, 7});
    auto y = runNode(pool, {{"x", x}});
    ASSERT_TRUE(y) << y.status().message();
    expectNear(y->at(0), {5, 8});
    EXPECT_EQ(std::vector<int64_t>(y->at(1).values<int64_t>().begin(),
                                   y->at(1).values<int64_t>().end()),
              (std::vector<int64_t>{1, 6}));
    auto avg = runNode(nodeUnderTest("GlobalAveragePool", {"x"}, {"y"}), {{"x", x}});
    ASSERT_TRUE(avg);
    EXPECT_EQ(avg->at(0).shape(), (Shape{1, 1, 1, 1}));
    expectNear(avg->at(0), {3.75f});
}

// On images and on the [N, C] rows a Gemm gives (BatchNorm1d), which take their own loop.
TEST(NnBatchNorm, RuntimeParametersMatchConstantOnes)
{
    onnx::NodeProto bn = nodeUnderTest("BatchNormalization", {"x", "s", "b", "m", "v"}, {"y"});
    setFloatAttribute(bn, "epsilon", 1e-3f);
    for (const Shape &shape : {Shape{2, 3, 4, 5}, Shape{7, 3}}) {
        const Tensor x = randomTensor(shape, 60);
        const int64_t inner = x.elementCount() / (shape[0] * 3);
        std::vector<std::pair<std::string, Tensor>> inputs
            = {{"x", x},
               {"s", randomTensor({3}, 61)},
               {"b", randomTensor({3}, 62)},
               {"m", randomTensor({3}, 63)},
               {"v", Tensor::fromVector<float>({3}, {0.5f, 1.0f, 2.0f})}};
        auto runtime = runNode(bn, inputs);
        auto constant = runNode(bn, inputs, 17, {"s", "b", "m", "v"});
        ASSERT_TRUE(runtime) << runtime.status().message();
        ASSERT_TRUE(constant) << constant.status().message();
        std::vector<float> expected;
        for (int64_t i = 0; i < x.elementCount(); ++i) {
            const int64_t c = (i / inner) % 3;
            auto p = [&](size_t k) { return inputs[k].second.data<float>()[c]; };
            expected.push_back((x.data<float>()[i] - p(3)) / std::sqrt(p(4) + 1e-3f) * p(1) + p(2));
        }
        expectNear(runtime->at(0), expected);
        expectNear(constant->at(0), expected);
    }
}

} // namespace
// The direct 2-D MaxPool (max_pool_2d.cpp) against the Indices path's independent loop, on the
// geometries real networks use (ResNet's 3x3/2 pad 1, ceil_mode as SqueezeNet exports it,
// asymmetric pads, 2x2/2) and on 8-bit data, which must give the float result exactly.
TEST(NnPool, DirectMaxPoolMatchesIndicesPath)
{
    struct Case
    {
        std::vector<int64_t> kernel, strides, pads;
        int64_t ceil;
        Shape shape;
    };
    const std::vector<Case> cases = {{{3, 3}, {2, 2}, {1, 1, 1, 1}, 0, {1, 4, 13, 11}},
                                     {{3, 3}, {2, 2}, {0, 0, 0, 0}, 1, {2, 3, 14, 9}},
                                     {{2, 2}, {2, 2}, {0, 0, 0, 0}, 0, {1, 5, 8, 8}},
                                     {{3, 2}, {1, 2}, {1, 0, 2, 1}, 0, {1, 2, 7, 6}}};
    unsigned seed = 70;
    for (const Case &c : cases) {
        onnx::NodeProto direct = nodeUnderTest("MaxPool", {"x"}, {"y"});
        setIntsAttribute(direct, "kernel_shape", c.kernel);
        setIntsAttribute(direct, "strides", c.strides);
        setIntsAttribute(direct, "pads", c.pads);
        setIntAttribute(direct, "ceil_mode", c.ceil);
        onnx::NodeProto withIndices = direct;
        withIndices.add_output("i");
        const Tensor x = randomTensor(c.shape, seed++);
        auto fast = runNode(direct, {{"x", x}});
        auto reference = runNode(withIndices, {{"x", x}});
        ASSERT_TRUE(fast) << fast.status().message();
        ASSERT_TRUE(reference) << reference.status().message();
        ASSERT_EQ(fast->at(0).shape(), reference->at(0).shape());
        for (int64_t i = 0; i < fast->at(0).elementCount(); ++i)
            ASSERT_EQ(fast->at(0).data<float>()[i], reference->at(0).data<float>()[i]) << i;

        Tensor bytes = Tensor::allocate(DType::Int8, c.shape);
        std::vector<float> asFloat;
        for (int64_t i = 0; i < x.elementCount(); ++i) {
            const auto v = int8_t(std::clamp(std::lround(x.data<float>()[i] * 40.0f), -128L, 127L));
            bytes.mutableData<int8_t>()[i] = v;
            asFloat.push_back(float(v));
        }
        auto quantized = runNode(direct, {{"x", bytes}});
        auto floatOfBytes = runNode(direct, {{"x", Tensor::fromVector<float>(c.shape, asFloat)}});
        ASSERT_TRUE(quantized) << quantized.status().message();
        ASSERT_TRUE(floatOfBytes);
        for (int64_t i = 0; i < quantized->at(0).elementCount(); ++i)
            ASSERT_EQ(float(quantized->at(0).data<int8_t>()[i]),
                      floatOfBytes->at(0).data<float>()[i]);
    }
}

} // namespace qs
