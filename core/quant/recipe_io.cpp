#include "quant/recipe_io.h"

#include "util/atomic_file.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <fstream>
#include <sstream>

namespace qs {

namespace {

// Collects the first parse error with its position instead of letting protobuf log to stderr.
class FirstErrorCollector : public google::protobuf::io::ErrorCollector
{
public:
    void AddError(int line, google::protobuf::io::ColumnNumber column,
                  const std::string &message) override
    {
        if (m_message.empty())
            m_message = "line " + std::to_string(line + 1) + ", column "
                        + std::to_string(column + 1) + ": " + message;
    }
    const std::string &message() const { return m_message; }

private:
    std::string m_message;
};

} // namespace

Status parseTextMessage(const std::string &text, const std::string &origin, const std::string &what,
                        google::protobuf::Message &message)
{
    FirstErrorCollector errors;
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&errors);
    if (!parser.ParseFromString(text, &message))
        return invalidArgument(origin + ": not a valid " + what + ": " + errors.message());
    return Status::ok();
}

Status loadTextMessage(const std::string &path, const std::string &what,
                       google::protobuf::Message &message)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return notFound(path + ": cannot open " + what);
    std::stringstream text;
    text << in.rdbuf();
    return parseTextMessage(text.str(), path, what, message);
}

Result<quantscope::Recipe> parseRecipe(const std::string &text, const std::string &origin)
{
    quantscope::Recipe recipe;
    QS_RETURN_IF_ERROR(parseTextMessage(text, origin, "recipe", recipe));
    return recipe;
}

Result<quantscope::Recipe> loadRecipe(const std::string &path)
{
    quantscope::Recipe recipe;
    QS_RETURN_IF_ERROR(loadTextMessage(path, "recipe", recipe));
    return recipe;
}

std::string recipeToText(const quantscope::Recipe &recipe)
{
    std::string text;
    google::protobuf::TextFormat::PrintToString(recipe, &text);
    return text;
}

Status saveRecipe(const quantscope::Recipe &recipe, const std::string &path)
{
    const std::string text = recipeToText(recipe);
    return writeFileAtomically(path, [&](std::ostream &out) {
        out << "# Quantscope recipe (protobuf text format, message quantscope.Recipe)\n" << text;
        return Status::ok();
    });
}

} // namespace qs
