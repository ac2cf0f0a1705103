#include "util/json_writer.h"

#include <charconv>

#include <cmath>
#include <cstdio>

namespace qs {

JsonWriter::JsonWriter(std::ostream &out, int indent)
    : m_out(out)
    , m_indent(indent)
{}

void JsonWriter::newline()
{
    if (m_indent <= 0)
        return;
    m_out << '\n';
    for (size_t i = 0; i < m_levels.size() * static_cast<size_t>(m_indent); ++i)
        m_out << ' ';
}

void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_levels.empty())
        return;
    Level &level = m_levels.back();
    if (!level.empty)
        m_out << ',';
    level.empty = false;
    newline();
}

JsonWriter &JsonWriter::beginObject()
{
    beforeValue();
    m_out << '{';
    m_levels.push_back({false, true});
    return *this;
}

JsonWriter &JsonWriter::endObject()
{
    const bool empty = m_levels.back().empty;
    m_levels.pop_back();
    if (!empty)
        newline();
    m_out << '}';
    if (m_levels.empty() && m_indent > 0)
        m_out << '\n';
    return *this;
}

JsonWriter &JsonWriter::beginArray()
{
    beforeValue();
    m_out << '[';
    m_levels.push_back({true, true});
    return *this;
}

JsonWriter &JsonWriter::endArray()
{
    const bool empty = m_levels.back().empty;
    m_levels.pop_back();
    if (!empty)
        newline();
    m_out << ']';
    return *this;
}

JsonWriter &JsonWriter::key(std::string_view name)
{
    beforeValue();
    writeString(name);
    m_out << (m_indent > 0 ? ": " : ":");
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::value(std::string_view text)
{
    beforeValue();
    writeString(text);
    return *this;
}

JsonWriter &JsonWriter::value(int64_t number)
{
    beforeValue();
    m_out << number;
    return *this;
}

JsonWriter &JsonWriter::value(uint64_t number)
{
    beforeValue();
    m_out << number;
    return *this;
}

JsonWriter &JsonWriter::value(double number)
{
    if (!std::isfinite(number))
        return null();
    beforeValue();
    // Shortest text that reads back as the same double ("0.25", not "0.25000000000000000").
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    m_out << std::string_view(buffer, static_cast<size_t>(result.ptr - buffer));
    return *this;
}

JsonWriter &JsonWriter::value(bool flag)
{
    beforeValue();
    m_out << (flag ? "true" : "false");
    return *this;
}

JsonWriter &JsonWriter::null()
{
    beforeValue();
    m_out << "null";
    return *this;
}

void JsonWriter::writeString(std::string_view text)
{
    m_out << '"';
    for (const char c : text) {
        switch (c) {
        case '"': m_out << "\\\""; break;
        case '\\': m_out << "\\\\"; break;
        case '\n': m_out << "\\n"; break;
        case '\r': m_out << "\\r"; break;
        case '\t': m_out << "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                m_out << buffer;
            } else {
                m_out << c;
            }
        }
    }
    m_out << '"';
}

} // namespace qs
