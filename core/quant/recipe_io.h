#pragma once
// Recipes as protobuf text format (.textproto): readable, diffable, and the same file the CLI's
// --recipe takes and the GUI's Load/Save Recipe writes.

#include "quantscope.pb.h"
#include "util/status.h"

#include <string>

namespace qs {

Result<quantscope::Recipe> parseRecipe(const std::string &text, const std::string &origin);
Result<quantscope::Recipe> loadRecipe(const std::string &path);
std::string recipeToText(const quantscope::Recipe &recipe);
Status saveRecipe(const quantscope::Recipe &recipe, const std::string &path);

} // namespace qs
