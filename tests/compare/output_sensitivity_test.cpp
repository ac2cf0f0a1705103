// The saturated/constant output detector (issue 16, item 6) on hand-built values: a saturated
// sigmoid, a constant output and normal outputs; the bounds found through the graph; the warning
// a variant gets when its output hides the error of its tensors inside.
#include "compare/output_sensitivity.h"
#include "model/model.h"
#include "support/model_builder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace qs {
namespace {

using namespace qs::test;

OutputBounds sigmoidBounds()
{
    return OutputBounds{0.0, 1.0, "Sigmoid", "out"};
}

std::vector<double> sigmoidOf(const std::vector<double> &logits)
{
    std::vector<double> values;
    for (const double x : logits)
        values.push_back(double(1.0f / (1.0f + std::exp(-float(x)))));
    return values;
}

TEST(OutputSensitivity, SaturatedSigmoidIsFlagged)
{
    // DeepFM on random inputs: logits in the tens, the sigmoid at 0 or 1.
    std::vector<double> logits;
    for (int i = 0; i < 40; ++i)
        logits.push_back(i % 2 ? 12.0 + i : -15.0 - i);
    ValueSpread spread(sigmoidBounds());
    spread.add(sigmoidOf(logits));
    EXPECT_DOUBLE_EQ(spread.atBoundsFraction(), 1.0);
    EXPECT_EQ(judgeSensitivity(spread), OutputSensitivity::Saturated);

    // One side only (every logit large): saturated too, though the values do not vary.
    ValueSpread high(sigmoidBounds());
    high.add(sigmoidOf(std::vector<double>(20, 30.0)));
    EXPECT_EQ(judgeSensitivity(high), OutputSensitivity::Saturated);
}

TEST(OutputSensitivity, ConstantOutputIsFlagged)
{
    ValueSpread zeros;
    zeros.add(std::vector<double>(16, 0.0));
    EXPECT_EQ(judgeSensitivity(zeros), OutputSensitivity::Constant);

    // A large common offset with variations of 1e-4 of it: cosine 1.00000 whatever the error.
    std::vector<double> offset;
    for (int i = 0; i < 16; ++i)
        offset.push_back(500.0 + 0.05 * (i % 3));
    ValueSpread nearlyConstant;
    nearlyConstant.add(offset);
    EXPECT_LT(nearlyConstant.standardDeviation(), 1e-3 * 500.0);
    EXPECT_EQ(judgeSensitivity(nearlyConstant), OutputSensitivity::Constant);
}

TEST(OutputSensitivity, NormalOutputsAreSensitive)
{
    // A sigmoid on moderate logits: most values in its slope.
    std::vector<double> logits;
    for (int i = 0; i < 40; ++i)
        logits.push_back(-4.0 + 0.2 * i);
    ValueSpread moderate(sigmoidBounds());
    moderate.add(sigmoidOf(logits));
    EXPECT_LT(moderate.atBoundsFraction(), 0.1);
    EXPECT_EQ(judgeSensitivity(moderate), OutputSensitivity::Sensitive);

    // Logits without bounds, spread around 0.
    ValueSpread plain;
    plain.add(logits);
    EXPECT_EQ(judgeSensitivity(plain), OutputSensitivity::Sensitive);

    // Mostly saturated but 10% in the slope: below the 95% rule.
    std::vector<double> mixed(36, 20.0);
    mixed.insert(mixed.end(), {0.5, -0.5, 1.0, -1.0});
    ValueSpread partly(sigmoidBounds());
    partly.add(sigmoidOf(mixed));
    EXPECT_EQ(judgeSensitivity(partly), OutputSensitivity::Sensitive);

    // A single value has no spread to judge; non-finite values are not counted.
    ValueSpread single;
    single.add(std::vector<double>{3.0, std::numeric_limits<double>::quiet_NaN()});
    EXPECT_EQ(single.count(), 1);
    EXPECT_EQ(judgeSensitivity(single), OutputSensitivity::Sensitive);
}

// x -> Mul -> Sigmoid 'sig' -> Reshape -> y, and z -> Relu -> w: y's bounds are found through the
// Reshape, w has none.
TEST(OutputSensitivity, BoundsComeFromTheSaturatingProducer)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &g = *proto.mutable_graph();
    addInput(g, "x", {1, 4});
    addInput(g, "z", {1, 4});
    onnx::TensorProto &k = *g.add_initializer();
    k.set_name("k");
    k.set_data_type(onnx::TensorProto::FLOAT);
    k.add_float_data(100.0f);
    onnx::TensorProto &shape = *g.add_initializer();
    shape.set_name("shape");
    shape.set_data_type(onnx::TensorProto::INT64);
    shape.add_dims(1);
    shape.add_int64_data(4);
    addNode(g, "Mul", {"x", "k"}, {"logits"}, "scale");
    addNode(g, "Sigmoid", {"logits"}, {"p"}, "sig");
    addNode(g, "Reshape", {"p", "shape"}, {"y"}, "flat");
    addNode(g, "Relu", {"z"}, {"w"}, "relu");
    addOutput(g, "y", {4});
    addOutput(g, "w", {1, 4});
    auto model = Model::fromProto(std::move(proto), ".");
    ASSERT_TRUE(model.isOk()) << model.status().message();
    const auto bounds = saturatingBounds((*model)->index(), "y");
    ASSERT_TRUE(bounds.has_value());
    EXPECT_EQ(bounds->opType, "Sigmoid");
    EXPECT_EQ(bounds->node, "sig");
    EXPECT_DOUBLE_EQ(bounds->lower, 0.0);
    EXPECT_DOUBLE_EQ(bounds->upper, 1.0);
    EXPECT_FALSE(saturatingBounds((*model)->index(), "w").has_value());
}

TEST(OutputSensitivity, OutputAboveItsInsideWarnsAboutHiddenError)
{
    quantscope::Report report;
    report.add_variants()->set_path("ref.onnx");
    auto *variant = report.add_variants();
    variant->set_path("int8.onnx");
    auto *output = variant->add_outputs();
    output->set_name("y");
    output->set_sqnr_db(180.0);
    for (const double db : {30.0, 35.0, 38.0, std::numeric_limits<double>::infinity()})
        variant->add_per_node()->set_sqnr_db(db);
    auto diagnostics = outputSensitivityDiagnostics({}, report);
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics[0].code(), "hidden_error");
    EXPECT_EQ(diagnostics[0].output(), "y");
    ASSERT_EQ(diagnostics[0].variants_size(), 1);
    EXPECT_EQ(diagnostics[0].variants(0), "int8.onnx");
    EXPECT_NE(diagnostics[0].message().find("35.0 dB"), std::string::npos)
        << diagnostics[0].message();

    // An output about as good as its inside is what quantization normally gives.
    output->set_sqnr_db(33.0);
    EXPECT_TRUE(outputSensitivityDiagnostics({}, report).empty());
}

} // namespace
} // namespace qs
