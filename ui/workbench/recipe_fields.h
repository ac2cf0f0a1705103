#pragma once
// Small pieces shared by the widgets that edit a recipe (the Quantize page's panels, the
// preprocessing editor): combo boxes that stand for proto enums and optional bools (the
// "Default" entry keeps an unset field unset, so a recipe round-trips exactly), list fields as
// comma-separated text, floats written in their shortest exact form.

#include "quantscope.pb.h"
#include "text_lists.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <string>
#include <vector>

class QComboBox;

namespace qs::ui::recipe_fields {

using text_lists::formatFloat;
using text_lists::parseFloat;
using text_lists::parseFloats;
using text_lists::splitList;

// Combo entries carry their proto enum value (or -1 / 0 / 1 for a tri-state) as item data; their
// text (a tr() call) follows a language switched while the program runs.
void addChoice(QComboBox *combo, std::function<QString()> text, int value);
void setChoice(QComboBox *combo, int value); // the first entry when `value` is not listed
int choice(const QComboBox *combo);

// "Default" / "On" / "Off" for an optional bool of the recipe.
void addTriStateChoices(QComboBox *combo, std::function<QString()> defaultText);
void setTriState(QComboBox *combo, std::optional<bool> value);
std::optional<bool> triState(const QComboBox *combo);

// "Conv, MatMul" <-> repeated string; separators are commas or white space.
QString joinList(const google::protobuf::RepeatedPtrField<std::string> &list);
void setList(google::protobuf::RepeatedPtrField<std::string> &field, const QStringList &values);
QStringList toStringList(const google::protobuf::RepeatedPtrField<std::string> &list);

QString joinFloats(const google::protobuf::RepeatedField<float> &values);

} // namespace qs::ui::recipe_fields
