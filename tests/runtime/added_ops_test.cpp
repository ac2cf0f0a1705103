// Ops whose ONNX backend tests are thin (core/runtime/ops: Trilu, the losses, BitShift, Unique):
// the edge cases those tests skip, table-driven against a plain reference or hand values.
#include "support/run_node.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>

namespace qs {
namespace {

using test::nodeUnderTest;
using test::runNode;

// ---- Trilu: every k from far below to far above the matrix, both triangles, batched ----

struct TriluCase
{
    const char *name;
    Shape shape;
    int64_t k;
    bool upper;
};

TEST(Trilu, MatchesTheDefinitionForEveryK)
{
    const int64_t big = std::numeric_limits<int64_t>::max();
    const TriluCase cases[] = {
        {"upper_k0", {3, 4}, 0, true},           {"lower_k0", {3, 4}, 0, false},
        {"upper_k2", {2, 3, 5}, 2, true},        {"lower_k-2", {2, 5, 3}, -2, false},
        {"upper_k_above", {4, 4}, 9, true},      {"lower_k_below", {4, 4}, -9, false},
        {"upper_k_max", {3, 3}, big, true},      {"lower_k_min", {3, 3}, -big - 1, false},
        {"upper_k_min", {3, 3}, -big - 1, true}, {"lower_k_max", {3, 3}, big, false},
        {"empty_rows", {0, 4}, 1, true},
    };
    for (const TriluCase &c : cases) {
        SCOPED_TRACE(c.name);
        onnx::NodeProto node = nodeUnderTest("Trilu", {"x", "k"}, {"y"});
        test::setIntAttribute(node, "upper", c.upper ? 1 : 0);
        std::vector<int32_t> values(static_cast<size_t>(shapeElementCount(c.shape)));
        std::iota(values.begin(), values.end(), 1);
        auto out = runNode(node, {{"x", Tensor::fromVector<int32_t>(c.shape, values)},
                                  {"k", Tensor::scalar<int64_t>(c.k)}});
        ASSERT_TRUE(out) << out.status().message();
        const Tensor &y = (*out)[0];
        ASSERT_EQ(y.shape(), c.shape);
        const int64_t rows = c.shape[c.shape.size() - 2], columns = c.shape.back();
        for (int64_t e = 0; e < y.elementCount(); ++e) {
            const int64_t i = (e / columns) % rows, j = e % columns;
            // j - i compared in long double so that k at the int64 limits cannot overflow.
            const long double offset = static_cast<long double>(j) - i;
            const bool keep = c.upper ? offset >= c.k : offset <= c.k;
            EXPECT_EQ(y.data<int32_t>()[e], keep ? values[static_cast<size_t>(e)] : 0) << e;
        }
    }
}

// ---- losses: ignore_index, weights, and the reductions ----

Tensor logProbabilities()
{
    // [N=3, C=2]: rows of log-probabilities.
    return Tensor::fromVector<float>({3, 2}, {std::log(0.25f), std::log(0.75f), std::log(0.5f),
                                              std::log(0.5f), std::log(0.9f), std::log(0.1f)});
}

struct LossCase
{
    const char *name;
    const char *reduction;
    std::optional<int64_t> ignoreIndex;
    bool weighted;
    std::vector<float> expected;
};

TEST(NegativeLogLikelihoodLoss, IgnoreIndexWeightsAndReductions)
{
    // Targets 1, 0, 1 pick log 0.75, log 0.5, log 0.1; weights per class 2 and 3.
    const float a = -std::log(0.75f), b = -std::log(0.5f), c = -std::log(0.1f);
    const LossCase cases[] = {
        {"none", "none", std::nullopt, false, {a, b, c}},
        {"sum", "sum", std::nullopt, false, {a + b + c}},
        {"mean", "mean", std::nullopt, false, {(a + b + c) / 3}},
        {"mean_ignore", "mean", 1, false, {b}},
        {"none_ignore", "none", 0, false, {a, 0.0f, c}},
        {"mean_weighted", "mean", std::nullopt, true, {(3 * a + 2 * b + 3 * c) / 8}},
        {"mean_weighted_ignore", "mean", 0, true, {(3 * a + 3 * c) / 6}},
        {"sum_weighted_ignore_absent", "sum", 7, true, {3 * a + 2 * b + 3 * c}},
    };
    for (const LossCase &lc : cases) {
        SCOPED_TRACE(lc.name);
        onnx::NodeProto node = nodeUnderTest("NegativeLogLikelihoodLoss",
                                             {"x", "t", lc.weighted ? "w" : ""}, {"loss"});
        test::setStringAttribute(node, "reduction", lc.reduction);
        if (lc.ignoreIndex)
            test::setIntAttribute(node, "ignore_index", *lc.ignoreIndex);
        std::vector<std::pair<std::string, Tensor>> inputs
            = {{"x", logProbabilities()}, {"t", Tensor::fromVector<int64_t>({3}, {1, 0, 1})}};
        if (lc.weighted)
            inputs.push_back({"w", Tensor::fromVector<float>({2}, {2.0f, 3.0f})});
        auto out = runNode(node, inputs);
        ASSERT_TRUE(out) << out.status().message();
        const Tensor &loss = (*out)[0];
        ASSERT_EQ(loss.elementCount(), static_cast<int64_t>(lc.expected.size()));
        for (size_t i = 0; i < lc.expected.size(); ++i)
            EXPECT_NEAR(loss.data<float>()[i], lc.expected[i], 1e-6f) << i;
    }
}

TEST(NegativeLogLikelihoodLoss, TargetOutOfRangeIsAnError)
{
    onnx::NodeProto node = nodeUnderTest("NegativeLogLikelihoodLoss", {"x", "t"}, {"loss"});
    test::setIntAttribute(node, "ignore_index", -1);
    auto out = runNode(node, {{"x", logProbabilities()},
                              {"t", Tensor::fromVector<int64_t>({3}, {1, -1, 2})}});
    ASSERT_FALSE(out);
    EXPECT_NE(out.status().message().find("target value 2"), std::string::npos)
        << out.status().message();
}

// ---- BitShift: shifts by the type's width or more give 0 ----

TEST(BitShift, WideShiftsGiveZero)
{
    for (const char *direction : {"LEFT", "RIGHT"}) {
        SCOPED_TRACE(direction);
        onnx::NodeProto node = nodeUnderTest("BitShift", {"x", "s"}, {"y"});
        test::setStringAttribute(node, "direction", direction);
        auto out = runNode(node, {{"x", Tensor::fromVector<uint8_t>({4}, {0x81, 0x81, 3, 255})},
                                  {"s", Tensor::fromVector<uint8_t>({4}, {1, 8, 200, 7})}});
        ASSERT_TRUE(out) << out.status().message();
        const uint8_t *y = (*out)[0].data<uint8_t>();
        if (std::string(direction) == "LEFT")
            EXPECT_EQ(std::vector<uint8_t>(y, y + 4), (std::vector<uint8_t>{0x02, 0, 0, 0x80}));
        else
            EXPECT_EQ(std::vector<uint8_t>(y, y + 4), (std::vector<uint8_t>{0x40, 0, 0, 1}));
    }
}

// ---- Unique: first occurrences, inverse indices and counts, sorted or not ----

TEST(Unique, SortedAndInOrderOfFirstOccurrence)
{
    for (const bool sorted : {true, false}) {
        SCOPED_TRACE(sorted ? "sorted" : "unsorted");
        onnx::NodeProto node = nodeUnderTest("Unique", {"x"}, {"y", "first", "inverse", "counts"});
        test::setIntAttribute(node, "sorted", sorted ? 1 : 0);
        auto out = runNode(node, {{"x", Tensor::fromVector<int32_t>({6}, {4, 1, 4, 3, 1, 1})}});
        ASSERT_TRUE(out) << out.status().message();
        const auto y = (*out)[0].toInt64Vector(), first = (*out)[1].toInt64Vector();
        const auto inverse = (*out)[2].toInt64Vector(), counts = (*out)[3].toInt64Vector();
        if (sorted) {
            EXPECT_EQ(y, (std::vector<int64_t>{1, 3, 4}));
            EXPECT_EQ(first, (std::vector<int64_t>{1, 3, 0}));
            EXPECT_EQ(inverse, (std::vector<int64_t>{2, 0, 2, 1, 0, 0}));
            EXPECT_EQ(counts, (std::vector<int64_t>{3, 1, 2}));
        } else {
            EXPECT_EQ(y, (std::vector<int64_t>{4, 1, 3}));
            EXPECT_EQ(first, (std::vector<int64_t>{0, 1, 3}));
            EXPECT_EQ(inverse, (std::vector<int64_t>{0, 1, 0, 2, 1, 1}));
            EXPECT_EQ(counts, (std::vector<int64_t>{2, 3, 1}));
        }
    }
}

TEST(Unique, NaNsFormOneGroupAfterTheNumbers)
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    onnx::NodeProto node = nodeUnderTest("Unique", {"x"}, {"y", "first", "inverse", "counts"});
    auto out = runNode(node, {{"x", Tensor::fromVector<float>({5}, {nan, 1.0f, nan, 0.0f, 1.0f})}});
    ASSERT_TRUE(out) << out.status().message();
    const Tensor &y = (*out)[0];
    ASSERT_EQ(y.shape(), (Shape{3}));
    EXPECT_EQ(y.data<float>()[0], 0.0f);
    EXPECT_EQ(y.data<float>()[1], 1.0f);
    EXPECT_TRUE(std::isnan(y.data<float>()[2]));
    EXPECT_EQ((*out)[3].toInt64Vector(), (std::vector<int64_t>{1, 2, 2}));
    EXPECT_EQ((*out)[2].toInt64Vector(), (std::vector<int64_t>{2, 1, 2, 0, 1}));
}

} // namespace
} // namespace qs
