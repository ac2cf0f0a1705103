// The export check's core (compare/verify.h): numpy's allclose rule element by element (NaN,
// infinities, the worst element's multi-index), shape and dtype mismatches, and the batch check
// on models whose Reshape keeps or loses the batch, with the culprit named.
#include "compare/verify.h"
#include "model/model.h"
#include "support/batch_models.h"
#include "support/temp_dir.h"
#include "tensor/tensor_io.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace qs {
namespace {

using namespace qs::test;

Tensor floats(Shape shape, std::vector<float> values)
{
    return Tensor::fromVector<float>(std::move(shape), values);
}

TEST(CompareTensors, WithinToleranceIsAPass)
{
    const Tensor expected = floats({2, 2}, {1, 2, 3, 4});
    const Tensor actual = floats({2, 2}, {1.0005f, 2, 3, 4.003f});
    const TensorCheck check = compareTensors("y", actual, expected, Tolerance{});
    EXPECT_TRUE(check.passed);
    EXPECT_EQ(check.mismatches, 0);
    EXPECT_NEAR(check.maxAbsError, 0.003, 1e-6);
    EXPECT_NEAR(check.maxRelError, 0.00075, 1e-6);
    EXPECT_EQ(check.worstIndex, (Shape{1, 1})); // the largest error when all match
}

TEST(CompareTensors, NumpysRuleIsAsymmetricInTheExpectedValue)
{
    // |a - e| <= atol + rtol * |e|: 0.0011 off 1.0 fails at rtol 1e-3, atol 1e-5.
    const TensorCheck check = compareTensors("y", floats({1}, {1.0011f}), floats({1}, {1.0f}),
                                             Tolerance{});
    EXPECT_FALSE(check.passed);
    EXPECT_EQ(check.mismatches, 1);
    const TensorCheck looser = compareTensors("y", floats({1}, {1.0011f}), floats({1}, {1.0f}),
                                              Tolerance{2e-3, 0});
    EXPECT_TRUE(looser.passed);
}

TEST(CompareTensors, WorstMismatchIsFurthestBeyondItsTolerance)
{
    Tensor expected = floats({2, 3, 2}, std::vector<float>(12, 10.0f));
    std::vector<float> values(12, 10.0f);
    values[3] = 10.5f;  // [0,1,1]: 0.5 off
    values[10] = 12.0f; // [1,2,0]: 2 off, the worst
    const TensorCheck check = compareTensors("y", floats({2, 3, 2}, values), expected, {});
    EXPECT_FALSE(check.passed);
    EXPECT_EQ(check.mismatches, 2);
    EXPECT_EQ(check.elements, 12);
    EXPECT_DOUBLE_EQ(check.mismatchShare(), 2.0 / 12.0);
    EXPECT_EQ(check.worstIndex, (Shape{1, 2, 0}));
    EXPECT_FLOAT_EQ(float(check.worstActual), 12.0f);
    EXPECT_FLOAT_EQ(float(check.worstExpected), 10.0f);
    EXPECT_NEAR(check.maxAbsError, 2.0, 1e-9);
}

TEST(CompareTensors, NanIsNeverEqualAndInfinityOnlyToItself)
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    // NaN == NaN is a mismatch (equal_nan=False), as is NaN against a number.
    const TensorCheck nans = compareTensors("y", floats({3}, {nan, 1, 2}),
                                            floats({3}, {nan, 1, nan}), {});
    EXPECT_EQ(nans.mismatches, 2);
    EXPECT_EQ(nans.worstIndex, (Shape{0}));
    EXPECT_DOUBLE_EQ(nans.maxAbsError, 0); // over finite pairs only
    const TensorCheck infs = compareTensors("y", floats({3}, {inf, -inf, inf}),
                                            floats({3}, {inf, -inf, -inf}), {});
    EXPECT_EQ(infs.mismatches, 1);
    EXPECT_EQ(infs.worstIndex, (Shape{2}));
}

TEST(CompareTensors, ShapeOrDtypeDifferenceIsAMismatchThatSaysSo)
{
    const TensorCheck shape = compareTensors("y", floats({2, 2}, {1, 2, 3, 4}),
                                             floats({4}, {1, 2, 3, 4}), {});
    EXPECT_FALSE(shape.passed);
    EXPECT_NE(shape.problem.find("shapes differ"), std::string::npos) << shape.problem;
    EXPECT_NE(shape.problem.find("float32[4]"), std::string::npos) << shape.problem;
    const TensorCheck dtype = compareTensors("y", floats({2}, {1, 2}),
                                             Tensor::fromVector<double>({2}, {1.0, 2.0}), {});
    EXPECT_FALSE(dtype.passed);
    EXPECT_NE(dtype.problem.find("dtypes differ"), std::string::npos) << dtype.problem;
}

VerifyRequest requestFor(const std::string &path, std::vector<int64_t> batches)
{
    auto model = Model::load(path);
    EXPECT_TRUE(model) << model.status().message();
    VerifyRequest request;
    request.model = model ? *model : nullptr;
    request.inputs["x"] = floats({1, 2, 4}, batchInputValues(1));
    request.batches = std::move(batches);
    request.threads = 1;
    return request;
}

TEST(VerifyModel, BatchKeepingReshapesPass)
{
    TempDir dir;
    for (const auto &shape : {std::vector<int64_t>{-1, 8}, std::vector<int64_t>{0, -1}}) {
        auto report = verifyModel(requestFor(writeReshapeModel(dir, "ok.onnx", shape), {1, 3, 8}),
                                  silentProgress());
        ASSERT_TRUE(report) << report.status().message();
        EXPECT_TRUE(report->passed());
        ASSERT_EQ(report->batches.size(), 3u);
        EXPECT_EQ(report->batches[2].outputs.at(0).shape, (Shape{8, 8}));
        EXPECT_EQ(report->unchecked, std::vector<std::string>{"y"});
    }
}

TEST(VerifyModel, SamplesOfALargerGivenBatchAreCheckedOneByOne)
{
    TempDir dir;
    VerifyRequest request = requestFor(writeReshapeModel(dir, "ok.onnx", {-1, 8}), {2, 5});
    request.inputs["x"] = floats({2, 2, 4}, batchInputValues(2));
    auto report = verifyModel(request, silentProgress());
    ASSERT_TRUE(report) << report.status().message();
    EXPECT_TRUE(report->passed());
    EXPECT_EQ(report->batches[1].outputs.at(0).shape, (Shape{5, 8}));
}

TEST(VerifyModel, OutputsWithTheBatchOnAnotherAxisAreStackedThere)
{
    TempDir dir;
    VerifyRequest request = requestFor(writeBatchSecondModel(dir), {3});
    request.inputs["x"] = floats({2, 2, 4}, batchInputValues(2));
    auto report = verifyModel(request, silentProgress());
    ASSERT_TRUE(report) << report.status().message();
    EXPECT_TRUE(report->passed());
    EXPECT_EQ(report->batches.at(0).outputs.at(0).shape, (Shape{2, 3, 4}));
}

TEST(VerifyModel, ConstantBatchOneReshapeIsNamed)
{
    TempDir dir;
    auto report = verifyModel(requestFor(writeReshapeModel(dir, "bug.onnx", {1, -1}), {1, 3}),
                              silentProgress());
    ASSERT_TRUE(report) << report.status().message();
    EXPECT_FALSE(report->passed());
    ASSERT_EQ(report->batches.size(), 2u);
    EXPECT_TRUE(report->batches[0].passed);
    const BatchCheck &three = report->batches[1];
    EXPECT_FALSE(three.passed);
    ASSERT_EQ(three.outputs.size(), 1u);
    EXPECT_NE(three.outputs[0].problem.find("[1,24]"), std::string::npos);
    ASSERT_EQ(three.culprits.size(), 1u);
    EXPECT_EQ(three.culprits[0], "Reshape '/model/Reshape_2' writes [1,24] (a constant shape "
                                 "[1,-1] with batch 1)");
}

TEST(VerifyModel, EngineErrorAtBatchNNamesTheNodeItStoppedAt)
{
    TempDir dir;
    auto report = verifyModel(requestFor(writeReshapeModel(dir, "bug.onnx", {1, 8}), {3}),
                              silentProgress());
    ASSERT_TRUE(report) << report.status().message();
    const BatchCheck &three = report->batches.at(0);
    EXPECT_FALSE(three.passed);
    EXPECT_FALSE(three.engineError.empty());
    ASSERT_EQ(three.culprits.size(), 1u);
    EXPECT_EQ(three.culprits[0], "Reshape '/model/Reshape_2' fails at batch 3 on [3,2,4] (a "
                                 "constant shape [1,8] with batch 1)");
}

TEST(VerifyModel, FixedBatchInputsSayTheBatchCheckDoesNotApply)
{
    TempDir dir;
    auto report = verifyModel(requestFor(writeFixedBatchModel(dir), {3}), silentProgress());
    ASSERT_TRUE(report) << report.status().message();
    EXPECT_TRUE(report->batches.empty());
    EXPECT_NE(report->batchNotApplicable.find("x: float32[1,2,4]"), std::string::npos)
        << report->batchNotApplicable;
}

TEST(VerifyModel, ExpectedNameThatIsNoOutputIsBadInput)
{
    TempDir dir;
    VerifyRequest request = requestFor(writeReshapeModel(dir, "ok.onnx", {-1, 8}), {});
    request.expected["z"] = floats({1, 8}, std::vector<float>(8, 0.0f));
    auto report = verifyModel(request, silentProgress());
    ASSERT_FALSE(report);
    EXPECT_EQ(report.status().code(), StatusCode::NotFound);
    EXPECT_NE(report.status().message().find("'z'"), std::string::npos);
    EXPECT_NE(report.status().message().find("outputs: y"), std::string::npos);
}

TEST(VerifyModel, FolderGivesInputsAndTheOutputsSavedThere)
{
    TempDir dir;
    VerifyRequest base = requestFor(writeReshapeModel(dir, "ok.onnx", {-1, 8}), {});
    EXPECT_EQ(npyFileName("odd/name"), "odd_name.npy");
    auto missing = requestFromFolder(base.model, dir.path());
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.status().message().find("no x.npy for input 'x'"), std::string::npos)
        << missing.status().message();
    ASSERT_TRUE(writeNpyFile(base.inputs["x"], dir.file("x.npy")));
    auto noOutputs = requestFromFolder(base.model, dir.path());
    ASSERT_FALSE(noOutputs);
    EXPECT_NE(noOutputs.status().message().find("no saved output"), std::string::npos);
    ASSERT_TRUE(writeNpyFile(floats({1, 8}, std::vector<float>(8, 0.0f)), dir.file("y.npy")));
    auto request = requestFromFolder(base.model, dir.path());
    ASSERT_TRUE(request) << request.status().message();
    EXPECT_EQ(request->inputs.at("x").shape(), (Shape{1, 2, 4}));
    EXPECT_EQ(request->expected.at("y").shape(), (Shape{1, 8}));
}

} // namespace
} // namespace qs
