#include "recipe_fields.h"

#include "translated_text.h"

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

void addChoice(QComboBox *combo, std::function<QString()> text, int value)
{
    addTranslatedItem(combo, std::move(text), value);
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

void addTriStateChoices(QComboBox *combo, std::function<QString()> defaultText)
{
    addChoice(combo, std::move(defaultText), -1);
    addChoice(
        combo, [] { return RecipeFields::tr("On"); }, 1);
    addChoice(
        combo, [] { return RecipeFields::tr("Off"); }, 0);
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

} // namespace qs::ui::recipe_fields
