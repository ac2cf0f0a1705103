// Streaming calibration statistics: merging samples one by one gives what one pass over all the
// values would, and the percentile / entropy ranges behave as their definitions say.
#include "quant/calibration/range_collector.h"
#include "support/random_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace qs {
namespace {

TEST(RangeCollector, MinMaxOverSamplesIgnoresNonFinite)
{
    MinMaxCollector collector(false, 0.01f);
    const float first[] = {-1.0f, 2.0f, NAN};
    const float second[] = {0.5f, INFINITY, 3.0f};
    collector.add(first, 3);
    collector.add(second, 3);
    EXPECT_FLOAT_EQ(collector.range().min, -1.0f);
    EXPECT_FLOAT_EQ(collector.range().max, 3.0f);
}

TEST(RangeCollector, MovingAverageFoldsEachSample)
{
    MinMaxCollector collector(true, 0.5f);
    const float first[] = {-2.0f, 2.0f};
    const float second[] = {0.0f, 4.0f};
    collector.add(first, 2);
    collector.add(second, 2);
    EXPECT_FLOAT_EQ(collector.range().min, -1.0f); // -2 + 0.5 * (0 - -2)
    EXPECT_FLOAT_EQ(collector.range().max, 3.0f);
}

TEST(RangeCollector, HistogramMergedInPiecesEqualsOnePass)
{
    // Samples with growing ranges force the histogram to double twice.
    std::vector<std::vector<float>> samples = {test::randomNormal(1000, 1, 0.5f),
                                               test::randomNormal(1000, 2, 1.5f),
                                               test::randomNormal(1000, 3, 4.0f)};
    HistogramCollector streamed(64);
    for (const auto &s : samples)
        streamed.add(s.data(), int64_t(s.size()));

    // One pass over the same values, starting from the final range's first sample bound.
    std::vector<float> all;
    for (const auto &s : samples)
        all.insert(all.end(), s.begin(), s.end());
    int64_t total = 0;
    for (const int64_t c : streamed.counts())
        total += c;
    EXPECT_EQ(total, 3000);
    const double t = streamed.threshold();
    const double absMax = std::fabs(*std::max_element(all.begin(), all.end(), [](float a, float b) {
        return std::fabs(a) < std::fabs(b);
    }));
    EXPECT_GE(t, absMax);
    EXPECT_LT(t, 2 * absMax);
    std::vector<int64_t> expected(64, 0);
    for (const float v : all)
        ++expected[size_t(std::clamp<int64_t>(int64_t((v + t) / (2 * t) * 64), 0, 63))];
    // Exact up to values lying on a bin edge, which float rounding may put on either side.
    int64_t moved = 0;
    for (size_t i = 0; i < expected.size(); ++i)
        moved += std::abs(expected[i] - streamed.counts()[i]);
    EXPECT_LE(moved, 4);
}

TEST(RangeCollector, PercentileCutsTheTails)
{
    std::vector<float> values = test::randomNormal(200000, 7, 1.0f);
    values.push_back(100.0f); // one far outlier
    HistogramCollector collector(2048);
    collector.add(values.data(), int64_t(values.size()));
    const TensorRange symmetric = collector.percentileRange(99.0, true);
    // 99% of |N(0,1)| lies within 2.576; the bin width is 100 / 1024 here.
    EXPECT_NEAR(symmetric.max, 2.576, 0.15);
    EXPECT_FLOAT_EQ(symmetric.min, -symmetric.max);
    const TensorRange twoSided = collector.percentileRange(99.0, false);
    EXPECT_NEAR(twoSided.max, 2.576, 0.15);
    EXPECT_NEAR(twoSided.min, -2.576, 0.15);
    // 100% keeps the observed extremes.
    const TensorRange everything = collector.percentileRange(100.0, false);
    EXPECT_FLOAT_EQ(everything.max, 100.0f);
}

TEST(RangeCollector, EntropyClipsOutliersButKeepsTheBulk)
{
    std::vector<float> values = test::randomNormal(100000, 11, 1.0f);
    for (int i = 0; i < 10; ++i)
        values.push_back(40.0f);
    HistogramCollector collector(2048);
    collector.add(values.data(), int64_t(values.size()));
    const TensorRange range = collector.entropyRange(128);
    EXPECT_LT(range.max, 20.0f); // the 10 outliers are not worth the resolution
    EXPECT_GT(range.max, 2.5f);  // the bulk of N(0,1) is kept
    EXPECT_GE(range.min, -range.max - 1e-6f);
}

} // namespace
} // namespace qs
