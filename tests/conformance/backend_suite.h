#pragma once
// ONNX's backend node tests (Debian libonnx-testdata) run through the engine: each test folder
// holds model.onnx and test_data_set_*/{input,output}_N.pb; outputs are compared like ONNX's
// backend runner (rtol 1e-3, atol 1e-7 for floats, exact for integers and bools).

#include <string>
#include <vector>

namespace qs::conformance {

inline constexpr const char *kTestDataRoot = "/usr/share/libonnx-testdata/data";

// Unsupported only when the engine refuses the model with an Unsupported status (an op or type
// it does not register); unreadable test data or a missing data set is a failure.
enum class Outcome { Pass, Fail, Unsupported };

struct TestResult
{
    std::string name; // "node/test_conv_with_strides_padding"
    Outcome outcome = Outcome::Fail;
    std::string message; // why it failed or is unsupported
};

// Every test folder under the four suites, sorted.
std::vector<std::string> discoverTests(const std::string &root = kTestDataRoot);

TestResult runBackendTest(const std::string &folder, const std::string &root = kTestDataRoot);

} // namespace qs::conformance
