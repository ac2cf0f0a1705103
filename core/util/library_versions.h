#pragma once
// The versions of the libraries Quantscope runs on, as built and as loaded: shown by the GUI's
// About dialog and `quantscope-cli --version`, and what a bug report should quote.

#include <string>
#include <utility>
#include <vector>

namespace qs {

// ("Quantscope", "0.1.0"), ("Qt", ...), ("protobuf", ...), ("ONNX", ...), ("oneDNN", ...),
// ("Eigen", ...): name and version, in that order.
std::vector<std::pair<std::string, std::string>> libraryVersions();

} // namespace qs
