#include "conformance/backend_suite.h"

#include "model/model.h"
#include "runtime/session.h"
#include "tensor/tensor_io.h"

#include <onnx/onnx-data_pb.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
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

// Empty when equal, else the first difference; sequences and optionals compare item by item.
std::string compareValues(const Value &expected, const Value &actual)
{
    if (expected.kind() != actual.kind())
        return "a " + actual.describe() + ", expected a " + expected.describe();
    switch (expected.kind()) {
    case Value::Kind::Tensor: return compareTensors(expected.tensor(), actual.tensor());
    case Value::Kind::Sequence: {
        if (expected.items().size() != actual.items().size())
            return actual.describe() + ", expected " + expected.describe();
        for (size_t i = 0; i < expected.items().size(); ++i) {
            std::string difference = compareTensors(expected.items()[i], actual.items()[i]);
            if (!difference.empty())
                return "item " + std::to_string(i) + ": " + difference;
        }
        return {};
    }
    case Value::Kind::Optional:
        if (expected.hasElement() != actual.hasElement())
            return actual.describe() + ", expected " + expected.describe();
        return expected.hasElement() ? compareValues(expected.element(), actual.element())
                                     : std::string();
    }
    return {};
}

Result<Tensor> ownedTensor(const onnx::TensorProto &proto)
{
    Result<Tensor> tensor = tensorFromProto(proto);
    if (!tensor)
        return tensor;
    return tensor->clone(); // it may view the proto's bytes
}

Result<Value> sequenceFromProto(const onnx::SequenceProto &proto, const onnx::TypeProto &type)
{
    if (proto.elem_type() != onnx::SequenceProto::TENSOR
        && proto.elem_type() != onnx::SequenceProto::UNDEFINED)
        return unsupported("sequences of non-tensors");
    DType elementType = DType::Undefined;
    if (type.sequence_type().elem_type().has_tensor_type())
        elementType = static_cast<DType>(type.sequence_type().elem_type().tensor_type().elem_type());
    std::vector<Tensor> items;
    for (const auto &item : proto.tensor_values()) {
        Result<Tensor> tensor = ownedTensor(item);
        if (!tensor)
            return tensor.status();
        items.push_back(std::move(*tensor));
    }
    if (elementType == DType::Undefined && !items.empty())
        elementType = items.front().dtype();
    return Value::sequence(elementType, std::move(items));
}

// A test_data_set file holding a TensorProto, a SequenceProto or an OptionalProto, as `type`
// (the model's declared input or output type) says.
Result<Value> readValueFile(const fs::path &file, const onnx::TypeProto *type)
{
    if (!type || type->value_case() == onnx::TypeProto::kTensorType
        || type->value_case() == onnx::TypeProto::VALUE_NOT_SET) {
        Result<Tensor> tensor = readTensorProtoFile(file.string());
        if (!tensor)
            return tensor.status();
        return Value(std::move(*tensor));
    }
    std::ifstream in(file, std::ios::binary);
    if (type->value_case() == onnx::TypeProto::kSequenceType) {
        onnx::SequenceProto proto;
        if (!proto.ParseFromIstream(&in))
            return invalidArgument(file.string() + ": not a SequenceProto");
        return sequenceFromProto(proto, *type);
    }
    if (type->value_case() == onnx::TypeProto::kOptionalType) {
        onnx::OptionalProto proto;
        if (!proto.ParseFromIstream(&in))
            return invalidArgument(file.string() + ": not an OptionalProto");
        const onnx::TypeProto &elementType = type->optional_type().elem_type();
        const bool ofSequence = elementType.has_sequence_type();
        if (proto.has_tensor_value()) {
            Result<Tensor> tensor = ownedTensor(proto.tensor_value());
            if (!tensor)
                return tensor.status();
            return Value::optional(std::move(*tensor));
        }
        if (proto.has_sequence_value()) {
            Result<Value> sequence = sequenceFromProto(proto.sequence_value(), elementType);
            if (!sequence)
                return sequence;
            return Value::optional(std::move(*sequence));
        }
        return Value::noneOptional(ofSequence ? Value::Kind::Sequence : Value::Kind::Tensor);
    }
    return unsupported(file.string() + ": maps and sparse tensors are not read");
}

const onnx::TypeProto *declaredType(
    const google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> &values, const std::string &name)
{
    for (const auto &value : values) {
        if (value.name() == name)
            return &value.type();
    }
    return nullptr;
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
        std::map<std::string, Value> feeds;
        const auto inputFiles = numberedFiles(dataSet, "input_");
        const auto &declared = (*session)->inputs();
        const onnx::GraphProto &graph = (*model)->proto().graph();
        for (size_t i = 0; i < inputFiles.size(); ++i) {
            if (i >= declared.size())
                return fail(Outcome::Fail, "more input files than model inputs");
            auto value = readValueFile(inputFiles[i], declaredType(graph.input(), declared[i].name));
            if (!value)
                return fail(Outcome::Fail, "input " + inputFiles[i].filename().string() + ": "
                                               + value.status().message());
            feeds[declared[i].name] = std::move(*value);
        }
        auto outputs = (*session)->runValues(feeds);
        if (!outputs)
            return fail(outputs.status().code() == StatusCode::Unsupported ? Outcome::Unsupported
                                                                           : Outcome::Fail,
                        "run: " + outputs.status().message());
        const auto outputFiles = numberedFiles(dataSet, "output_");
        for (size_t i = 0; i < outputFiles.size(); ++i) {
            if (i >= outputs->size())
                return fail(Outcome::Fail, "the model produced fewer outputs than expected");
            auto expected = readValueFile(outputFiles[i],
                                          declaredType(graph.output(), (*outputs)[i].first));
            if (!expected)
                return fail(Outcome::Fail, "output " + outputFiles[i].filename().string() + ": "
                                               + expected.status().message());
            const std::string difference = compareValues(*expected, (*outputs)[i].second);
            if (!difference.empty())
                return fail(Outcome::Fail, dataSet.filename().string() + " output '"
                                               + (*outputs)[i].first + "': " + difference);
        }
    }
    result.outcome = Outcome::Pass;
    return result;
}

} // namespace qs::conformance
