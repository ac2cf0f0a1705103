#include "conformance/expected_results.h"

#include <fstream>
#include <sstream>

namespace qs::conformance {

namespace {

// Reasons stay on one line and short enough to read in a diff.
std::string oneLine(const std::string &text)
{
    std::string line;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        line += c;
    }
    constexpr size_t kMaxReason = 160;
    if (line.size() > kMaxReason)
        line = line.substr(0, kMaxReason - 3) + "...";
    return line;
}

} // namespace

const char *expectedName(Expected status)
{
    switch (status) {
    case Expected::Pass: return "pass";
    case Expected::KnownFailure: return "known-failure";
    case Expected::Unsupported: return "unsupported";
    }
    return "?";
}

bool readExpectedResults(const std::string &path, ExpectedResults &results, std::string &error)
{
    std::ifstream in(path);
    if (!in) {
        error = "cannot read the expected results " + path;
        return false;
    }
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        std::string test, status;
        fields >> test >> status;
        std::string reason;
        std::getline(fields >> std::ws, reason);
        ExpectedResult entry;
        entry.reason = reason;
        if (status == "pass")
            entry.status = Expected::Pass;
        else if (status == "known-failure")
            entry.status = Expected::KnownFailure;
        else if (status == "unsupported")
            entry.status = Expected::Unsupported;
        else {
            error = path + ":" + std::to_string(number) + ": status '" + status
                    + "' is not pass, known-failure or unsupported";
            return false;
        }
        if (entry.status != Expected::Pass && entry.reason.empty()) {
            error = path + ":" + std::to_string(number) + ": " + test + " needs a reason";
            return false;
        }
        if (!results.emplace(test, entry).second) {
            error = path + ":" + std::to_string(number) + ": " + test + " is listed twice";
            return false;
        }
    }
    return true;
}

bool writeExpectedResults(const std::string &path, const ExpectedResults &results,
                          std::string &error)
{
    std::ofstream out(path);
    if (!out) {
        error = "cannot write " + path;
        return false;
    }
    out << "# Expected outcome of each ONNX backend test (libonnx-testdata) in backend_runner:\n"
           "# pass, known-failure <reason> (a bug or documented deviation), or unsupported\n"
           "# <reason> (an op or type the engine does not register). backend_runner fails on\n"
           "# any difference; after reviewing one, regenerate with\n"
           "#   build/bin/backend_runner --write-expected [FILTER...]\n";
    for (const auto &[test, entry] : results) {
        out << test << ' ' << expectedName(entry.status);
        if (entry.status != Expected::Pass)
            out << ' ' << entry.reason;
        out << '\n';
    }
    return true;
}

ExpectedResult recordOutcome(const TestResult &result, const ExpectedResult *previous)
{
    switch (result.outcome) {
    case Outcome::Pass: return {Expected::Pass, {}};
    case Outcome::Unsupported: return {Expected::Unsupported, oneLine(result.message)};
    case Outcome::Fail:
        if (previous && previous->status == Expected::KnownFailure)
            return *previous;
        return {Expected::KnownFailure, oneLine(result.message)};
    }
    return {};
}

bool matchesExpected(const TestResult &result, const ExpectedResult &expected)
{
    switch (result.outcome) {
    case Outcome::Pass: return expected.status == Expected::Pass;
    case Outcome::Fail: return expected.status == Expected::KnownFailure;
    case Outcome::Unsupported: return expected.status == Expected::Unsupported;
    }
    return false;
}

} // namespace qs::conformance
