// Quantization kernels beyond ONNX's backend tests: ties round to even, saturation at both ends
// for int8 and uint8 (and opset 21's int16 and uint16), per-axis scales, and a clear error for a
// scale of the wrong length or a blocked quantization.
#include "runtime/ops/quant/byte_transpose.h"
#include "support/run_node.h"

#include <gtest/gtest.h>

#include <array>
#include <random>

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
    auto asUint8 = runNode(nodeUnderTest("QuantizeLinear", {"x", "s", "zp"}, {"y"}),
                           {{"x", x},
                            {"s", Tensor::scalar<float>(1.0f)},
                            {"zp", Tensor::scalar<uint8_t>(10)}});
    ASSERT_TRUE(asUint8) << asUint8.status().message();
    EXPECT_EQ(valuesOf<uint8_t>((*asUint8)[0]), (std::vector<uint8_t>{10, 12, 12, 8, 255, 0}));
    auto asInt8
        = runNode(nodeUnderTest("QuantizeLinear", {"x", "s", "zp"}, {"y"}),
                  {{"x", x}, {"s", Tensor::scalar<float>(1.0f)}, {"zp", Tensor::scalar<int8_t>(0)}});
    ASSERT_TRUE(asInt8) << asInt8.status().message();
    EXPECT_EQ(valuesOf<int8_t>((*asInt8)[0]), (std::vector<int8_t>{0, 2, 2, -2, 127, -128}));
}

// Opset 21's 16-bit types (A16W8 models): saturation at the 16-bit ends, the way back exact,
// output_dtype when there is no zero point, and block_size refused rather than misread.
TEST(Quant, SixteenBitQuantizeAndDequantizeAtOpset21)
{
    const Tensor x = Tensor::fromVector<float>({5}, {0.5f, 1.5f, -3.0f, 1e6f, -1e6f});
    auto asUint16 = runNode(nodeUnderTest("QuantizeLinear", {"x", "s", "zp"}, {"y"}),
                            {{"x", x},
                             {"s", Tensor::scalar<float>(0.5f)},
                             {"zp", Tensor::scalar<uint16_t>(32768)}},
                            21);
    ASSERT_TRUE(asUint16) << asUint16.status().message();
    EXPECT_EQ(valuesOf<uint16_t>((*asUint16)[0]),
              (std::vector<uint16_t>{32769, 32771, 32762, 65535, 0}));
    auto backFromUint16 = runNode(nodeUnderTest("DequantizeLinear", {"q", "s", "zp"}, {"x"}),
                                  {{"q", (*asUint16)[0]},
                                   {"s", Tensor::scalar<float>(0.5f)},
                                   {"zp", Tensor::scalar<uint16_t>(32768)}},
                                  21);
    ASSERT_TRUE(backFromUint16) << backFromUint16.status().message();
    EXPECT_EQ(valuesOf<float>((*backFromUint16)[0]),
              (std::vector<float>{0.5f, 1.5f, -3.0f, 16383.5f, -16384.0f}));

    onnx::NodeProto noZeroPoint = nodeUnderTest("QuantizeLinear", {"x", "s"}, {"y"});
    setIntAttribute(noZeroPoint, "output_dtype", int64_t(DType::Int16));
    auto asInt16 = runNode(noZeroPoint, {{"x", x}, {"s", Tensor::scalar<float>(0.5f)}}, 21);
    ASSERT_TRUE(asInt16) << asInt16.status().message();
    EXPECT_EQ(valuesOf<int16_t>((*asInt16)[0]), (std::vector<int16_t>{1, 3, -6, 32767, -32768}));

    onnx::NodeProto blocked = nodeUnderTest("DequantizeLinear", {"q", "s"}, {"x"});
    setIntAttribute(blocked, "block_size", 2);
    auto refused = runNode(blocked,
                           {{"q", Tensor::fromVector<int16_t>({4}, {1, 2, 3, 4})},
                            {"s", Tensor::fromVector<float>({2}, {1.0f, 2.0f})}},
                           21);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.status().message().find("block_size"), std::string::npos)
        << refused.status().message();
}

TEST(Quant, PerAxisScalesAndZeroPoints)
{
    const Tensor x = Tensor::fromVector<float>({2, 3}, {1, 2, 3, 1, 2, 3});
    onnx::NodeProto node = nodeUnderTest("QuantizeLinear", {"x", "s", "zp"}, {"y"});
    setIntAttribute(node, "axis", 0);
    auto y = runNode(node,
                     {{"x", x},
                      {"s", Tensor::fromVector<float>({2}, {1.0f, 0.5f})},
                      {"zp", Tensor::fromVector<int8_t>({2}, {0, -1})}},
                     13);
    ASSERT_TRUE(y) << y.status().message();
    EXPECT_EQ(valuesOf<int8_t>((*y)[0]), (std::vector<int8_t>{1, 2, 3, 1, 3, 5}));

    onnx::NodeProto back = nodeUnderTest("DequantizeLinear", {"q", "s", "zp"}, {"x"});
    setIntAttribute(back, "axis", 0);
    auto x2 = runNode(back,
                      {{"q", (*y)[0]},
                       {"s", Tensor::fromVector<float>({2}, {1.0f, 0.5f})},
                       {"zp", Tensor::fromVector<int8_t>({2}, {0, -1})}},
                      13);
    ASSERT_TRUE(x2) << x2.status().message();
    EXPECT_EQ(valuesOf<float>((*x2)[0]), (std::vector<float>{1, 2, 3, 1, 2, 3}));
}

TEST(Quant, ScaleOfTheWrongLengthIsAClearError)
{
    onnx::NodeProto node = nodeUnderTest("QuantizeLinear", {"x", "s"}, {"y"});
    setIntAttribute(node, "axis", 1);
    auto y = runNode(node,
                     {{"x", Tensor::allocate(DType::Float32, {2, 3}, true)},
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
    auto y = runNode(nodeUnderTest("MatMulInteger", {"a", "b", "azp", "bzp"}, {"y"}),
                     {{"a", a},
                      {"b", b},
                      {"azp", Tensor::fromVector<uint8_t>({2}, {1, 2})},
                      {"bzp", Tensor::fromVector<uint8_t>({2}, {1, 0})}});
    ASSERT_TRUE(y) << y.status().message();
    // (A - [1;2]) = [[2,3],[3,4]], (B - [1,0]) = [[0,2],[2,4]]
    EXPECT_EQ(valuesOf<int32_t>((*y)[0]), (std::vector<int32_t>{6, 16, 8, 22}));
}

// MatMulInteger against the definition (int64 sums) where float slices are needed: full-range
// int8 B (oneDNN's u8 x s8 GEMM is not exact without VNNI), depth 700 with values up to 255 x 128
// (three exact slices), batched A over a 2-D B, and B's zero point per column, all 0 (symmetric
// weights quantized per channel), as well as a per-tensor one that is not 0.
TEST(Quant, MatMulIntegerIsExactBeyondFloatIntegers)
{
    const int64_t batches = 3, m = 5, k = 700, n = 7;
    std::mt19937 random(21);
    std::uniform_int_distribution<int> byte(0, 255);
    std::vector<uint8_t> av(size_t(batches * m * k));
    std::vector<int8_t> bv(size_t(k * n));
    for (uint8_t &v : av)
        v = uint8_t(byte(random));
    for (int8_t &v : bv)
        v = int8_t(byte(random) - 128);
    av[0] = 255; // the extremes, so that one slice's sum cannot be exact in float
    bv[0] = -128;
    const Tensor a = Tensor::fromVector<uint8_t>({batches, m, k}, av);
    const Tensor b = Tensor::fromVector<int8_t>({k, n}, bv);
    for (const bool perColumn : {true, false}) {
        const int8_t zero = perColumn ? 0 : 3;
        const Tensor bzp = perColumn ? Tensor::fromVector<int8_t>({n}, std::vector<int8_t>(n, 0))
                                     : Tensor::fromVector<int8_t>({}, {zero});
        auto y = runNode(nodeUnderTest("MatMulInteger", {"a", "b", "azp", "bzp"}, {"y"}),
                         {{"a", a},
                          {"b", b},
                          {"azp", Tensor::fromVector<uint8_t>({}, {uint8_t(7)})},
                          {"bzp", bzp}});
        ASSERT_TRUE(y) << y.status().message();
        ASSERT_EQ((*y)[0].shape(), (Shape{batches, m, n}));
        const auto got = valuesOf<int32_t>((*y)[0]);
        for (int64_t row = 0; row < batches * m; ++row) {
            for (int64_t col = 0; col < n; ++col) {
                int64_t expected = 0;
                for (int64_t i = 0; i < k; ++i)
                    expected += (int64_t(av[size_t(row * k + i)]) - 7)
                                * (int64_t(bv[size_t(i * n + col)]) - zero);
                ASSERT_EQ(got[size_t(row * n + col)], expected) << row << "," << col;
            }
        }
    }
}

struct ConvIntegerCase
{
    const char *name;
    int64_t channels, filters, size, kernel, stride, pad, group;
    bool perChannelZeroPoint;
    bool oneDimensional = false;
};

// ConvInteger against the definition (a direct 4-deep loop in int64) on random data from fixed
// seeds: the float-GEMM path (exact while the sums stay within 2^24), summed in slices past
// that bound (128 channels x 3x3 of full-range values), depthwise, grouped, per-channel zero points,
// and a 1-D convolution through the generic column gathering.
TEST(Quant, ConvIntegerMatchesTheDefinition)
{
    const ConvIntegerCase cases[] = {
        {"3x3 stride 1, float sums", 8, 6, 9, 3, 1, 1, 1, false},
        {"3x3 stride 2, int32 sums", 128, 4, 7, 3, 2, 1, 1, false},
        {"depthwise 3x3", 6, 6, 8, 3, 1, 1, 6, true},
        {"grouped 1x1", 8, 4, 5, 1, 1, 0, 2, true},
        {"1-D kernel 3", 4, 3, 11, 3, 1, 1, 1, false, true},
    };
    std::mt19937 random(41);
    std::uniform_int_distribution<int> byte(0, 255), weight(-127, 127);
    for (const ConvIntegerCase &c : cases) {
        SCOPED_TRACE(c.name);
        const int64_t height = c.oneDimensional ? 1 : c.size,
                      kernelH = c.oneDimensional ? 1 : c.kernel;
        const int64_t cg = c.channels / c.group, mg = c.filters / c.group;
        std::vector<uint8_t> x(size_t(c.channels * height * c.size));
        for (uint8_t &v : x)
            v = uint8_t(byte(random));
        std::vector<int8_t> w(size_t(c.filters * cg * kernelH * c.kernel));
        for (int8_t &v : w)
            v = int8_t(weight(random));
        std::vector<int8_t> wZero(c.perChannelZeroPoint ? size_t(c.filters) : 1);
        for (int8_t &v : wZero)
            v = int8_t(weight(random) / 16);
        const uint8_t xZero = 131;
        const Shape xShape = c.oneDimensional ? Shape{1, c.channels, c.size}
                                              : Shape{1, c.channels, height, c.size};
        const Shape wShape = c.oneDimensional ? Shape{c.filters, cg, c.kernel}
                                              : Shape{c.filters, cg, kernelH, c.kernel};
        onnx::NodeProto node = nodeUnderTest("ConvInteger", {"x", "w", "xzp", "wzp"}, {"y"});
        setIntsAttribute(node, "strides",
                         c.oneDimensional ? std::vector<int64_t>{c.stride}
                                          : std::vector<int64_t>{c.stride, c.stride});
        setIntsAttribute(node, "pads",
                         c.oneDimensional ? std::vector<int64_t>{c.pad, c.pad}
                                          : std::vector<int64_t>{c.pad, c.pad, c.pad, c.pad});
        setIntAttribute(node, "group", c.group);
        auto y = runNode(node,
                         {{"x", Tensor::fromVector<uint8_t>(xShape, x)},
                          {"w", Tensor::fromVector<int8_t>(wShape, w)},
                          {"xzp", Tensor::scalar<uint8_t>(xZero)},
                          {"wzp", Tensor::fromVector<int8_t>({int64_t(wZero.size())}, wZero)}},
                         10);
        ASSERT_TRUE(y) << y.status().message();
        const int64_t padH = c.oneDimensional ? 0 : c.pad;
        const int64_t outH = (height + 2 * padH - kernelH) / (c.oneDimensional ? 1 : c.stride) + 1;
        const int64_t outW = (c.size + 2 * c.pad - c.kernel) / c.stride + 1;
        const std::vector<int32_t> got = valuesOf<int32_t>((*y)[0]);
        ASSERT_EQ(got.size(), size_t(c.filters * outH * outW));
        for (int64_t m = 0; m < c.filters; ++m) {
            const int64_t gi = m / mg;
            const int64_t wzp = wZero[c.perChannelZeroPoint ? size_t(m) : 0];
            for (int64_t oy = 0; oy < outH; ++oy) {
                for (int64_t ox = 0; ox < outW; ++ox) {
                    int64_t sum = 0;
                    for (int64_t ci = 0; ci < cg; ++ci) {
                        for (int64_t ky = 0; ky < kernelH; ++ky) {
                            for (int64_t kx = 0; kx < c.kernel; ++kx) {
                                const int64_t iy = oy * (c.oneDimensional ? 1 : c.stride) - padH
                                                   + ky;
                                const int64_t ix = ox * c.stride - c.pad + kx;
                                if (iy < 0 || iy >= height || ix < 0 || ix >= c.size)
                                    continue;
                                const int64_t xv
                                    = x[size_t(((gi * cg + ci) * height + iy) * c.size + ix)];
                                const int64_t wv
                                    = w[size_t(((m * cg + ci) * kernelH + ky) * c.kernel + kx)];
                                sum += (xv - xZero) * (wv - wzp);
                            }
                        }
                    }
                    ASSERT_EQ(got[size_t((m * outH + oy) * outW + ox)], sum)
                        << "filter " << m << " at " << oy << "," << ox;
                }
            }
        }
    }
}

// The NCHW <-> NHWC byte transpose around the int8 primitives: whole 16 x 16 tiles, ragged edges
// and several batches, against the index formula.
TEST(Quant, ByteTransposeMatchesTheIndexFormula)
{
    for (const auto &[batch, rows, cols] : std::vector<std::array<int64_t, 3>>{{1, 16, 16},
                                                                               {2, 24, 1600},
                                                                               {1, 3, 5},
                                                                               {3, 37, 50},
                                                                               {1, 1, 40}}) {
        std::vector<uint8_t> in(size_t(batch * rows * cols)), out(in.size());
        for (size_t i = 0; i < in.size(); ++i)
            in[i] = uint8_t(i * 131 + i / 7);
        ops::transposeBytes(in.data(), out.data(), batch, rows, cols, 2);
        for (int64_t n = 0; n < batch; ++n)
            for (int64_t r = 0; r < rows; ++r)
                for (int64_t c = 0; c < cols; ++c)
                    ASSERT_EQ(out[size_t(n * rows * cols + c * rows + r)],
                              in[size_t(n * rows * cols + r * cols + c)])
                        << batch << "x" << rows << "x" << cols << " at " << n << "," << r << ","
                        << c;
    }
}

} // namespace
} // namespace qs
