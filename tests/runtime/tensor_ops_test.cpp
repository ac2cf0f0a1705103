// Shape and data-movement kernels (core/runtime/ops/tensor): the cases ONNX's backend tests miss
// (clear errors, non-float dtypes, negative-step slices) and fast paths against plain ones.
#include "runtime/ops/tensor/resize_plan.h"
#include "runtime/ops/tensor/transpose.h"
#include "support/random_data.h"
#include "support/run_node.h"

#include <gtest/gtest.h>

#include <limits>
#include <numeric>
#include <random>

namespace qs {
namespace {

using test::nodeUnderTest;
using test::runNode;
using namespace qs::ops;

Tensor ints(Shape shape, std::vector<int64_t> values)
{
    return Tensor::fromVector<int64_t>(std::move(shape), values);
}

// ---- errors name the node, the value and expected vs actual ----

std::vector<test::ErrorCase> errorCases()
{
    std::vector<test::ErrorCase> cases;
    cases.push_back(
        {"reshape_count",
         nodeUnderTest("Reshape", {"x", "s"}, {"y"}),
         {{"x", Tensor::allocate(DType::Float32, {2, 3}, true)}, {"s", ints({2}, {4, 2})}},
         {"Reshape_under_test", "float32[2,3]", "[4,2]", "6 elements"}});
    cases.push_back(
        {"reshape_inferred",
         nodeUnderTest("Reshape", {"x", "s"}, {"y"}),
         {{"x", Tensor::allocate(DType::Float32, {2, 3}, true)}, {"s", ints({2}, {4, -1})}},
         {"float32[2,3]", "[4,-1]", "multiple of 4"}});
    onnx::NodeProto squeeze = nodeUnderTest("Squeeze", {"x", "axes"}, {"y"});
    cases.push_back(
        {"squeeze_not_one",
         squeeze,
         {{"x", Tensor::allocate(DType::Float32, {1, 3}, true)}, {"axes", ints({1}, {1})}},
         {"axis 1", "float32[1,3]", "size is 3"}});
    onnx::NodeProto concat = nodeUnderTest("Concat", {"a", "b"}, {"y"});
    test::setIntAttribute(concat, "axis", 1);
    cases.push_back({"concat_mismatch",
                     concat,
                     {{"a", Tensor::allocate(DType::Float32, {2, 3}, true)},
                      {"b", Tensor::allocate(DType::Float32, {3, 3}, true)}},
                     {"input 1", "float32[3,3]", "float32[2,3]"}});
    cases.push_back({"gather_index",
                     nodeUnderTest("Gather", {"x", "i"}, {"y"}),
                     {{"x", Tensor::allocate(DType::Float32, {3, 2}, true)}, {"i", ints({1}, {-4})}},
                     {"index -4", "float32[3,2]"}});
    cases.push_back({"expand_incompatible",
                     nodeUnderTest("Expand", {"x", "s"}, {"y"}),
                     {{"x", Tensor::allocate(DType::Float32, {2, 3}, true)}, {"s", ints({1}, {4})}},
                     {"float32[2,3]", "[4]"}});
    return cases;
}

TEST(TensorOpsErrors, NameTheValueAndTheShapes)
{
    test::expectErrorsMention(errorCases());
}

// ---- values ----

TEST(TensorOps, SliceWithNegativeStepsAndClamping)
{
    onnx::NodeProto node = nodeUnderTest("Slice", {"x", "starts", "ends", "axes", "steps"}, {"y"});
    std::vector<float> values(20);
    std::iota(values.begin(), values.end(), 0.0f);
    const int64_t lowest = std::numeric_limits<int64_t>::min();
    // Axis 1 backwards from the end by 2 (ends clamp to "before 0"); axis 0 reversed from 100.
    auto out = runNode(node, {{"x", Tensor::fromVector<float>({4, 5}, values)},
                              {"starts", ints({2}, {100, -1})},
                              {"ends", ints({2}, {lowest, lowest})},
                              {"axes", ints({2}, {0, 1})},
                              {"steps", ints({2}, {-3, -2})}});
    ASSERT_TRUE(out.isOk()) << out.status().message();
    // rows 3, 0; columns 4, 2, 0
    EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
    const std::vector<float> expected = {19, 17, 15, 4, 2, 0};
    auto got = (*out)[0].values<float>();
    EXPECT_EQ(std::vector<float>(got.begin(), got.end()), expected);
}

TEST(TensorOps, SliceEmptyWhenStartPassesEnd)
{
    onnx::NodeProto node = nodeUnderTest("Slice", {"x", "starts", "ends", "axes", "steps"}, {"y"});
    auto out = runNode(node, {{"x", Tensor::allocate(DType::Int32, {6}, true)},
                              {"starts", ints({1}, {2})},
                              {"ends", ints({1}, {4})},
                              {"axes", ints({1}, {0})},
                              {"steps", ints({1}, {-1})}});
    ASSERT_TRUE(out.isOk()) << out.status().message();
    EXPECT_EQ((*out)[0].shape(), (Shape{0}));
}

TEST(TensorOps, DataMovementWorksOnAnyDtype)
{
    // Transpose of int8 and bool, Pad reflect of int64, Tile of float16.
    onnx::NodeProto transpose = nodeUnderTest("Transpose", {"x"}, {"y"});
    test::setIntsAttribute(transpose, "perm", {1, 0});
    auto t = runNode(transpose, {{"x", Tensor::fromVector<int8_t>({2, 3}, {1, 2, 3, 4, 5, 6})}});
    ASSERT_TRUE(t.isOk()) << t.status().message();
    auto tv = (*t)[0].values<int8_t>();
    EXPECT_EQ(std::vector<int8_t>(tv.begin(), tv.end()), (std::vector<int8_t>{1, 4, 2, 5, 3, 6}));

    onnx::NodeProto pad = nodeUnderTest("Pad", {"x", "pads"}, {"y"});
    test::setStringAttribute(pad, "mode", "reflect");
    auto p = runNode(pad, {{"x", ints({1, 3}, {1, 2, 3})}, {"pads", ints({4}, {0, 2, 0, 1})}});
    ASSERT_TRUE(p.isOk()) << p.status().message();
    auto pv = (*p)[0].values<int64_t>();
    EXPECT_EQ(std::vector<int64_t>(pv.begin(), pv.end()), (std::vector<int64_t>{3, 2, 1, 2, 3, 2}));

    onnx::NodeProto tile = nodeUnderTest("Tile", {"x", "r"}, {"y"});
    auto h = runNode(tile, {{"x", Tensor::fromVector<Eigen::half>({2}, {Eigen::half(1.5f),
                                                                        Eigen::half(-2.0f)})},
                            {"r", ints({1}, {3})}});
    ASSERT_TRUE(h.isOk()) << h.status().message();
    EXPECT_EQ((*h)[0].describe(), "float16[6]");
    EXPECT_EQ(static_cast<float>((*h)[0].values<Eigen::half>()[4]), 1.5f);
}

TEST(TensorOps, ReshapeCopiesZeroDimsAndSharesStorage)
{
    onnx::NodeProto node = nodeUnderTest("Reshape", {"x", "s"}, {"y"});
    std::vector<float> values(12);
    std::iota(values.begin(), values.end(), 0.0f);
    Tensor input = Tensor::fromVector<float>({2, 3, 2}, values);
    auto out = runNode(node, {{"x", input}, {"s", ints({2}, {0, -1})}}, 17, {"s"});
    ASSERT_TRUE(out.isOk()) << out.status().message();
    EXPECT_EQ((*out)[0].shape(), (Shape{2, 6}));
    EXPECT_EQ((*out)[0].values<float>()[11], 11.0f);
    EXPECT_EQ((*out)[0].rawData(), input.rawData()); // a view, not a copy
}

TEST(TensorOps, ResizeNearestOnUint8UsesTheGather)
{
    onnx::NodeProto node = nodeUnderTest("Resize", {"x", "", "scales"}, {"y"});
    test::setStringAttribute(node, "mode", "nearest");
    auto out = runNode(node, {{"x", Tensor::fromVector<uint8_t>({1, 1, 1, 2}, {7, 200})},
                              {"scales", Tensor::fromVector<float>({4}, {1, 1, 2, 2})}});
    ASSERT_TRUE(out.isOk()) << out.status().message();
    auto v = (*out)[0].values<uint8_t>();
    EXPECT_EQ(std::vector<uint8_t>(v.begin(), v.end()),
              (std::vector<uint8_t>{7, 7, 200, 200, 7, 7, 200, 200}));
}

// ---- fast paths equal the plain paths on random data (fixed seed) ----

TEST(TensorOpsFastPaths, Resize2dEqualsGeneralPath)
{
    struct Case
    {
        ResizeMode mode;
        CoordinateMode coordinates;
        Shape in, out;
    };
    const Case cases[] = {
        {ResizeMode::Linear, CoordinateMode::HalfPixel, {2, 3, 7, 9}, {2, 3, 13, 5}},
        {ResizeMode::Linear, CoordinateMode::AlignCorners, {1, 4, 5, 6}, {1, 4, 10, 12}},
        {ResizeMode::Linear, CoordinateMode::PytorchHalfPixel, {1, 2, 8, 8}, {1, 2, 3, 1}},
        {ResizeMode::Nearest, CoordinateMode::Asymmetric, {2, 2, 6, 5}, {2, 2, 12, 10}},
        {ResizeMode::Nearest, CoordinateMode::HalfPixel, {1, 3, 9, 7}, {1, 3, 4, 3}},
        {ResizeMode::Linear, CoordinateMode::HalfPixel, {3, 40, 33}, {3, 80, 66}},
    };
    uint32_t seed = 1;
    for (const Case &c : cases) {
        SCOPED_TRACE(shapeToString(c.in) + " -> " + shapeToString(c.out));
        ResizeOptions options;
        options.mode = c.mode;
        options.coordinates = c.coordinates;
        std::vector<double> scales, lengths;
        for (size_t d = 0; d < c.in.size(); ++d) {
            scales.push_back(static_cast<double>(c.out[d]) / static_cast<double>(c.in[d]));
            lengths.push_back(static_cast<double>(c.out[d]));
        }
        const ResizePlan plan = makeResizePlan(options, c.in, c.out, scales, lengths, {});
        ASSERT_TRUE(fast2dApplies(plan));
        const std::vector<float> in
            = test::randomUniform(static_cast<size_t>(shapeElementCount(c.in)), seed++);
        std::vector<float> fast(static_cast<size_t>(shapeElementCount(c.out)));
        std::vector<float> general(fast.size());
        resizeFast2d(plan, in.data(), fast.data(), 2);
        resizeGeneral(plan, in.data(), general.data(), 2);
        for (size_t i = 0; i < fast.size(); ++i)
            ASSERT_NEAR(fast[i], general[i], 1e-6f) << "element " << i;
    }
}

TEST(TensorOpsFastPaths, PermutationsEqualNaiveTranspose)
{
    struct Case
    {
        Shape shape;
        std::vector<int64_t> perm;
    };
    const Case cases[] = {
        {{37, 53}, {1, 0}},                 // 2-D tiles
        {{2, 3, 17, 19}, {0, 2, 3, 1}},     // NCHW -> NHWC (batched 2-D)
        {{2, 17, 19, 3}, {0, 3, 1, 2}},     // NHWC -> NCHW
        {{2, 5, 4, 8}, {0, 2, 1, 3}},       // heads swap keeps the inner dim
        {{3, 1, 4, 5, 2}, {4, 2, 0, 3, 1}}, // general, with a unit dim
        {{6, 7, 5}, {2, 0, 1}},
    };
    std::mt19937 rng(7);
    for (const Case &c : cases) {
        SCOPED_TRACE(shapeToString(c.shape));
        const int64_t count = shapeElementCount(c.shape);
        std::vector<int32_t> in(static_cast<size_t>(count));
        for (int32_t &v : in)
            v = static_cast<int32_t>(rng());
        std::vector<int32_t> got(in.size());
        permuteElements(got.data(), in.data(), c.shape, c.perm, 4, 2);
        // Naive: walk the output in order, read the input through permuted strides.
        const size_t rank = c.shape.size();
        std::vector<int64_t> inStrides(rank, 1), outShape(rank);
        for (size_t d = rank - 1; d > 0; --d)
            inStrides[d - 1] = inStrides[d] * c.shape[d];
        for (size_t d = 0; d < rank; ++d)
            outShape[d] = c.shape[static_cast<size_t>(c.perm[d])];
        std::vector<int64_t> index(rank, 0);
        for (int64_t o = 0; o < count; ++o) {
            int64_t offset = 0;
            for (size_t d = 0; d < rank; ++d)
                offset += index[d] * inStrides[static_cast<size_t>(c.perm[d])];
            ASSERT_EQ(got[static_cast<size_t>(o)], in[static_cast<size_t>(offset)]) << o;
            for (size_t d = rank; d-- > 0;) {
                if (++index[d] < outShape[d])
                    break;
                index[d] = 0;
            }
        }
    }
}

} // namespace
} // namespace qs
