#include "util/json_reader.h"

#include <cstdlib>

namespace qs {

const JsonValue *JsonValue::find(const std::string &key) const
{
    auto it = m_object.find(key);
    return it == m_object.end() ? nullptr : &it->second;
}

JsonValue JsonValue::makeBool(bool value)
{
    JsonValue v(Kind::Bool);
    v.m_bool = value;
    return v;
}

JsonValue JsonValue::makeNumber(double value)
{
    JsonValue v(Kind::Number);
    v.m_number = value;
    return v;
}

JsonValue JsonValue::makeString(std::string value)
{
    JsonValue v(Kind::String);
    v.m_string = std::move(value);
    return v;
}

JsonValue JsonValue::makeArray(std::vector<JsonValue> values)
{
    JsonValue v(Kind::Array);
    v.m_array = std::move(values);
    return v;
}

JsonValue JsonValue::makeObject(std::map<std::string, JsonValue> members)
{
    JsonValue v(Kind::Object);
    v.m_object = std::move(members);
    return v;
}

namespace {

class Parser
{
public:
    explicit Parser(std::string_view text)
        : m_text(text)
    {}

    Result<JsonValue> document()
    {
        auto value = parseValue(0);
        if (!value)
            return value;
        skipSpace();
        if (m_pos != m_text.size())
            return error("text after the value");
        return value;
    }

private:
    // Deep enough for any answer we read, shallow enough that hostile input cannot overflow
    // the stack.
    static constexpr int kMaxDepth = 64;

    Status error(const std::string &what) const
    {
        return invalidArgument("JSON at offset " + std::to_string(m_pos) + ": " + what);
    }

    void skipSpace()
    {
        while (m_pos < m_text.size()
               && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n'
                   || m_text[m_pos] == '\r'))
            ++m_pos;
    }

    bool consume(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }

    Result<JsonValue> parseValue(int depth)
    {
        if (depth > kMaxDepth)
            return error("nested too deeply");
        skipSpace();
        if (m_pos >= m_text.size())
            return error("unexpected end");
        const char c = m_text[m_pos];
        if (c == '{')
            return parseObject(depth);
        if (c == '[')
            return parseArray(depth);
        if (c == '"') {
            auto text = parseString();
            if (!text)
                return text.status();
            return JsonValue::makeString(std::move(*text));
        }
        if (consume("null"))
            return JsonValue::makeNull();
        if (consume("true"))
            return JsonValue::makeBool(true);
        if (consume("false"))
            return JsonValue::makeBool(false);
        return parseNumber();
    }

    Result<JsonValue> parseNumber()
    {
        const size_t start = m_pos;
        while (m_pos < m_text.size()
               && std::string_view("+-0123456789.eE").find(m_text[m_pos]) != std::string_view::npos)
            ++m_pos;
        if (start == m_pos)
            return error("unexpected character '" + std::string(1, m_text[start]) + "'");
        const std::string digits(m_text.substr(start, m_pos - start));
        char *end = nullptr;
        const double value = std::strtod(digits.c_str(), &end);
        if (end != digits.c_str() + digits.size())
            return error("bad number '" + digits + "'");
        return JsonValue::makeNumber(value);
    }

    static void appendUtf8(std::string &out, uint32_t code)
    {
        if (code < 0x80) {
            out += char(code);
        } else if (code < 0x800) {
            out += char(0xC0 | (code >> 6));
            out += char(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += char(0xE0 | (code >> 12));
            out += char(0x80 | ((code >> 6) & 0x3F));
            out += char(0x80 | (code & 0x3F));
        } else {
            out += char(0xF0 | (code >> 18));
            out += char(0x80 | ((code >> 12) & 0x3F));
            out += char(0x80 | ((code >> 6) & 0x3F));
            out += char(0x80 | (code & 0x3F));
        }
    }

    Result<uint32_t> parseHex4()
    {
        if (m_pos + 4 > m_text.size())
            return error("short \\u escape");
        uint32_t code = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = m_text[m_pos++];
            code <<= 4;
            if (h >= '0' && h <= '9')
                code |= uint32_t(h - '0');
            else if (h >= 'a' && h <= 'f')
                code |= uint32_t(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                code |= uint32_t(h - 'A' + 10);
            else
                return error("bad \\u escape");
        }
        return code;
    }

    Result<std::string> parseString()
    {
        ++m_pos; // the opening quote
        std::string out;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '"')
                return out;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_pos >= m_text.size())
                break;
            const char e = m_text[m_pos++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                auto code = parseHex4();
                if (!code)
                    return code.status();
                uint32_t value = *code;
                // A surrogate pair spells one code point above U+FFFF.
                if (value >= 0xD800 && value < 0xDC00 && consume("\\u")) {
                    auto low = parseHex4();
                    if (!low)
                        return low.status();
                    value = 0x10000 + ((value - 0xD800) << 10) + (*low - 0xDC00);
                }
                appendUtf8(out, value);
                break;
            }
            default: return error("bad escape '\\" + std::string(1, e) + "'");
            }
        }
        return error("unterminated string");
    }

    Result<JsonValue> parseArray(int depth)
    {
        ++m_pos;
        std::vector<JsonValue> values;
        skipSpace();
        if (consume("]"))
            return JsonValue::makeArray(std::move(values));
        while (true) {
            auto value = parseValue(depth + 1);
            if (!value)
                return value;
            values.push_back(std::move(*value));
            skipSpace();
            if (consume("]"))
                return JsonValue::makeArray(std::move(values));
            if (!consume(","))
                return error("expected ',' or ']'");
        }
    }

    Result<JsonValue> parseObject(int depth)
    {
        ++m_pos;
        std::map<std::string, JsonValue> members;
        skipSpace();
        if (consume("}"))
            return JsonValue::makeObject(std::move(members));
        while (true) {
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != '"')
                return error("expected a member name");
            auto key = parseString();
            if (!key)
                return key.status();
            skipSpace();
            if (!consume(":"))
                return error("expected ':'");
            auto value = parseValue(depth + 1);
            if (!value)
                return value;
            members.insert_or_assign(std::move(*key), std::move(*value));
            skipSpace();
            if (consume("}"))
                return JsonValue::makeObject(std::move(members));
            if (!consume(","))
                return error("expected ',' or '}'");
        }
    }

    std::string_view m_text;
    size_t m_pos = 0;
};

} // namespace

Result<JsonValue> parseJson(std::string_view text)
{
    return Parser(text).document();
}

} // namespace qs
