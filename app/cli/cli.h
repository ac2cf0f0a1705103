#pragma once
// quantscope-cli: the command-line front end over core. Kept in a library (app/cli, beside ui/
// as the other front end) so tests can call it in-process; app/cli_main.cpp only forwards argv.
//
// Exit codes: 0 success, 2 bad input or usage (one clear line on stderr), 1 internal error,
// 130 cancelled with Ctrl-C (the shell convention for SIGINT).

#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

enum ExitCode { kSuccess = 0, kInternalError = 1, kBadInput = 2, kCancelled = 130 };

int run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace qs::cli
