#include "util/messages.h"

#include <array>
#include <cstddef>

namespace qs {

namespace {

struct CatalogueEntry
{
    MessageId id;
    std::string_view code;
    std::string_view english;
};

// One row per id, in the enum's order (a unit test checks it). Codes are stable: a front end or
// a saved file may know them; the English may be reworded.
constexpr std::array kCatalogue = {
    CatalogueEntry{MessageId::Text, "text", "%1"},
    CatalogueEntry{MessageId::LeftInFloat, "left_in_float", "%1 left in %2: %3"},
    CatalogueEntry{MessageId::NoDynamicIntegerForm, "no_dynamic_integer_form",
                   "dynamic quantization has no integer form for %1"},
    CatalogueEntry{MessageId::MatMulTransposedA, "matmul_transposed_a",
                   "transA = 1: MatMulInteger has no transposed A"},
    CatalogueEntry{MessageId::WrongConstantType, "wrong_constant_type",
                   "%1 is a %2 constant; the integer ops take float32 weights"},
    CatalogueEntry{MessageId::ValueIsGraphInput, "value_is_graph_input",
                   "%1 is the graph input '%2', not a constant"},
    CatalogueEntry{MessageId::ValueComputedFromInputs, "value_computed_from_inputs",
                   "%1 comes from node '%2' (%3), computed from the model's inputs, not a "
                   "constant"},
    CatalogueEntry{MessageId::ValueFromUnfoldedConstant, "value_from_unfolded_constant",
                   "%1 comes from node '%2' (%3), a computation on constants that Quantscope "
                   "does not fold"},
    CatalogueEntry{MessageId::BatchedMatMulWeight, "batched_matmul_weight",
                   "B has rank %1 (a batched MatMul), not a 2-D weight matrix"},
    CatalogueEntry{MessageId::ConvWeightRank, "conv_weight_rank",
                   "weight has rank %1; a Conv weight has at least 3"},
    CatalogueEntry{MessageId::NoWeightInput, "no_weight_input", "it has no weight input"},
    CatalogueEntry{MessageId::ConstantActivationInput, "constant_activation_input",
                   "its input '%1' is a constant: no activation to quantize"},
    CatalogueEntry{MessageId::FloatPassThroughInput, "float_pass_through_input",
                   "its input '%1' is float; a pass-through op is quantized only where its "
                   "input is"},
    CatalogueEntry{MessageId::FloatPassThroughInputFrom, "float_pass_through_input_from",
                   "its input '%1' (from %2 '%3') is float; a pass-through op is quantized only "
                   "where its input is"},
    CatalogueEntry{MessageId::QOperatorFloatProducer, "qoperator_float_producer",
                   "its producer %1 '%2' stays float in the QOperator format"},
    CatalogueEntry{MessageId::NoCalibratedRange, "no_calibrated_range",
                   "its input or output has no calibrated range"},
    CatalogueEntry{MessageId::QOperatorFloatInput, "qoperator_float_input",
                   "its input '%1' is float here; a pass-through op runs on int8 only where its "
                   "input is"},
    CatalogueEntry{MessageId::NoQOperatorForm, "no_qoperator_form",
                   "the QOperator format has no standard ONNX op for %1 on int8 (the QDQ format "
                   "quantizes it)"},
    CatalogueEntry{MessageId::InsideLayerNormPattern, "inside_layer_norm_pattern",
                   "it is part of a decomposed LayerNorm (ending at '%1'), which stays float: its "
                   "mean and variance lose too much in 8 bits, and the engine runs it as one "
                   "LayerNormalization"},
    CatalogueEntry{MessageId::InsideGeluPattern, "inside_gelu_pattern",
                   "it is part of a decomposed GELU (ending at '%1'), which stays float: the "
                   "engine runs it as one Gelu"},
    CatalogueEntry{MessageId::RandomCalibration, "random_calibration",
                   "no calibration folder: calibrating on %1 random inputs, ranges will not "
                   "match real data"},
    CatalogueEntry{MessageId::DynamicConvWeightsUint8, "dynamic_conv_weights_uint8",
                   "Conv weights are stored as uint8: ONNX Runtime's CPU ConvInteger implements "
                   "only uint8 x uint8 (onnxruntime#12558, #15888); MatMul/Gemm weights are "
                   "int8"},
    CatalogueEntry{MessageId::ClampedToFloat16, "clamped_to_float16",
                   "%1 weights clamped into float16 range [%2, %3]"},
    CatalogueEntry{MessageId::SampleSkipped, "sample_skipped", "%1: %2, skipped"},
    CatalogueEntry{MessageId::CannotDecodeImage, "cannot_decode_image", "cannot decode image (%1)"},
    CatalogueEntry{MessageId::CannotReadTensorFile, "cannot_read_tensor_file", "cannot read (%1)"},
    CatalogueEntry{MessageId::MoreSkipped, "more_skipped",
                   "... and %1 more skipped (of %2 skipped in all)"},
    CatalogueEntry{MessageId::BrokenLink, "broken_link", "a broken link"},
    CatalogueEntry{MessageId::FileGone, "file_gone", "no longer there"},
    CatalogueEntry{MessageId::CannotStatFile, "cannot_stat_file", "cannot read it (%1)"},
    CatalogueEntry{MessageId::NotRegularFile, "not_regular_file", "not a regular file"},
    CatalogueEntry{MessageId::NoSuchFile, "no_such_file", "no such file"},
    CatalogueEntry{MessageId::DirectoryNotModel, "directory_not_model",
                   "is a directory, not an ONNX model file"},
    CatalogueEntry{MessageId::EmptyModelFile, "empty_model_file", "empty file, not an ONNX model"},
    CatalogueEntry{MessageId::CorruptModel, "corrupt_model",
                   "not an ONNX model: the protobuf is corrupt or truncated"},
    CatalogueEntry{MessageId::ModelWithoutGraph, "model_without_graph",
                   "not an ONNX model: it has no graph"},
    CatalogueEntry{MessageId::ModelWithoutIrVersion, "model_without_ir_version",
                   "not an ONNX model: ir_version is missing"},
    CatalogueEntry{MessageId::CheckerFinding, "checker_finding", "checker: %1"},
    CatalogueEntry{MessageId::ShapeInferenceFinding, "shape_inference_finding",
                   "shape inference: %1"},
    CatalogueEntry{MessageId::IrVersionNewer, "ir_version_newer",
                   "IR version %1 is newer than this build of ONNX knows (%2)"},
    CatalogueEntry{MessageId::NoOpsetImported, "no_opset_imported", "the model imports no opset"},
    CatalogueEntry{MessageId::InvalidInputModel, "invalid_input_model",
                   "the model is not a valid ONNX model: %1"},
    CatalogueEntry{
        MessageId::QuantizedModelFailsCheck, "quantized_model_fails_check",
        "the quantized model fails ONNX's checker (a bug in Quantscope, please report it): %1"},
    CatalogueEntry{MessageId::CheckerPredatesIrVersion, "checker_predates_ir_version",
                   "ONNX %1's checker predates the output's IR version %2: %3"},
    CatalogueEntry{MessageId::RecipeListProblem, "recipe_list_problem", "%1: %2"},
    CatalogueEntry{MessageId::NoSuchNode, "no_such_node", "no node '%1' (closest: %2)"},
    CatalogueEntry{MessageId::NoSuchNodeThen, "no_such_node_then", "no node '%1' (closest: %2); %3"},
    CatalogueEntry{MessageId::NotAnOpType, "not_an_op_type",
                   "'%1' is not an ONNX op type (closest: %2)"},
    CatalogueEntry{MessageId::DynamicInt8Activations, "dynamic_int8_activations",
                   "activation_type int8: dynamic quantization quantizes activations at run time "
                   "with DynamicQuantizeLinear, which produces uint8 only"},
    CatalogueEntry{MessageId::Int8ActivationsUint8Weights, "int8_activations_uint8_weights",
                   "int8 activations with uint8 weights: no runtime has kernels for this pair "
                   "(ONNX Runtime rejects it too); use uint8 activations or int8 weights"},
    CatalogueEntry{MessageId::NoStaticRule, "no_static_rule",
                   "op_types_to_quantize: static quantization has no rule for '%1'"},
    CatalogueEntry{MessageId::PercentileAbove100, "percentile_above_100",
                   "calibration.percentile %1 is above 100"},
    CatalogueEntry{
        MessageId::EqualizationNotForFp16, "equalization_not_for_fp16",
        "cross_layer_equalization applies to INT8 (static or dynamic) quantization, not to fp16"},
    CatalogueEntry{MessageId::Relu6NeedsEqualization, "relu6_needs_equalization",
                   "equalize_relu6_as_relu needs cross_layer_equalization"},
    CatalogueEntry{MessageId::BiasCorrectionStaticOnly, "bias_correction_static_only",
                   "bias_correction measures on calibration samples: static mode only"},
    CatalogueEntry{
        MessageId::SixteenBitStaticOnly, "sixteen_bit_static_only",
        "nodes_with_16bit_activations: 16-bit activations are a static quantization option"},
    CatalogueEntry{MessageId::SixteenBitNeedsQdq, "sixteen_bit_needs_qdq",
                   "nodes_with_16bit_activations needs the QDQ format: QOperator's QLinear ops are "
                   "8-bit only"},
    CatalogueEntry{MessageId::Fp16MinAboveMax, "fp16_min_above_max",
                   "fp16 min_positive_val must be below max_finite_val"},
    CatalogueEntry{MessageId::RecipeWithoutMode, "recipe_without_mode",
                   "the recipe has no mode: choose dynamic, static or fp16"},
    CatalogueEntry{MessageId::StepReadingFile, "step_reading_file", "reading %1"},
    CatalogueEntry{MessageId::StepCheckingModel, "step_checking_model", "checking"},
    CatalogueEntry{MessageId::StepInferringShapes, "step_inferring_shapes", "inferring shapes"},
    CatalogueEntry{MessageId::StepIndexing, "step_indexing", "indexing"},
    CatalogueEntry{MessageId::StepLoaded, "step_loaded", "loaded"},
    CatalogueEntry{MessageId::StepPreparingSession, "step_preparing_session",
                   "preparing the model for running"},
    CatalogueEntry{MessageId::StepPreparingModel, "step_preparing_model", "preparing the model"},
    CatalogueEntry{MessageId::StepCalibrating, "step_calibrating", "calibrating"},
    CatalogueEntry{MessageId::StepCalibratingOn, "step_calibrating_on", "calibrating on %1"},
    CatalogueEntry{MessageId::StepWritingQuantizedGraph, "step_writing_quantized_graph",
                   "writing the quantized graph"},
    CatalogueEntry{MessageId::StepQuantizingDynamic, "step_quantizing_dynamic",
                   "quantizing (dynamic)"},
    CatalogueEntry{MessageId::StepWritingQdq, "step_writing_qdq", "writing QDQ model"},
    CatalogueEntry{MessageId::StepWritingQOperator, "step_writing_qoperator",
                   "writing QOperator model"},
    CatalogueEntry{MessageId::StepPlanningFloat16, "step_planning_float16",
                   "Planning the float16 conversion"},
    CatalogueEntry{MessageId::StepConvertingToFloat16, "step_converting_to_float16",
                   "Converting to float16"},
    CatalogueEntry{MessageId::StepSavingModel, "step_saving_model", "saving the model"},
    CatalogueEntry{MessageId::StepLoadingVariants, "step_loading_variants", "loading the variants"},
    CatalogueEntry{MessageId::StepComparingOutputs, "step_comparing_outputs", "comparing outputs"},
    CatalogueEntry{MessageId::StepComparingOn, "step_comparing_on", "comparing on %1"},
    CatalogueEntry{MessageId::StepWarmingUp, "step_warming_up", "warming up"},
    CatalogueEntry{MessageId::StepTiming, "step_timing", "timing"},
    CatalogueEntry{MessageId::StepTimingInOrt, "step_timing_in_ort", "timing in ONNX Runtime"},
    CatalogueEntry{MessageId::StepTimingModelInOrt, "step_timing_model_in_ort",
                   "timing %1 in ONNX Runtime"},
    CatalogueEntry{MessageId::StepRunningModel, "step_running_model", "running the model"},
    CatalogueEntry{MessageId::StepBatch, "step_batch", "batch %1"},
    CatalogueEntry{MessageId::StepBatchCulprit, "step_batch_culprit",
                   "looking for the batch culprit"},
    CatalogueEntry{MessageId::StepDone, "step_done", "done"},
    CatalogueEntry{MessageId::StepWarmUpRuns, "step_warm_up_runs", "warm-up"},
    CatalogueEntry{MessageId::StepProfiledRuns, "step_profiled_runs", "profiled runs"},
    CatalogueEntry{MessageId::StepFp16BlockSearch, "step_fp16_block_search",
                   "FP16 block list search"},
    CatalogueEntry{MessageId::StepFp32ActivationRanges, "step_fp32_activation_ranges",
                   "FP32 activation ranges"},
    CatalogueEntry{MessageId::StepReferenceOutputsOn, "step_reference_outputs_on",
                   "reference outputs on %1"},
    CatalogueEntry{MessageId::StepTrial, "step_trial", "trial %1: %2"},
    CatalogueEntry{MessageId::StepBiasCorrectionMeans, "step_bias_correction_means",
                   "bias correction: input means on %1"},
    CatalogueEntry{MessageId::StepGroupingNodes, "step_grouping_nodes", "grouping nodes"},
    CatalogueEntry{MessageId::StepLayingOutBoxes, "step_laying_out_boxes", "laying out %1 boxes"},
    CatalogueEntry{MessageId::DataItemsIn, "data_items_in", "%1 %3 in %2"},
    CatalogueEntry{MessageId::DataSomeItemsIn, "data_some_items_in", "%1 of %2 %4 in %3"},
    CatalogueEntry{MessageId::DataRandomSamples, "data_random_samples",
                   "%1 random samples (seed %2)"},
    CatalogueEntry{MessageId::DataKindImages, "data_kind_images", "images"},
    CatalogueEntry{MessageId::DataKindTensorFiles, "data_kind_tensor_files", "tensor files"},
    CatalogueEntry{MessageId::DataKindFolders, "data_kind_folders", "sample folders"},
    CatalogueEntry{MessageId::GraphCycle, "graph_cycle",
                   "graph has a cycle or inputs nobody produces; %1 nodes cannot be ordered, "
                   "among them %2"},
    CatalogueEntry{MessageId::SubgraphCycle, "subgraph_cycle",
                   "graph '%1' has a cycle or inputs nobody produces; %2 nodes cannot be "
                   "ordered, among them %3"},
    CatalogueEntry{MessageId::OutputListedTwice, "output_listed_twice",
                   "node '%1' lists output '%2' twice"},
    CatalogueEntry{MessageId::ValueProducedTwice, "value_produced_twice",
                   "value '%1' is produced by two nodes: '%2' and '%3'"},
    CatalogueEntry{MessageId::DuplicateNodeName, "duplicate_node_name",
                   "duplicate node name '%1' (nodes %2 and %3); exclusion by name will match "
                   "the first"},
    CatalogueEntry{MessageId::GraphOutputUnproduced, "graph_output_unproduced",
                   "graph output: '%1' is produced by no node, graph input or initializer"},
    CatalogueEntry{MessageId::SubgraphOutputUnproduced, "subgraph_output_unproduced",
                   "graph output: '%1' in the subgraph '%2' of %3 is produced by no node, graph "
                   "input or initializer"},
    CatalogueEntry{MessageId::ShapeInferenceSkipped, "shape_inference_skipped",
                   "shape inference skipped: %1"},
    CatalogueEntry{MessageId::PreparedFoldedConstants, "prepared_folded_constants",
                   "prepared for INT8: %1 constant nodes folded (Identity/Cast/Reshape... of "
                   "initializers, shape computations), so that weights and biases are constants"},
    CatalogueEntry{MessageId::PreparedFoldedIntoConv, "prepared_folded_into_conv",
                   "prepared for INT8: %1 BatchNormalization/Mul/Add nodes folded into Conv "
                   "weights"},
    CatalogueEntry{MessageId::PreparedHardSwish, "prepared_hard_swish",
                   "prepared for INT8: %1 decomposed HardSwish patterns made one HardSwish node"},
    CatalogueEntry{MessageId::OpsetRaised, "opset_raised",
                   "opset raised from %1 to %2 with ONNX's version converter (%3)"},
    CatalogueEntry{MessageId::OpsetNeededByQuantizedOps, "opset_needed_by_quantized_ops",
                   "quantized ops need it"},
    CatalogueEntry{MessageId::OpsetNeededBySixteenBit, "opset_needed_by_sixteen_bit",
                   "16-bit activations need it"},
    CatalogueEntry{MessageId::EqualizationRescaled, "equalization_rescaled",
                   "cross-layer equalization: %1 Conv/Gemm pairs rescaled (%2 sweeps)"},
    CatalogueEntry{MessageId::EqualizationNothingRescaled, "equalization_nothing_rescaled",
                   "cross-layer equalization: 0 Conv/Gemm pairs rescaled"},
    CatalogueEntry{MessageId::EqualizationRelu6Replaced, "equalization_relu6_replaced",
                   "cross-layer equalization: %1 ReLU6 between rescaled pairs made ReLU (float "
                   "outputs change where a value passed 6)"},
    CatalogueEntry{MessageId::EqualizationSkippedClips, "equalization_skipped_clips",
                   "cross-layer equalization: %1 pairs left alone: a ReLU6 (Clip 0..6) between "
                   "them is not scale-invariant"},
    CatalogueEntry{MessageId::BiasCorrected, "bias_corrected",
                   "bias correction: %1 Conv/Gemm biases shifted by the mean error of their "
                   "quantized weights on the calibration samples (mean |shift| %2)"},
    CatalogueEntry{MessageId::TensorNeverCalibrated, "tensor_never_calibrated",
                   "tensor '%1' was never computed (or never finite) during calibration; it "
                   "stays in float"},
    CatalogueEntry{MessageId::NoEvaluationFolder, "no_evaluation_folder",
                   "no evaluation folder: the targets are judged on %1, which says little about "
                   "accuracy on real data"},
    CatalogueEntry{MessageId::Fp16OverflowBlocked, "fp16_overflow_blocked",
                   "%1 nodes kept in float32 before any trial: their FP32 outputs exceed "
                   "float16's range on the evaluation data"},
    CatalogueEntry{MessageId::SearchStoppedEarly, "search_stopped_early",
                   "the search stopped early: %1"},
    CatalogueEntry{MessageId::RecipeTrialSkipped, "recipe_trial_skipped",
                   "recipe search: a recipe was skipped: %1"},
    CatalogueEntry{MessageId::Fp16ControlFlow, "fp16_control_flow",
                   "control flow stays float32 at its boundary; its subgraphs are converted"},
    CatalogueEntry{MessageId::Fp16OpTypeBlocked, "fp16_op_type_blocked",
                   "op type %1 is in the float16 op block list"},
    CatalogueEntry{MessageId::Fp16NodeBlocked, "fp16_node_blocked",
                   "the node is in the float16 node block list"},
    CatalogueEntry{MessageId::Fp16OtherDomain, "fp16_other_domain",
                   "ops of domain '%1' are not converted"},
    CatalogueEntry{MessageId::Fp16ParameterBeyondRange, "fp16_parameter_beyond_range",
                   "input '%1' holds %2, beyond the float16 range"},
    CatalogueEntry{MessageId::Fp16SparseConstant, "fp16_sparse_constant",
                   "sparse Constant values are not converted"},
    CatalogueEntry{MessageId::Fp16NoSchema, "fp16_no_schema", "no schema for %1 at opset %2"},
    CatalogueEntry{MessageId::Fp16OutputHasNoHalfType, "fp16_output_has_no_half_type",
                   "output '%1' has no float16 type in %2"},
    CatalogueEntry{MessageId::Fp16OutputTypeFromAttribute, "fp16_output_type_from_attribute",
                   "the type of output '%1' is set by an attribute in %2"},
    CatalogueEntry{MessageId::Fp16InputHasNoHalfType, "fp16_input_has_no_half_type",
                   "input '%1' has no float16 type in %2"},
    CatalogueEntry{MessageId::Fp16InputTypeUnknown, "fp16_input_type_unknown",
                   "the type of input '%1' is unknown"},
};

const CatalogueEntry *entryOf(MessageId id)
{
    const auto index = size_t(id);
    // Rows follow the enum from Text (1) on; the unit test keeps it so.
    if (index == 0 || index > kCatalogue.size() || kCatalogue[index - 1].id != id)
        return nullptr;
    return &kCatalogue[index - 1];
}

} // namespace

Message makeMessage(MessageId id, std::vector<std::string> args)
{
    return Message{id, std::move(args), nullptr};
}

Message makeMessage(MessageId id, std::vector<std::string> args, Message cause)
{
    return Message{id, std::move(args), std::make_shared<const Message>(std::move(cause))};
}

std::string_view messageCode(MessageId id)
{
    const CatalogueEntry *entry = entryOf(id);
    return entry ? entry->code : std::string_view();
}

std::optional<MessageId> messageIdFromCode(std::string_view code)
{
    for (const CatalogueEntry &entry : kCatalogue)
        if (entry.code == code)
            return entry.id;
    return std::nullopt;
}

std::string_view englishTemplate(MessageId id)
{
    const CatalogueEntry *entry = entryOf(id);
    return entry ? entry->english : std::string_view();
}

std::vector<MessageId> allMessageIds()
{
    std::vector<MessageId> ids;
    for (const CatalogueEntry &entry : kCatalogue)
        ids.push_back(entry.id);
    return ids;
}

std::string formatTemplate(std::string_view pattern, const std::vector<std::string> &values)
{
    std::string text;
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] >= '1'
            && pattern[i + 1] <= '9') {
            const auto index = size_t(pattern[i + 1] - '1');
            if (index < values.size())
                text += values[index];
            ++i;
            continue;
        }
        text += pattern[i];
    }
    return text;
}

std::string englishText(const Message &message)
{
    if (message.id == MessageId::None)
        return message.args.empty() ? std::string() : message.args.front();
    std::vector<std::string> values = message.args;
    if (message.cause)
        values.push_back(englishText(*message.cause));
    return formatTemplate(englishTemplate(message.id), values);
}

std::vector<std::string> messageToStrings(const Message &message)
{
    std::vector<std::string> strings{std::string(messageCode(message.id))};
    if (message.id == MessageId::None) { // free text: the English alone
        strings.push_back("1");
        strings.push_back(englishText(message));
    } else {
        strings.push_back(std::to_string(message.args.size()));
        strings.insert(strings.end(), message.args.begin(), message.args.end());
    }
    if (message.cause) {
        const std::vector<std::string> cause = messageToStrings(*message.cause);
        strings.insert(strings.end(), cause.begin(), cause.end());
    }
    return strings;
}

std::optional<Message> messageFromStrings(const std::vector<std::string> &strings, size_t first)
{
    if (first + 2 > strings.size())
        return std::nullopt;
    Message message;
    if (!strings[first].empty()) {
        const std::optional<MessageId> id = messageIdFromCode(strings[first]);
        if (!id)
            return std::nullopt;
        message.id = *id;
    }
    const std::string &count = strings[first + 1];
    if (count.empty() || count.size() > 3 || count.find_first_not_of("0123456789") != count.npos)
        return std::nullopt;
    const size_t argumentCount = std::stoul(count), argumentsEnd = first + 2 + argumentCount;
    if (argumentsEnd > strings.size())
        return std::nullopt;
    message.args.assign(strings.begin() + std::ptrdiff_t(first + 2),
                        strings.begin() + std::ptrdiff_t(argumentsEnd));
    if (argumentsEnd < strings.size()) {
        std::optional<Message> cause = messageFromStrings(strings, argumentsEnd);
        if (!cause)
            return std::nullopt;
        message.cause = std::make_shared<const Message>(std::move(*cause));
    }
    return message;
}

} // namespace qs
