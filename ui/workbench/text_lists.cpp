#include "text_lists.h"

#include <QRegularExpression>

#include <charconv>

namespace qs::ui::text_lists {

QStringList splitList(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

QString formatFloat(float value)
{
    // std::to_chars without a precision is the shortest text that parses back to `value`; Qt's
    // formatting of a float goes through double and shows its tail digits.
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    return QString::fromLatin1(text, end - text);
}

std::optional<float> parseFloat(const QString &text)
{
    const QByteArray latin = text.trimmed().toLatin1();
    float value = 0.0f;
    const char *begin = latin.constData();
    const char *end = begin + latin.size();
    if (!latin.isEmpty() && *begin == '+')
        ++begin;
    const auto [ptr, error] = std::from_chars(begin, end, value);
    if (latin.isEmpty() || error != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

std::optional<std::vector<float>> parseFloats(const QString &text)
{
    std::vector<float> values;
    for (const QString &token : splitList(text)) {
        const auto value = parseFloat(token);
        if (!value)
            return std::nullopt;
        values.push_back(*value);
    }
    return values;
}

} // namespace qs::ui::text_lists
