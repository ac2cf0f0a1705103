// Detector post-processing kernels on cases small enough to check by hand: NonMaxSuppression's
// tie order and box formats, RoiAlign's two coordinate modes, GridSample's padding, and
// MaxUnpool's scatter.
#include "support/run_node.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

struct NmsCase
{
    const char *name;
    bool centerFormat;
    std::vector<float> boxes;  // one batch
    std::vector<float> scores; // one class
    int64_t maxPerClass;
    float scoreThreshold;               // < 0: no threshold input
    std::vector<int64_t> expectedBoxes; // selected box indices in order
};

TEST(NonMaxSuppression, SelectsInScoreOrderAndSuppressesOverlaps)
{
    const NmsCase cases[] = {
        {"equal scores keep the lower index first",
         false,
         {0, 0, 1, 1, 0, 2, 1, 3, 0, 4, 1, 5},
         {0.5f, 0.5f, 0.5f},
         10,
         -1.0f,
         {0, 1, 2}},
        {"identical boxes of equal score keep only the first",
         false,
         {0, 0, 1, 1, 0, 0, 1, 1, 0, 4, 1, 5},
         {0.7f, 0.7f, 0.6f},
         10,
         -1.0f,
         {0, 2}},
        {"flipped corners are the same box",
         false,
         {1, 1, 0, 0, 0, 0, 1, 1},
         {0.9f, 0.8f},
         10,
         -1.0f,
         {0}},
        {"center_point_box=1 reads [x_center, y_center, width, height]",
         true,
         {0.5f, 0.5f, 1, 1, 0.5f, 0.6f, 1, 1, 0.5f, 10.5f, 1, 1},
         {0.9f, 0.95f, 0.3f},
         10,
         -1.0f,
         {1, 2}},
        {"score_threshold drops low scores, max_output_boxes_per_class stops early",
         false,
         {0, 0, 1, 1, 0, 2, 1, 3, 0, 4, 1, 5, 0, 6, 1, 7},
         {0.1f, 0.9f, 0.8f, 0.7f},
         2,
         0.2f,
         {1, 2}},
    };
    for (const NmsCase &c : cases) {
        SCOPED_TRACE(c.name);
        const auto count = int64_t(c.scores.size());
        onnx::NodeProto node = nodeUnderTest("NonMaxSuppression",
                                             {"boxes", "scores", "max", "iou", "threshold"},
                                             {"selected"});
        if (c.centerFormat)
            setIntAttribute(node, "center_point_box", 1);
        std::vector<std::pair<std::string, Tensor>> inputs = {
            {"boxes", Tensor::fromVector<float>({1, count, 4}, c.boxes)},
            {"scores", Tensor::fromVector<float>({1, 1, count}, c.scores)},
            {"max", Tensor::fromVector<int64_t>({1}, {c.maxPerClass})},
            {"iou", Tensor::fromVector<float>({1}, {0.5f})},
        };
        if (c.scoreThreshold >= 0.0f)
            inputs.emplace_back("threshold", Tensor::fromVector<float>({1}, {c.scoreThreshold}));
        else
            node.mutable_input()->RemoveLast();
        auto out = runNode(node, inputs, 11);
        ASSERT_TRUE(out) << out.status().message();
        const Tensor &selected = out->front();
        ASSERT_EQ(selected.describe(), "int64[" + std::to_string(c.expectedBoxes.size()) + ",3]");
        for (size_t i = 0; i < c.expectedBoxes.size(); ++i) {
            EXPECT_EQ(selected.intAt(int64_t(i) * 3), 0);
            EXPECT_EQ(selected.intAt(int64_t(i) * 3 + 1), 0);
            EXPECT_EQ(selected.intAt(int64_t(i) * 3 + 2), c.expectedBoxes[i]) << "row " << i;
        }
    }
}

struct RoiCase
{
    const char *mode;
    std::vector<float> roi;
    float expected;
};

TEST(RoiAlign, HalfPixelShiftsSamplesAndOutputHalfPixelWidensSmallRois)
{
    // X[r, c] = 4 r + c on a 4x4 map, so a bilinear sample at (y, x) reads 4 y + x.
    std::vector<float> map(16);
    for (int i = 0; i < 16; ++i)
        map[size_t(i)] = float(i);
    const RoiCase cases[] = {
        {"output_half_pixel", {0, 0, 3, 3}, 7.5f},       // one sample at (1.5, 1.5)
        {"half_pixel", {0, 0, 3, 3}, 5.0f},              // shifted to (1, 1)
        {"output_half_pixel", {1, 1, 1.2f, 1.2f}, 7.5f}, // widened to 1x1: (1.5, 1.5)
        {"half_pixel", {1, 1, 1.2f, 1.2f}, 3.0f},        // kept 0.2 wide: (0.6, 0.6)
    };
    for (const RoiCase &c : cases) {
        SCOPED_TRACE(std::string(c.mode) + " roi " + std::to_string(c.roi[2]));
        onnx::NodeProto node = nodeUnderTest("RoiAlign", {"x", "rois", "batch"}, {"y"});
        setStringAttribute(node, "coordinate_transformation_mode", c.mode);
        setIntAttribute(node, "sampling_ratio", 1);
        auto out = runNode(node,
                           {{"x", Tensor::fromVector<float>({1, 1, 4, 4}, map)},
                            {"rois", Tensor::fromVector<float>({1, 4}, c.roi)},
                            {"batch", Tensor::fromVector<int64_t>({1}, {0})}},
                           16);
        ASSERT_TRUE(out) << out.status().message();
        ASSERT_EQ(out->front().describe(), "float32[1,1,1,1]");
        EXPECT_NEAR(out->front().values<float>()[0], c.expected, 1e-5f);
    }
}

struct GridCase
{
    const char *padding;
    int64_t alignCorners;
    float x, y;
    float expected;
};

TEST(GridSample, PaddingDecidesWhatLiesOutside)
{
    const GridCase cases[] = {
        {"zeros", 0, 0.0f, 0.0f, 2.5f},    // the centre: the mean of the four pixels
        {"zeros", 1, -1.0f, -1.0f, 1.0f},  // the corner pixel's centre
        {"zeros", 0, -1.0f, -1.0f, 0.25f}, // half a pixel outside: a quarter of pixel 0
        {"border", 0, -1.0f, -1.0f, 1.0f}, // clamped onto pixel 0
        {"reflection", 0, -1.0f, -1.0f, 1.0f},
    };
    for (const GridCase &c : cases) {
        SCOPED_TRACE(std::string(c.padding) + " align_corners " + std::to_string(c.alignCorners));
        onnx::NodeProto node = nodeUnderTest("GridSample", {"x", "grid"}, {"y"});
        setStringAttribute(node, "padding_mode", c.padding);
        setIntAttribute(node, "align_corners", c.alignCorners);
        auto out = runNode(node,
                           {{"x", Tensor::fromVector<float>({1, 1, 2, 2}, {1, 2, 3, 4})},
                            {"grid", Tensor::fromVector<float>({1, 1, 1, 2}, {c.x, c.y})}},
                           16);
        ASSERT_TRUE(out) << out.status().message();
        EXPECT_NEAR(out->front().values<float>()[0], c.expected, 1e-6f);
    }
}

TEST(MaxUnpool, ScattersEachValueToItsIndexInAZeroOutput)
{
    onnx::NodeProto node = nodeUnderTest("MaxUnpool", {"x", "i"}, {"y"});
    setIntsAttribute(node, "kernel_shape", {2, 2});
    setIntsAttribute(node, "strides", {2, 2});
    auto out = runNode(node,
                       {{"x", Tensor::fromVector<float>({1, 1, 2, 2}, {5, 6, 7, 8})},
                        {"i", Tensor::fromVector<int64_t>({1, 1, 2, 2}, {1, 3, 8, 10})}},
                       11);
    ASSERT_TRUE(out) << out.status().message();
    ASSERT_EQ(out->front().describe(), "float32[1,1,4,4]");
    std::vector<float> expected(16, 0.0f);
    expected[1] = 5;
    expected[3] = 6;
    expected[8] = 7;
    expected[10] = 8;
    for (int i = 0; i < 16; ++i)
        EXPECT_EQ(out->front().values<float>()[size_t(i)], expected[size_t(i)]) << i;
}

} // namespace
} // namespace qs
