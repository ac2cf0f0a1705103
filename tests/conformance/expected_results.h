#pragma once
// The expected outcome of every ONNX backend test, kept in tests/conformance/
// expected_results.txt so that a change in coverage is a reviewed diff rather than a silent
// move between "passed" and "unsupported". One line per test:
//   node/test_abs pass
//   node/test_cast_BFLOAT16_to_FLOAT known-failure bfloat16 test data stored as uint16
//   node/test_scan_sum unsupported no kernel for Scan
// '#' starts a comment line. The reason is documentation: only the status is compared.

#include "conformance/backend_suite.h"

#include <map>
#include <string>

namespace qs::conformance {

enum class Expected { Pass, KnownFailure, Unsupported };

struct ExpectedResult
{
    Expected status = Expected::Pass;
    std::string reason;
};

using ExpectedResults = std::map<std::string, ExpectedResult>;

// Reads the file; an error message (file missing, line N malformed) in `error` when it fails.
bool readExpectedResults(const std::string &path, ExpectedResults &results, std::string &error);
bool writeExpectedResults(const std::string &path, const ExpectedResults &results,
                          std::string &error);

const char *expectedName(Expected status); // "pass", "known-failure", "unsupported"
// The expected entry that `result` would be recorded as; a failure keeps `previous`'s reason
// when it was already a known failure.
ExpectedResult recordOutcome(const TestResult &result, const ExpectedResult *previous);
// Whether `result` is what `expected` says.
bool matchesExpected(const TestResult &result, const ExpectedResult &expected);

} // namespace qs::conformance
