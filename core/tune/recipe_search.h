#pragma once
// Recipe search: the points of a small grid around the starting recipe, nearest first (one
// setting changed, then two...), each a timed trial. Static mode: calibration method (MinMax,
// Percentile 99.9 / 99.99 / 99.999, Entropy) x per-channel x symmetric activations x op-type set
// (the start's, weighted ops only); dynamic mode: per-channel x op-type set. Ranges come from the
// shared calibration statistics, so the grid costs no calibration.
#include "tune/trial_log.h"

#include <vector>

namespace qs {

// The grid, the starting recipe first, then by distance from it.
std::vector<quantscope::Recipe> recipeGrid(const quantscope::Recipe &start);

// Runs the grid after its first point (the baseline ran already) until the budget stops it. A
// recipe that cannot be quantized is skipped with a diagnostic.
Status runRecipeSearch(TrialLog &log, const std::vector<quantscope::Recipe> &grid,
                       std::vector<Diagnostic> &diagnostics);

} // namespace qs
