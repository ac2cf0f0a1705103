// Elementwise kernels beyond ONNX's backend tests: broadcasting corners and its error message,
// the collapsed fast paths against a direct index computation, half types, integer division by
// zero, Mod's sign rules, Clip with runtime bounds, and saturating casts.
#include "support/run_node.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace qs {
namespace {

using namespace qs::test;

Tensor randomFloats(const Shape &shape, std::mt19937 &random)
{
    std::uniform_real_distribution<float> uniform(-2.0f, 2.0f);
    std::vector<float> values(static_cast<size_t>(shapeElementCount(shape)));
    for (float &value : values)
        value = uniform(random);
    return Tensor::fromVector<float>(shape, values);
}

// Reference broadcasting: index each input by the output coordinates directly.
std::vector<float> referenceSub(const Tensor &a, const Tensor &b, const Shape &out)
{
    const size_t rank = out.size();
    auto offset = [&](const Tensor &t, const std::vector<int64_t> &index) {
        int64_t o = 0;
        const size_t pad = rank - t.shape().size();
        for (size_t d = pad; d < rank; ++d) {
            const int64_t dim = t.shape()[d - pad];
            o = o * dim + (dim == 1 ? 0 : index[d]);
        }
        return o;
    };
    std::vector<float> result;
    std::vector<int64_t> index(rank, 0);
    for (int64_t i = 0; i < shapeElementCount(out); ++i) {
        int64_t rest = i;
        for (size_t d = rank; d-- > 0;) {
            index[d] = rest % out[d];
            rest /= out[d];
        }
        result.push_back(a.values<float>()[offset(a, index)] - b.values<float>()[offset(b, index)]);
    }
    return result;
}

TEST(Elementwise, BroadcastPathsMatchDirectIndexing)
{
    std::mt19937 random(42);
    const std::vector<std::pair<Shape, Shape>> cases = {
        {{2, 3, 4, 5}, {2, 3, 4, 5}}, // same shape
        {{2, 3, 4, 5}, {3, 1, 1}},    // per channel
        {{2, 3, 4, 5}, {5}},          // trailing vector
        {{1, 4, 8, 8}, {1, 1, 1, 8}}, // attention mask
        {{3, 1, 5}, {1, 4, 1}},       // both broadcast
        {{}, {2, 3}},                 // scalar first
        {{2, 1, 3}, {2, 4, 1}},
        {{64, 300, 300}, {64, 1, 1}}, // large enough to run in parallel
        // Channel-blocked activations (blocked_layout.h): 8-element rows, several outer dims.
        {{2, 4, 5, 3, 8}, {2, 4, 1, 1, 8}},
        {{1, 8, 7, 7, 8}, {1, 8, 1, 1, 8}},
        {{2, 3, 4, 5, 6, 8}, {1, 3, 1, 5, 1, 8}},
        {{2, 64, 28, 28, 8}, {2, 64, 1, 1, 8}}, // parallel, rows split across threads
    };
    for (const auto &[shapeA, shapeB] : cases) {
        const Tensor a = randomFloats(shapeA, random);
        const Tensor b = randomFloats(shapeB, random);
        auto result = runNode(nodeUnderTest("Sub", {"a", "b"}, {"y"}), {{"a", a}, {"b", b}});
        ASSERT_TRUE(result) << result.status().message();
        const Tensor &y = (*result)[0];
        const auto expected = referenceSub(a, b, y.shape());
        ASSERT_EQ(y.elementCount(), static_cast<int64_t>(expected.size()));
        for (size_t i = 0; i < expected.size(); ++i)
            ASSERT_EQ(y.values<float>()[i], expected[i])
                << shapeToString(shapeA) << " - " << shapeToString(shapeB) << " at " << i;
    }
}

TEST(Elementwise, IncompatibleShapesNameBothShapesAndTheNode)
{
    auto result = runNode(nodeUnderTest("Add", {"a", "b"}, {"y"}),
                          {{"a", Tensor::allocate(DType::Float32, {2, 3}, true)},
                           {"b", Tensor::allocate(DType::Float32, {4}, true)}});
    ASSERT_FALSE(result);
    EXPECT_NE(result.status().message().find("Add_under_test"), std::string::npos)
        << result.status().message();
    EXPECT_NE(result.status().message().find("[2,3] and [4] cannot be broadcast"), std::string::npos)
        << result.status().message();
}

TEST(Elementwise, HalfTypesComputeThroughFloat)
{
    const Tensor a = Tensor::fromVector<Eigen::half>({3}, {Eigen::half(1.5f), Eigen::half(-2.0f),
                                                           Eigen::half(0.25f)});
    const Tensor b = Tensor::fromVector<Eigen::half>({1}, {Eigen::half(0.5f)});
    auto sum = runNode(nodeUnderTest("Add", {"a", "b"}, {"y"}), {{"a", a}, {"b", b}});
    ASSERT_TRUE(sum) << sum.status().message();
    EXPECT_EQ((*sum)[0].dtype(), DType::Float16);
    EXPECT_EQ(float((*sum)[0].values<Eigen::half>()[1]), -1.5f);
    auto tanh = runNode(nodeUnderTest("Tanh", {"a"}, {"y"}), {{"a", a}});
    ASSERT_TRUE(tanh);
    EXPECT_NEAR(float((*tanh)[0].values<Eigen::half>()[0]), std::tanh(1.5f), 1e-3);

    // bfloat16 round trip through Cast (the backend tests' bfloat16 data is stored as uint16).
    onnx::NodeProto toBf16 = nodeUnderTest("Cast", {"x"}, {"y"});
    setIntAttribute(toBf16, "to", static_cast<int64_t>(DType::BFloat16));
    auto bf16 = runNode(toBf16, {{"x", Tensor::fromVector<float>({2}, {1.0f, 3.140625f})}});
    ASSERT_TRUE(bf16) << bf16.status().message();
    EXPECT_EQ((*bf16)[0].dtype(), DType::BFloat16);
    EXPECT_EQ(float((*bf16)[0].values<Eigen::bfloat16>()[1]), 3.140625f);
}

TEST(Elementwise, IntegerDivisionByZeroIsAnErrorNotACrash)
{
    auto result = runNode(nodeUnderTest("Div", {"a", "b"}, {"y"}),
                          {{"a", Tensor::fromVector<int32_t>({2}, {4, 5})},
                           {"b", Tensor::fromVector<int32_t>({2}, {2, 0})}});
    ASSERT_FALSE(result);
    EXPECT_NE(result.status().message().find("division by zero"), std::string::npos);
}

TEST(Elementwise, ModFollowsTheDivisorSignUnlessFmod)
{
    const Tensor a = Tensor::fromVector<int32_t>({4}, {-7, 7, -7, 7});
    const Tensor b = Tensor::fromVector<int32_t>({4}, {3, -3, -3, 3});
    auto python = runNode(nodeUnderTest("Mod", {"a", "b"}, {"y"}), {{"a", a}, {"b", b}});
    ASSERT_TRUE(python);
    EXPECT_EQ(std::vector<int32_t>((*python)[0].values<int32_t>().begin(),
                                   (*python)[0].values<int32_t>().end()),
              (std::vector<int32_t>{2, -2, -1, 1}));
    onnx::NodeProto cMod = nodeUnderTest("Mod", {"a", "b"}, {"y"});
    setIntAttribute(cMod, "fmod", 1);
    auto c = runNode(cMod, {{"a", a}, {"b", b}});
    ASSERT_TRUE(c);
    EXPECT_EQ(std::vector<int32_t>((*c)[0].values<int32_t>().begin(),
                                   (*c)[0].values<int32_t>().end()),
              (std::vector<int32_t>{-1, 1, -1, 1}));
}

TEST(Elementwise, ClipWithRuntimeAndConstantBounds)
{
    const Tensor x = Tensor::fromVector<float>({4}, {-3.0f, -0.5f, 0.5f, 3.0f});
    const Tensor low = Tensor::scalar<float>(-1.0f);
    const Tensor high = Tensor::scalar<float>(1.0f);
    for (const std::vector<std::string> &constants :
         {std::vector<std::string>{}, std::vector<std::string>{"lo", "hi"}}) {
        auto y = runNode(nodeUnderTest("Clip", {"x", "lo", "hi"}, {"y"}),
                         {{"x", x}, {"lo", low}, {"hi", high}}, 13, constants);
        ASSERT_TRUE(y) << y.status().message();
        EXPECT_EQ(std::vector<float>((*y)[0].values<float>().begin(), (*y)[0].values<float>().end()),
                  (std::vector<float>{-1.0f, -0.5f, 0.5f, 1.0f}));
    }
}

TEST(Elementwise, FloatToIntegerCastsSaturate)
{
    onnx::NodeProto cast = nodeUnderTest("Cast", {"x"}, {"y"});
    setIntAttribute(cast, "to", static_cast<int64_t>(DType::Int8));
    auto y = runNode(cast, {{"x", Tensor::fromVector<float>({4}, {1000.0f, -1000.0f, NAN, 12.7f})}});
    ASSERT_TRUE(y) << y.status().message();
    EXPECT_EQ(std::vector<int8_t>((*y)[0].values<int8_t>().begin(), (*y)[0].values<int8_t>().end()),
              (std::vector<int8_t>{127, -128, 0, 12}));
}

} // namespace
} // namespace qs
