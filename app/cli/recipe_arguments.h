#pragma once
// The recipe flags `quantize` takes (mode, format, types, per-channel, calibration, image
// preprocessing, node and op-type lists, FP16 options), parsed once for every command that starts
// from a recipe: quantize, and tune (its starting recipe).
#include "cli/arguments.h"
#include "quantscope.pb.h"

#include <functional>
#include <string>
#include <vector>

namespace qs::cli {

using RecipeEdit = std::function<void(quantscope::Recipe &)>;

// With the cursor on an argument: when it is a recipe flag, consumes its value, appends its edit
// and returns true; false (nothing consumed) for any other argument.
Result<bool> parseRecipeOption(ArgumentCursor &cursor, std::vector<RecipeEdit> &edits);

// The --recipe file (none: an empty recipe) with the flags' edits applied in order.
Result<quantscope::Recipe> buildRecipe(const std::string &recipePath,
                                       const std::vector<RecipeEdit> &edits);

} // namespace qs::cli
