#include "core_messages.h"

#include <QStringList>

namespace qs::ui {

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
