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
    // ONNX 1.12's test data stores these bfloat16 tensors as UINT16 .pb files (the generator
    // had no bfloat16 support), so the declared types and the data disagree; the engine's
    // bfloat16 Cast is covered by tests/runtime/elementwise_test.cpp instead.
    {"node/test_cast_BFLOAT16_to_FLOAT", "bfloat16 test data stored as uint16"},
    {"node/test_cast_FLOAT_to_BFLOAT16", "bfloat16 test data stored as uint16"},
    {"node/test_castlike_BFLOAT16_to_FLOAT", "bfloat16 test data stored as uint16"},
    {"node/test_castlike_BFLOAT16_to_FLOAT_expanded", "bfloat16 test data stored as uint16"},
    {"node/test_castlike_FLOAT_to_BFLOAT16", "bfloat16 test data stored as uint16"},
    {"node/test_castlike_FLOAT_to_BFLOAT16_expanded", "bfloat16 test data stored as uint16"},
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
