// Runs ONNX's backend tests through the engine and compares each outcome with
// tests/conformance/expected_results.txt (expected_results.h). Prints
//   N passed, M failed, K known failures, U unsupported
// and exits non-zero on any difference from the file: a test that passed and now fails or is
// unsupported, a test that now passes but is listed otherwise, a test missing from the file or
// from the test data. --write-expected records the outcomes instead (all tests, or those that
// match the filters) for review in the diff.
// Usage: backend_runner [--verbose] [--list-unsupported] [--write-expected] [--expected FILE]
//                       [--data DIR] [FILTER...]
#include "conformance/backend_suite.h"
#include "conformance/expected_results.h"

#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

using namespace qs::conformance;

namespace {

bool matchesFilters(const std::string &test, const std::vector<std::string> &filters)
{
    if (filters.empty())
        return true;
    for (const auto &filter : filters) {
        if (test.find(filter) != std::string::npos)
            return true;
    }
    return false;
}

const char *outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Pass: return "passes";
    case Outcome::Fail: return "fails";
    case Outcome::Unsupported: return "is unsupported";
    }
    return "?";
}

} // namespace

int main(int argc, char **argv)
{
    bool verbose = false, listUnsupported = false, writeExpected = false;
    std::string expectedPath = QS_EXPECTED_RESULTS_FILE;
    std::string dataRoot = kTestDataRoot;
    std::vector<std::string> filters;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--verbose") == 0)
            verbose = true;
        else if (std::strcmp(argv[i], "--list-unsupported") == 0)
            listUnsupported = true;
        else if (std::strcmp(argv[i], "--write-expected") == 0)
            writeExpected = true;
        else if (std::strcmp(argv[i], "--expected") == 0 && i + 1 < argc)
            expectedPath = argv[++i];
        else if (std::strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            dataRoot = argv[++i];
        else
            filters.emplace_back(argv[i]);
    }
    if (!std::filesystem::is_directory(dataRoot)) {
        std::cerr << "backend_runner: the ONNX backend test data " << dataRoot
                  << " is missing (Debian package libonnx-testdata)\n";
        return 1;
    }
    ExpectedResults expected;
    std::string error;
    if (!readExpectedResults(expectedPath, expected, error) && !writeExpected) {
        std::cerr << "backend_runner: " << error << '\n';
        return 1;
    }

    int passed = 0, failed = 0, known = 0, unsupportedCount = 0;
    std::map<std::string, int> unsupportedReasons;
    std::vector<std::string> differences;
    std::set<std::string> seen;
    for (const std::string &test : discoverTests(dataRoot)) {
        if (!matchesFilters(test, filters))
            continue;
        seen.insert(test);
        const TestResult result = runBackendTest(test, dataRoot);
        const auto listed = expected.find(test);
        const ExpectedResult *entry = listed == expected.end() ? nullptr : &listed->second;
        const bool asExpected = entry && matchesExpected(result, *entry);
        switch (result.outcome) {
        case Outcome::Pass:
            ++passed;
            if (verbose)
                std::cout << "PASS        " << test << '\n';
            break;
        case Outcome::Fail:
            if (asExpected) {
                ++known;
                if (verbose)
                    std::cout << "KNOWN       " << test << ": " << entry->reason << '\n';
            } else {
                ++failed;
                std::cout << "FAIL        " << test << ": " << result.message << '\n';
            }
            break;
        case Outcome::Unsupported:
            ++unsupportedCount;
            unsupportedReasons[result.message.substr(0, 160)] += 1;
            if (verbose)
                std::cout << "UNSUPPORTED " << test << ": " << result.message << '\n';
            break;
        }
        if (writeExpected) {
            const ExpectedResult recorded = recordOutcome(result, entry);
            if (result.outcome == Outcome::Fail && !asExpected)
                std::cout << "NEW KNOWN FAILURE " << test << " (review its reason)\n";
            expected[test] = recorded;
        } else if (!asExpected) {
            differences.push_back(test + ": " + outcomeName(result.outcome) + ", expected "
                                  + (entry ? expectedName(entry->status) : "(not listed)")
                                  + (result.message.empty() ? "" : " — " + result.message));
        }
    }
    // Listed tests that the data no longer has.
    for (auto it = expected.begin(); it != expected.end();) {
        if (matchesFilters(it->first, filters) && !seen.count(it->first)) {
            if (writeExpected) {
                it = expected.erase(it);
                continue;
            }
            differences.push_back(it->first + ": listed in the expected results but not found in "
                                  + dataRoot);
        }
        ++it;
    }

    if (listUnsupported) {
        for (const auto &[reason, count] : unsupportedReasons)
            std::cout << count << "x  " << reason << '\n';
    }
    std::cout << passed << " passed, " << failed << " failed, " << known << " known failures, "
              << unsupportedCount << " unsupported (ops or types the engine does not register)\n";
    if (writeExpected) {
        if (!writeExpectedResults(expectedPath, expected, error)) {
            std::cerr << "backend_runner: " << error << '\n';
            return 1;
        }
        std::cout << "wrote " << expectedPath << '\n';
        return 0;
    }
    if (!differences.empty()) {
        std::cout << '\n' << differences.size() << " test(s) differ from " << expectedPath << ":\n";
        for (const std::string &line : differences)
            std::cout << "  " << line << '\n';
        std::cout << "If the change is intended (a new kernel, a fixed bug), review it and run\n"
                     "  backend_runner --write-expected [FILTER...]\n"
                     "to update the file; a failure it records needs a reason a reader accepts.\n";
        return 1;
    }
    if (seen.empty()) {
        std::cout << "no test matched\n";
        return 1;
    }
    return 0;
}
