#pragma once
// `quantscope-cli tune`: accuracy-aware quantization (core/tune). From quantize's flags as the
// starting recipe, finds the nodes to keep in float and / or the recipe meeting the --target
// list on a held-out --eval-dir; one line per finished trial; writes the best model, its recipe
// and the TuneRun (OUT.tune.textproto). Exit 0 when the targets are met, 3 when not within the
// budget (the best trial still written), 2 on bad input.
#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

struct CommandUsage;

extern const CommandUsage kTuneUsage;

inline constexpr int kTargetsNotMet = 3;

int tuneCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace qs::cli
