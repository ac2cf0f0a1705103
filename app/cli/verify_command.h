#pragma once
// `quantscope-cli verify`: the export check. The model's outputs against saved expected ones
// (numpy's allclose rule), and with --batch, each sample at batch N against its batch-1 run,
// naming the node that loses the batch. Exit 0 pass, 3 mismatch, 2 bad input.
#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

struct CommandUsage;

// What `quantscope-cli verify --help` prints; also shown after a usage error.
extern const CommandUsage kVerifyUsage;

// An output or a batch size failed the check (the same code as bench's gates).
inline constexpr int kVerifyMismatch = 3;

int verifyCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace qs::cli
