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

namespace {

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF), or 0 when it is not one.
size_t utf8SequenceLength(std::string_view text)
{
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80)
        return 1;
    size_t length = 0;
    unsigned char low = 0x80, high = 0xbf; // the allowed range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        low = lead == 0xe0 ? 0xa0 : 0x80;
        high = lead == 0xed ? 0x9f : 0xbf;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        low = lead == 0xf0 ? 0x90 : 0x80;
        high = lead == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (text.size() < length || byte(1) < low || byte(1) > high)
        return 0;
    for (size_t i = 2; i < length; ++i)
        if (byte(i) < 0x80 || byte(i) > 0xbf)
            return 0;
    return length;
}

} // namespace

// JSON must be valid UTF-8: names in a hostile or broken model may hold any bytes, and each
// byte that starts no well-formed sequence is written as U+FFFD.
void JsonWriter::writeString(std::string_view text)
{
    m_out << '"';
    for (size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (static_cast<unsigned char>(c) >= 0x80) {
            const size_t length = utf8SequenceLength(text.substr(i));
            if (length == 0) {
                m_out << "\\ufffd";
                ++i;
            } else {
                m_out << text.substr(i, length);
                i += length;
            }
            continue;
        }
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
        ++i;
    }
    m_out << '"';
}

} // namespace qs
