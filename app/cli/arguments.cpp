#include "cli/arguments.h"

#include "cli/cli.h"

#include <algorithm>
#include <cstdlib>
#include <ostream>

namespace qs::cli {

bool helpRequested(const std::vector<std::string> &args)
{
    return std::any_of(args.begin(), args.end(),
                       [](const std::string &arg) { return arg == "-h" || arg == "--help"; });
}

int reportUsageError(std::ostream &err, const CommandUsage &usage, const Status &status)
{
    err << "quantscope-cli " << usage.name << ": " << status.message() << "\n" << usage.text;
    return kBadInput;
}

Result<std::pair<std::string, std::string>> splitAssignment(const std::string &option,
                                                            const std::string &text)
{
    const size_t equals = text.rfind('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
        return invalidArgument(option + " expects NAME=VALUE, got '" + text + "'");
    return std::pair{text.substr(0, equals), text.substr(equals + 1)};
}

Result<std::vector<std::string>> splitList(const std::string &option, const std::string &text)
{
    std::vector<std::string> items;
    size_t start = 0;
    while (true) {
        const size_t comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? comma : comma - start);
        if (item.empty())
            return invalidArgument(option + " expects a comma-separated list, got '" + text + "'");
        items.push_back(std::move(item));
        if (comma == std::string::npos)
            return items;
        start = comma + 1;
    }
}

Result<std::string> ArgumentCursor::value()
{
    const std::string &option = current();
    if (m_index + 1 >= m_args.size())
        return invalidArgument(option + " needs a value");
    ++m_index;
    return m_args[m_index];
}

Result<int> ArgumentCursor::count(int minimum)
{
    const std::string option = current();
    QS_CLI_ASSIGN_OR_RETURN(const std::string text, value());
    const auto number = parseNumber<int>(text);
    if (!number || *number < minimum)
        return invalidArgument(option + " expects an integer >= " + std::to_string(minimum)
                               + ", got '" + text + "'");
    return *number;
}

Result<double> ArgumentCursor::number()
{
    const std::string option = current();
    QS_CLI_ASSIGN_OR_RETURN(const std::string text, value());
    char *end = nullptr;
    const double parsed = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size())
        return invalidArgument(option + " expects a number, got '" + text + "'");
    return parsed;
}

Result<std::vector<std::string>> ArgumentCursor::list()
{
    const std::string option = current();
    QS_CLI_ASSIGN_OR_RETURN(const std::string text, value());
    return splitList(option, text);
}

Result<std::pair<std::string, std::string>> ArgumentCursor::assignment()
{
    const std::string option = current();
    QS_CLI_ASSIGN_OR_RETURN(const std::string text, value());
    return splitAssignment(option, text);
}

Status takeModelPath(const std::string &arg, std::string &modelPath)
{
    if (arg.starts_with("-"))
        return invalidArgument("unknown option '" + arg + "'");
    if (!modelPath.empty())
        return invalidArgument("one model at a time ('" + modelPath + "' and '" + arg + "' given)");
    modelPath = arg;
    return Status::ok();
}

Result<std::pair<std::string, int64_t>> parseDimOption(ArgumentCursor &cursor)
{
    QS_CLI_ASSIGN_OR_RETURN(const auto assignment, cursor.assignment());
    const auto &[symbol, text] = assignment;
    const auto value = parseNumber<int64_t>(text);
    if (!value || *value < 0)
        return invalidArgument("--dim " + symbol + ": '" + text + "' is not a size");
    return std::pair{symbol, *value};
}

namespace {

// The message on one line: a node or file name may hold newlines or other control characters
// (a hostile model's names do), which would split the error over lines that scripts read one
// by one.
std::string oneLine(const std::string &message)
{
    std::string line;
    line.reserve(message.size());
    for (const char c : message) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n')
            line += "\\n";
        else if (c == '\r')
            line += "\\r";
        else if (c == '\t')
            line += "\\t";
        else if (byte < 0x20 || byte == 0x7f) {
            static const char digits[] = "0123456789abcdef";
            line += "\\x";
            line += digits[byte >> 4];
            line += digits[byte & 15];
        } else
            line += c;
    }
    return line;
}

} // namespace

int reportError(std::ostream &err, const Status &status)
{
    err << "error: " << oneLine(status.message()) << "\n";
    return exitCodeFor(status);
}

int exitCodeFor(const Status &status)
{
    switch (status.code()) {
    case StatusCode::Internal: return kInternalError;
    case StatusCode::Cancelled: return kCancelled;
    default: return kBadInput;
    }
}

namespace {

Result<std::vector<float>> parseFloats(const std::string &option, const std::string &text)
{
    QS_CLI_ASSIGN_OR_RETURN(const std::vector<std::string> items, splitList(option, text));
    std::vector<float> values;
    for (const auto &item : items) {
        char *end = nullptr;
        const float value = std::strtof(item.c_str(), &end);
        if (end != item.c_str() + item.size())
            return invalidArgument(option + ": '" + item + "' is not a number");
        values.push_back(value);
    }
    if (values.size() != 1 && values.size() != 3)
        return invalidArgument(option + " expects 1 or 3 values, got "
                               + std::to_string(values.size()));
    return values;
}

} // namespace

bool isPreprocessingOption(const std::string &arg)
{
    return arg == "--image-size" || arg == "--pixel-range" || arg == "--mean" || arg == "--std"
           || arg == "--bgr" || arg == "--layout";
}

Result<PreprocessingEdit> parsePreprocessingOption(ArgumentCursor &cursor)
{
    const std::string arg = cursor.current();
    if (arg == "--image-size") {
        QS_CLI_ASSIGN_OR_RETURN(const std::string text, cursor.value());
        const size_t x = text.find('x');
        const auto h = parseNumber<int>(text.substr(0, x));
        const auto w = x == std::string::npos ? std::nullopt : parseNumber<int>(text.substr(x + 1));
        if (!h || !w || *h <= 0 || *w <= 0)
            return invalidArgument("--image-size expects HxW like 640x640, got '" + text + "'");
        return PreprocessingEdit([h = *h, w = *w](quantscope::ImagePreprocessing &p) {
            p.set_height(h);
            p.set_width(w);
        });
    }
    if (arg == "--pixel-range") {
        QS_CLI_ASSIGN_OR_RETURN(const auto range, cursor.choice<quantscope::PixelRange>(
                                                      {{"0-1", quantscope::PIXEL_RANGE_0_1},
                                                       {"0-255", quantscope::PIXEL_RANGE_0_255}}));
        return PreprocessingEdit(
            [range](quantscope::ImagePreprocessing &p) { p.set_pixel_range(range); });
    }
    if (arg == "--mean" || arg == "--std") {
        QS_CLI_ASSIGN_OR_RETURN(const std::string text, cursor.value());
        QS_CLI_ASSIGN_OR_RETURN(const std::vector<float> values, parseFloats(arg, text));
        if (arg == "--std")
            for (const float v : values)
                if (v == 0.0f)
                    return invalidArgument("--std values must be non-zero");
        const bool mean = arg == "--mean";
        return PreprocessingEdit([values, mean](quantscope::ImagePreprocessing &p) {
            auto *field = mean ? p.mutable_mean() : p.mutable_std();
            field->Clear();
            for (const float v : values)
                field->Add(v);
        });
    }
    if (arg == "--bgr")
        return PreprocessingEdit([](quantscope::ImagePreprocessing &p) { p.set_bgr(true); });
    if (arg == "--layout") {
        QS_CLI_ASSIGN_OR_RETURN(const auto layout, cursor.choice<quantscope::TensorLayout>(
                                                       {{"nchw", quantscope::TENSOR_LAYOUT_NCHW},
                                                        {"nhwc", quantscope::TENSOR_LAYOUT_NHWC}}));
        return PreprocessingEdit(
            [layout](quantscope::ImagePreprocessing &p) { p.set_layout(layout); });
    }
    return internalError(arg + " is not an image preprocessing option");
}

} // namespace qs::cli
