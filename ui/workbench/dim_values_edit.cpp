#include "dim_values_edit.h"

#include "data/sample_source.h"
#include "translated_text.h"

#include <string>

namespace qs::ui {

DimValuesEdit::DimValuesEdit(QWidget *parent)
    : QLineEdit(parent)
{
    setTranslatedToolTip(this, [] {
        return tr("Sizes for the dims the model leaves open: the symbols, such as 'seq', in the "
                  "shapes the Inspector shows. Write SYMBOL=SIZE, separated by commas: "
                  "seq=128, batch=1.\n"
                  "Random inputs need a size for every symbol other than the batch (1) and an "
                  "image's height and width (the image size). The samples of a data folder must "
                  "match the sizes given. Same as quantscope-cli's --dim SYMBOL=VALUE.");
    });
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
    const std::vector<std::string> open = symbolsNeedingDimValues(inputSpecs(inputs),
                                                                  quantscope::TENSOR_LAYOUT_NCHW);
    if (open.empty()) {
        setTranslatedPlaceholder(this, [] { return tr("SYMBOL=SIZE, e.g. seq=128"); });
        return;
    }
    QStringList pairs;
    for (const std::string &symbol : open)
        pairs.append(QString::fromStdString(symbol) + QStringLiteral("=?"));
    setTranslatedPlaceholder(this, [text = pairs.join(QStringLiteral(", "))] { return text; });
}

} // namespace qs::ui
