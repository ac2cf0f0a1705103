#pragma once
// Stable ids for the messages core shows users (why a node was left in float, a calibration file
// skipped, a model that does not load), with their arguments, so that a front end can word them
// in its own language: ui/workbench/core_messages.cpp translates by id with tr(). The English
// wording lives here, once, in the catalogue (messages.cpp); it is what the CLI prints and what
// tests read, so a coded message reads exactly as the free text it replaced.
//
// A message may end in a cause, itself a coded message: "Conv left in float: <bias comes from
// node 'b' (Add), computed from the model's inputs, not a constant>". The cause fills the
// placeholder after the arguments (%N+1 for N arguments), in the front end's language too.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

enum class MessageId : uint16_t {
    None, // no code: the English text is all there is
    Text, // "%1": text no front end words otherwise (a library's error, a path), shown as it is

    // A node an eligible op type selected that the quantizer left in float (quant/coverage.h).
    LeftInFloat,               // op type, "float" or another precision; cause: the reason
    NoDynamicIntegerForm,      // op type
    MatMulTransposedA,         //
    WrongConstantType,         // input role, element type
    ValueIsGraphInput,         // input role, value
    ValueComputedFromInputs,   // input role, producer node, producer op type
    ValueFromUnfoldedConstant, // input role, producer node, producer op type
    BatchedMatMulWeight,       // rank
    ConvWeightRank,            // rank
    NoWeightInput,             //
    ConstantActivationInput,   // input value
    FloatPassThroughInput,     // input value
    FloatPassThroughInputFrom, // input value, producer op type, producer node
    QOperatorFloatProducer,    // producer op type, producer node
    NoCalibratedRange,         //
    QOperatorFloatInput,       // input value
    NoQOperatorForm,           // op type

    // Quantization notes (quant/quantizer.cpp).
    RandomCalibration,       // sample count
    DynamicConvWeightsUint8, //
    ClampedToFloat16,        // count, smallest positive, largest finite

    // Calibration and evaluation data (data/sample_source.h).
    SampleSkipped,        // file; cause: why
    CannotDecodeImage,    // decoder's error
    CannotReadTensorFile, // reader's error
    MoreSkipped,          // unnamed count, total count
    BrokenLink,           //
    FileGone,             //
    CannotStatFile,       // system error
    NotRegularFile,       //

    // Opening a model (model/model.cpp); the file's path is the Status's context.
    NoSuchFile,            //
    DirectoryNotModel,     //
    EmptyModelFile,        //
    CorruptModel,          //
    ModelWithoutGraph,     //
    ModelWithoutIrVersion, //
};

struct Message
{
    MessageId id = MessageId::None;
    std::vector<std::string> args;
    std::shared_ptr<const Message> cause;
};

Message makeMessage(MessageId id, std::vector<std::string> args = {});
Message makeMessage(MessageId id, std::vector<std::string> args, Message cause);
inline Message plainText(std::string text)
{
    return makeMessage(MessageId::Text, {std::move(text)});
}

// "left_in_float": the id's stable name, for files and logs; empty for None.
std::string_view messageCode(MessageId id);
std::optional<MessageId> messageIdFromCode(std::string_view code);
// The English template, %1.. for the arguments and then the cause.
std::string_view englishTemplate(MessageId id);
// Every id but None, in catalogue order (for the front ends' tests: each one worded).
std::vector<MessageId> allMessageIds();

// The template with %1.. replaced (the cause worded the same way), as one pass: an argument
// holding "%2" is not expanded again.
std::string formatTemplate(std::string_view pattern, const std::vector<std::string> &values);
std::string englishText(const Message &message);

} // namespace qs
