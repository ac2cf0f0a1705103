#pragma once
// Runs a helper program (compare/external_runtime.h's ONNX Runtime runner) and collects what it
// prints. POSIX only, no Qt: core stays usable from the CLI. The child gets its own process group
// so that a timeout or a cancel ends it and anything it started.

#include "util/progress.h"
#include "util/status.h"

#include <chrono>
#include <string>
#include <vector>

namespace qs {

struct ProcessOutput
{
    int exitCode = -1; // the exit status, or -1 when a signal ended it
    std::string out;
    std::string err;
};

// Runs `argv` (argv[0] looked up on PATH) with stdin from /dev/null. A timeout or
// progress.cancelled() kills it and returns an error (Cancelled for a cancel); a non-zero exit
// is not an error here: the caller reads the output to say what went wrong.
Result<ProcessOutput> runProcess(const std::vector<std::string> &argv,
                                 std::chrono::milliseconds timeout, Progress &progress);

} // namespace qs
