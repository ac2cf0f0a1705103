#pragma once
// Problems that do not stop the work (checker findings, shape-inference failures, duplicate
// names, later skipped images or clamped values): collected as a list, printed by the CLI and
// shown in the GUI's Diagnostics dock. A diagnostic made from a coded message (util/messages.h)
// keeps the id and arguments beside the English, so that the GUI words it in its own language.

#include "util/messages.h"

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
    Diagnostic() = default;
    // Free text (most findings: a checker's words, a library's error).
    Diagnostic(Severity severity, std::string message, std::string node = {})
        : severity(severity)
        , message(std::move(message))
        , node(std::move(node))
    {}

    Severity severity = Severity::Warning;
    std::string message;
    std::string node; // display name of the node concerned; empty when it is about the model
    Message coded;    // what `message` was worded from; id None for free text
};

inline Diagnostic diagnosticOf(Severity severity, Message coded, std::string node = {})
{
    Diagnostic diagnostic(severity, englishText(coded), std::move(node));
    diagnostic.coded = std::move(coded);
    return diagnostic;
}

} // namespace qs
