#include "recipe_fields.h"

#include <QComboBox>
#include <QCoreApplication>


namespace qs::ui::recipe_fields {

namespace {

// The translation context of these strings (they are not inside a QObject).
struct RecipeFields
{
    Q_DECLARE_TR_FUNCTIONS(RecipeFields)
};

} // namespace

void addChoice(QComboBox *combo, const QString &text, int value)
{
    combo->addItem(text, value);
}

void setChoice(QComboBox *combo, int value)
{
    const int index = combo->findData(value);
    combo->setCurrentIndex(index >= 0 ? index : 0);
}

int choice(const QComboBox *combo)
{
    return combo->currentData().toInt();
}

void addTriStateChoices(QComboBox *combo, const QString &defaultText)
{
    addChoice(combo, defaultText, -1);
    addChoice(combo, RecipeFields::tr("On"), 1);
    addChoice(combo, RecipeFields::tr("Off"), 0);
}

void setTriState(QComboBox *combo, std::optional<bool> value)
{
    setChoice(combo, value ? int(*value) : -1);
}

std::optional<bool> triState(const QComboBox *combo)
{
    const int value = choice(combo);
    if (value < 0)
        return std::nullopt;
    return value != 0;
}

QString joinList(const google::protobuf::RepeatedPtrField<std::string> &list)
{
    return toStringList(list).join(QStringLiteral(", "));
}

void setList(google::protobuf::RepeatedPtrField<std::string> &field, const QStringList &values)
{
    field.Clear();
    for (const QString &value : values)
        *field.Add() = value.toStdString();
}

QStringList toStringList(const google::protobuf::RepeatedPtrField<std::string> &list)
{
    QStringList strings;
    for (const std::string &item : list)
        strings.append(QString::fromStdString(item));
    return strings;
}

QString joinFloats(const google::protobuf::RepeatedField<float> &values)
{
    QStringList parts;
    for (const float value : values)
        parts.append(formatFloat(value));
    return parts.join(QStringLiteral(", "));
}

QString preprocessingSummary(const quantscope::ImagePreprocessing &prep)
{
    QStringList steps;
    if (prep.height() > 0 && prep.width() > 0)
        steps.append(RecipeFields::tr("resize to %1x%2").arg(prep.height()).arg(prep.width()));
    else if (prep.height() > 0 || prep.width() > 0)
        steps.append(RecipeFields::tr("resize to %1x%2 (0: the model's)")
                         .arg(prep.height())
                         .arg(prep.width()));
    else
        steps.append(RecipeFields::tr("resize to the model's input size"));
    steps.append(prep.pixel_range() == quantscope::PIXEL_RANGE_0_255
                     ? RecipeFields::tr("keep [0,255]")
                     : RecipeFields::tr("scale to [0,1]"));
    if (!prep.mean().empty())
        steps.append(RecipeFields::tr("subtract mean (%1)").arg(joinFloats(prep.mean())));
    if (!prep.std().empty())
        steps.append(RecipeFields::tr("divide by std (%1)").arg(joinFloats(prep.std())));
    steps.append(prep.bgr() ? RecipeFields::tr("BGR") : RecipeFields::tr("RGB"));
    steps.append(prep.layout() == quantscope::TENSOR_LAYOUT_NHWC ? RecipeFields::tr("NHWC")
                                                                 : RecipeFields::tr("NCHW"));
    return steps.join(RecipeFields::tr(", "));
}

} // namespace qs::ui::recipe_fields
