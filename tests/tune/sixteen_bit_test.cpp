// A16W8: nodes_with_16bit_activations writes uint16 QuantizeLinear / DequantizeLinear around the
// named nodes at opset 21, the model passes ONNX's checker, runs in the engine and is more
// accurate than in 8 bits; the tuner's 16-bit fallback keeps a model integer where 16-bit
// activations are enough.
#include "quant/quantizer.h"
#include "tune/evaluation_set.h"
#include "tune/tuner.h"
#include "tune_test_models.h"

#include <onnx/checker.h>

#include <gtest/gtest.h>

#include <algorithm>

namespace qs {
namespace {

quantscope::Recipe perChannelStatic()
{
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_STATIC);
    recipe.set_per_channel(true);
    return recipe;
}

// The output's cosine against FP32 on the random evaluation inputs, run in the engine.
double outputCosine(const std::shared_ptr<const Model> &reference, const onnx::ModelProto &proto)
{
    EvaluationSettings settings;
    settings.threads = 1;
    settings.latencyMeter = [](const Session &) { return 1.0; };
    auto evaluation = EvaluationSet::load(reference, settings, silentProgress());
    EXPECT_TRUE(evaluation) << evaluation.status().message();
    auto model = Model::fromProto(proto, ".");
    EXPECT_TRUE(model) << model.status().message();
    auto session = Session::create(*model, sessionOptions(1));
    EXPECT_TRUE(session) << session.status().message();
    if (!evaluation || !session)
        return 0;
    auto outputs = (*evaluation)->evaluate(**session, {}, silentProgress());
    EXPECT_TRUE(outputs) << outputs.status().message();
    return outputs ? outputs->front().cosine() : 0;
}

int64_t defaultOpset(const onnx::ModelProto &proto)
{
    for (const auto &opset : proto.opset_import())
        if (opset.domain().empty() || opset.domain() == "ai.onnx")
            return opset.version();
    return 0;
}

TEST(SixteenBitActivations, RunPassTheCheckerAndBeatEightBits)
{
    auto model = Model::fromProto(test::activationOutlierMlp(), ".");
    ASSERT_TRUE(model) << model.status().message();
    QuantizeSettings settings;
    settings.threads = 1;
    auto eightBit = quantizeModel(*model, perChannelStatic(), settings, silentProgress());
    ASSERT_TRUE(eightBit) << eightBit.status().message();

    quantscope::Recipe recipe = perChannelStatic();
    recipe.add_nodes_with_16bit_activations("fc2");
    auto sixteenBit = quantizeModel(*model, recipe, settings, silentProgress());
    ASSERT_TRUE(sixteenBit) << sixteenBit.status().message();
    const onnx::ModelProto &proto = sixteenBit->model;
    EXPECT_EQ(defaultOpset(proto), 21);
    EXPECT_EQ(proto.ir_version(), 10);
    // ONNX 1.12, linked here, knows IR versions up to 8: its checker sees the graph with the IR
    // version lowered (check_tuned_vs_ort.py has ONNX Runtime 1.30 load it at IR 10).
    onnx::ModelProto lowered = proto;
    lowered.set_ir_version(onnx::IR_VERSION);
    EXPECT_NO_THROW(onnx::checker::check_model(lowered));
    EXPECT_TRUE(std::none_of(sixteenBit->diagnostics.begin(), sixteenBit->diagnostics.end(),
                             [](const Diagnostic &d) {
                                 return d.message.find("checker") != std::string::npos;
                             }));
    // fc2's input a1 and output y in uint16; x, fc1's input, stays uint8; weights int8.
    std::map<std::string, int> zeroPointTypes;
    for (const auto &initializer : proto.graph().initializer())
        if (initializer.name().ends_with("_zero_point"))
            zeroPointTypes[initializer.name()] = initializer.data_type();
    EXPECT_EQ(zeroPointTypes["a1_zero_point"], onnx::TensorProto::UINT16);
    EXPECT_EQ(zeroPointTypes["y_zero_point"], onnx::TensorProto::UINT16);
    EXPECT_EQ(zeroPointTypes["x_zero_point"], onnx::TensorProto::UINT8);
    EXPECT_EQ(zeroPointTypes["w2_zero_point"], onnx::TensorProto::INT8);
    EXPECT_EQ(std::vector<std::string>(recipe.nodes_with_16bit_activations().begin(),
                                       recipe.nodes_with_16bit_activations().end()),
              std::vector<std::string>(sixteenBit->recipe.nodes_with_16bit_activations().begin(),
                                       sixteenBit->recipe.nodes_with_16bit_activations().end()));

    const double cosine8 = outputCosine(*model, eightBit->model);
    const double cosine16 = outputCosine(*model, proto);
    EXPECT_LT(cosine8, 0.999) << "a1's 8-bit step must be what breaks the model";
    EXPECT_GT(cosine16, 0.999);
    EXPECT_LT(1.0 - cosine16, (1.0 - cosine8) / 10) << cosine8 << " -> " << cosine16;
}

TEST(SixteenBitActivations, OnlyStaticQdqHasThem)
{
    auto model = Model::fromProto(test::activationOutlierMlp(), ".");
    ASSERT_TRUE(model) << model.status().message();
    quantscope::Recipe qoperator = perChannelStatic();
    qoperator.set_format(quantscope::QUANT_FORMAT_QOPERATOR);
    qoperator.add_nodes_with_16bit_activations("fc2");
    auto refused = quantizeModel(*model, qoperator, {}, silentProgress());
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.status().message().find("QDQ format"), std::string::npos)
        << refused.status().message();

    quantscope::Recipe dynamic;
    dynamic.set_mode(quantscope::QUANT_MODE_DYNAMIC);
    dynamic.add_nodes_with_16bit_activations("fc2");
    auto notStatic = quantizeModel(*model, dynamic, {}, silentProgress());
    ASSERT_FALSE(notStatic);
    EXPECT_NE(notStatic.status().message().find("static"), std::string::npos)
        << notStatic.status().message();

    quantscope::Recipe unknown = perChannelStatic();
    unknown.add_nodes_with_16bit_activations("fc9");
    auto misnamed = quantizeModel(*model, unknown, {}, silentProgress());
    ASSERT_FALSE(misnamed);
    EXPECT_NE(misnamed.status().message().find("fc9"), std::string::npos)
        << misnamed.status().message();
}

// Without the option the float fallback misses the target; with it, one node in 16 bits meets
// it and nothing stays float.
TEST(SixteenBitActivations, TuneFallbackKeepsTheModelInteger)
{
    auto model = Model::fromProto(test::activationOutlierMlp(), ".");
    ASSERT_TRUE(model) << model.status().message();
    TuneSettings settings;
    settings.startRecipe = perChannelStatic();
    settings.targets = {*parseTarget("cosine>=0.999")};
    settings.evaluation.threads = 1;
    settings.evaluation.latencyMeter = [](const Session &) { return 1.0; };

    auto floatFallback = runTune(*model, settings, {}, silentProgress());
    ASSERT_TRUE(floatFallback) << floatFallback.status().message();
    // Float cannot fix it here: with fc1 and fc2 kept float the Relu between them is no longer
    // folded and quantizes a1 in 8 bits on its own (cosine 0.877, as the baseline's 0.880).
    EXPECT_FALSE(floatFallback->run.targets_met());

    settings.sixteenBitFallback = true;
    auto outcome = runTune(*model, settings, {}, silentProgress());
    ASSERT_TRUE(outcome) << outcome.status().message();
    const quantscope::TuneRun &run = outcome->run;
    ASSERT_TRUE(run.targets_met());
    const auto &best = run.trials(run.best_trial());
    EXPECT_EQ(best.nodes_kept_float_size(), 0);
    EXPECT_EQ(best.nodes_16bit_size(), 1);
    bool tried16 = false;
    for (const auto &trial : run.trials())
        tried16 = tried16 || trial.kind() == quantscope::TRIAL_KIND_FALLBACK_16BIT;
    EXPECT_TRUE(tried16);
    ASSERT_TRUE(outcome->best);
    EXPECT_EQ(outcome->best->recipe.nodes_with_16bit_activations_size(), 1);
    EXPECT_EQ(defaultOpset(outcome->best->model), 21);
}

TEST(SixteenBitActivations, TuneRefusesTheFallbackOutsideStaticQdq)
{
    auto model = Model::fromProto(test::activationOutlierMlp(), ".");
    ASSERT_TRUE(model) << model.status().message();
    TuneSettings settings;
    settings.startRecipe.set_mode(quantscope::QUANT_MODE_DYNAMIC);
    settings.targets = {*parseTarget("cosine>=0.999")};
    settings.sixteenBitFallback = true;
    auto refused = runTune(*model, settings, {}, silentProgress());
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.status().message().find("16-bit"), std::string::npos)
        << refused.status().message();
}

} // namespace
} // namespace qs
