#pragma once
// A small streaming JSON writer for reports (inspect --json, later bench reports). It keeps the
// comma/nesting bookkeeping in one place so callers read like the document they produce.

#include <cstdint>
#include <ostream>
#include <string_view>
#include <vector>

namespace qs {

class JsonWriter
{
public:
    explicit JsonWriter(std::ostream &out, int indent = 2);

    JsonWriter &beginObject();
    JsonWriter &endObject();
    JsonWriter &beginArray();
    JsonWriter &endArray();
    JsonWriter &key(std::string_view name);

    JsonWriter &value(std::string_view text);
    JsonWriter &value(const char *text) { return value(std::string_view(text)); }
    JsonWriter &value(int64_t number);
    JsonWriter &value(int number) { return value(static_cast<int64_t>(number)); }
    JsonWriter &value(uint64_t number);
    JsonWriter &value(double number); // NaN and infinities become null: JSON has no spelling
    JsonWriter &value(bool flag);
    JsonWriter &null();

    // key + value in one call, for flat members.
    template<typename T>
    JsonWriter &member(std::string_view name, const T &v)
    {
        key(name);
        return value(v);
    }

private:
    void beforeValue();
    void newline();
    void writeString(std::string_view text);

    struct Level
    {
        bool isArray;
        bool empty;
    };
    std::ostream &m_out;
    int m_indent;
    std::vector<Level> m_levels;
    bool m_afterKey = false;
};

} // namespace qs
