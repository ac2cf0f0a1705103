#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

// quantscope-cli ops [--json]: the op kernels the engine registers.
int opsCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace qs::cli
