#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

// quantscope-cli inspect MODEL [--json] [--nodes] [--ops]
int inspectCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace qs::cli
