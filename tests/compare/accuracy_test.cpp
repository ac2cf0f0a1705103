// Known answers for the accuracy metrics (core/compare/accuracy.h), worked out by hand on small
// vectors: a metric that drifts changes every verdict built on it, and no other test would see
// it, since they compare a model with variants through the same metric.
#include "compare/accuracy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace qs {
namespace {

Tensor floats(Shape shape, std::vector<float> values)
{
    return Tensor::fromVector<float>(std::move(shape), values);
}

TEST(AccuracyMetrics, CosineSqnrAndErrorsOfOneSample)
{
    // ref (3, 4), actual (4, 3): dot 24, norms 5 and 5 -> cosine 24 / 25. Error (1, -1): squares
    // 2 against the reference's 25 -> SQNR 10 log10(12.5) dB. Largest error 1, mean 1.
    AccuracyAccumulator accuracy;
    accuracy.add(floats({2}, {3, 4}), floats({2}, {4, 3}), false);
    EXPECT_DOUBLE_EQ(accuracy.cosine(), 0.96);
    EXPECT_NEAR(accuracy.sqnrDb(), 10.969100130080564, 1e-12);
    EXPECT_DOUBLE_EQ(accuracy.maxAbs(), 1.0);
    EXPECT_DOUBLE_EQ(accuracy.meanAbs(), 1.0);
    EXPECT_EQ(accuracy.nanCount(), 0);
    EXPECT_FALSE(accuracy.hasTop1());
}

TEST(AccuracyMetrics, ADoubledOutputHasCosineOneButSqnrZeroAndItsSizeAsMaxError)
{
    // The error a doubled scale makes: the direction is kept (cosine 1), the magnitude is not.
    // ref (1, 2, 3, 4): squares 30; error = ref: squares 30 -> SQNR 10 log10(1) = 0 dB.
    AccuracyAccumulator accuracy;
    accuracy.add(floats({4}, {1, 2, 3, 4}), floats({4}, {2, 4, 6, 8}), false);
    EXPECT_NEAR(accuracy.cosine(), 1.0, 1e-15);
    EXPECT_DOUBLE_EQ(accuracy.sqnrDb(), 0.0);
    EXPECT_DOUBLE_EQ(accuracy.maxAbs(), 4.0);
    EXPECT_DOUBLE_EQ(accuracy.meanAbs(), 2.5);

    AccuracyAccumulator negated;
    negated.add(floats({4}, {1, 2, 3, 4}), floats({4}, {-1, -2, -3, -4}), false);
    EXPECT_DOUBLE_EQ(negated.cosine(), -1.0);
    // Error 2 ref: squares 120 against 30 -> 10 log10(1/4) dB.
    EXPECT_NEAR(negated.sqnrDb(), -6.020599913279624, 1e-12);
}

TEST(AccuracyMetrics, SamplesAccumulateAsOneLongVector)
{
    // Sample 1: ref (1, 0), actual (1, 1). Sample 2: ref (0, 2), actual (0, 2).
    // dot 1 + 4 = 5, ref squares 5, actual squares 2 + 4 = 6 -> cosine 5 / sqrt(30).
    // error squares 1 -> SQNR 10 log10(5). Errors 0, 1, 0, 0: max 1, mean 0.25.
    AccuracyAccumulator accuracy;
    accuracy.add(floats({2}, {1, 0}), floats({2}, {1, 1}), false);
    accuracy.add(floats({2}, {0, 2}), floats({2}, {0, 2}), false);
    EXPECT_NEAR(accuracy.cosine(), 5.0 / std::sqrt(30.0), 1e-15);
    EXPECT_NEAR(accuracy.sqnrDb(), 6.989700043360188, 1e-12);
    EXPECT_DOUBLE_EQ(accuracy.maxAbs(), 1.0);
    EXPECT_DOUBLE_EQ(accuracy.meanAbs(), 0.25);
}

TEST(AccuracyMetrics, ExactZeroAndNonFiniteCases)
{
    AccuracyAccumulator same;
    same.add(floats({3}, {1, -2, 0.5f}), floats({3}, {1, -2, 0.5f}), false);
    EXPECT_DOUBLE_EQ(same.cosine(), 1.0);
    EXPECT_EQ(same.sqnrDb(), std::numeric_limits<double>::infinity());
    EXPECT_DOUBLE_EQ(same.maxAbs(), 0.0);

    AccuracyAccumulator zeros; // both all-zero: the same
    zeros.add(floats({2}, {0, 0}), floats({2}, {0, 0}), false);
    EXPECT_DOUBLE_EQ(zeros.cosine(), 1.0);

    AccuracyAccumulator fromZero; // a zero reference against anything else: no signal at all
    fromZero.add(floats({2}, {0, 0}), floats({2}, {0, 3}), false);
    EXPECT_DOUBLE_EQ(fromZero.cosine(), 0.0);
    EXPECT_EQ(fromZero.sqnrDb(), -std::numeric_limits<double>::infinity());
    EXPECT_DOUBLE_EQ(fromZero.maxAbs(), 3.0);

    // A NaN in the actual output is counted and left out of every other figure.
    const float nan = std::numeric_limits<float>::quiet_NaN();
    AccuracyAccumulator withNan;
    withNan.add(floats({3}, {3, 4, 100}), floats({3}, {4, 3, nan}), false);
    EXPECT_EQ(withNan.nanCount(), 1);
    EXPECT_DOUBLE_EQ(withNan.cosine(), 0.96);
    EXPECT_DOUBLE_EQ(withNan.maxAbs(), 1.0);
}

TEST(AccuracyMetrics, IntegerOutputsAreComparedByValue)
{
    AccuracyAccumulator accuracy;
    accuracy.add(Tensor::fromVector<int64_t>({2}, {3, 4}), Tensor::fromVector<int64_t>({2}, {4, 3}),
                 false);
    EXPECT_DOUBLE_EQ(accuracy.cosine(), 0.96);
    EXPECT_DOUBLE_EQ(accuracy.maxAbs(), 1.0);
}

TEST(AccuracyMetrics, Top1AgreementPerRowOfScores)
{
    // Rows: best class 1 in both; 0 against 1; 2 in both -> 2 of 3 agree.
    AccuracyAccumulator accuracy;
    accuracy.add(floats({3, 3}, {0.1f, 0.7f, 0.2f, 0.5f, 0.4f, 0.1f, 1, 2, 3}),
                 floats({3, 3}, {0.2f, 0.6f, 0.2f, 0.3f, 0.6f, 0.1f, 1, 2, 30}), true);
    ASSERT_TRUE(accuracy.hasTop1());
    EXPECT_DOUBLE_EQ(accuracy.top1Agreement(), 2.0 / 3.0);
    // One more sample of one row that agrees: 3 of 4.
    accuracy.add(floats({1, 3}, {0, 0, 1}), floats({1, 3}, {0, 0, 2}), true);
    EXPECT_DOUBLE_EQ(accuracy.top1Agreement(), 0.75);

    const quantscope::OutputAccuracy proto = accuracy.toProto("scores");
    EXPECT_EQ(proto.name(), "scores");
    EXPECT_DOUBLE_EQ(proto.top1_agreement(), 0.75);
    EXPECT_DOUBLE_EQ(proto.max_abs(), 27.0);
}

TEST(AccuracyMetrics, WhichShapesHoldScores)
{
    EXPECT_TRUE(looksLikeScores({1, 1000}));
    EXPECT_TRUE(looksLikeScores({1, 40, 6625}));   // rec: a score vector per time step
    EXPECT_FALSE(looksLikeScores({1, 1, 64, 96})); // det: an image-like map
    EXPECT_FALSE(looksLikeScores({1, 1}));
    EXPECT_FALSE(looksLikeScores({}));
}

} // namespace
} // namespace qs
