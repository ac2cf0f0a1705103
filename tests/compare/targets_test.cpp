// Verdicts against the user's targets (issue 16, item 4): parsing "cosine>=0.99"-like targets,
// and each variant of a hand-built report judged with one summary line.
#include "compare/targets.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

TEST(Targets, ParseNamesComparisonsAndPercentages)
{
    auto cosine = parseTarget("cosine>=0.99");
    ASSERT_TRUE(cosine.isOk()) << cosine.status().message();
    EXPECT_EQ(cosine->metric, TargetMetric::Cosine);
    EXPECT_TRUE(cosine->atLeast);
    EXPECT_DOUBLE_EQ(cosine->value, 0.99);
    auto top1 = parseTarget("top1>=99.5%");
    ASSERT_TRUE(top1.isOk()) << top1.status().message();
    EXPECT_DOUBLE_EQ(top1->value, 0.995);
    EXPECT_EQ(top1->text, "top1>=0.995");
    auto smaller = parseTarget("smaller<=4");
    ASSERT_TRUE(smaller.isOk());
    EXPECT_FALSE(smaller->atLeast);

    for (const char *bad : {"cosine", "cosine>0.9", "latency>=2", "speedup>=fast", "cosine>=90%"})
        EXPECT_FALSE(parseTarget(bad).isOk()) << bad;
    EXPECT_NE(parseTarget("latency>=2").status().message().find("unknown metric 'latency'"),
              std::string::npos);
}

quantscope::Report twoVariantReport()
{
    quantscope::Report report;
    auto addVariant = [&](const char *path, int64_t bytes, double ms, double cosine, double top1) {
        auto *variant = report.add_variants();
        variant->set_path(path);
        variant->set_size_bytes(bytes);
        variant->mutable_latency()->set_median_ms(ms);
        auto *output = variant->add_outputs();
        output->set_cosine(cosine);
        output->set_sqnr_db(30);
        output->set_top1_agreement(top1);
    };
    addVariant("fp32.onnx", 3900, 26.0, 1.0, 1.0);
    addVariant("int8.onnx", 1000, 10.0, 0.998, 0.995);
    addVariant("fp16.onnx", 1950, 27.0, 0.99999, 1.0);
    return report;
}

TEST(Targets, EachVariantGetsAVerdictLine)
{
    quantscope::Report report = twoVariantReport();
    std::vector<Target> targets;
    for (const char *text : {"cosine>=0.99", "speedup>=1.2"})
        targets.push_back(*parseTarget(text));
    addVerdicts(report, targets);
    ASSERT_EQ(report.targets_size(), 2);
    EXPECT_FALSE(report.variants(0).has_verdict()); // the reference
    const auto &int8 = report.variants(1).verdict();
    EXPECT_TRUE(int8.meets_targets());
    EXPECT_EQ(int8.summary(), "3.9x smaller, 2.6x faster, top-1 99.5%: meets targets");
    const auto &fp16 = report.variants(2).verdict();
    EXPECT_FALSE(fp16.meets_targets());
    ASSERT_EQ(fp16.missed_size(), 1);
    EXPECT_EQ(fp16.missed(0), "speedup>=1.2 (0.96x)");
    EXPECT_EQ(fp16.summary(), "2.0x smaller, 1.0x slower, top-1 100.0%: misses speedup>=1.2 "
                              "(0.96x)");

    // Without targets the line only summarises.
    addVerdicts(report, {});
    EXPECT_FALSE(report.variants(1).verdict().meets_targets());
    EXPECT_EQ(report.variants(1).verdict().summary(), "3.9x smaller, 2.6x faster, top-1 99.5%");
}

TEST(Targets, AnUnmeasuredFigureMissesItsTarget)
{
    quantscope::Report report = twoVariantReport();
    report.mutable_variants(1)->mutable_outputs(0)->clear_top1_agreement();
    addVerdicts(report, {*parseTarget("top1>=99%")});
    const auto &verdict = report.variants(1).verdict();
    EXPECT_FALSE(verdict.meets_targets());
    ASSERT_EQ(verdict.missed_size(), 1);
    EXPECT_EQ(verdict.missed(0), "top1>=0.99 (not measured)");
    EXPECT_NE(verdict.summary().find("cosine 0.99800"), std::string::npos) << verdict.summary();
}

} // namespace
} // namespace qs
