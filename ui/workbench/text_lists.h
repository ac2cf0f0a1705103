#pragma once
// Lists and numbers typed into line edits: "Conv, MatMul" and "0.485 0.456, 0.406". Shared by
// the Quantize and Compare pages so both read a mean/std field the same way.

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace qs::ui::text_lists {

// Separators are commas or white space; empty parts are dropped.
QStringList splitList(const QString &text);

// Shortest text that reads back as the same float ("0.485", not "0.48500001").
QString formatFloat(float value);
// Nothing when the text (or a token) is not a number; an empty text gives an empty list.
std::optional<float> parseFloat(const QString &text);
std::optional<std::vector<float>> parseFloats(const QString &text);

} // namespace qs::ui::text_lists
