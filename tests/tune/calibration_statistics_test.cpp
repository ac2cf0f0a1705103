// Calibrate once, derive any method's ranges (issue 17): the statistics give what calibrate()
// gives for MinMax (plain and moving average), Percentile (both cuts) and Entropy on the same
// samples, and a quantizeModel run that takes them neither calibrates again nor writes a
// different model.
#include "quant/calibration/calibration_statistics.h"
#include "quant/quantizer.h"
#include "runtime/session.h"
#include "tune_test_models.h"

#include "tune/tune_test_models.h"

#include <gtest/gtest.h>

#include <string_view>

namespace qs {
namespace {

std::unique_ptr<SampleSource> randomSamples(const Session &session)
{
    SampleSourceSettings settings;
    settings.maxSamples = 6;
    return std::move(*openSampleSource(inputSpecs(session), settings));
}

TEST(CalibrationStatistics, GiveTheSameRangesAsCalibrate)
{
    auto model = test::sensitiveMlpModel();
    ASSERT_TRUE(model);
    auto session = Session::create(model, sessionOptions(1, {}, false));
    ASSERT_TRUE(session.isOk()) << session.status().message();
    const std::set<std::string> tensors = {"x", "h1", "a1", "h2", "a2", "y"};
    auto source = randomSamples(**session);
    auto statistics = CalibrationStatistics::collect(**session, *source, tensors, 2048,
                                                     silentProgress());
    ASSERT_TRUE(statistics.isOk()) << statistics.status().message();
    EXPECT_EQ((*statistics)->samples(), 6);

    std::vector<CalibrationSettings> cases;
    for (const auto method :
         {quantscope::CALIBRATION_METHOD_MINMAX, quantscope::CALIBRATION_METHOD_PERCENTILE,
          quantscope::CALIBRATION_METHOD_ENTROPY}) {
        CalibrationSettings settings;
        settings.method = method;
        cases.push_back(settings);
    }
    cases.push_back(cases[0]);
    cases.back().movingAverage = true;
    cases.back().averagingConstant = 0.3f;
    cases.push_back(cases[1]);
    cases.back().percentile = 99.0;
    cases.back().symmetric = true;
    cases.push_back(cases[2]);
    cases.back().quantizedBins = 64;
    for (const CalibrationSettings &settings : cases) {
        auto again = randomSamples(**session);
        auto expected = calibrate(**session, *again, tensors, settings, silentProgress());
        ASSERT_TRUE(expected.isOk()) << expected.status().message();
        auto derived = (*statistics)->rangesFor(tensors, settings);
        ASSERT_TRUE(derived.isOk()) << derived.status().message();
        ASSERT_EQ(derived->ranges.size(), expected->ranges.size());
        for (const auto &[name, range] : expected->ranges) {
            SCOPED_TRACE(name + " method " + std::to_string(int(settings.method)));
            EXPECT_FLOAT_EQ(derived->ranges.at(name).min, range.min);
            EXPECT_FLOAT_EQ(derived->ranges.at(name).max, range.max);
        }
    }
    // A tensor the statistics never observed is named, not silently left out.
    auto missing = (*statistics)->rangesFor({"nowhere"}, cases[0]);
    ASSERT_FALSE(missing.isOk());
    EXPECT_NE(missing.status().message().find("'nowhere'"), std::string::npos);
}

TEST(CalibrationStatistics, QuantizeReusesThemWithoutCalibratingAgain)
{
    auto model = test::sensitiveMlpModel();
    ASSERT_TRUE(model);
    quantscope::Recipe minMax;
    minMax.set_mode(quantscope::QUANT_MODE_STATIC);
    quantscope::Recipe entropy = minMax;
    entropy.mutable_calibration()->set_method(quantscope::CALIBRATION_METHOD_ENTROPY);
    entropy.set_per_channel(true);

    test::CalibrationCounter counter;
    auto statistics = collectCalibrationStatistics(model, {minMax, entropy}, 1, counter);
    ASSERT_TRUE(statistics.isOk()) << statistics.status().message();
    EXPECT_EQ(counter.passes, 1);

    QuantizeSettings shared;
    shared.threads = 1;
    shared.calibrationStatistics = *statistics;
    for (const auto &recipe : {minMax, entropy, minMax}) {
        auto quantized = quantizeModel(model, recipe, shared, counter);
        ASSERT_TRUE(quantized.isOk()) << quantized.status().message();
        EXPECT_GT(quantized->quantizedNodes, 0);
    }
    EXPECT_EQ(counter.passes, 1) << "a trial calibrated again";

    // The same model as a run that calibrates itself: same ranges, same tensor names.
    for (const auto &recipe : {minMax, entropy}) {
        auto reused = quantizeModel(model, recipe, shared, silentProgress());
        test::CalibrationCounter own;
        auto calibrated = quantizeModel(model, recipe, QuantizeSettings{1, nullptr}, own);
        ASSERT_TRUE(reused.isOk() && calibrated.isOk());
        EXPECT_EQ(own.passes, 1);
        EXPECT_EQ(reused->model.SerializeAsString(), calibrated->model.SerializeAsString());
        EXPECT_EQ(reused->calibrationSamples, calibrated->calibrationSamples);
    }
}

} // namespace
} // namespace qs
