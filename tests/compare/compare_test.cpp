// Model comparison on fixtures with known answers: a model against itself, a variant with an
// error planted on one node, a NaN-producing variant; and the report formats.
#include "compare/benchmark.h"
#include "compare/report_io.h"
#include "support/model_builder.h"
#include "support/temp_dir.h"
#include "tensor/tensor_io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace qs {
namespace {

using namespace qs::test;

void scalar(onnx::GraphProto &g, const std::string &name, float value)
{
    onnx::TensorProto &t = *g.add_initializer();
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::FLOAT);
    t.add_float_data(value);
}

// x[2,8] -> Add 'n1' (+0.5) -> Mul 'n2' (x scale) -> Add 'n3' (+10) -> Softmax 'n4' -> y[2,8]
std::string writeChain(const TempDir &dir, const std::string &file, float scale)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {2, 8});
    scalar(g, "c1", 0.5f);
    scalar(g, "c2", scale);
    scalar(g, "c3", 10.0f);
    addNode(g, "Add", {"x", "c1"}, {"t1"}, "n1");
    addNode(g, "Mul", {"t1", "c2"}, {"t2"}, "n2");
    addNode(g, "Add", {"t2", "c3"}, {"t3"}, "n3");
    addNode(g, "Softmax", {"t3"}, {"y"}, "n4");
    addOutput(g, "y", {2, 8});
    dir.write(file, model.SerializeAsString());
    return dir.file(file);
}

BenchSettings settingsFor(const std::string &reference, std::vector<std::string> variants)
{
    BenchSettings settings;
    settings.reference = reference;
    settings.variants = std::move(variants);
    settings.samples = 3;
    settings.warmup = 1;
    settings.iterations = 3;
    settings.threads = 1;
    settings.perNode = true;
    return settings;
}

TEST(Compare, ModelAgainstItselfIsExact)
{
    TempDir dir;
    const std::string model = writeChain(dir, "ref.onnx", 2.0f);
    auto report = runBenchmark(settingsFor(model, {model}), silentProgress());
    ASSERT_TRUE(report.isOk()) << report.status().message();
    ASSERT_EQ(report->variants_size(), 2);
    EXPECT_EQ(report->samples(), 3);
    for (const auto &variant : report->variants()) {
        EXPECT_DOUBLE_EQ(variant.size_ratio(), 1.0);
        EXPECT_EQ(variant.latency().iterations(), 3);
        ASSERT_EQ(variant.outputs_size(), 1);
        const auto &y = variant.outputs(0);
        EXPECT_EQ(y.name(), "y");
        EXPECT_DOUBLE_EQ(y.max_abs(), 0.0);
        EXPECT_NEAR(y.cosine(), 1.0, 1e-12);
        EXPECT_TRUE(std::isinf(y.sqnr_db()) && y.sqnr_db() > 0);
        ASSERT_TRUE(y.has_top1_agreement());
        EXPECT_DOUBLE_EQ(y.top1_agreement(), 1.0);
        EXPECT_FALSE(variant.has_nan());
    }
    EXPECT_EQ(report->variants(0).per_node_size(), 0); // the reference is not compared per node
    EXPECT_EQ(report->variants(1).per_node_size(), 4);
}

TEST(Compare, PlantedErrorPutsItsNodeFirst)
{
    TempDir dir;
    const std::string reference = writeChain(dir, "ref.onnx", 2.0f);
    const std::string variant = writeChain(dir, "bad.onnx", 2.05f); // n2 is off by 2.5%
    auto report = runBenchmark(settingsFor(reference, {variant}), silentProgress());
    ASSERT_TRUE(report.isOk()) << report.status().message();
    const auto &bad = report->variants(1);
    ASSERT_GE(bad.per_node_size(), 3);
    EXPECT_EQ(bad.per_node(0).node(), "n2");
    EXPECT_EQ(bad.per_node(0).tensor(), "t2");
    EXPECT_LT(bad.per_node(0).sqnr_db(), 40.0);
    // n1 computes exactly what the reference does.
    const auto &last = bad.per_node(bad.per_node_size() - 1);
    EXPECT_EQ(last.node(), "n1");
    EXPECT_TRUE(std::isinf(last.sqnr_db()));
    EXPECT_LT(bad.outputs(0).cosine(), 1.0);
    EXPECT_GT(bad.outputs(0).max_abs(), 0.0);
}

TEST(Compare, NanProducingVariantIsFlagged)
{
    TempDir dir;
    const std::string reference = writeChain(dir, "ref.onnx", 2.0f);
    const std::string variant = writeChain(dir, "nan.onnx", std::nanf(""));
    auto report = runBenchmark(settingsFor(reference, {variant}), silentProgress());
    ASSERT_TRUE(report.isOk()) << report.status().message();
    EXPECT_FALSE(report->variants(0).has_nan());
    EXPECT_TRUE(report->variants(1).has_nan());
    EXPECT_EQ(report->variants(1).outputs(0).nan_count(), 3 * 16);
}

// A data file that cannot be read is left out, named in the report's diagnostics (which the CLI
// prints and the GUI lists in its Diagnostics dock), and the samples count is without it.
TEST(Compare, SkippedDataFilesAreNamedInTheReport)
{
    TempDir dir;
    const std::string model = writeChain(dir, "ref.onnx", 2.0f);
    TempDir data;
    const Tensor sample = Tensor::fromVector<float>({2, 8}, std::vector<float>(16, 0.25f));
    ASSERT_TRUE(writeNpyFile(sample, data.file("a.npy")));
    ASSERT_TRUE(writeNpyFile(sample, data.file("c.npy")));
    data.write("b.npy", "\x93NUMPY but cut short");
    BenchSettings settings = settingsFor(model, {model});
    settings.dataDir = data.path();
    auto report = runBenchmark(settings, silentProgress());
    ASSERT_TRUE(report.isOk()) << report.status().message();
    EXPECT_EQ(report->samples(), 2);
    int skipped = 0;
    for (const auto &diagnostic : report->diagnostics()) {
        if (diagnostic.code() != "skipped_sample")
            continue;
        ++skipped;
        EXPECT_EQ(diagnostic.severity(), "warning");
        EXPECT_EQ(diagnostic.message().rfind(data.file("b.npy") + ": cannot read (", 0), 0u)
            << diagnostic.message();
        ASSERT_GT(diagnostic.args_size(), 1);
        EXPECT_EQ(diagnostic.args(0), diagnostic.message());
        // Then the coded message (issue 16), which the GUI words in its language.
        const std::vector<std::string> args(diagnostic.args().begin(), diagnostic.args().end());
        const std::optional<Message> coded = messageFromStrings(args, 1);
        ASSERT_TRUE(coded);
        EXPECT_EQ(coded->id, MessageId::SampleSkipped);
        ASSERT_TRUE(coded->cause);
        EXPECT_EQ(coded->cause->id, MessageId::CannotReadTensorFile);
        EXPECT_EQ(englishText(*coded), diagnostic.message());
    }
    EXPECT_EQ(skipped, 1);
}

TEST(Compare, MismatchedVariantIsAClearError)
{
    TempDir dir;
    const std::string reference = writeChain(dir, "ref.onnx", 2.0f);
    onnx::ModelProto other = makeModel(13);
    addInput(*other.mutable_graph(), "image", {2, 8});
    addNode(*other.mutable_graph(), "Relu", {"image"}, {"y"}, "r");
    addOutput(*other.mutable_graph(), "y", {2, 8});
    dir.write("other.onnx", other.SerializeAsString());
    auto report = runBenchmark(settingsFor(reference, {dir.file("other.onnx")}), silentProgress());
    ASSERT_FALSE(report.isOk());
    EXPECT_NE(report.status().message().find("other.onnx: has no input 'x'"), std::string::npos)
        << report.status().message();
}

TEST(Compare, ReportFormatsRoundTrip)
{
    TempDir dir;
    const std::string reference = writeChain(dir, "ref.onnx", 2.0f);
    const std::string variant = writeChain(dir, "bad.onnx", 2.05f);
    auto report = runBenchmark(settingsFor(reference, {variant}), silentProgress());
    ASSERT_TRUE(report.isOk()) << report.status().message();

    ASSERT_TRUE(saveReport(*report, dir.file("r.textproto"), ReportFormat::Text));
    std::ifstream in(dir.file("r.textproto"));
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parseReportText(text.str(), "r.textproto");
    ASSERT_TRUE(parsed.isOk());
    EXPECT_EQ(parsed->SerializeAsString(), report->SerializeAsString());

    std::ostringstream json;
    writeReportJson(*report, json);
    for (const char *field : {"\"reference\"", "\"variants\"", "\"size_bytes\"", "\"latency_ms\"",
                              "\"median\"", "\"p99\"", "\"throughput_per_s\"", "\"accuracy\"",
                              "\"outputs\"", "\"top1_agreement\"", "\"per_node\"", "\"sqnr_db\""})
        EXPECT_NE(json.str().find(field), std::string::npos) << field;
    EXPECT_NE(json.str().find("\"node\": \"n2\""), std::string::npos) << json.str();

    std::ostringstream csv;
    writeReportCsv(*report, csv);
    const std::string table = csv.str();
    EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 3); // header + 2 variants x 1 output
    EXPECT_EQ(table.rfind("variant,output,size_bytes", 0), 0u);
    EXPECT_NE(table.find(variant + ",y,"), std::string::npos);
}

// Issue 16: a comparison's loading, comparing and timing make one count through a
// PhasedProgress, so the GUI shows one ETA for the whole run: it only grows, and it ends full.
TEST(Compare, PhasesMakeOneGrowingCount)
{
    struct Recorder : Progress
    {
        void report(int64_t done, int64_t total, std::string_view what) override
        {
            counts.push_back(done);
            totals.push_back(total);
            steps.emplace_back(what);
        }
        std::vector<int64_t> counts, totals;
        std::vector<std::string> steps;
    } recorder;
    TempDir dir;
    const std::string reference = writeChain(dir, "ref.onnx", 2.0f);
    const BenchSettings settings = settingsFor(reference, {writeChain(dir, "v.onnx", 2.01f)});
    PhasedProgress phased(recorder, benchmarkPhases(settings, false));
    auto report = runBenchmark(settings, phased);
    ASSERT_TRUE(report) << report.status().message();
    ASSERT_FALSE(recorder.counts.empty());
    for (const int64_t total : recorder.totals)
        EXPECT_EQ(total, PhasedProgress::kTotal);
    EXPECT_TRUE(std::is_sorted(recorder.counts.begin(), recorder.counts.end()));
    EXPECT_EQ(recorder.counts.back(), PhasedProgress::kTotal);
    for (const MessageId phase : {BenchPhase::kComparing, BenchPhase::kTiming})
        EXPECT_NE(std::find(recorder.steps.begin(), recorder.steps.end(), englishTemplate(phase)),
                  recorder.steps.end())
            << englishTemplate(phase);
}

} // namespace
} // namespace qs
