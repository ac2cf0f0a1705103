#include "text_lists.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <charconv>

namespace qs::ui::text_lists {

namespace {

// The translation context of these strings (they are not inside a QObject).
struct TextLists
{
    Q_DECLARE_TR_FUNCTIONS(TextLists)
};

// A size as `--dim` takes it: decimal digits only, no sign, no fraction.
std::optional<int64_t> parseSize(const QString &text)
{
    const QByteArray latin = text.toLatin1();
    int64_t value = 0;
    const char *end = latin.constData() + latin.size();
    const auto [ptr, error] = std::from_chars(latin.constData(), end, value);
    if (latin.isEmpty() || error != std::errc() || ptr != end || value < 0)
        return std::nullopt;
    return value;
}

} // namespace

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

std::optional<DimValues> parseDimValues(const QString &text, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    // "seq = 128" is one pair: the spaces go before the text is split at white space.
    static const QRegularExpression spacedEquals(QStringLiteral("\\s*=\\s*"));
    QString joined = text;
    joined.replace(spacedEquals, QStringLiteral("="));
    DimValues values;
    for (const QString &pair : splitList(joined)) {
        const qsizetype equals = pair.indexOf(QLatin1Char('='));
        if (equals < 0)
            return fail(
                TextLists::tr("'%1' has no '=': write SYMBOL=SIZE, e.g. seq=128.").arg(pair));
        const QString symbol = pair.left(equals);
        if (symbol.isEmpty())
            return fail(TextLists::tr("'%1' names no symbol before '='.").arg(pair));
        const auto size = parseSize(pair.mid(equals + 1));
        if (!size)
            return fail(TextLists::tr("'%1': '%2' is not a size (a whole number, 0 or more).")
                            .arg(pair, pair.mid(equals + 1)));
        if (!values.emplace(symbol.toStdString(), *size).second)
            return fail(TextLists::tr("'%1': the symbol '%2' is given twice.").arg(pair, symbol));
    }
    return values;
}

QString formatDimValues(const DimValues &values)
{
    QStringList pairs;
    for (const auto &[symbol, size] : values)
        pairs.append(QStringLiteral("%1=%2").arg(QString::fromStdString(symbol)).arg(size));
    return pairs.join(QStringLiteral(", "));
}

} // namespace qs::ui::text_lists
