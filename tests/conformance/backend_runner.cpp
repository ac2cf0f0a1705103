// Runs ONNX's backend tests through the engine and prints
//   N passed, M failed, K skipped (known failures), U unsupported
// Exit code 0 when every test whose ops the engine registers passes (known failures aside).
// Usage: backend_runner [--verbose] [--list-unsupported] [FILTER...]
#include "conformance/backend_suite.h"
#include "conformance/known_failures.h"

#include <cstring>
#include <iostream>
#include <map>

using namespace qs::conformance;

int main(int argc, char **argv)
{
    bool verbose = false;
    bool listUnsupported = false;
    std::vector<std::string> filters;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--verbose") == 0)
            verbose = true;
        else if (std::strcmp(argv[i], "--list-unsupported") == 0)
            listUnsupported = true;
        else
            filters.emplace_back(argv[i]);
    }
    int passed = 0, failed = 0, skipped = 0, unsupportedCount = 0;
    std::map<std::string, int> unsupportedReasons;
    for (const std::string &test : discoverTests()) {
        if (!filters.empty()) {
            bool match = false;
            for (const auto &filter : filters)
                match |= test.find(filter) != std::string::npos;
            if (!match)
                continue;
        }
        const TestResult result = runBackendTest(test);
        const char *knownReason = knownFailureReason(test);
        switch (result.outcome) {
        case Outcome::Pass:
            ++passed;
            if (verbose)
                std::cout << "PASS        " << test << '\n';
            if (knownReason)
                std::cout << "NOTE        " << test << " passes but is listed as a known failure\n";
            break;
        case Outcome::Fail:
            if (knownReason) {
                ++skipped;
                if (verbose)
                    std::cout << "KNOWN       " << test << ": " << knownReason << '\n';
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
    }
    if (listUnsupported) {
        for (const auto &[reason, count] : unsupportedReasons)
            std::cout << count << "x  " << reason << '\n';
    }
    std::cout << passed << " passed, " << failed << " failed, " << skipped
              << " skipped (known failures), " << unsupportedCount
              << " unsupported (ops or types the engine does not register)\n";
    return failed == 0 ? 0 : 1;
}
