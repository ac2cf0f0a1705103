#pragma once
// `quantscope-cli quantize`: INT8 dynamic, INT8 static (QDQ / QOperator) or FP16, every setting a
// recipe field (flags override --recipe), the effective recipe written beside the output.
#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

struct CommandUsage;

// What `quantscope-cli quantize --help` prints; also shown after a usage error.
extern const CommandUsage kQuantizeUsage;

int quantizeCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace qs::cli
