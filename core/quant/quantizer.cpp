#include "quant/quantizer.h"

#include "data/sample_source.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "model/model_checks.h"
#include "model/model_writer.h"
#include "quant/bias_correction.h"
#include "quant/calibration/calibration_statistics.h"
#include "quant/calibration/calibrator.h"
#include "quant/cross_layer_equalization.h"
#include "quant/dynamic_quantizer.h"
#include "quant/fp16_converter.h"
#include "quant/node_selection.h"
#include "quant/opset_upgrade.h"
#include "quant/qdq_writer.h"
#include "quant/qoperator_writer.h"
#include "quant/quant_checks.h"
#include "quant/quant_preprocess.h"
#include "quant/recipe_io.h"
#include "quant/static_plan.h"
#include "runtime/session.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <unordered_map>

namespace qs {

namespace {

using quantscope::Recipe;

constexpr int64_t kStaticOpset = 14;  // QDQ with axis (13), HardSwish (14)
constexpr int64_t kDynamicOpset = 11; // DynamicQuantizeLinear

std::set<std::string> toSet(const google::protobuf::RepeatedPtrField<std::string> &field)
{
    return {field.begin(), field.end()};
}

} // namespace

namespace {

void collectDisplayNames(const GraphIndex &index,
                         std::unordered_map<const onnx::NodeProto *, std::string> &names)
{
    for (const auto &node : index.nodes())
        names.emplace(node.proto, node.displayName);
}

// Walks the copy and the original side by side; the copy's unnamed nodes take the display name
// the original node was shown under.
void nameUnnamedNodes(onnx::GraphProto &copy, const onnx::GraphProto &original,
                      const std::unordered_map<const onnx::NodeProto *, std::string> &names)
{
    for (int i = 0; i < copy.node_size(); ++i) {
        onnx::NodeProto &node = *copy.mutable_node(i);
        const onnx::NodeProto &source = original.node(i);
        if (node.name().empty())
            if (auto it = names.find(&source); it != names.end())
                node.set_name(it->second);
        for (int a = 0; a < node.attribute_size(); ++a) {
            auto &attribute = *node.mutable_attribute(a);
            if (attribute.has_g())
                nameUnnamedNodes(*attribute.mutable_g(), source.attribute(a).g(), names);
            for (int g = 0; g < attribute.graphs_size(); ++g)
                nameUnnamedNodes(*attribute.mutable_graphs(g), source.attribute(a).graphs(g), names);
        }
    }
}

// "18 constant nodes folded (...), 2 BatchNormalization/Mul/Add nodes folded into Conv
// weights": only what happened.
// One note per kind of rewrite, each a coded message the GUI words in its language.
void notePreparation(const PreprocessResult &cleaned, std::vector<Diagnostic> &diagnostics)
{
    const std::pair<int, MessageId> kinds[] = {
        {cleaned.foldedConstants, MessageId::PreparedFoldedConstants},
        {cleaned.foldedIntoConv, MessageId::PreparedFoldedIntoConv},
        {cleaned.hardSwish, MessageId::PreparedHardSwish},
    };
    for (const auto &[count, id] : kinds) {
        if (count > 0)
            diagnostics.push_back(
                diagnosticOf(Severity::Info, makeMessage(id, {std::to_string(count)})));
    }
}

Result<std::shared_ptr<const Model>> prepareModel(const std::shared_ptr<const Model> &model,
                                                  int64_t minimumOpset,
                                                  std::vector<Diagnostic> &diagnostics,
                                                  Progress &progress)
{
    progress.beginPhase(QuantizePhase::kPreparing);
    onnx::ModelProto proto = model->proto();
    std::unordered_map<const onnx::NodeProto *, std::string> names;
    collectDisplayNames(model->index(), names);
    nameUnnamedNodes(*proto.mutable_graph(), model->proto().graph(), names);
    QS_RETURN_IF_ERROR(
        raiseOpset(proto, minimumOpset, MessageId::OpsetNeededByQuantizedOps, diagnostics));
    auto prepared = Model::fromProto(std::move(proto), model->baseDir(), progress);
    if (!prepared || minimumOpset == 0)
        return prepared;
    // INT8 only: FP16 rounds no value to a per-tensor scale, so it keeps the graph as it is.
    auto cleaned = preprocessForQuantization(*prepared, progress);
    if (!cleaned)
        return cleaned.status();
    if (!cleaned->changed())
        return prepared;
    notePreparation(*cleaned, diagnostics);
    return Model::fromProto(std::move(cleaned->model), model->baseDir(), progress);
}

NodeSelection selectionFor(const Recipe &recipe)
{
    return NodeSelection(toSet(recipe.op_types_to_quantize()), toSet(recipe.nodes_to_quantize()),
                         toSet(recipe.nodes_to_exclude()), toSet(recipe.op_types_to_exclude()));
}

// Calibration samples as data/sample_source.h's rule opens them (seed 0: reproducible ranges).
SampleSourceSettings calibrationSamples(const quantscope::Calibration &calibration)
{
    SampleSourceSettings samples;
    samples.dataDir = calibration.data_dir();
    samples.preprocessing = calibration.preprocessing();
    samples.maxSamples = calibration.max_samples();
    samples.dimValues = {calibration.dim_values().begin(), calibration.dim_values().end()};
    return samples;
}

StaticWriteOptions staticWriteOptions(const Recipe &recipe)
{
    StaticWriteOptions options;
    options.activationType = recipe.activation_type();
    options.weightType = recipe.weight_type();
    options.perChannel = recipe.per_channel();
    options.reduceRange = recipe.reduce_range();
    options.symmetricActivations = recipe.symmetric_activations();
    options.symmetricWeights = recipe.symmetric_weights();
    return options;
}

// The error of a run that quantized nothing, with the first reasons when nodes were eligible.
Status nothingQuantized(const QuantCoverage &coverage, const Recipe &recipe)
{
    if (coverage.eligible() == 0)
        return invalidArgument("no node to quantize: none of the op types ("
                               + std::to_string(recipe.op_types_to_quantize_size())
                               + ") is in the graph with a float32 output, or every match is "
                                 "excluded");
    std::string reasons;
    const auto &left = coverage.leftInFloat();
    for (size_t i = 0; i < left.size() && i < 3; ++i)
        reasons += (i ? "; " : "") + left[i].opType + " '" + left[i].node
                   + "': " + left[i].reasonText();
    return invalidArgument("no node to quantize: none of the " + std::to_string(coverage.eligible())
                           + " eligible nodes could be quantized (" + reasons
                           + (left.size() > 3 ? "; ..." : "") + ")");
}

Status writeStatic(const std::shared_ptr<const Model> &model, const Recipe &recipe,
                   const StaticPlan &plan, CalibrationResult calibration, QuantizeResult &result,
                   Progress &progress);

Status runStatic(const std::shared_ptr<const Model> &model, const Recipe &recipe,
                 const QuantizeSettings &settings, QuantizeResult &result, Progress &progress)
{
    StaticPlan plan = planStaticQuantization(*model, selectionFor(recipe),
                                             recipe.symmetric_activations());
    if (plan.quantizedNodes.empty())
        return nothingQuantized(plan.coverage, recipe);
    markSixteenBitActivations(plan, *model, toSet(recipe.nodes_with_16bit_activations()));
    if (settings.calibrationStatistics) {
        auto ranges = settings.calibrationStatistics
                          ->rangesFor(plan.tensorsToCalibrate(),
                                      calibrationSettings(recipe.calibration(),
                                                          recipe.symmetric_activations()));
        if (!ranges)
            return ranges.status();
        return writeStatic(model, recipe, plan, std::move(*ranges), result, progress);
    }
    progress.beginPhase(QuantizePhase::kCalibrating);
    auto session = Session::create(model, sessionOptions(settings.threads, {}, false), progress);
    if (!session)
        return session.status();
    auto source = openSampleSource(inputSpecs(**session), calibrationSamples(recipe.calibration()));
    if (!source)
        return source.status();
    if (recipe.calibration().data_dir().empty())
        result.diagnostics.push_back(
            diagnosticOf(Severity::Warning,
                         makeMessage(MessageId::RandomCalibration,
                                     {std::to_string(recipe.calibration().max_samples())})));
    auto calibration
        = calibrate(**session, **source, plan.tensorsToCalibrate(),
                    calibrationSettings(recipe.calibration(), recipe.symmetric_activations()),
                    progress);
    if (!calibration)
        return calibration.status();
    return writeStatic(model, recipe, plan, std::move(*calibration), result, progress);
}

Status writeStatic(const std::shared_ptr<const Model> &model, const Recipe &recipe,
                   const StaticPlan &plan, CalibrationResult calibration, QuantizeResult &result,
                   Progress &progress)
{
    progress.beginPhase(QuantizePhase::kWriting);
    result.calibrationSamples = calibration.samples;
    result.calibrationSkipped = calibration.skippedFiles;
    result.diagnostics.insert(result.diagnostics.end(), calibration.diagnostics.begin(),
                              calibration.diagnostics.end());
    const StaticWriteOptions options = staticWriteOptions(recipe);
    std::vector<NodeLeftInFloat> leftByFormat;
    auto written = recipe.format() == quantscope::QUANT_FORMAT_QOPERATOR
                       ? writeQOperatorModel(model, plan, calibration.ranges, options, progress,
                                             &leftByFormat)
                       : writeQdqModel(model, plan, calibration.ranges, options, progress);
    if (!written)
        return written.status();
    result.model = std::move(*written);
    result.coverage = plan.coverage;
    for (NodeLeftInFloat &node : leftByFormat)
        result.coverage.moveToFloat(std::move(node));
    result.quantizedNodes = result.coverage.quantized();
    return Status::ok();
}

Status runDynamic(const std::shared_ptr<const Model> &model, const Recipe &recipe,
                  QuantizeResult &result, Progress &progress)
{
    DynamicOptions options;
    options.matMulWeightType = recipe.weight_type();
    options.perChannel = recipe.per_channel();
    options.reduceRange = recipe.reduce_range();
    options.symmetricWeights = recipe.symmetric_weights();
    if (recipe.weight_type() == quantscope::QUANT_TYPE_INT8)
        result.diagnostics.push_back(
            diagnosticOf(Severity::Info, makeMessage(MessageId::DynamicConvWeightsUint8)));
    progress.beginPhase(QuantizePhase::kWriting);
    auto dynamic = quantizeDynamic(model, selectionFor(recipe), options, progress);
    if (!dynamic)
        return dynamic.status();
    if (dynamic->quantizedNodes() == 0)
        return nothingQuantized(dynamic->coverage, recipe);
    result.model = std::move(dynamic->model);
    result.coverage = std::move(dynamic->coverage);
    result.quantizedNodes = result.coverage.quantized();
    result.diagnostics.insert(result.diagnostics.end(), dynamic->diagnostics.begin(),
                              dynamic->diagnostics.end());
    return Status::ok();
}

// Accuracy recovery before quantizing (issue 17): cross-layer equalization (data-free), then bias
// correction (on the calibration samples, after equalization changed the weights). Each adds
// an Info diagnostic and a part of the summary line to `steps`.
Result<std::shared_ptr<const Model>> recoverAccuracy(
    std::shared_ptr<const Model> model, const Recipe &recipe, const QuantizeSettings &settings,
    QuantizeResult &result, std::vector<std::string> &steps, Progress &progress)
{
    if (recipe.cross_layer_equalization()) {
        EqualizationOptions options;
        options.relu6AsRelu = recipe.equalize_relu6_as_relu();
        auto equalized = equalizeCrossLayer(model, options, progress);
        if (!equalized)
            return equalized.status();
        steps.push_back(equalized->summary());
        for (Message &note : equalized->notes())
            result.diagnostics.push_back(diagnosticOf(Severity::Info, std::move(note)));
        if (equalized->pairs > 0) {
            auto reloaded = Model::fromProto(std::move(equalized->model), model->baseDir(),
                                             progress);
            if (!reloaded)
                return reloaded.status();
            model = *reloaded;
        }
    }
    if (recipe.bias_correction()) {
        const StaticPlan plan = planStaticQuantization(*model, selectionFor(recipe),
                                                       recipe.symmetric_activations());
        auto corrected = correctBiases(model, plan, staticWriteOptions(recipe),
                                       calibrationSamples(recipe.calibration()), settings.threads,
                                       progress);
        if (!corrected)
            return corrected.status();
        steps.push_back(corrected->summary());
        result.diagnostics.push_back(diagnosticOf(Severity::Info, corrected->note()));
        model = corrected->model;
    }
    return model;
}

// One exclusion model for every mode: FP16 keeps the recipe's excluded nodes and op types in
// float32 too, besides its own block lists (issue 16: "Add" ticked in the inspector was
// converted).
quantscope::Fp16Options fp16OptionsWithExclusions(const Recipe &recipe)
{
    quantscope::Fp16Options options = recipe.fp16();
    for (const std::string &node : recipe.nodes_to_exclude())
        options.add_node_block_list(node);
    for (const std::string &opType : recipe.op_types_to_exclude())
        options.add_op_block_list(opType);
    return options;
}

// FP16's eligible nodes: those computing on float values that the user did not keep in float
// (excluded, or blocked by name or by an op type the converter does not block by default).
QuantCoverage fp16Coverage(const std::vector<Fp16NodeOutcome> &nodes, const Recipe &recipe)
{
    const std::set<std::string> keptNodes = [&] {
        std::set<std::string> names = toSet(recipe.nodes_to_exclude());
        names.insert(recipe.fp16().node_block_list().begin(), recipe.fp16().node_block_list().end());
        return names;
    }();
    const std::vector<std::string> defaults = defaultFp16OpBlockList();
    std::set<std::string> keptOpTypes = toSet(recipe.op_types_to_exclude());
    for (const std::string &opType : recipe.fp16().op_block_list()) {
        if (std::find(defaults.begin(), defaults.end(), opType) == defaults.end())
            keptOpTypes.insert(opType);
    }
    QuantCoverage coverage;
    for (const Fp16NodeOutcome &node : nodes) {
        // A Constant is a value, not a computation: its tensor is counted with the tensors.
        if (node.opType == "Constant" || keptNodes.count(node.node)
            || keptOpTypes.count(node.opType))
            continue;
        if (node.converted)
            coverage.addQuantized(node.opType);
        else
            coverage.addLeftInFloat({node.node, node.opType, node.reason, Severity::Info});
    }
    return coverage;
}

Status runFp16(const std::shared_ptr<const Model> &model, const Recipe &recipe,
               QuantizeResult &result, Progress &progress)
{
    progress.beginPhase(QuantizePhase::kWriting);
    auto converted = convertToFloat16(model, fp16OptionsWithExclusions(recipe), progress);
    if (!converted)
        return converted.status();
    result.model = std::move(converted->model);
    result.quantizedNodes = converted->convertedTensors;
    result.diagnostics.insert(result.diagnostics.end(), converted->diagnostics.begin(),
                              converted->diagnostics.end());
    result.coverage = fp16Coverage(converted->nodes, recipe);
    result.summary = result.coverage.summary("converted to float16") + "; "
                     + std::to_string(converted->convertedTensors) + " tensors to float16, "
                     + std::to_string(converted->clampedValues) + " values clamped, "
                     + std::to_string(converted->insertedCasts) + " casts inserted";
    return Status::ok();
}

} // namespace

Result<QuantizeResult> quantizeModel(std::shared_ptr<const Model> model, const Recipe &given,
                                     const QuantizeSettings &settings, Progress &progress)
{
    QS_RETURN_IF_ERROR(checkQuantizerInput(*model));
    auto recipe = effectiveRecipe(given, *model);
    if (!recipe)
        return recipe.status();
    QuantizeResult result;
    result.recipe = *recipe;
    const auto mode = recipe->mode();
    const int64_t minimumOpset = mode == quantscope::QUANT_MODE_STATIC    ? kStaticOpset
                                 : mode == quantscope::QUANT_MODE_DYNAMIC ? kDynamicOpset
                                                                          : 0;
    const auto &statistics = settings.calibrationStatistics;
    const bool reusePrepared = statistics && statistics->sourceModel == model.get()
                               && mode == quantscope::QUANT_MODE_STATIC;
    if (reusePrepared)
        result.diagnostics = statistics->diagnostics;
    auto prepared = reusePrepared ? Result<std::shared_ptr<const Model>>(statistics->preparedModel)
                                  : prepareModel(model, minimumOpset, result.diagnostics, progress);
    if (!prepared)
        return prepared.status();
    std::vector<std::string> recoverySteps;
    prepared = recoverAccuracy(*prepared, *recipe, settings, result, recoverySteps, progress);
    if (!prepared)
        return prepared.status();
    // 16-bit QuantizeLinear / DequantizeLinear need opset 21. The model is planned and written
    // at its own opset and raised afterwards: planning needs every tensor's type from ONNX's
    // shape inference, and the ONNX linked here (1.12) knows schemas up to opset 17 only, so it
    // cannot infer a graph whose ops changed since (ReduceMean-18 takes its axes as an input):
    // a model raised first would lose its types and have nothing left to quantize.
    const bool raiseForSixteenBit = !recipe->nodes_with_16bit_activations().empty()
                                    && defaultDomainOpset((*prepared)->proto())
                                           < kSixteenBitQdqOpset;
    Status status;
    if (mode == quantscope::QUANT_MODE_STATIC)
        status = runStatic(*prepared, *recipe, settings, result, progress);
    else if (mode == quantscope::QUANT_MODE_DYNAMIC)
        status = runDynamic(*prepared, *recipe, result, progress);
    else
        status = runFp16(*prepared, *recipe, result, progress);
    if (!status)
        return status;
    if (raiseForSixteenBit)
        QS_RETURN_IF_ERROR(raiseOpset(result.model, kSixteenBitQdqOpset,
                                      MessageId::OpsetNeededBySixteenBit, result.diagnostics));
    if (mode == quantscope::QUANT_MODE_DYNAMIC || mode == quantscope::QUANT_MODE_STATIC) {
        if (result.summary.empty())
            result.summary = result.coverage.summary();
        if (result.calibrationSamples > 0)
            result.summary += ", calibrated on " + std::to_string(result.calibrationSamples)
                              + " samples";
        if (result.calibrationSkipped > 0)
            result.summary += " (" + skippedSummary(result.calibrationSkipped) + ")";
        for (const std::string &step : recoverySteps)
            result.summary += "; " + step;
    }
    // What the run left in float, and why, where the user looks: the messages and the recipe.
    const std::vector<Diagnostic> leftInFloat
        = result.coverage.diagnostics(mode == quantscope::QUANT_MODE_FP16 ? "float32" : "float");
    result.diagnostics.insert(result.diagnostics.end(), leftInFloat.begin(), leftInFloat.end());
    result.coverage.writeTo(result.recipe);
    QS_RETURN_IF_ERROR(checkQuantizerOutput(result.model, result.diagnostics));
    return result;
}

std::string recipePathFor(const std::string &outputPath)
{
    std::filesystem::path path(outputPath);
    if (path.extension() == ".onnx")
        path.replace_extension();
    return path.string() + ".recipe.textproto";
}

std::vector<PhasedProgress::Phase> quantizeJobPhases(const Recipe &recipe,
                                                     const QuantizeSettings &settings)
{
    // Rough shares, not measured per model: calibration runs the model once per sample, so it is
    // most of a static job; preparing and writing walk the graph a few times; saving writes the
    // file once. A wrong share only bends the ETA, which corrects itself as the bar moves.
    const bool calibrates = recipe.mode() == quantscope::QUANT_MODE_STATIC
                            && !settings.calibrationStatistics;
    return {{QuantizePhase::kPreparing, 1.0},
            {QuantizePhase::kCalibrating, calibrates ? 12.0 : 0.0},
            {QuantizePhase::kWriting, 2.0},
            {QuantizePhase::kSaving, 0.5}};
}

Status saveQuantizeResult(const QuantizeResult &result, const std::string &outputPath,
                          const std::string &sourceDir)
{
    quantscope::Recipe recipe = result.recipe;
    recipe.set_output_model(outputPath);
    QS_RETURN_IF_ERROR(saveModel(result.model, outputPath, SaveOptions{}, sourceDir));
    return saveRecipe(recipe, recipePathFor(outputPath));
}

Result<std::shared_ptr<const CalibrationStatistics>> collectCalibrationStatistics(
    std::shared_ptr<const Model> model, const std::vector<Recipe> &recipes, int threads,
    Progress &progress)
{
    if (recipes.empty())
        return invalidArgument("no recipe to collect calibration statistics for");
    QS_RETURN_IF_ERROR(checkQuantizerInput(*model));
    std::vector<Recipe> effective;
    for (const Recipe &given : recipes) {
        auto recipe = effectiveRecipe(given, *model);
        if (!recipe)
            return recipe.status();
        if (recipe->mode() != quantscope::QUANT_MODE_STATIC)
            return invalidArgument("calibration statistics serve the static mode only");
        effective.push_back(std::move(*recipe));
    }
    std::vector<Diagnostic> diagnostics;
    auto prepared = prepareModel(model, kStaticOpset, diagnostics, progress);
    if (!prepared)
        return prepared.status();
    // Every value of the main graph, so that a recipe outside `recipes` (an exclusion that
    // changes which neighbour needs a range) still finds its tensors; plus the plans' own, which
    // may lie in subgraphs.
    std::set<std::string> tensors;
    for (const auto &input : (*prepared)->proto().graph().input())
        tensors.insert(input.name());
    for (const NodeInfo &node : (*prepared)->index().nodes())
        if (node.graph == 0)
            for (const ValueRef &output : node.outputs)
                if (!output.name.empty())
                    tensors.insert(output.name);
    for (const Recipe &recipe : effective) {
        const StaticPlan plan = planStaticQuantization(**prepared, selectionFor(recipe),
                                                       recipe.symmetric_activations());
        const std::set<std::string> planned = plan.tensorsToCalibrate();
        tensors.insert(planned.begin(), planned.end());
    }
    auto session = Session::create(*prepared, sessionOptions(threads, {}, false), progress);
    if (!session)
        return session.status();
    const quantscope::Calibration &calibration = effective.front().calibration();
    auto source = openSampleSource(inputSpecs(**session), calibrationSamples(calibration));
    if (!source)
        return source.status();
    if (calibration.data_dir().empty())
        diagnostics.push_back(
            diagnosticOf(Severity::Warning,
                         makeMessage(MessageId::RandomCalibration,
                                     {std::to_string(calibration.max_samples())})));
    const int bins = calibrationSettings(calibration, false).bins;
    auto statistics = CalibrationStatistics::collect(**session, **source, tensors, bins, progress);
    if (!statistics)
        return statistics.status();
    (*statistics)->preparedModel = *prepared;
    (*statistics)->sourceModel = model.get();
    (*statistics)->diagnostics = std::move(diagnostics);
    (*statistics)->dataDir = calibration.data_dir();
    return std::shared_ptr<const CalibrationStatistics>(std::move(*statistics));
}

Result<std::vector<std::string>> fallbackCandidates(std::shared_ptr<const Model> model,
                                                    const QuantizeResult &result,
                                                    const QuantizeSettings &settings)
{
    const Recipe &recipe = result.recipe;
    std::set<std::string> skip = toSet(recipe.nodes_to_exclude());
    for (const NodeLeftInFloat &node : result.coverage.leftInFloat())
        skip.insert(node.node);
    std::vector<std::string> names;
    if (recipe.mode() == quantscope::QUANT_MODE_DYNAMIC) {
        const std::set<std::string> opTypes = toSet(recipe.op_types_to_quantize());
        for (const NodeInfo &node : model->index().nodes())
            if (opTypes.count(node.opType) && !skip.count(node.displayName))
                names.push_back(node.displayName);
        return names;
    }
    if (recipe.mode() != quantscope::QUANT_MODE_STATIC)
        return unsupported("fallback candidates: only the static and dynamic modes have them");
    const auto &statistics = settings.calibrationStatistics;
    std::shared_ptr<const Model> prepared;
    if (statistics && statistics->sourceModel == model.get()) {
        prepared = statistics->preparedModel;
    } else {
        std::vector<Diagnostic> ignored;
        auto made = prepareModel(model, kStaticOpset, ignored, silentProgress());
        if (!made)
            return made.status();
        prepared = *made;
    }
    const StaticPlan plan = planStaticQuantization(*prepared, selectionFor(recipe),
                                                   recipe.symmetric_activations());
    for (const int id : plan.quantizedNodes) {
        const NodeInfo &node = prepared->index().nodes()[size_t(id)];
        // A Relu/Clip not folded into its producer has Q/DQ of its own: a candidate too.
        const auto role = staticRole(node.opType);
        const bool ownsQuantization = role && *role != StaticRole::PassThrough
                                      && !plan.isFolded(id);
        if (ownsQuantization && !skip.count(node.displayName))
            names.push_back(node.displayName);
    }
    return names;
}

} // namespace qs
