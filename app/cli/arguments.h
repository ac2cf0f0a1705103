#pragma once
// Command-line parsing pieces the commands share: a usage error type, number and list parsing,
// and the exit code for a core Status.
#include "quantscope.pb.h"
#include "util/status.h"

#include <functional>
#include <iosfwd>
#include <initializer_list>

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qs::cli {

// A usage problem, reported as "quantscope-cli <command>: <message>" plus the usage text.
struct UsageError
{
    std::string message;
};

template<typename T>
std::optional<T> parseNumber(std::string_view text)
{
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// One of a fixed set of words ("--mode static"); a usage error listing them otherwise.
template<typename Enum>
Enum parseChoice(const std::string &option, const std::string &text,
                 std::initializer_list<std::pair<const char *, Enum>> choices)
{
    std::string names;
    for (const auto &[name, value] : choices) {
        if (text == name)
            return value;
        names += (names.empty() ? "" : ", ") + std::string(name);
    }
    throw UsageError{option + " expects one of " + names + ", got '" + text + "'"};
}

// "NAME=VALUE" split at the last '='.
std::pair<std::string, std::string> splitAssignment(const std::string &option,
                                                    const std::string &text);

// "a,b,c" -> {"a","b","c"}; empty pieces are a usage error.
std::vector<std::string> splitList(const std::string &option, const std::string &text);

// Walks argv-style arguments; value() and count() throw UsageError naming the option.
class ArgumentCursor
{
public:
    explicit ArgumentCursor(const std::vector<std::string> &args)
        : m_args(args)
    {}
    bool next()
    {
        ++m_index;
        return m_index < m_args.size();
    }
    const std::string &current() const { return m_args[m_index]; }
    const std::string &value();
    int count(int minimum);
    double number();

private:
    const std::vector<std::string> &m_args;
    size_t m_index = static_cast<size_t>(-1);
};

int exitCodeFor(const Status &status);

// Prints "error: <message>" on `err` and returns the exit code for the status.
int reportError(std::ostream &err, const Status &status);

// The image preprocessing flags `quantize` and `bench` share (--image-size, --pixel-range,
// --mean, --std, --bgr, --layout). When the cursor is on one of them, consumes its value and
// returns the change to apply; nullopt for any other option.
using PreprocessingEdit = std::function<void(quantscope::ImagePreprocessing &)>;
std::optional<PreprocessingEdit> parsePreprocessingOption(ArgumentCursor &cursor);

inline constexpr const char *kPreprocessingUsage =
    "[--image-size HxW] [--pixel-range 0-1|0-255] [--mean a,b,c] [--std a,b,c] [--bgr]\n"
    "       [--layout nchw|nhwc]";

} // namespace qs::cli
