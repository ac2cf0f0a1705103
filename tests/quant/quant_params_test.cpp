// Scales and zero points against values worked out by hand from ONNX Runtime's formulas
// (quant_utils.compute_scale_zp), and weight/bias quantization round trips.
#include "quant/quant_params.h"

#include <gtest/gtest.h>

#include <cmath>

namespace qs {
namespace {

using quantscope::QUANT_TYPE_INT8;
using quantscope::QUANT_TYPE_UINT8;

TEST(QuantParams, RangesFollowOrt)
{
    EXPECT_EQ(quantRange(QUANT_TYPE_UINT8, false, false).qmax, 255);
    EXPECT_EQ(quantRange(QUANT_TYPE_UINT8, true, false).qmax, 127);
    EXPECT_EQ(quantRange(QUANT_TYPE_INT8, false, false).qmin, -128);
    EXPECT_EQ(quantRange(QUANT_TYPE_INT8, false, true).qmin, -127);
    EXPECT_EQ(quantRange(QUANT_TYPE_INT8, true, true).qmin, -64);
    EXPECT_EQ(quantRange(QUANT_TYPE_INT8, true, true).qmax, 64);
}

struct ParamsCase
{
    float rmin, rmax;
    quantscope::QuantType type;
    bool symmetric;
    float scale;
    int32_t zeroPoint;
};

TEST(QuantParams, ScaleAndZeroPoint)
{
    const ParamsCase cases[] = {
        // Asymmetric uint8: [-1, 3] -> scale 4/255, zero point round(0 - (-1)/scale) = 64.
        {-1.0f, 3.0f, QUANT_TYPE_UINT8, false, 4.0f / 255, 64},
        // The range is widened to include 0: [2, 6] acts as [0, 6].
        {2.0f, 6.0f, QUANT_TYPE_UINT8, false, 6.0f / 255, 0},
        // Symmetric int8 over [-127, 127]: zero point 0.
        {-0.5f, 2.54f, QUANT_TYPE_INT8, true, 2.54f * 2 / 254, 0},
        // Symmetric uint8: zero point round(255 / 2) = 128 (numpy rounds half to even).
        {-1.0f, 1.0f, QUANT_TYPE_UINT8, true, 2.0f / 255, 128},
        // Asymmetric int8 [-128, 127]: zero point round(-128 - (-1) / (4/255)) = -64.
        {-1.0f, 3.0f, QUANT_TYPE_INT8, false, 4.0f / 255, -64},
        // An all-zero tensor: scale 1, zero point 0 (never divide by a zero scale).
        {0.0f, 0.0f, QUANT_TYPE_UINT8, false, 1.0f, 0},
    };
    for (const auto &c : cases) {
        const QuantParams params = computeQuantParams(c.rmin, c.rmax,
                                                      quantRange(c.type, false, c.symmetric),
                                                      c.symmetric);
        EXPECT_NEAR(params.scale, c.scale, 1e-7) << c.rmin << ".." << c.rmax;
        EXPECT_EQ(params.zeroPoint, c.zeroPoint) << c.rmin << ".." << c.rmax;
    }
}

TEST(QuantParams, QuantizeValueRoundsHalfToEvenAndSaturates)
{
    const QuantParams params{1.0f, 0};
    const QuantRange range{-128, 127};
    EXPECT_EQ(quantizeValue(2.5f, params, range), 2);
    EXPECT_EQ(quantizeValue(3.5f, params, range), 4);
    EXPECT_EQ(quantizeValue(-2.5f, params, range), -2);
    EXPECT_EQ(quantizeValue(1000.0f, params, range), 127);
    EXPECT_EQ(quantizeValue(-1000.0f, params, range), -128);
    EXPECT_EQ(quantizeValue(std::nanf(""), params, range), -128);
}

TEST(QuantParams, PerChannelWeightsRoundTrip)
{
    // Two output channels with very different magnitudes: per channel keeps the small one.
    const Tensor weights = Tensor::fromVector<float>({2, 3}, {0.01f, -0.02f, 0.005f, 5, -3, 1});
    WeightQuantOptions options;
    options.type = QUANT_TYPE_INT8;
    options.symmetric = true;
    options.axis = 0;
    const QuantizedTensor q = quantizeWeights(weights, options);
    ASSERT_EQ(q.scales.size(), 2u);
    EXPECT_NEAR(q.scales[0], 0.02f / 127, 1e-9);
    EXPECT_NEAR(q.scales[1], 5.0f / 127, 1e-7);
    const auto values = q.values.values<int8_t>();
    for (int64_t i = 0; i < 6; ++i) {
        const float restored = float(values[size_t(i)]) * q.scales[size_t(i / 3)];
        EXPECT_NEAR(restored, weights.values<float>()[size_t(i)], q.scales[size_t(i / 3)] / 2);
    }
    // Per tensor the small channel collapses to a few levels.
    options.axis = -1;
    const QuantizedTensor perTensor = quantizeWeights(weights, options);
    ASSERT_EQ(perTensor.scales.size(), 1u);
    EXPECT_EQ(perTensor.values.values<int8_t>()[0], 0);
}

TEST(QuantParams, BiasScaleIsInputScaleTimesWeightScale)
{
    const Tensor bias = Tensor::fromVector<float>({2}, {0.5f, -1.25f});
    const QuantizedTensor q = quantizeBias(bias, 0.1f, {0.01f, 0.02f});
    ASSERT_EQ(q.values.dtype(), DType::Int32);
    EXPECT_NEAR(q.scales[0], 0.001f, 1e-9);
    EXPECT_EQ(q.values.values<int32_t>()[0], 500);
    EXPECT_EQ(q.values.values<int32_t>()[1], -625);
}

} // namespace
} // namespace qs
