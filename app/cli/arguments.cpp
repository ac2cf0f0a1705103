#include "cli/arguments.h"

#include "cli/cli.h"

#include <cstdlib>
#include <ostream>
#include <initializer_list>

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

int reportError(std::ostream &err, const Status &status)
{
    err << "error: " << status.message() << "\n";
    return exitCodeFor(status);
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

namespace {

std::vector<float> parseFloats(const std::string &option, const std::string &text)
{
    std::vector<float> values;
    for (const auto &item : splitList(option, text)) {
        char *end = nullptr;
        const float value = std::strtof(item.c_str(), &end);
        if (end != item.c_str() + item.size())
            throw UsageError{option + ": '" + item + "' is not a number"};
        values.push_back(value);
    }
    if (values.size() != 1 && values.size() != 3)
        throw UsageError{option + " expects 1 or 3 values, got " + std::to_string(values.size())};
    return values;
}

} // namespace

std::optional<PreprocessingEdit> parsePreprocessingOption(ArgumentCursor &cursor)
{
    const std::string arg = cursor.current();
    if (arg == "--image-size") {
        const std::string text = cursor.value();
        const size_t x = text.find('x');
        const auto h = parseNumber<int>(text.substr(0, x));
        const auto w = x == std::string::npos ? std::nullopt : parseNumber<int>(text.substr(x + 1));
        if (!h || !w || *h <= 0 || *w <= 0)
            throw UsageError{"--image-size expects HxW like 640x640, got '" + text + "'"};
        return [h = *h, w = *w](quantscope::ImagePreprocessing &p) {
            p.set_height(h);
            p.set_width(w);
        };
    }
    if (arg == "--pixel-range") {
        const auto range = parseChoice<quantscope::PixelRange>(
            arg, cursor.value(),
            {{"0-1", quantscope::PIXEL_RANGE_0_1}, {"0-255", quantscope::PIXEL_RANGE_0_255}});
        return [range](quantscope::ImagePreprocessing &p) { p.set_pixel_range(range); };
    }
    if (arg == "--mean" || arg == "--std") {
        const std::vector<float> values = parseFloats(arg, cursor.value());
        if (arg == "--std")
            for (const float v : values)
                if (v == 0.0f)
                    throw UsageError{"--std values must be non-zero"};
        const bool mean = arg == "--mean";
        return [values, mean](quantscope::ImagePreprocessing &p) {
            auto *field = mean ? p.mutable_mean() : p.mutable_std();
            field->Clear();
            for (const float v : values)
                field->Add(v);
        };
    }
    if (arg == "--bgr")
        return [](quantscope::ImagePreprocessing &p) { p.set_bgr(true); };
    if (arg == "--layout") {
        const auto layout = parseChoice<quantscope::TensorLayout>(
            arg, cursor.value(),
            {{"nchw", quantscope::TENSOR_LAYOUT_NCHW}, {"nhwc", quantscope::TENSOR_LAYOUT_NHWC}});
        return [layout](quantscope::ImagePreprocessing &p) { p.set_layout(layout); };
    }
    return std::nullopt;
}

} // namespace qs::cli
