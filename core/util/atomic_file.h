#pragma once
// Writing a file so that readers see either the old file or the complete new one, never a
// half-written one: write to a temporary file in the same folder, flush, then rename over.

#include "util/status.h"

#include <functional>
#include <ostream>
#include <string>

namespace qs {

// Calls `write` with a stream on a temporary file beside `path`; renames it to `path` only when
// `write` returns Ok and every byte reached the disk. On failure no file is left behind.
Status writeFileAtomically(const std::string &path,
                           const std::function<Status(std::ostream &)> &write);

} // namespace qs
