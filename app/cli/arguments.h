#pragma once
// Command-line parsing pieces the commands share: number and list parsing, the argument cursor,
// usage errors and --help, and the exit code for a core Status. Parsing returns errors as
// values: a failed parse is a Status whose message names the option, reported by
// reportUsageError as "quantscope-cli <command>: <message>" plus the usage text.
#include "quantscope.pb.h"
#include "util/status.h"

#include <charconv>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Binds the value of an expression that yields a Result<T> to `lhs` (a declaration or an
// lvalue), or returns its error from the enclosing function.
#define QS_CLI_ASSIGN_OR_RETURN(lhs, expr)                                                         \
    QS_CLI_ASSIGN_OR_RETURN_IMPL_(QS_CLI_CONCAT_(qsResult_, __LINE__), lhs, expr)
#define QS_CLI_ASSIGN_OR_RETURN_IMPL_(result, lhs, expr)                                           \
    auto result = (expr);                                                                          \
    if (!result.isOk())                                                                            \
        return result.status();                                                                    \
    lhs = std::move(result).value()
#define QS_CLI_CONCAT_(a, b) QS_CLI_CONCAT_INNER_(a, b)
#define QS_CLI_CONCAT_INNER_(a, b) a##b

namespace qs::cli {

// A command's name and usage text: what `--help` prints and what follows a usage error.
struct CommandUsage
{
    std::string_view name; // "run"
    std::string_view text; // "usage: quantscope-cli run MODEL ...\n"
};

// -h or --help anywhere among a command's arguments.
bool helpRequested(const std::vector<std::string> &args);

// Prints "quantscope-cli <command>: <message>" and the usage text on `err`; returns kBadInput.
int reportUsageError(std::ostream &err, const CommandUsage &usage, const Status &status);

template<typename T>
std::optional<T> parseNumber(std::string_view text)
{
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// One of a fixed set of words ("--mode static"); an error listing them otherwise.
template<typename Enum>
Result<Enum> parseChoice(const std::string &option, const std::string &text,
                         std::initializer_list<std::pair<const char *, Enum>> choices)
{
    std::string names;
    for (const auto &[name, value] : choices) {
        if (text == name)
            return value;
        names += (names.empty() ? "" : ", ") + std::string(name);
    }
    return invalidArgument(option + " expects one of " + names + ", got '" + text + "'");
}

// "NAME=VALUE" split at the last '='.
Result<std::pair<std::string, std::string>> splitAssignment(const std::string &option,
                                                            const std::string &text);

// "a,b,c" -> {"a","b","c"}; empty pieces are an error.
Result<std::vector<std::string>> splitList(const std::string &option, const std::string &text);

// Walks argv-style arguments. The value readers consume the option's value and return an error
// naming the option when it is missing or malformed.
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
    Result<std::string> value();
    Result<int> count(int minimum);
    Result<double> number();
    Result<std::vector<std::string>> list();
    Result<std::pair<std::string, std::string>> assignment();
    template<typename Enum>
    Result<Enum> choice(std::initializer_list<std::pair<const char *, Enum>> choices)
    {
        const std::string option = current();
        QS_CLI_ASSIGN_OR_RETURN(const std::string text, value());
        return parseChoice(option, text, choices);
    }

private:
    const std::vector<std::string> &m_args;
    size_t m_index = static_cast<size_t>(-1);
};

// An argument no option of a one-model command claimed: an unknown option, or the model path
// (once; a second path is an error).
Status takeModelPath(const std::string &arg, std::string &modelPath);

int exitCodeFor(const Status &status);

// Prints "error: <message>" on `err` and returns the exit code for the status.
int reportError(std::ostream &err, const Status &status);

// With the cursor on --dim: its "SYMBOL=VALUE", the size of a symbolic input dim that run,
// quantize and bench take alike (data/sample_source.h's rule puts it first).
Result<std::pair<std::string, int64_t>> parseDimOption(ArgumentCursor &cursor);

// The image preprocessing flags `quantize` and `bench` share (--image-size, --pixel-range,
// --mean, --std, --bgr, --layout).
bool isPreprocessingOption(const std::string &arg);

// With the cursor on a preprocessing option: consumes its value and returns the change to apply.
using PreprocessingEdit = std::function<void(quantscope::ImagePreprocessing &)>;
Result<PreprocessingEdit> parsePreprocessingOption(ArgumentCursor &cursor);

inline constexpr const char *kPreprocessingUsage
    = "[--image-size HxW] [--pixel-range 0-1|0-255] [--mean a,b,c] [--std a,b,c] [--bgr]\n"
      "       [--layout nchw|nhwc]";

} // namespace qs::cli
