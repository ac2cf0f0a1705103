#pragma once
// Which nodes to keep in float. From a baseline trial that misses an accuracy target:
//  1. sensitivity: every candidate node kept float alone (leave-one-out), its score and gain
//     over the baseline streamed as soon as measured;
//  2. fallback: forward selection, each round keeping float the node that raises the score most
//     on top of those already kept (re-measured every round), until every accuracy target holds;
//  3. pruning: each kept node quantized again (latest first) and left quantized when the targets
//     still hold, so that no node stays float without need.
// Every step is a trial of the log: the budget and cancellation stop it between trials.
#include "tune/trial_log.h"

#include <vector>

namespace qs {

struct FallbackResult
{
    std::vector<quantscope::NodeSensitivity> sensitivity; // graph order
    std::vector<std::string> keptFloat;                   // the final set, empty when not met
    bool met = false;
};

// Step 3 alone: each of `kept` (latest first) quantized again and left quantized when every
// accuracy target still holds. Returns the nodes still needed.
Result<std::vector<std::string>> pruneFallback(TrialLog &log, const TrialResult &baseline,
                                               std::vector<std::string> kept);

Result<FallbackResult> runFallbackSearch(TrialLog &log, const std::shared_ptr<const Model> &model,
                                         const TrialResult &baseline, bool prune);

} // namespace qs
