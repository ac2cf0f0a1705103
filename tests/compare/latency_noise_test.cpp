// The latency noise verdict (issue 16, item 7) on synthetic round medians: steady rounds rank,
// overlapping ones do not, one round gives no verdict; the report's warning names both variants.
#include "compare/latency_noise.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

TEST(LatencyNoise, RoundVariationIsRangeOverMedian)
{
    EXPECT_DOUBLE_EQ(roundVariation({9.0, 12.0, 10.0}), 0.3); // (12 - 9) / 10
    EXPECT_DOUBLE_EQ(roundVariation({10.0}), 0.0);            // one round: no spread to see
    EXPECT_DOUBLE_EQ(roundVariation({}), 0.0);
}

TEST(LatencyNoise, SteadyRoundsRankTheVariants)
{
    // FP32 ~10 ms, INT8 ~6 ms, 2% swings: the gap is far larger than the noise.
    const auto pairs = unrankablePairs({{10.0, 10.2, 9.9, 10.1}, {6.0, 6.1, 5.95, 6.05}});
    EXPECT_TRUE(pairs.empty());
}

TEST(LatencyNoise, LoadSwingsLargerThanTheGapDoNotRank)
{
    // A busy machine: one round 6x slower (94 -> 582 ms in the issue) for every variant; the
    // 10% gap between them is inside that swing.
    const std::vector<std::vector<double>> rounds
        = {{94.0, 96.0, 582.0}, {85.0, 88.0, 530.0}, {40.0, 41.0, 42.0}};
    const auto pairs = unrankablePairs(rounds);
    ASSERT_EQ(pairs.size(), 1u);
    EXPECT_EQ(pairs[0].first, 0u);
    EXPECT_EQ(pairs[0].second, 1u);
}

TEST(LatencyNoise, OneRoundGivesNoVerdict)
{
    EXPECT_TRUE(unrankablePairs({{10.0}, {10.0}}).empty());
}

TEST(LatencyNoise, ReportWarningNamesBothVariants)
{
    quantscope::Report report;
    const std::vector<std::pair<const char *, std::vector<double>>> variants
        = {{"ref.onnx", {20.0, 26.0, 21.0}},
           {"int8.onnx", {19.0, 24.0, 19.5}},
           {"fp16.onnx", {8.0, 8.1, 8.05}}};
    for (const auto &[path, medians] : variants) {
        auto *variant = report.add_variants();
        variant->set_path(path);
        for (const double median : medians)
            variant->mutable_latency()->add_round_median_ms(median);
    }
    const auto diagnostics = latencyNoiseDiagnostics(report);
    ASSERT_EQ(diagnostics.size(), 1u);
    const auto &warning = diagnostics[0];
    EXPECT_EQ(warning.severity(), "warning");
    EXPECT_EQ(warning.code(), "latency_unrankable");
    ASSERT_EQ(warning.variants_size(), 2);
    EXPECT_EQ(warning.variants(0), "ref.onnx");
    EXPECT_EQ(warning.variants(1), "int8.onnx");
    ASSERT_EQ(warning.args_size(), 6);
    EXPECT_EQ(warning.args(2), "20.0");
    EXPECT_EQ(warning.args(3), "26.0");
    EXPECT_NE(warning.message().find("too noisy to rank ref.onnx and int8.onnx"), std::string::npos)
        << warning.message();
}

} // namespace
} // namespace qs
