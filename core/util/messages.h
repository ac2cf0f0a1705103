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
    InsideLayerNormPattern,    // the pattern's last node
    InsideGeluPattern,         // the pattern's last node

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

    // ONNX's checks of a model (model/model_checks.cpp, quant/quant_checks.cpp): the library's
    // own reason is an argument, in English as ONNX words it.
    CheckerFinding,           // the checker's reason
    ShapeInferenceFinding,    // shape inference's reason
    IrVersionNewer,           // the model's IR version, the newest this ONNX knows
    NoOpsetImported,          //
    InvalidInputModel,        // the checker's reason
    QuantizedModelFailsCheck, // the checker's reason
    CheckerPredatesIrVersion, // ONNX version, IR version, the checker's reason

    // A recipe that cannot run (quant/effective_recipe.cpp, quant/node_selection.cpp).
    RecipeListProblem,           // list name; cause: what is wrong in it
    NoSuchNode,                  // node name, closest names
    NoSuchNodeThen,              // node name, closest names; cause: the next unknown node
    NotAnOpType,                 // op type, closest names
    DynamicInt8Activations,      //
    Int8ActivationsUint8Weights, //
    NoStaticRule,                // op type
    PercentileAbove100,          // percentile
    EqualizationNotForFp16,      //
    Relu6NeedsEqualization,      //
    BiasCorrectionStaticOnly,    //
    SixteenBitStaticOnly,        //
    SixteenBitNeedsQdq,          //
    Fp16MinAboveMax,             //
    RecipeWithoutMode,           //

    // Progress step names (util/progress.h's reportStep and phases), as a front end shows them.
    StepReadingFile,           // path
    StepCheckingModel,         //
    StepInferringShapes,       //
    StepIndexing,              //
    StepLoaded,                //
    StepPreparingSession,      //
    StepPreparingModel,        //
    StepCalibrating,           //
    StepCalibratingOn,         // the data's description
    StepWritingQuantizedGraph, //
    StepQuantizingDynamic,     //
    StepWritingQdq,            //
    StepWritingQOperator,      //
    StepPlanningFloat16,       //
    StepConvertingToFloat16,   //
    StepSavingModel,           //
    StepLoadingVariants,       //
    StepComparingOutputs,      //
    StepComparingOn,           // the data's description
    StepWarmingUp,             //
    StepTiming,                //
    StepTimingInOrt,           //
    StepTimingModelInOrt,      // model
    StepRunningModel,          //
    StepBatch,                 // batch size
    StepBatchCulprit,          //
    StepDone,                  //
    StepWarmUpRuns,            //
    StepProfiledRuns,          //
    StepFp16BlockSearch,       //
    StepFp32ActivationRanges,  //
    StepReferenceOutputsOn,    // the data's description
    StepTrial,                 // trial number, trial kind
    StepBiasCorrectionMeans,   // the data's description
    StepGroupingNodes,         //
    StepLayingOutBoxes,        // box count

    // What a sample source holds (data/sample_source.h's description()), for progress and
    // reports. The kind of item is the cause, so it is worded in the front end's language too.
    DataItemsIn,         // count, folder; cause: the kind of item
    DataSomeItemsIn,     // count used, count found, folder; cause: the kind of item
    DataRandomSamples,   // count, seed
    DataKindImages,      //
    DataKindTensorFiles, //
    DataKindFolders,     //

    // Findings about a model's graph (model/graph_index.cpp, model/model_checks.cpp).
    GraphCycle,               // node count, some of their names
    SubgraphCycle,            // subgraph path, node count, some of their names
    OutputListedTwice,        // node, output
    ValueProducedTwice,       // value, first producer, second producer
    DuplicateNodeName,        // name, first node id, second node id
    GraphOutputUnproduced,    // output
    SubgraphOutputUnproduced, // output, attribute, node
    ShapeInferenceSkipped,    // the reason, in English as the library words it

    // Notes of a quantization and its recovery steps (quant/).
    PreparedFoldedConstants,     // count
    PreparedFoldedIntoConv,      // count
    PreparedHardSwish,           // count
    OpsetRaised,                 // from, to; cause: why
    OpsetNeededByQuantizedOps,   //
    OpsetNeededBySixteenBit,     //
    EqualizationRescaled,        // pair count, sweeps
    EqualizationNothingRescaled, //
    EqualizationRelu6Replaced,   // count
    EqualizationSkippedClips,    // count
    BiasCorrected,               // bias count, mean |shift|
    TensorNeverCalibrated,       // tensor

    // Notes of a tuning run (tune/).
    NoEvaluationFolder,  // ; cause: what the targets are judged on
    Fp16OverflowBlocked, // count
    SearchStoppedEarly,  // ; cause: the reason
    RecipeTrialSkipped,  // ; cause: the reason

    // Why the float16 conversion keeps a node in float32 (quant/fp16_plan.cpp).
    Fp16ControlFlow,             //
    Fp16OpTypeBlocked,           // op type
    Fp16NodeBlocked,             //
    Fp16OtherDomain,             // domain
    Fp16ParameterBeyondRange,    // input, its largest magnitude
    Fp16SparseConstant,          //
    Fp16NoSchema,                // op type, opset
    Fp16OutputHasNoHalfType,     // output, op type and version ("Cast-13")
    Fp16OutputTypeFromAttribute, // output, op type and version
    Fp16InputHasNoHalfType,      // input, op type and version
    Fp16InputTypeUnknown,        // input
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

// A message as strings, for a store that keeps one as repeated strings (a Report's
// BenchDiagnostic args): its code ("" for free text), its argument count, its arguments, then its
// cause the same way.
std::vector<std::string> messageToStrings(const Message &message);
// The message messageToStrings wrote from `first` on; nullopt for strings that do not read as
// one (an unknown code, a count beyond the strings).
std::optional<Message> messageFromStrings(const std::vector<std::string> &strings, size_t first = 0);

} // namespace qs
