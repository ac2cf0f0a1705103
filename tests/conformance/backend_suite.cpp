#include "conformance/backend_suite.h"

#include "model/model.h"
#include "runtime/session.h"
#include "tensor/tensor_io.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace qs::conformance {

namespace fs = std::filesystem;

std::vector<std::string> discoverTests(const std::string &root)
{
    std::vector<std::string> tests;
    for (const char *suite : {"node", "pytorch-converted", "pytorch-operator", "simple"}) {
        const fs::path dir = fs::path(root) / suite;
        if (!fs::is_directory(dir))
            continue;
        for (const auto &entry : fs::directory_iterator(dir)) {
            if (fs::exists(entry.path() / "model.onnx"))
                tests.push_back(std::string(suite) + "/" + entry.path().filename().string());
        }
    }
    std::sort(tests.begin(), tests.end());
    return tests;
}

namespace {

std::vector<fs::path> numberedFiles(const fs::path &dir, const std::string &prefix)
{
    std::vector<fs::path> files;
    for (int i = 0;; ++i) {
        const fs::path file = dir / (prefix + std::to_string(i) + ".pb");
        if (!fs::exists(file))
            break;
        files.push_back(file);
    }
    return files;
}

// Empty when equal, else the first difference.
std::string compareTensors(const Tensor &expected, const Tensor &actual)
{
    if (expected.dtype() != actual.dtype())
        return "dtype " + dtypeName(actual.dtype()) + ", expected " + dtypeName(expected.dtype());
    if (expected.shape() != actual.shape())
        return "shape " + shapeToString(actual.shape()) + ", expected "
               + shapeToString(expected.shape());
    const bool floating = isFloatingDType(expected.dtype());
    int64_t mismatches = 0;
    std::string first;
    for (int64_t i = 0; i < expected.elementCount(); ++i) {
        bool same;
        const double e = floating ? expected.doubleAt(i) : 0.0;
        const double a = floating ? actual.doubleAt(i) : 0.0;
        if (floating) {
            if (std::isnan(e) || std::isnan(a))
                same = std::isnan(e) && std::isnan(a);
            else if (std::isinf(e) || std::isinf(a))
                same = e == a;
            else
                same = std::abs(a - e) <= 1e-7 + 1e-3 * std::abs(e);
        } else {
            same = expected.intAt(i) == actual.intAt(i);
        }
        if (!same && mismatches++ == 0) {
            std::ostringstream out;
            out << "element " << i << " is ";
            if (floating)
                out << a << ", expected " << e;
            else
                out << actual.intAt(i) << ", expected " << expected.intAt(i);
            first = out.str();
        }
    }
    if (mismatches == 0)
        return {};
    return std::to_string(mismatches) + " of " + std::to_string(expected.elementCount())
           + " elements differ; first: " + first;
}

} // namespace

TestResult runBackendTest(const std::string &folder, const std::string &root)
{
    TestResult result;
    result.name = folder;
    const fs::path dir = fs::path(root) / folder;
    auto fail = [&](Outcome outcome, std::string message) {
        result.outcome = outcome;
        result.message = std::move(message);
        return result;
    };
    auto model = Model::load((dir / "model.onnx").string());
    if (!model)
        return fail(model.status().code() == StatusCode::Unsupported ? Outcome::Unsupported
                                                                     : Outcome::Fail,
                    "load: " + model.status().message());
    auto session = Session::create(*model, sessionOptions(1));
    if (!session)
        return fail(session.status().code() == StatusCode::Unsupported ? Outcome::Unsupported
                                                                       : Outcome::Fail,
                    session.status().message());
    std::vector<fs::path> dataSets;
    for (const auto &entry : fs::directory_iterator(dir)) {
        if (entry.is_directory() && entry.path().filename().string().rfind("test_data_set_", 0) == 0)
            dataSets.push_back(entry.path());
    }
    std::sort(dataSets.begin(), dataSets.end());
    if (dataSets.empty())
        return fail(Outcome::Fail, "no test_data_set folder");

    for (const fs::path &dataSet : dataSets) {
        std::map<std::string, Tensor> feeds;
        const auto inputFiles = numberedFiles(dataSet, "input_");
        const auto &declared = (*session)->inputs();
        for (size_t i = 0; i < inputFiles.size(); ++i) {
            auto tensor = readTensorProtoFile(inputFiles[i].string());
            if (!tensor)
                return fail(Outcome::Fail, "input " + inputFiles[i].filename().string() + ": "
                                               + tensor.status().message());
            if (i >= declared.size())
                return fail(Outcome::Fail, "more input files than model inputs");
            feeds[declared[i].name] = std::move(*tensor);
        }
        auto outputs = (*session)->run(feeds);
        if (!outputs)
            return fail(outputs.status().code() == StatusCode::Unsupported ? Outcome::Unsupported
                                                                           : Outcome::Fail,
                        "run: " + outputs.status().message());
        const auto outputFiles = numberedFiles(dataSet, "output_");
        for (size_t i = 0; i < outputFiles.size(); ++i) {
            auto expected = readTensorProtoFile(outputFiles[i].string());
            if (!expected)
                return fail(Outcome::Fail, "output " + outputFiles[i].filename().string() + ": "
                                               + expected.status().message());
            if (i >= outputs->size())
                return fail(Outcome::Fail, "the model produced fewer outputs than expected");
            const std::string difference = compareTensors(*expected, (*outputs)[i].second);
            if (!difference.empty())
                return fail(Outcome::Fail, dataSet.filename().string() + " output '"
                                               + (*outputs)[i].first + "': " + difference);
        }
    }
    result.outcome = Outcome::Pass;
    return result;
}

} // namespace qs::conformance
