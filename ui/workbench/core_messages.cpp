#include "core_messages.h"

#include <QStringList>

namespace qs::ui {

QString CoreMessages::stepPattern(MessageId id)
{
    switch (id) {
    case MessageId::StepReadingFile: return tr("reading %1", "progress step");
    case MessageId::StepCheckingModel: return tr("checking", "progress step");
    case MessageId::StepInferringShapes: return tr("inferring shapes", "progress step");
    case MessageId::StepIndexing: return tr("indexing", "progress step");
    case MessageId::StepLoaded: return tr("loaded", "progress step");
    case MessageId::StepPreparingSession:
        return tr("preparing the model for running", "progress step");
    case MessageId::StepPreparingModel: return tr("preparing the model", "progress step");
    case MessageId::StepCalibrating: return tr("calibrating", "progress step");
    case MessageId::StepCalibratingOn: return tr("calibrating on %1", "progress step");
    case MessageId::StepWritingQuantizedGraph:
        return tr("writing the quantized graph", "progress step");
    case MessageId::StepQuantizingDynamic: return tr("quantizing (dynamic)", "progress step");
    case MessageId::StepWritingQdq: return tr("writing QDQ model", "progress step");
    case MessageId::StepWritingQOperator: return tr("writing QOperator model", "progress step");
    case MessageId::StepPlanningFloat16:
        return tr("Planning the float16 conversion", "progress step");
    case MessageId::StepConvertingToFloat16: return tr("Converting to float16", "progress step");
    case MessageId::StepSavingModel: return tr("saving the model", "progress step");
    case MessageId::StepLoadingVariants: return tr("loading the variants", "progress step");
    case MessageId::StepComparingOutputs: return tr("comparing outputs", "progress step");
    case MessageId::StepComparingOn: return tr("comparing on %1", "progress step");
    case MessageId::StepWarmingUp: return tr("warming up", "progress step");
    case MessageId::StepTiming: return tr("timing", "progress step");
    case MessageId::StepTimingInOrt: return tr("timing in ONNX Runtime", "progress step");
    case MessageId::StepTimingModelInOrt: return tr("timing %1 in ONNX Runtime", "progress step");
    case MessageId::StepRunningModel: return tr("running the model", "progress step");
    case MessageId::StepBatch: return tr("batch %1", "progress step");
    case MessageId::StepBatchCulprit: return tr("looking for the batch culprit", "progress step");
    case MessageId::StepDone: return tr("done", "progress step");
    case MessageId::StepWarmUpRuns: return tr("warm-up", "progress step");
    case MessageId::StepProfiledRuns: return tr("profiled runs", "progress step");
    case MessageId::StepFp16BlockSearch: return tr("FP16 block list search", "progress step");
    case MessageId::StepFp32ActivationRanges: return tr("FP32 activation ranges", "progress step");
    case MessageId::StepReferenceOutputsOn: return tr("reference outputs on %1", "progress step");
    case MessageId::StepTrial: return tr("trial %1: %2", "progress step");
    case MessageId::StepBiasCorrectionMeans:
        return tr("bias correction: input means on %1", "progress step");
    case MessageId::StepGroupingNodes: return tr("grouping nodes", "progress step");
    case MessageId::StepLayingOutBoxes: return tr("laying out %1 boxes", "progress step");
    default: return dataPattern(id);
    }
}

QString CoreMessages::dataPattern(MessageId id)
{
    switch (id) {
    case MessageId::DataItemsIn: return tr("%1 %3 in %2", "sample data: count, folder, kind");
    case MessageId::DataSomeItemsIn:
        return tr("%1 of %2 %4 in %3", "sample data: count used, count found, folder, kind");
    case MessageId::DataRandomSamples:
        return tr("%1 random samples (seed %2)", "sample data: count, seed");
    case MessageId::DataKindImages: return tr("images", "kind of sample data");
    case MessageId::DataKindTensorFiles: return tr("tensor files", "kind of sample data");
    case MessageId::DataKindFolders: return tr("sample folders", "kind of sample data");
    default: return notePattern(id);
    }
}

QString CoreMessages::notePattern(MessageId id)
{
    switch (id) {
    case MessageId::GraphCycle:
        return tr("graph has a cycle or inputs nobody produces; %1 nodes cannot be ordered, "
                  "among them %2");
    case MessageId::SubgraphCycle:
        return tr("graph '%1' has a cycle or inputs nobody produces; %2 nodes cannot be ordered, "
                  "among them %3");
    case MessageId::OutputListedTwice: return tr("node '%1' lists output '%2' twice");
    case MessageId::ValueProducedTwice:
        return tr("value '%1' is produced by two nodes: '%2' and '%3'");
    case MessageId::DuplicateNodeName:
        return tr("duplicate node name '%1' (nodes %2 and %3); exclusion by name will match the "
                  "first");
    case MessageId::GraphOutputUnproduced:
        return tr("graph output: '%1' is produced by no node, graph input or initializer");
    case MessageId::SubgraphOutputUnproduced:
        return tr("graph output: '%1' in the subgraph '%2' of %3 is produced by no node, graph "
                  "input or initializer");
    case MessageId::ShapeInferenceSkipped: return tr("shape inference skipped: %1");
    case MessageId::PreparedFoldedConstants:
        return tr("prepared for INT8: %1 constant nodes folded (Identity/Cast/Reshape... of "
                  "initializers, shape computations), so that weights and biases are constants");
    case MessageId::PreparedFoldedIntoConv:
        return tr("prepared for INT8: %1 BatchNormalization/Mul/Add nodes folded into Conv "
                  "weights");
    case MessageId::PreparedHardSwish:
        return tr("prepared for INT8: %1 decomposed HardSwish patterns made one HardSwish node");
    case MessageId::OpsetRaised:
        return tr("opset raised from %1 to %2 with ONNX's version converter (%3)");
    case MessageId::OpsetNeededByQuantizedOps: return tr("quantized ops need it");
    case MessageId::OpsetNeededBySixteenBit: return tr("16-bit activations need it");
    case MessageId::EqualizationRescaled:
        return tr("cross-layer equalization: %1 Conv/Gemm pairs rescaled (%2 sweeps)");
    case MessageId::EqualizationNothingRescaled:
        return tr("cross-layer equalization: 0 Conv/Gemm pairs rescaled");
    case MessageId::EqualizationRelu6Replaced:
        return tr("cross-layer equalization: %1 ReLU6 between rescaled pairs made ReLU (float "
                  "outputs change where a value passed 6)");
    case MessageId::EqualizationSkippedClips:
        return tr("cross-layer equalization: %1 pairs left alone: a ReLU6 (Clip 0..6) between "
                  "them is not scale-invariant");
    case MessageId::BiasCorrected:
        return tr("bias correction: %1 Conv/Gemm biases shifted by the mean error of their "
                  "quantized weights on the calibration samples (mean |shift| %2)");
    case MessageId::TensorNeverCalibrated:
        return tr("tensor '%1' was never computed (or never finite) during calibration; it stays "
                  "in float");
    case MessageId::NoEvaluationFolder:
        return tr("no evaluation folder: the targets are judged on %1, which says little about "
                  "accuracy on real data");
    case MessageId::Fp16OverflowBlocked:
        return tr("%1 nodes kept in float32 before any trial: their FP32 outputs exceed float16's "
                  "range on the evaluation data");
    case MessageId::SearchStoppedEarly: return tr("the search stopped early: %1");
    case MessageId::RecipeTrialSkipped: return tr("recipe search: a recipe was skipped: %1");
    case MessageId::Fp16ControlFlow:
        return tr("control flow stays float32 at its boundary; its subgraphs are converted");
    case MessageId::Fp16OpTypeBlocked: return tr("op type %1 is in the float16 op block list");
    case MessageId::Fp16NodeBlocked: return tr("the node is in the float16 node block list");
    case MessageId::Fp16OtherDomain: return tr("ops of domain '%1' are not converted");
    case MessageId::Fp16ParameterBeyondRange:
        return tr("input '%1' holds %2, beyond the float16 range");
    case MessageId::Fp16SparseConstant: return tr("sparse Constant values are not converted");
    case MessageId::Fp16NoSchema: return tr("no schema for %1 at opset %2");
    case MessageId::Fp16OutputHasNoHalfType: return tr("output '%1' has no float16 type in %2");
    case MessageId::Fp16OutputTypeFromAttribute:
        return tr("the type of output '%1' is set by an attribute in %2");
    case MessageId::Fp16InputHasNoHalfType: return tr("input '%1' has no float16 type in %2");
    case MessageId::Fp16InputTypeUnknown: return tr("the type of input '%1' is unknown");
    default: return QString();
    }
}

QString CoreMessages::pattern(MessageId id)
{
    switch (id) {
    case MessageId::None: return QString();
    case MessageId::Text: return QStringLiteral("%1");
    case MessageId::LeftInFloat: return tr("%1 left in %2: %3");
    case MessageId::NoDynamicIntegerForm:
        return tr("dynamic quantization has no integer form for %1");
    case MessageId::MatMulTransposedA: return tr("transA = 1: MatMulInteger has no transposed A");
    case MessageId::WrongConstantType:
        return tr("%1 is a %2 constant; the integer ops take float32 weights");
    case MessageId::ValueIsGraphInput: return tr("%1 is the graph input '%2', not a constant");
    case MessageId::ValueComputedFromInputs:
        return tr("%1 comes from node '%2' (%3), computed from the model's inputs, not a "
                  "constant");
    case MessageId::ValueFromUnfoldedConstant:
        return tr("%1 comes from node '%2' (%3), a computation on constants that Quantscope "
                  "does not fold");
    case MessageId::BatchedMatMulWeight:
        return tr("B has rank %1 (a batched MatMul), not a 2-D weight matrix");
    case MessageId::ConvWeightRank: return tr("weight has rank %1; a Conv weight has at least 3");
    case MessageId::NoWeightInput: return tr("it has no weight input");
    case MessageId::ConstantActivationInput:
        return tr("its input '%1' is a constant: no activation to quantize");
    case MessageId::FloatPassThroughInput:
        return tr("its input '%1' is float; a pass-through op is quantized only where its input "
                  "is");
    case MessageId::FloatPassThroughInputFrom:
        return tr("its input '%1' (from %2 '%3') is float; a pass-through op is quantized only "
                  "where its input is");
    case MessageId::QOperatorFloatProducer:
        return tr("its producer %1 '%2' stays float in the QOperator format");
    case MessageId::NoCalibratedRange: return tr("its input or output has no calibrated range");
    case MessageId::QOperatorFloatInput:
        return tr("its input '%1' is float here; a pass-through op runs on int8 only where its "
                  "input is");
    case MessageId::NoQOperatorForm:
        return tr("the QOperator format has no standard ONNX op for %1 on int8 (the QDQ format "
                  "quantizes it)");
    case MessageId::InsideLayerNormPattern:
        return tr("it is part of a decomposed LayerNorm (ending at '%1'), which stays float: its "
                  "mean and variance lose too much in 8 bits, and the engine runs it as one "
                  "LayerNormalization");
    case MessageId::InsideGeluPattern:
        return tr("it is part of a decomposed GELU (ending at '%1'), which stays float: the "
                  "engine runs it as one Gelu");
    case MessageId::RandomCalibration:
        return tr("no calibration folder: calibrating on %1 random inputs, ranges will not match "
                  "real data");
    case MessageId::DynamicConvWeightsUint8:
        return tr("Conv weights are stored as uint8: ONNX Runtime's CPU ConvInteger implements "
                  "only uint8 x uint8 (onnxruntime#12558, #15888); MatMul/Gemm weights are int8");
    case MessageId::ClampedToFloat16: return tr("%1 weights clamped into float16 range [%2, %3]");
    case MessageId::SampleSkipped: return tr("%1: %2, skipped");
    case MessageId::CannotDecodeImage: return tr("cannot decode image (%1)");
    case MessageId::CannotReadTensorFile: return tr("cannot read (%1)");
    case MessageId::MoreSkipped: return tr("... and %1 more skipped (of %2 skipped in all)");
    case MessageId::BrokenLink: return tr("a broken link");
    case MessageId::FileGone: return tr("no longer there");
    case MessageId::CannotStatFile: return tr("cannot read it (%1)");
    case MessageId::NotRegularFile: return tr("not a regular file");
    case MessageId::NoSuchFile: return tr("no such file");
    case MessageId::DirectoryNotModel: return tr("is a directory, not an ONNX model file");
    case MessageId::EmptyModelFile: return tr("empty file, not an ONNX model");
    case MessageId::CorruptModel:
        return tr("not an ONNX model: the protobuf is corrupt or truncated");
    case MessageId::ModelWithoutGraph: return tr("not an ONNX model: it has no graph");
    case MessageId::ModelWithoutIrVersion: return tr("not an ONNX model: ir_version is missing");
    case MessageId::CheckerFinding: return tr("checker: %1");
    case MessageId::ShapeInferenceFinding: return tr("shape inference: %1");
    case MessageId::IrVersionNewer:
        return tr("IR version %1 is newer than this build of ONNX knows (%2)");
    case MessageId::NoOpsetImported: return tr("the model imports no opset");
    case MessageId::InvalidInputModel: return tr("the model is not a valid ONNX model: %1");
    case MessageId::QuantizedModelFailsCheck:
        return tr("the quantized model fails ONNX's checker (a bug in Quantscope, please report "
                  "it): %1");
    case MessageId::CheckerPredatesIrVersion:
        return tr("ONNX %1's checker predates the output's IR version %2: %3");
    case MessageId::RecipeListProblem: return tr("%1: %2");
    case MessageId::NoSuchNode: return tr("no node '%1' (closest: %2)");
    case MessageId::NoSuchNodeThen: return tr("no node '%1' (closest: %2); %3");
    case MessageId::NotAnOpType: return tr("'%1' is not an ONNX op type (closest: %2)");
    case MessageId::DynamicInt8Activations:
        return tr("activation_type int8: dynamic quantization quantizes activations at run time "
                  "with DynamicQuantizeLinear, which produces uint8 only");
    case MessageId::Int8ActivationsUint8Weights:
        return tr("int8 activations with uint8 weights: no runtime has kernels for this pair (ONNX "
                  "Runtime rejects it too); use uint8 activations or int8 weights");
    case MessageId::NoStaticRule:
        return tr("op_types_to_quantize: static quantization has no rule for '%1'");
    case MessageId::PercentileAbove100: return tr("calibration.percentile %1 is above 100");
    case MessageId::EqualizationNotForFp16:
        return tr("cross_layer_equalization applies to INT8 (static or dynamic) quantization, not "
                  "to fp16");
    case MessageId::Relu6NeedsEqualization:
        return tr("equalize_relu6_as_relu needs cross_layer_equalization");
    case MessageId::BiasCorrectionStaticOnly:
        return tr("bias_correction measures on calibration samples: static mode only");
    case MessageId::SixteenBitStaticOnly:
        return tr("nodes_with_16bit_activations: 16-bit activations are a static quantization "
                  "option");
    case MessageId::SixteenBitNeedsQdq:
        return tr("nodes_with_16bit_activations needs the QDQ format: QOperator's QLinear ops are "
                  "8-bit only");
    case MessageId::Fp16MinAboveMax:
        return tr("fp16 min_positive_val must be below max_finite_val");
    case MessageId::RecipeWithoutMode:
        return tr("the recipe has no mode: choose dynamic, static or fp16");
    default: return stepPattern(id);
    }
    return QString();
}

namespace {

// "left in %2": the precision a node stayed in is a word of the sentence, not a name.
QString argumentText(MessageId id, size_t index, const std::string &argument)
{
    const QString text = QString::fromStdString(argument);
    if (id == MessageId::LeftInFloat && index == 1 && argument == "float")
        return CoreMessages::tr("float", "left in float");
    return text;
}

// One pass over the template, as core's formatTemplate: an argument holding "%2" stays as it is.
QString fill(const QString &pattern, const QStringList &values)
{
    QString text;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == QLatin1Char('%') && i + 1 < pattern.size() && pattern.at(i + 1) >= QLatin1Char('1')
            && pattern.at(i + 1) <= QLatin1Char('9')) {
            const qsizetype index = pattern.at(i + 1).unicode() - '1';
            if (index < values.size())
                text += values.at(index);
            ++i;
            continue;
        }
        text += c;
    }
    return text;
}

} // namespace

QString CoreMessages::text(const Message &message)
{
    if (message.id == MessageId::None)
        return QString::fromStdString(englishText(message));
    const QString template_ = pattern(message.id);
    if (template_.isEmpty()) // an id newer than this table: core's English is still right
        return QString::fromStdString(englishText(message));
    QStringList values;
    for (size_t i = 0; i < message.args.size(); ++i)
        values << argumentText(message.id, i, message.args[i]);
    if (message.cause)
        values << text(*message.cause);
    return fill(template_, values);
}

QString CoreMessages::text(const std::vector<std::string> &strings, size_t first)
{
    const std::optional<Message> message = messageFromStrings(strings, first);
    return message ? text(*message) : QString();
}

QString CoreMessages::text(const Status &status)
{
    if (status.coded().id == MessageId::None)
        return QString::fromStdString(status.message());
    return QString::fromStdString(status.context()) + text(status.coded());
}

QString CoreMessages::text(const Diagnostic &diagnostic)
{
    if (diagnostic.coded.id == MessageId::None)
        return QString::fromStdString(diagnostic.message);
    return text(diagnostic.coded);
}

} // namespace qs::ui
