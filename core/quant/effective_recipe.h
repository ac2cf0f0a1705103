#pragma once
// The recipe a run follows, from the recipe it was given: the options of the chosen mode with
// every default written out (so the recipe saved beside the output reproduces the run), checked
// against the model (node names, op types, type pairs no runtime runs). Options of the modes not
// chosen are dropped before anything is checked: a node name left in the FP16 block list by a
// run on another model must not stop an INT8 run, nor appear in its saved recipe (issue 16).
#include "quantscope.pb.h"
#include "util/status.h"

namespace qs {

class Model;

// The effective recipe, or an error naming the bad field: unknown node names (with the closest
// existing ones), unknown op types, int8 activations with uint8 weights, no mode...
Result<quantscope::Recipe> effectiveRecipe(const quantscope::Recipe &recipe, const Model &model);

// The fields `mode` does not read cleared (format and calibration for FP16, the FP16 options for
// INT8, ...). The exclusion lists, paths and mode stay: every mode reads them.
void keepOnlyModeOptions(quantscope::Recipe &recipe);

} // namespace qs
