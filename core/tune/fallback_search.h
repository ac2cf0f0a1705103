#pragma once
// Which nodes to keep in float. From a baseline trial that misses an accuracy target:
//  1. sensitivity: every candidate node kept float alone (leave-one-out), its score and gain
//     over the baseline streamed as soon as measured;
//  2. fallback: forward selection, each round keeping float the node that raises the score most
//     on top of those already kept (re-measured every round), until every accuracy target holds.
//     With 16-bit fallback (static QDQ), the round's node is first tried with 16-bit activations
//     (A16W8): it stays integer when that recovers most of what float would;
//  3. pruning: each kept node quantized again (latest first) and left quantized when the targets
//     still hold, so that no node stays float without need; a float node that is needed is
//     tried once more in 16 bits.
// Every step is a trial of the log: the budget and cancellation stop it between trials.
#include "tune/trial_log.h"

#include <vector>

namespace qs {

// The nodes taken out of 8-bit quantization, in the order the search took them.
struct FallbackSet
{
    std::vector<std::string> keptFloat;
    std::vector<std::string> sixteenBit; // quantized with 16-bit activations (A16W8)
};

struct FallbackResult
{
    std::vector<quantscope::NodeSensitivity> sensitivity; // graph order
    FallbackSet kept;                                     // the final sets, empty when not met
    bool met = false;
};

// Step 3 alone: each node of `kept` (float ones first, each list latest first) quantized again
// in 8 bits and left so when every accuracy target still holds; with `sixteenBit`, a float node
// that is needed is tried in 16 bits. Returns the nodes still needed.
Result<FallbackSet> pruneFallback(TrialLog &log, const TrialResult &baseline, FallbackSet kept,
                                  bool sixteenBit = false);

struct FallbackOptions
{
    bool prune = true;
    bool sixteenBit = false; // try 16-bit activations before float (static QDQ only)
};

Result<FallbackResult> runFallbackSearch(TrialLog &log, const std::shared_ptr<const Model> &model,
                                         const TrialResult &baseline,
                                         const FallbackOptions &options);

} // namespace qs
