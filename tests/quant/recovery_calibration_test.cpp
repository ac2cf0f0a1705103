// The data-driven half of accuracy recovery: the MSE calibration method (range_collector.h) and
// bias correction (bias_correction.h), on synthetic data and a small model built in code.
#include "quant/bias_correction.h"
#include "quant/calibration/range_collector.h"
#include "quant/quant_params.h"
#include "quant/quantizer.h"
#include "quant_test_models.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

namespace qs {
namespace {

using namespace qs::test;

// Mean squared error of quantizing `values` to 8 bits over [low, high] and back.
double measuredMse(const std::vector<float> &values, TensorRange range, bool symmetric)
{
    const QuantRange limits = quantRange(quantscope::QUANT_TYPE_UINT8, false, symmetric);
    const QuantParams params = computeQuantParams(range.min, range.max, limits, symmetric);
    double sum = 0;
    for (const float v : values) {
        const double back = double(quantizeValue(v, params, limits) - params.zeroPoint)
                            * params.scale;
        sum += (back - v) * (back - v);
    }
    return sum / double(values.size());
}

std::vector<float> heavyTailed(unsigned seed, bool nonNegative)
{
    std::mt19937 random(seed);
    // Infinite variance: a few values hundreds of times the typical one.
    std::student_t_distribution<float> student(2.0f);
    std::vector<float> values(200000);
    for (float &v : values) {
        v = student(random);
        if (nonNegative)
            v = std::max(v, 0.0f); // a ReLU output: half the values exactly zero
    }
    return values;
}

TEST(MseCalibration, BeatsMinMaxOnHeavyTails)
{
    for (const bool relu : {false, true}) {
        for (const bool symmetric : {false, true}) {
            SCOPED_TRACE(std::string(relu ? "relu" : "signed")
                         + (symmetric ? ", symmetric" : ", asymmetric"));
            const std::vector<float> values = heavyTailed(3, relu);
            HistogramCollector histogram(2048);
            MinMaxCollector minMax(false, 0.01f);
            // Four "samples", as calibration folds them in.
            for (size_t part = 0; part < 4; ++part) {
                const float *data = values.data() + part * values.size() / 4;
                histogram.add(data, int64_t(values.size() / 4));
                minMax.add(data, int64_t(values.size() / 4));
            }
            const TensorRange full = minMax.range();
            const TensorRange mse = histogram.mseRange(symmetric);
            EXPECT_GE(mse.min, full.min);
            EXPECT_LE(mse.max, full.max);
            EXPECT_LT(mse.max - mse.min, 0.9f * (full.max - full.min)) << "tails clipped";
            const double mseError = measuredMse(values, mse, symmetric);
            const double minMaxError = measuredMse(values, full, symmetric);
            std::cout << (relu ? "relu" : "signed") << (symmetric ? " symmetric" : "")
                      << ": quantization MSE " << minMaxError << " with MinMax, " << mseError
                      << " with the MSE range\n";
            EXPECT_LT(mseError, 0.95 * minMaxError)
                << "range [" << mse.min << ", " << mse.max << "] vs [" << full.min << ", "
                << full.max << "]";
            // The histogram's estimate tracks the measured error.
            const double low = symmetric ? -mse.max : mse.min;
            EXPECT_NEAR(histogram.quantizationMse(low, mse.max, 255), mseError, 0.2 * mseError);
            if (relu) {
                EXPECT_EQ(mse.min, 0.0f);
            }
        }
    }
}

TEST(MseCalibration, UniformValuesKeepTheirRange)
{
    std::vector<float> values(100000);
    std::mt19937 random(1);
    std::uniform_real_distribution<float> uniform(-1.0f, 3.0f);
    for (float &v : values)
        v = uniform(random);
    HistogramCollector histogram(2048);
    histogram.add(values.data(), int64_t(values.size()));
    const TensorRange range = histogram.mseRange(false);
    EXPECT_NEAR(range.min, -1.0f, 0.05f);
    EXPECT_NEAR(range.max, 3.0f, 0.05f);
}

// x[1,8,6,6] (uniform 0..1: a ReLU-like input with a positive mean) -> Conv 'conv' (3x3, 16
// channels, no padding, weights spread over 2^-3..2^4 across channels so that a per-tensor
// 7-bit scale rounds the small channels coarsely).
onnx::ModelProto biasModel()
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {1, 8, 6, 6});
    std::mt19937 random(21);
    std::normal_distribution<float> normal(0.1f, 0.3f); // a non-zero mean: errors do not cancel
    int element = 0;
    addFloatInitializer(g, "w", {16, 8, 3, 3},
                        [&] { return normal(random) * std::ldexp(1.0f, element++ / 72 % 8 - 3); });
    randomInitializer(g, "b", {16}, 2, 0.1f);
    addNode(g, "Conv", {"x", "w", "b"}, {"y"}, "conv");
    addOutput(g, "y", {1, 16, 4, 4});
    return model;
}

// Mean over channels of |mean over samples and positions of (quantized - float)|.
double meanOutputBias(const std::shared_ptr<const Model> &reference,
                      const std::shared_ptr<const Model> &quantized)
{
    std::vector<double> error(16, 0.0);
    const int samples = 32;
    for (int s = 0; s < samples; ++s) {
        const std::map<std::string, Tensor> inputs{{"x", uniformTensor({1, 8, 6, 6}, 100 + s)}};
        const Tensor a = runModel(reference, inputs).at(0).second;
        const Tensor b = runModel(quantized, inputs).at(0).second;
        for (int64_t i = 0; i < a.elementCount(); ++i)
            error[size_t(i / 16)] += double(b.data<float>()[i]) - a.data<float>()[i];
    }
    double total = 0;
    for (const double e : error)
        total += std::fabs(e) / (samples * 16);
    return total / 16;
}

TEST(BiasCorrection, ShiftMatchesTheWeightErrorOnTheMean)
{
    // One output, two inputs of mean 1 and 3: W_q - W per input times the mean.
    onnx::NodeProto gemm = makeNode("Gemm", {"a", "w"}, {"y"});
    const Tensor weight = Tensor::fromVector<float>({2, 1}, {0.3f, 1.0f});
    StaticWriteOptions options; // int8 symmetric per tensor: scale 1/127
    const std::vector<double> shift = biasShift(gemm, weight, {1.0, 3.0}, options);
    ASSERT_EQ(shift.size(), 1u);
    const double q = std::nearbyint(0.3 * 127) / 127; // 1.0 is exact
    EXPECT_NEAR(shift[0], -(q - 0.3) * 1.0, 1e-6);
}

TEST(BiasCorrection, ReducesTheMeanOutputError)
{
    auto model = loadProto(biasModel());
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_STATIC);
    recipe.mutable_calibration()->set_max_samples(16);
    auto plain = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    ASSERT_TRUE(plain) << plain.status().message();
    recipe.set_bias_correction(true);
    auto corrected = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    ASSERT_TRUE(corrected) << corrected.status().message();
    EXPECT_NE(corrected->summary.find("bias correction: 1 Conv/Gemm biases shifted"),
              std::string::npos)
        << corrected->summary;
    const double before = meanOutputBias(model, loadProto(plain->model));
    const double after = meanOutputBias(model, loadProto(corrected->model));
    std::cout << "mean |output bias| per channel: " << before << " without, " << after
              << " with bias correction\n";
    EXPECT_LT(after, before / 2);

    recipe.set_mode(quantscope::QUANT_MODE_DYNAMIC);
    recipe.clear_calibration();
    auto dynamic = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    ASSERT_FALSE(dynamic);
    EXPECT_NE(dynamic.status().message().find("static mode only"), std::string::npos);
}

} // namespace
} // namespace qs
