#include "cli/arguments.h"

#include "cli/cli.h"

#include <cstdlib>

namespace qs::cli {

std::pair<std::string, std::string> splitAssignment(const std::string &option,
                                                    const std::string &text)
{
    const size_t equals = text.rfind('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
        throw UsageError{option + " expects NAME=VALUE, got '" + text + "'"};
    return {text.substr(0, equals), text.substr(equals + 1)};
}

std::vector<std::string> splitList(const std::string &option, const std::string &text)
{
    std::vector<std::string> items;
    size_t start = 0;
    while (true) {
        const size_t comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? comma : comma - start);
        if (item.empty())
            throw UsageError{option + " expects a comma-separated list, got '" + text + "'"};
        items.push_back(std::move(item));
        if (comma == std::string::npos)
            return items;
        start = comma + 1;
    }
}

const std::string &ArgumentCursor::value()
{
    const std::string &option = current();
    if (m_index + 1 >= m_args.size())
        throw UsageError{option + " needs a value"};
    ++m_index;
    return m_args[m_index];
}

int ArgumentCursor::count(int minimum)
{
    const std::string option = current();
    const std::string &text = value();
    const auto number = parseNumber<int>(text);
    if (!number || *number < minimum)
        throw UsageError{option + " expects an integer >= " + std::to_string(minimum)
                         + ", got '" + text + "'"};
    return *number;
}

double ArgumentCursor::number()
{
    const std::string option = current();
    const std::string &text = value();
    char *end = nullptr;
    const double parsed = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size())
        throw UsageError{option + " expects a number, got '" + text + "'"};
    return parsed;
}

int exitCodeFor(const Status &status)
{
    switch (status.code()) {
    case StatusCode::Internal:
        return kInternalError;
    case StatusCode::Cancelled:
        return kCancelled;
    default:
        return kBadInput;
    }
}

} // namespace qs::cli
