#include "dim_values_edit.h"

#include "tensor/tensor.h"

#include <set>
#include <string>

namespace qs::ui {

namespace {

// Mirrors the position rule of core's openSampleSource (rule 3): dim 0 is the batch, and the
// height and width of a 4-D float input take the image size. Axes 1-3 cover both layouts; the
// channel axis among them is fixed in the models this is for.
bool sizedByPosition(const ValueRef &input, size_t axis)
{
    if (axis == 0)
        return true;
    return input.type.dims.size() == 4
           && isFloatingDType(static_cast<DType>(input.type.elementType));
}

} // namespace

QStringList openDimSymbols(const std::vector<ValueRef> &inputs)
{
    std::set<std::string> sized;
    for (const ValueRef &input : inputs)
        for (size_t axis = 0; axis < input.type.dims.size(); ++axis)
            if (sizedByPosition(input, axis))
                sized.insert(input.type.dims[axis].symbol);
    QStringList open;
    for (const ValueRef &input : inputs) {
        for (const Dim &dim : input.type.dims) {
            const QString symbol = QString::fromStdString(dim.symbol);
            if (!dim.isKnown() && !dim.symbol.empty() && !sized.contains(dim.symbol)
                && !open.contains(symbol))
                open.append(symbol);
        }
    }
    return open;
}

DimValuesEdit::DimValuesEdit(QWidget *parent)
    : QLineEdit(parent)
{
    setToolTip(tr("Sizes for the dims the model leaves open: the symbols, such as 'seq', in the "
                  "shapes the Inspector shows. Write SYMBOL=SIZE, separated by commas: "
                  "seq=128, batch=1.\n"
                  "Random inputs need a size for every symbol other than the batch (1) and an "
                  "image's height and width (the image size). The samples of a data folder must "
                  "match the sizes given. Same as quantscope-cli's --dim SYMBOL=VALUE."));
    setModelInputs({});
}

QString DimValuesEdit::label()
{
    return tr("Dynamic dims:");
}

std::optional<text_lists::DimValues> DimValuesEdit::values() const
{
    return text_lists::parseDimValues(text());
}

void DimValuesEdit::setValues(const text_lists::DimValues &values)
{
    setText(text_lists::formatDimValues(values));
}

QString DimValuesEdit::problem() const
{
    QString error;
    if (text_lists::parseDimValues(text(), &error))
        return QString();
    return tr("Dynamic dims: %1").arg(error);
}

void DimValuesEdit::setModelInputs(const std::vector<ValueRef> &inputs)
{
    const QStringList open = openDimSymbols(inputs);
    if (open.isEmpty()) {
        setPlaceholderText(tr("SYMBOL=SIZE, e.g. seq=128"));
        return;
    }
    QStringList pairs;
    for (const QString &symbol : open)
        pairs.append(symbol + QStringLiteral("=?"));
    setPlaceholderText(pairs.join(QStringLiteral(", ")));
}

} // namespace qs::ui
