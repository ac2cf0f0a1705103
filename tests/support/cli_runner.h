#pragma once
// Runs quantscope-cli in-process and captures what it prints.
#include "cli/cli.h"

#include <sstream>
#include <string>
#include <vector>

namespace qs::test {

struct Outcome
{
    int exitCode;
    std::string out;
    std::string err;
};

inline Outcome runCli(const std::vector<std::string> &args)
{
    std::ostringstream out, err;
    const int code = cli::run(args, out, err);
    return {code, out.str(), err.str()};
}

} // namespace qs::test
