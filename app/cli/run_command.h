#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

struct CommandUsage;

// What `quantscope-cli run --help` prints; also shown after a usage error.
extern const CommandUsage kRunUsage;

// quantscope-cli run MODEL [--input NAME=PATH]... [--random [--seed N]] [--dim SYMBOL=VALUE]...
//   [--shape NAME=D1xD2...]... [--image-size HxW] [--output-dir DIR] [--threads N] [--warmup N]
//   [--iterations N] [--json]
// --random fills the inputs no --input file gives with one sample of random data
// (data/sample_source.h sizes its dynamic dims; symbols in the files' shapes keep their size).
int runCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

// The file name an output is written to: characters outside [A-Za-z0-9_.-] become '_'.
std::string outputFileName(const std::string &valueName);

} // namespace qs::cli
