#pragma once
// Problems that do not stop the work (checker findings, shape-inference failures, duplicate
// names, later skipped images or clamped values): collected as a list, printed by the CLI and
// shown in the GUI's Diagnostics dock.

#include <string>
#include <string_view>

namespace qs {

enum class Severity { Info, Warning, Error };

inline std::string_view severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    }
    return "unknown";
}

struct Diagnostic
{
    Severity severity = Severity::Warning;
    std::string message;
    std::string node; // display name of the node concerned; empty when it is about the model
};

} // namespace qs
