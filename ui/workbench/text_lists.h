#pragma once
// Lists and numbers typed into line edits: "Conv, MatMul", "0.485 0.456, 0.406" and
// "seq=128, batch=1". Shared by the Quantize and Compare pages so both read a mean/std or a
// dynamic dims field the same way.

#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qs::ui::text_lists {

// Separators are commas or white space; empty parts are dropped.
QStringList splitList(const QString &text);

// Shortest text that reads back as the same float ("0.485", not "0.48500001").
QString formatFloat(float value);
// Nothing when the text (or a token) is not a number; an empty text gives an empty list.
std::optional<float> parseFloat(const QString &text);
std::optional<std::vector<float>> parseFloats(const QString &text);

// Sizes of a model's symbolic dims by name, as `--dim SYMBOL=VALUE` gives them (a recipe's
// Calibration.dim_values, BenchSettings::dimValues). "seq=128, batch=1": pairs separated as in
// splitList, spaces around '=' allowed; an empty text gives an empty map. Nothing for a pair
// without '=', without a symbol, with a size that is not a whole number >= 0, or a symbol given
// twice; `error` (when not null) then names the bad pair and what is wrong with it.
using DimValues = std::map<std::string, int64_t>;
std::optional<DimValues> parseDimValues(const QString &text, QString *error = nullptr);
// "batch=1, seq=128" (by symbol), what parseDimValues reads back.
QString formatDimValues(const DimValues &values);

} // namespace qs::ui::text_lists
