#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

struct CommandUsage;

// What `quantscope-cli inspect --help` prints; also shown after a usage error.
extern const CommandUsage kInspectUsage;

// quantscope-cli inspect MODEL [--json] [--nodes] [--ops]
int inspectCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace qs::cli
