#pragma once
// `quantscope-cli bench`: size, latency and accuracy of model variants against a reference,
// optionally per node; reports as text/JSON/CSV; --min-cosine / --min-sqnr / --target gates
// (exit 3), with one verdict line per variant against the targets.
#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

struct CommandUsage;

// What `quantscope-cli bench --help` prints; also shown after a usage error.
extern const CommandUsage kBenchUsage;

inline constexpr int kGateFailed = 3;

int benchCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace qs::cli
