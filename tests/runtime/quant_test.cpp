// Quantization kernels beyond ONNX's backend tests: ties round to even, saturation at both ends
// for int8 and uint8, per-axis scales, and a clear error for a scale of the wrong length.
#include "runtime/ops/quant/byte_transpose.h"
#include "support/run_node.h"

#include <gtest/gtest.h>

#include <array>

namespace qs {
namespace {

using namespace qs::test;

template<typename T>
std::vector<T> valuesOf(const Tensor &t)
{
    return std::vector<T>(t.values<T>().begin(), t.values<T>().end());
}

TEST(Quant, QuantizeRoundsTiesToEvenAndSaturates)
{
    const Tensor x = Tensor::fromVector<float>({6}, {0.5f, 1.5f, 2.5f, -2.5f, 1000.0f, -1000.0f});
    auto asUint8 = runNode(makeNode("QuantizeLinear", {"x", "s", "zp"}, {"y"}),
                           {{"x", x}, {"s", Tensor::scalar<float>(1.0f)},
                            {"zp", Tensor::scalar<uint8_t>(10)}});
    ASSERT_TRUE(asUint8) << asUint8.status().message();
    EXPECT_EQ(valuesOf<uint8_t>((*asUint8)[0]), (std::vector<uint8_t>{10, 12, 12, 8, 255, 0}));
    auto asInt8 = runNode(makeNode("QuantizeLinear", {"x", "s", "zp"}, {"y"}),
                          {{"x", x}, {"s", Tensor::scalar<float>(1.0f)},
                           {"zp", Tensor::scalar<int8_t>(0)}});
    ASSERT_TRUE(asInt8) << asInt8.status().message();
    EXPECT_EQ(valuesOf<int8_t>((*asInt8)[0]), (std::vector<int8_t>{0, 2, 2, -2, 127, -128}));
}

TEST(Quant, PerAxisScalesAndZeroPoints)
{
    const Tensor x = Tensor::fromVector<float>({2, 3}, {1, 2, 3, 1, 2, 3});
    onnx::NodeProto node = makeNode("QuantizeLinear", {"x", "s", "zp"}, {"y"});
    setInt(node, "axis", 0);
    auto y = runNode(node, {{"x", x}, {"s", Tensor::fromVector<float>({2}, {1.0f, 0.5f})},
                            {"zp", Tensor::fromVector<int8_t>({2}, {0, -1})}},
                     13);
    ASSERT_TRUE(y) << y.status().message();
    EXPECT_EQ(valuesOf<int8_t>((*y)[0]), (std::vector<int8_t>{1, 2, 3, 1, 3, 5}));

    onnx::NodeProto back = makeNode("DequantizeLinear", {"q", "s", "zp"}, {"x"});
    setInt(back, "axis", 0);
    auto x2 = runNode(back, {{"q", (*y)[0]}, {"s", Tensor::fromVector<float>({2}, {1.0f, 0.5f})},
                             {"zp", Tensor::fromVector<int8_t>({2}, {0, -1})}},
                      13);
    ASSERT_TRUE(x2) << x2.status().message();
    EXPECT_EQ(valuesOf<float>((*x2)[0]), (std::vector<float>{1, 2, 3, 1, 2, 3}));
}

TEST(Quant, ScaleOfTheWrongLengthIsAClearError)
{
    onnx::NodeProto node = makeNode("QuantizeLinear", {"x", "s"}, {"y"});
    setInt(node, "axis", 1);
    auto y = runNode(node, {{"x", Tensor::allocate(DType::Float32, {2, 3}, true)},
                            {"s", Tensor::fromVector<float>({2}, {1.0f, 1.0f})}},
                     13);
    ASSERT_FALSE(y);
    EXPECT_NE(y.status().message().find("scale has 2 values but input [2,3] has 3 along axis 1"),
              std::string::npos)
        << y.status().message();
}

TEST(Quant, MatMulIntegerSubtractsPerRowAndPerColumnZeroPoints)
{
    const Tensor a = Tensor::fromVector<uint8_t>({2, 2}, {3, 4, 5, 6});
    const Tensor b = Tensor::fromVector<uint8_t>({2, 2}, {1, 2, 3, 4});
    auto y = runNode(makeNode("MatMulInteger", {"a", "b", "azp", "bzp"}, {"y"}),
                     {{"a", a}, {"b", b}, {"azp", Tensor::fromVector<uint8_t>({2}, {1, 2})},
                      {"bzp", Tensor::fromVector<uint8_t>({2}, {1, 0})}});
    ASSERT_TRUE(y) << y.status().message();
    // (A - [1;2]) = [[2,3],[3,4]], (B - [1,0]) = [[0,2],[2,4]]
    EXPECT_EQ(valuesOf<int32_t>((*y)[0]), (std::vector<int32_t>{6, 16, 8, 22}));
}

// The NCHW <-> NHWC byte transpose around the int8 primitives: whole 16 x 16 tiles, ragged edges
// and several batches, against the index formula.
TEST(Quant, ByteTransposeMatchesTheIndexFormula)
{
    for (const auto &[batch, rows, cols] : std::vector<std::array<int64_t, 3>>{
             {1, 16, 16}, {2, 24, 1600}, {1, 3, 5}, {3, 37, 50}, {1, 1, 40}}) {
        std::vector<uint8_t> in(size_t(batch * rows * cols)), out(in.size());
        for (size_t i = 0; i < in.size(); ++i)
            in[i] = uint8_t(i * 131 + i / 7);
        ops::transposeBytes(in.data(), out.data(), batch, rows, cols, 2);
        for (int64_t n = 0; n < batch; ++n)
            for (int64_t r = 0; r < rows; ++r)
                for (int64_t c = 0; c < cols; ++c)
                    ASSERT_EQ(out[size_t(n * rows * cols + c * rows + r)],
                              in[size_t(n * rows * cols + r * cols + c)])
                        << batch << "x" << rows << "x" << cols << " at " << n << "," << r << "," << c;
    }
}

} // namespace
} // namespace qs
