#include "quant/effective_recipe.h"

#include "model/graph_index.h"
#include "model/model.h"
#include "quant/calibration/calibrator.h"
#include "quant/dynamic_quantizer.h"
#include "quant/fp16_converter.h"
#include "quant/node_selection.h"
#include "quant/static_plan.h"

namespace qs {

namespace {

using quantscope::Recipe;

constexpr int64_t kDefaultRandomSamples = 16;

std::vector<std::string> toVector(const google::protobuf::RepeatedPtrField<std::string> &field)
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

// Every list the recipe still holds: keepOnlyModeOptions has dropped those of other modes.
Status validateLists(const Recipe &recipe, const Model &model)
{
    const GraphIndex &index = model.index();
    QS_RETURN_IF_ERROR(
        validateNodeNames(index, toVector(recipe.nodes_to_exclude()), "nodes_to_exclude"));
    QS_RETURN_IF_ERROR(
        validateNodeNames(index, toVector(recipe.nodes_to_quantize()), "nodes_to_quantize"));
    QS_RETURN_IF_ERROR(validateNodeNames(index, toVector(recipe.fp16().node_block_list()),
                                         "fp16 node_block_list"));
    QS_RETURN_IF_ERROR(validateNodeNames(index, toVector(recipe.nodes_with_16bit_activations()),
                                         "nodes_with_16bit_activations"));
    QS_RETURN_IF_ERROR(
        validateOpTypes(toVector(recipe.op_types_to_quantize()), "op_types_to_quantize"));
    QS_RETURN_IF_ERROR(
        validateOpTypes(toVector(recipe.op_types_to_exclude()), "op_types_to_exclude"));
    return validateOpTypes(toVector(recipe.fp16().op_block_list()), "fp16 op_block_list");
}

Status fillDynamicDefaults(Recipe &recipe)
{
    if (recipe.activation_type() == quantscope::QUANT_TYPE_INT8)
        return Status(StatusCode::InvalidArgument, makeMessage(MessageId::DynamicInt8Activations));
    recipe.set_activation_type(quantscope::QUANT_TYPE_UINT8);
    if (recipe.weight_type() == quantscope::QUANT_TYPE_UNSPECIFIED)
        recipe.set_weight_type(quantscope::QUANT_TYPE_INT8);
    // On for int8 weights, unlike ORT's default: MatMulInteger's U8S8 kernels without VNNI
    // (oneDNN's and ORT's MLAS on AVX2) saturate int16 pair sums with full-range weights
    // (cosine 0.98 instead of 0.999 in dynamic_quant_test). Conv's uint8 weights keep 8 bits.
    if (!recipe.has_reduce_range())
        recipe.set_reduce_range(recipe.weight_type() == quantscope::QUANT_TYPE_INT8);
    if (recipe.op_types_to_quantize().empty())
        setList(*recipe.mutable_op_types_to_quantize(), defaultDynamicOpTypes());
    return Status::ok();
}

Status fillStaticDefaults(Recipe &recipe)
{
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
        return Status(StatusCode::InvalidArgument,
                      makeMessage(MessageId::Int8ActivationsUint8Weights));
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
            return Status(StatusCode::InvalidArgument,
                          makeMessage(MessageId::NoStaticRule, {opType}));
    auto &calibration = *recipe.mutable_calibration();
    const CalibrationSettings defaults;
    if (calibration.method() == quantscope::CALIBRATION_METHOD_UNSPECIFIED)
        calibration.set_method(quantscope::CALIBRATION_METHOD_MINMAX);
    if (calibration.percentile() <= 0)
        calibration.set_percentile(static_cast<float>(defaults.percentile));
    if (calibration.percentile() > 100)
        return Status(StatusCode::InvalidArgument,
                      makeMessage(MessageId::PercentileAbove100,
                                  {std::to_string(calibration.percentile())}));
    if (calibration.num_bins() <= 0)
        calibration.set_num_bins(defaults.bins);
    if (calibration.num_quantized_bins() <= 0)
        calibration.set_num_quantized_bins(defaults.quantizedBins);
    if (calibration.moving_average() && calibration.averaging_constant() <= 0)
        calibration.set_averaging_constant(defaults.averagingConstant);
    if (calibration.data_dir().empty() && calibration.max_samples() <= 0)
        calibration.set_max_samples(kDefaultRandomSamples);
    return Status::ok();
}

// Accuracy recovery (issue 17) where it can run: equalization is data-free and serves both INT8
// modes; bias correction measures on calibration samples, which only static mode has. FP16
// rounds no weight to a per-tensor scale, so neither applies there.
Status validateRecovery(const Recipe &recipe)
{
    if (recipe.mode() == quantscope::QUANT_MODE_FP16 && recipe.cross_layer_equalization())
        return Status(StatusCode::InvalidArgument, makeMessage(MessageId::EqualizationNotForFp16));
    if (recipe.equalize_relu6_as_relu() && !recipe.cross_layer_equalization())
        return Status(StatusCode::InvalidArgument, makeMessage(MessageId::Relu6NeedsEqualization));
    const bool otherMode = recipe.mode() == quantscope::QUANT_MODE_DYNAMIC
                           || recipe.mode() == quantscope::QUANT_MODE_FP16;
    if (otherMode && recipe.bias_correction())
        return Status(StatusCode::InvalidArgument, makeMessage(MessageId::BiasCorrectionStaticOnly));
    return Status::ok();
}

// 16-bit activations exist as QuantizeLinear / DequantizeLinear types only: QOperator's
// QLinear ops and dynamic quantization's DynamicQuantizeLinear are 8-bit.
Status validateSixteenBitActivations(const Recipe &recipe)
{
    if (recipe.nodes_with_16bit_activations().empty())
        return Status::ok();
    if (recipe.mode() != quantscope::QUANT_MODE_STATIC)
        return Status(StatusCode::InvalidArgument, makeMessage(MessageId::SixteenBitStaticOnly));
    if (recipe.format() == quantscope::QUANT_FORMAT_QOPERATOR)
        return Status(StatusCode::InvalidArgument, makeMessage(MessageId::SixteenBitNeedsQdq));
    return Status::ok();
}

Status fillFp16Defaults(Recipe &recipe)
{
    auto &fp16 = *recipe.mutable_fp16();
    if (fp16.op_block_list().empty())
        setList(*fp16.mutable_op_block_list(), defaultFp16OpBlockList());
    if (fp16.min_positive_val() <= 0)
        fp16.set_min_positive_val(1e-7f);
    if (fp16.max_finite_val() <= 0)
        fp16.set_max_finite_val(1e4f);
    if (fp16.min_positive_val() >= fp16.max_finite_val())
        return Status(StatusCode::InvalidArgument, makeMessage(MessageId::Fp16MinAboveMax));
    return Status::ok();
}

} // namespace

void keepOnlyModeOptions(Recipe &recipe)
{
    // What each run reads (quantizer.cpp): dynamic the weight options and op/node selection,
    // static those plus activations, format and calibration, FP16 only its own options.
    switch (recipe.mode()) {
    case quantscope::QUANT_MODE_DYNAMIC:
        recipe.clear_fp16();
        recipe.clear_calibration();
        recipe.clear_format();
        recipe.clear_symmetric_activations();
        break;
    case quantscope::QUANT_MODE_STATIC: recipe.clear_fp16(); break;
    case quantscope::QUANT_MODE_FP16:
        recipe.clear_calibration();
        recipe.clear_format();
        recipe.clear_weight_type();
        recipe.clear_activation_type();
        recipe.clear_per_channel();
        recipe.clear_reduce_range();
        recipe.clear_symmetric_activations();
        recipe.clear_symmetric_weights();
        recipe.clear_op_types_to_quantize();
        recipe.clear_nodes_to_quantize();
        break;
    default: break;
    }
}

Result<Recipe> effectiveRecipe(const Recipe &given, const Model &model)
{
    Recipe recipe = given;
    recipe.clear_left_in_float(); // what a run left in float is its output, never its input
    QS_RETURN_IF_ERROR(validateRecovery(recipe));
    QS_RETURN_IF_ERROR(validateSixteenBitActivations(recipe));
    keepOnlyModeOptions(recipe);
    QS_RETURN_IF_ERROR(validateLists(recipe, model));
    switch (recipe.mode()) {
    case quantscope::QUANT_MODE_DYNAMIC: QS_RETURN_IF_ERROR(fillDynamicDefaults(recipe)); break;
    case quantscope::QUANT_MODE_STATIC: QS_RETURN_IF_ERROR(fillStaticDefaults(recipe)); break;
    case quantscope::QUANT_MODE_FP16: QS_RETURN_IF_ERROR(fillFp16Defaults(recipe)); break;
    default: return Status(StatusCode::InvalidArgument, makeMessage(MessageId::RecipeWithoutMode));
    }
    if (recipe.mode() != quantscope::QUANT_MODE_FP16 && !recipe.has_symmetric_weights())
        recipe.set_symmetric_weights(recipe.weight_type() == quantscope::QUANT_TYPE_INT8);
    if (recipe.input_model().empty())
        recipe.set_input_model(model.path());
    return recipe;
}

} // namespace qs
