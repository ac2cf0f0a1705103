#pragma once
// Backend tests of registered ops that are allowed to fail, each with the reason. Keep it short:
// every entry is a bug or a documented deviation.

#include <cstring>
#include <string>

namespace qs::conformance {

struct KnownFailure
{
    const char *test;
    const char *reason;
};

inline constexpr KnownFailure kKnownFailures[] = {
    {"", ""}, // placeholder row so the table is never empty
};

inline const char *knownFailureReason(const std::string &test)
{
    for (const KnownFailure &entry : kKnownFailures) {
        if (entry.test[0] != '\0' && test == entry.test)
            return entry.reason;
    }
    return nullptr;
}

} // namespace qs::conformance
