#include "util/messages.h"

#include <array>

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

} // namespace qs
