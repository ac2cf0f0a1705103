#pragma once
// A small JSON reader for the answers of helper processes (compare/external_runtime.h's ONNX
// Runtime runner). It reads a whole document into a tree of JsonValues; no streaming, no
// comments or other extensions: the documents are one short line written by our own scripts.

#include "util/status.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

class JsonValue
{
public:
    enum class Kind { Null, Bool, Number, String, Array, Object };

    Kind kind() const { return m_kind; }
    bool isNull() const { return m_kind == Kind::Null; }
    bool isNumber() const { return m_kind == Kind::Number; }
    bool isString() const { return m_kind == Kind::String; }
    bool isArray() const { return m_kind == Kind::Array; }
    bool isObject() const { return m_kind == Kind::Object; }

    bool boolean() const { return m_bool; }
    double number() const { return m_number; }
    const std::string &string() const { return m_string; }
    const std::vector<JsonValue> &array() const { return m_array; }
    const std::map<std::string, JsonValue> &object() const { return m_object; }

    // The member `key` of an object; nullptr when absent or when this is no object.
    const JsonValue *find(const std::string &key) const;

    static JsonValue makeNull() { return JsonValue(Kind::Null); }
    static JsonValue makeBool(bool value);
    static JsonValue makeNumber(double value);
    static JsonValue makeString(std::string value);
    static JsonValue makeArray(std::vector<JsonValue> values);
    static JsonValue makeObject(std::map<std::string, JsonValue> members);

private:
    explicit JsonValue(Kind kind)
        : m_kind(kind)
    {}

    Kind m_kind = Kind::Null;
    bool m_bool = false;
    double m_number = 0;
    std::string m_string;
    std::vector<JsonValue> m_array;
    std::map<std::string, JsonValue> m_object;
};

// The whole of `text` as one JSON value; an error names the offset of the first problem.
Result<JsonValue> parseJson(std::string_view text);

} // namespace qs
