#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

struct CommandUsage;

// What `quantscope-cli ops --help` prints; also shown after a usage error.
extern const CommandUsage kOpsUsage;

// quantscope-cli ops [--json]: the op kernels the engine registers.
int opsCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace qs::cli
