#include "quant/quantizer.h"

#include "data/sample_source.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "model/model_writer.h"
#include "quant/calibration/calibrator.h"
#include "quant/dynamic_quantizer.h"
#include "quant/fp16_converter.h"
#include "quant/node_selection.h"
#include "quant/opset_upgrade.h"
#include "quant/qdq_writer.h"
#include "quant/qoperator_writer.h"
#include "quant/quant_preprocess.h"
#include "quant/recipe_io.h"
#include "quant/static_plan.h"
#include "runtime/session.h"

#include <onnx/checker.h>

#include <filesystem>
#include <set>
#include <unordered_map>

namespace qs {

namespace {

using quantscope::Recipe;

constexpr int64_t kStaticOpset = 14;  // QDQ with axis (13), HardSwish (14)
constexpr int64_t kDynamicOpset = 11; // DynamicQuantizeLinear
constexpr int64_t kDefaultRandomSamples = 16;

std::vector<std::string> toVector(const google::protobuf::RepeatedPtrField<std::string> &field)
{
    return {field.begin(), field.end()};
}

std::set<std::string> toSet(const google::protobuf::RepeatedPtrField<std::string> &field)
{
    return {field.begin(), field.end()};
}

void setList(google::protobuf::RepeatedPtrField<std::string> &field,
             const std::vector<std::string> &values)
{
    field.Clear();
    for (const auto &value : values)
        *field.Add() = value;
}

Status validateLists(const Recipe &recipe, const Model &model)
{
    const GraphIndex &index = model.index();
    QS_RETURN_IF_ERROR(
        validateNodeNames(index, toVector(recipe.nodes_to_exclude()), "nodes_to_exclude"));
    QS_RETURN_IF_ERROR(
        validateNodeNames(index, toVector(recipe.nodes_to_quantize()), "nodes_to_quantize"));
    QS_RETURN_IF_ERROR(validateNodeNames(index, toVector(recipe.fp16().node_block_list()),
                                         "fp16 node_block_list"));
    QS_RETURN_IF_ERROR(
        validateOpTypes(toVector(recipe.op_types_to_quantize()), "op_types_to_quantize"));
    QS_RETURN_IF_ERROR(
        validateOpTypes(toVector(recipe.op_types_to_exclude()), "op_types_to_exclude"));
    return validateOpTypes(toVector(recipe.fp16().op_block_list()), "fp16 op_block_list");
}

} // namespace

Result<Recipe> effectiveRecipe(const Recipe &given, const Model &model)
{
    Recipe recipe = given;
    QS_RETURN_IF_ERROR(validateLists(recipe, model));
    switch (recipe.mode()) {
    case quantscope::QUANT_MODE_DYNAMIC:
        if (recipe.activation_type() == quantscope::QUANT_TYPE_INT8)
            return invalidArgument("activation_type int8: dynamic quantization quantizes "
                                   "activations at run time with DynamicQuantizeLinear, which "
                                   "produces uint8 only");
        recipe.set_activation_type(quantscope::QUANT_TYPE_UINT8);
        if (recipe.weight_type() == quantscope::QUANT_TYPE_UNSPECIFIED)
            recipe.set_weight_type(quantscope::QUANT_TYPE_INT8);
        recipe.clear_format();
        // On for int8 weights, unlike ORT's default: MatMulInteger's U8S8 kernels without VNNI
        // (oneDNN's and ORT's MLAS on AVX2) saturate int16 pair sums with full-range weights
        // (cosine 0.98 instead of 0.999 in dynamic_quant_test). Conv's uint8 weights keep 8 bits.
        if (!recipe.has_reduce_range())
            recipe.set_reduce_range(recipe.weight_type() == quantscope::QUANT_TYPE_INT8);
        if (recipe.op_types_to_quantize().empty())
            setList(*recipe.mutable_op_types_to_quantize(), defaultDynamicOpTypes());
        break;
    case quantscope::QUANT_MODE_STATIC: {
        if (recipe.format() == quantscope::QUANT_FORMAT_UNSPECIFIED)
            recipe.set_format(quantscope::QUANT_FORMAT_QDQ);
        // U8S8, as ONNX Runtime recommends for x86: its S8S8 kernels ran our PaddleOCR det
        // QDQ model 1.9x slower than U8S8 on an AVX2 CPU without VNNI (bench/quant_figures.py).
        if (recipe.activation_type() == quantscope::QUANT_TYPE_UNSPECIFIED)
            recipe.set_activation_type(quantscope::QUANT_TYPE_UINT8);
        if (recipe.weight_type() == quantscope::QUANT_TYPE_UNSPECIFIED)
            recipe.set_weight_type(quantscope::QUANT_TYPE_INT8);
        if (recipe.activation_type() == quantscope::QUANT_TYPE_INT8
            && recipe.weight_type() == quantscope::QUANT_TYPE_UINT8)
            return invalidArgument("int8 activations with uint8 weights: no runtime has "
                                   "kernels for this pair (ONNX Runtime rejects it too); use "
                                   "uint8 activations or int8 weights");
        // U8S8 kernels without VNNI (vpmaddubsw) saturate int16 pair sums with full-range int8
        // weights: ONNX Runtime's output drifted from the exact QDQ result (cosine 0.94 on
        // PaddleOCR det) until weights used 7 bits. So reduce-range is on by default for U8S8.
        if (!recipe.has_reduce_range())
            recipe.set_reduce_range(recipe.activation_type() == quantscope::QUANT_TYPE_UINT8
                                    && recipe.weight_type() == quantscope::QUANT_TYPE_INT8);
        if (recipe.op_types_to_quantize().empty())
            setList(*recipe.mutable_op_types_to_quantize(), defaultStaticOpTypes());
        for (const auto &opType : recipe.op_types_to_quantize())
            if (!staticRole(opType))
                return invalidArgument("op_types_to_quantize: static quantization has no rule "
                                       "for '"
                                       + opType + "'");
        auto &calibration = *recipe.mutable_calibration();
        const CalibrationSettings defaults;
        if (calibration.method() == quantscope::CALIBRATION_METHOD_UNSPECIFIED)
            calibration.set_method(quantscope::CALIBRATION_METHOD_MINMAX);
        if (calibration.percentile() <= 0)
            calibration.set_percentile(static_cast<float>(defaults.percentile));
        if (calibration.percentile() > 100)
            return invalidArgument("calibration.percentile "
                                   + std::to_string(calibration.percentile()) + " is above 100");
        if (calibration.num_bins() <= 0)
            calibration.set_num_bins(defaults.bins);
        if (calibration.num_quantized_bins() <= 0)
            calibration.set_num_quantized_bins(defaults.quantizedBins);
        if (calibration.moving_average() && calibration.averaging_constant() <= 0)
            calibration.set_averaging_constant(defaults.averagingConstant);
        if (calibration.data_dir().empty() && calibration.max_samples() <= 0)
            calibration.set_max_samples(kDefaultRandomSamples);
        break;
    }
    case quantscope::QUANT_MODE_FP16: {
        auto &fp16 = *recipe.mutable_fp16();
        if (fp16.op_block_list().empty())
            setList(*fp16.mutable_op_block_list(), defaultFp16OpBlockList());
        if (fp16.min_positive_val() <= 0)
            fp16.set_min_positive_val(1e-7f);
        if (fp16.max_finite_val() <= 0)
            fp16.set_max_finite_val(1e4f);
        if (fp16.min_positive_val() >= fp16.max_finite_val())
            return invalidArgument("fp16 min_positive_val must be below max_finite_val");
        recipe.clear_format();
        recipe.clear_weight_type();
        recipe.clear_activation_type();
        break;
    }
    default: return invalidArgument("the recipe has no mode: choose dynamic, static or fp16");
    }
    if (recipe.mode() != quantscope::QUANT_MODE_FP16 && !recipe.has_symmetric_weights())
        recipe.set_symmetric_weights(recipe.weight_type() == quantscope::QUANT_TYPE_INT8);
    if (recipe.input_model().empty())
        recipe.set_input_model(model.path());
    return recipe;
}

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

Result<std::shared_ptr<const Model>> prepareModel(const std::shared_ptr<const Model> &model,
                                                  int64_t minimumOpset,
                                                  std::vector<Diagnostic> &diagnostics,
                                                  Progress &progress)
{
    onnx::ModelProto proto = model->proto();
    std::unordered_map<const onnx::NodeProto *, std::string> names;
    collectDisplayNames(model->index(), names);
    nameUnnamedNodes(*proto.mutable_graph(), model->proto().graph(), names);
    const int64_t opset = defaultDomainOpset(proto);
    if (opset < minimumOpset) {
        auto upgraded = upgradeOpset(proto, minimumOpset);
        if (!upgraded)
            return upgraded.status();
        proto = std::move(*upgraded);
        diagnostics.push_back({Severity::Info,
                               "opset raised from " + std::to_string(opset) + " to "
                                   + std::to_string(minimumOpset)
                                   + " with ONNX's version converter (quantized ops need it)",
                               {}});
    }
    auto prepared = Model::fromProto(std::move(proto), model->baseDir(), progress);
    if (!prepared || minimumOpset == 0)
        return prepared;
    // INT8 only: FP16 rounds no value to a per-tensor scale, so it keeps the graph as it is.
    auto cleaned = preprocessForQuantization(*prepared, progress);
    if (!cleaned)
        return cleaned.status();
    if (!cleaned->changed())
        return prepared;
    diagnostics.push_back({Severity::Info,
                           std::to_string(cleaned->foldedIntoConv)
                               + " BatchNormalization/Mul/Add nodes folded into Conv weights, "
                               + std::to_string(cleaned->hardSwish)
                               + " decomposed HardSwish patterns made one HardSwish node "
                                 "(fewer values to round, fewer float ops between int8 ones)",
                           {}});
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

Status runStatic(const std::shared_ptr<const Model> &model, const Recipe &recipe,
                 const QuantizeSettings &settings, QuantizeResult &result, Progress &progress)
{
    const StaticPlan plan = planStaticQuantization(*model, selectionFor(recipe),
                                                   recipe.symmetric_activations());
    if (plan.quantizedNodes.empty())
        return invalidArgument("no node to quantize: none of the op types ("
                               + std::to_string(recipe.op_types_to_quantize_size())
                               + ") is in the graph, or every match is excluded");
    auto session = Session::create(model, sessionOptions(settings.threads, {}, false), progress);
    if (!session)
        return session.status();
    auto source = openSampleSource(inputSpecs(**session), calibrationSamples(recipe.calibration()));
    if (!source)
        return source.status();
    if (recipe.calibration().data_dir().empty())
        result.diagnostics.push_back({Severity::Warning,
                                      "no calibration folder: calibrating on "
                                          + std::to_string(recipe.calibration().max_samples())
                                          + " random inputs, ranges will not match real data",
                                      {}});
    auto calibration
        = calibrate(**session, **source, plan.tensorsToCalibrate(),
                    calibrationSettings(recipe.calibration(), recipe.symmetric_activations()),
                    progress);
    if (!calibration)
        return calibration.status();
    result.calibrationSamples = calibration->samples;
    result.diagnostics.insert(result.diagnostics.end(), calibration->diagnostics.begin(),
                              calibration->diagnostics.end());
    const StaticWriteOptions options = staticWriteOptions(recipe);
    auto written = recipe.format() == quantscope::QUANT_FORMAT_QOPERATOR
                       ? writeQOperatorModel(model, plan, calibration->ranges, options, progress)
                       : writeQdqModel(model, plan, calibration->ranges, options, progress);
    if (!written)
        return written.status();
    result.model = std::move(*written);
    result.quantizedNodes = static_cast<int64_t>(plan.quantizedNodes.size());
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
            {Severity::Info,
             "Conv weights are stored as uint8: ONNX Runtime's CPU ConvInteger implements only "
             "uint8 x uint8 (onnxruntime#12558, #15888); MatMul/Gemm weights are int8",
             {}});
    auto dynamic = quantizeDynamic(model, selectionFor(recipe), options, progress);
    if (!dynamic)
        return dynamic.status();
    if (dynamic->quantizedNodes == 0)
        return invalidArgument("no node to quantize: no Conv/MatMul/Gemm with constant weights "
                               "or Gather on a constant table is selected");
    result.model = std::move(dynamic->model);
    result.quantizedNodes = dynamic->quantizedNodes;
    result.diagnostics.insert(result.diagnostics.end(), dynamic->diagnostics.begin(),
                              dynamic->diagnostics.end());
    return Status::ok();
}

Status runFp16(const std::shared_ptr<const Model> &model, const Recipe &recipe,
               QuantizeResult &result, Progress &progress)
{
    auto converted = convertToFloat16(model, recipe.fp16(), progress);
    if (!converted)
        return converted.status();
    result.model = std::move(converted->model);
    result.quantizedNodes = converted->convertedTensors;
    result.diagnostics.insert(result.diagnostics.end(), converted->diagnostics.begin(),
                              converted->diagnostics.end());
    result.summary = std::to_string(converted->convertedTensors) + " tensors to float16, "
                     + std::to_string(converted->clampedValues) + " values clamped, "
                     + std::to_string(converted->insertedCasts) + " casts inserted";
    return Status::ok();
}

Status checkOutput(const onnx::ModelProto &proto)
{
    // The checker refuses protos beyond 2 GB in memory; those are checked only when saved.
    if (proto.ByteSizeLong() > (size_t(1) << 31) - 1)
        return Status::ok();
    try {
        onnx::checker::check_model(proto);
    } catch (const std::exception &error) {
        return internalError(std::string("the quantized model fails ONNX's checker (a bug in "
                                         "Quantscope, please report it): ")
                             + error.what());
    }
    return Status::ok();
}

} // namespace

Result<QuantizeResult> quantizeModel(std::shared_ptr<const Model> model, const Recipe &given,
                                     const QuantizeSettings &settings, Progress &progress)
{
    auto recipe = effectiveRecipe(given, *model);
    if (!recipe)
        return recipe.status();
    QuantizeResult result;
    result.recipe = *recipe;
    const auto mode = recipe->mode();
    const int64_t minimumOpset = mode == quantscope::QUANT_MODE_STATIC    ? kStaticOpset
                                 : mode == quantscope::QUANT_MODE_DYNAMIC ? kDynamicOpset
                                                                          : 0;
    auto prepared = prepareModel(model, minimumOpset, result.diagnostics, progress);
    if (!prepared)
        return prepared.status();
    Status status;
    if (mode == quantscope::QUANT_MODE_STATIC)
        status = runStatic(*prepared, *recipe, settings, result, progress);
    else if (mode == quantscope::QUANT_MODE_DYNAMIC)
        status = runDynamic(*prepared, *recipe, result, progress);
    else
        status = runFp16(*prepared, *recipe, result, progress);
    if (!status)
        return status;
    if (mode == quantscope::QUANT_MODE_DYNAMIC || mode == quantscope::QUANT_MODE_STATIC) {
        if (result.summary.empty())
            result.summary = std::to_string(result.quantizedNodes) + " nodes quantized";
        if (result.calibrationSamples > 0)
            result.summary += ", calibrated on " + std::to_string(result.calibrationSamples)
                              + " samples";
    }
    QS_RETURN_IF_ERROR(checkOutput(result.model));
    return result;
}

std::string recipePathFor(const std::string &outputPath)
{
    std::filesystem::path path(outputPath);
    if (path.extension() == ".onnx")
        path.replace_extension();
    return path.string() + ".recipe.textproto";
}

Status saveQuantizeResult(const QuantizeResult &result, const std::string &outputPath,
                          const std::string &sourceDir)
{
    quantscope::Recipe recipe = result.recipe;
    recipe.set_output_model(outputPath);
    QS_RETURN_IF_ERROR(saveModel(result.model, outputPath, SaveOptions{}, sourceDir));
    return saveRecipe(recipe, recipePathFor(outputPath));
}

} // namespace qs
