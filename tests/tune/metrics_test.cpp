// Issue 17's metrics: top-k agreement, mask IoU at a threshold, max abs error, and the target
// syntax that names them ("top5>=0.99", "iou@0.3>=0.97", "maxabs<=0.05"), judged as a
// conjunction by bench's verdicts.
#include "compare/accuracy.h"
#include "compare/targets.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

Tensor tensorOf(const Shape &shape, const std::vector<float> &values)
{
    Tensor tensor = Tensor::allocate(DType::Float32, shape);
    std::copy(values.begin(), values.end(), tensor.mutableData<float>());
    return tensor;
}

TEST(TuneMetrics, ParseTopKIouAndMaxAbs)
{
    auto iou = parseTarget("iou@0.3>=0.97");
    ASSERT_TRUE(iou.isOk()) << iou.status().message();
    EXPECT_EQ(iou->metric, TargetMetric::MaskIou);
    EXPECT_DOUBLE_EQ(iou->parameter, 0.3);
    EXPECT_DOUBLE_EQ(iou->value, 0.97);
    EXPECT_EQ(iou->text, "iou@0.3>=0.97");
    auto top5 = parseTarget("top5>=99%");
    ASSERT_TRUE(top5.isOk()) << top5.status().message();
    EXPECT_EQ(top5->metric, TargetMetric::TopK);
    EXPECT_DOUBLE_EQ(top5->parameter, 5);
    EXPECT_DOUBLE_EQ(top5->value, 0.99);
    auto maxAbs = parseTarget("maxabs<=0.05");
    ASSERT_TRUE(maxAbs.isOk()) << maxAbs.status().message();
    EXPECT_EQ(maxAbs->metric, TargetMetric::MaxAbs);
    EXPECT_FALSE(maxAbs->atLeast);
    EXPECT_TRUE(maxAbs->metBy(0.01));
    EXPECT_FALSE(maxAbs->metBy(0.06));
    // The old names keep their meaning.
    EXPECT_EQ(parseTarget("top1>=0.9")->metric, TargetMetric::Top1);
    EXPECT_EQ(parseTarget("cosine>=0.99")->metric, TargetMetric::Cosine);

    for (const char *bad : {"top0>=0.9", "top2.5>=0.9", "topx>=0.9", "iou@>=0.9", "iou@a>=0.9",
                            "maxabs<=5%", "iou>=0.9"})
        EXPECT_FALSE(parseTarget(bad).isOk()) << bad;
    EXPECT_NE(parseTarget("iou@a>=0.9").status().message().find("iou@T"), std::string::npos);
}

TEST(TuneMetrics, MaskIouCountsElementsAtOrAboveTheThresholdOverSamples)
{
    AccuracyAccumulator accuracy;
    MetricRequests requests;
    requests.maskThresholds = {0.3};
    // Sample 1: ref mask {0,1,2}, actual {1,2,3}: intersection 2, union 4.
    accuracy.add(tensorOf({1, 1, 2, 2}, {0.9f, 0.3f, 0.5f, 0.1f}),
                 tensorOf({1, 1, 2, 2}, {0.2f, 0.4f, 0.6f, 0.35f}), false, requests);
    EXPECT_DOUBLE_EQ(*accuracy.maskIou(0.3), 0.5);
    // Sample 2: both {0}: intersection 1, union 1. Sums: 3 / 5.
    accuracy.add(tensorOf({1, 1, 2, 2}, {0.9f, 0.0f, 0.0f, 0.0f}),
                 tensorOf({1, 1, 2, 2}, {0.8f, 0.0f, 0.0f, 0.0f}), false, requests);
    EXPECT_DOUBLE_EQ(*accuracy.maskIou(0.3), 0.6);
    EXPECT_FALSE(accuracy.maskIou(0.5).has_value()); // not asked for
    EXPECT_NEAR(accuracy.maxAbs(), 0.7, 1e-6);

    AccuracyAccumulator empty; // both masks empty: the same
    empty.add(tensorOf({4}, {0, 0, 0, 0}), tensorOf({4}, {0.1f, 0, 0, 0}), false, requests);
    EXPECT_DOUBLE_EQ(*empty.maskIou(0.3), 1.0);

    const auto proto = accuracy.toProto("map");
    ASSERT_EQ(proto.mask_iou_size(), 1);
    EXPECT_DOUBLE_EQ(proto.mask_iou(0).threshold(), 0.3);
    EXPECT_DOUBLE_EQ(proto.mask_iou(0).iou(), 0.6);
}

TEST(TuneMetrics, TopKAgreementAsksWhetherTheReferenceTop1IsAmongTheKBest)
{
    AccuracyAccumulator accuracy;
    MetricRequests requests;
    requests.topK = {2, 3};
    // Row 1: ref best is class 0; actual ranks it 2nd.  Row 2: ref best class 3; actual 3rd.
    accuracy.add(tensorOf({2, 4}, {5, 1, 2, 3, 0, 1, 2, 9}),
                 tensorOf({2, 4}, {4, 5, 1, 0, 7, 8, 1, 6}), true, requests);
    EXPECT_DOUBLE_EQ(accuracy.top1Agreement(), 0.0);
    EXPECT_DOUBLE_EQ(*accuracy.topKAgreement(2), 0.5);
    EXPECT_DOUBLE_EQ(*accuracy.topKAgreement(3), 1.0);
    EXPECT_FALSE(accuracy.topKAgreement(5).has_value());
}

TEST(TuneMetrics, AccuracyFigureTakesTheWorstOutput)
{
    google::protobuf::RepeatedPtrField<quantscope::OutputAccuracy> outputs;
    auto add = [&](double maxAbs, double cosine, double iou) {
        auto &output = *outputs.Add();
        output.set_max_abs(maxAbs);
        output.set_cosine(cosine);
        auto &mask = *output.add_mask_iou();
        mask.set_threshold(0.3);
        mask.set_iou(iou);
    };
    add(0.02, 0.999, 0.98);
    add(0.08, 0.995, 0.96);
    EXPECT_DOUBLE_EQ(*accuracyFigure(outputs, *parseTarget("maxabs<=0.05")), 0.08);
    EXPECT_DOUBLE_EQ(*accuracyFigure(outputs, *parseTarget("cosine>=0.99")), 0.995);
    EXPECT_DOUBLE_EQ(*accuracyFigure(outputs, *parseTarget("iou@0.3>=0.97")), 0.96);
    EXPECT_FALSE(accuracyFigure(outputs, *parseTarget("iou@0.5>=0.97")).has_value());
    EXPECT_FALSE(accuracyFigure(outputs, *parseTarget("top5>=0.9")).has_value());
}

TEST(TuneMetrics, BenchVerdictsJudgeTheConjunction)
{
    quantscope::Report report;
    report.add_variants()->set_path("fp32.onnx");
    auto &variant = *report.add_variants();
    variant.set_path("int8.onnx");
    auto &output = *variant.add_outputs();
    output.set_cosine(0.995);
    auto &mask = *output.add_mask_iou();
    mask.set_threshold(0.3);
    mask.set_iou(0.95);
    addVerdicts(report, {*parseTarget("cosine>=0.99"), *parseTarget("iou@0.3>=0.97")});
    const auto &verdict = report.variants(1).verdict();
    EXPECT_FALSE(verdict.meets_targets());
    ASSERT_EQ(verdict.missed_size(), 1);
    EXPECT_EQ(verdict.missed(0), "iou@0.3>=0.97 (0.9500)");
    addVerdicts(report, {*parseTarget("cosine>=0.99"), *parseTarget("iou@0.3>=0.9")});
    EXPECT_TRUE(report.variants(1).verdict().meets_targets());
}

TEST(TuneMetrics, MetricRequestsFollowTheTargets)
{
    const auto requests = metricRequests(
        {*parseTarget("top5>=0.9"), *parseTarget("iou@0.3>=0.97"), *parseTarget("cosine>=0.9")});
    EXPECT_EQ(requests.topK, std::vector<int>{5});
    EXPECT_EQ(requests.maskThresholds, std::vector<double>{0.3});
}

} // namespace
} // namespace qs
