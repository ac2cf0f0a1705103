#pragma once
// Recipes as protobuf text format (.textproto): readable, diffable, and the same file the CLI's
// --recipe takes and the GUI's Load/Save Recipe writes.

#include "quantscope.pb.h"
#include "util/status.h"

#include <string>

namespace google::protobuf {
class Message;
}

namespace qs {

// Any of our messages from text format; `what` names it in the error ("recipe", "tuning run"),
// with the first parse error's line and column.
Status parseTextMessage(const std::string &text, const std::string &origin, const std::string &what,
                        google::protobuf::Message &message);
Status loadTextMessage(const std::string &path, const std::string &what,
                       google::protobuf::Message &message);

Result<quantscope::Recipe> parseRecipe(const std::string &text, const std::string &origin);
Result<quantscope::Recipe> loadRecipe(const std::string &path);
std::string recipeToText(const quantscope::Recipe &recipe);
Status saveRecipe(const quantscope::Recipe &recipe, const std::string &path);

} // namespace qs
