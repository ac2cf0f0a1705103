#include "compare/verify.h"

#include "compare/batch_culprits.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "runtime/session.h"
#include "tensor/tensor_io.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

namespace qs {

namespace {

Shape unravel(int64_t flat, const Shape &shape)
{
    Shape index(shape.size(), 0);
    for (size_t axis = shape.size(); axis-- > 0;) {
        if (shape[axis] > 0) {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
    }
    return index;
}

bool isComparable(DType type)
{
    return isSupportedDType(type) && type != DType::String;
}

} // namespace

TensorCheck compareTensors(const std::string &name, const Tensor &actual, const Tensor &expected,
                           const Tolerance &tolerance, const std::string &expectedWhat)
{
    TensorCheck check;
    check.name = name;
    check.dtype = actual.dtype();
    check.shape = actual.shape();
    if (actual.dtype() != expected.dtype()) {
        check.problem = "the model gives " + actual.describe() + ", " + expectedWhat + " is "
                        + expected.describe() + " (dtypes differ)";
        return check;
    }
    if (actual.shape() != expected.shape()) {
        check.problem = "the model gives " + actual.describe() + ", " + expectedWhat + " is "
                        + expected.describe() + " (shapes differ)";
        return check;
    }
    if (!isComparable(actual.dtype())) {
        check.problem = dtypeName(actual.dtype()) + " values cannot be compared";
        return check;
    }
    check.elements = actual.elementCount();
    // The worst mismatch is the one furthest beyond its tolerance; a NaN or infinity mismatch
    // has no distance, so it counts as infinitely far and the first one found wins.
    int64_t worstMismatch = -1, worstMatch = -1;
    double worstExcess = -std::numeric_limits<double>::infinity();
    double worstMatchError = -1;
    for (int64_t i = 0; i < check.elements; ++i) {
        const double a = actual.doubleAt(i);
        const double e = expected.doubleAt(i);
        bool close;
        double excess = std::numeric_limits<double>::infinity();
        if (std::isfinite(a) && std::isfinite(e)) {
            const double error = std::abs(a - e);
            check.maxAbsError = std::max(check.maxAbsError, error);
            if (e != 0)
                check.maxRelError = std::max(check.maxRelError, error / std::abs(e));
            const double allowed = tolerance.atol + tolerance.rtol * std::abs(e);
            close = error <= allowed;
            excess = error - allowed;
            if (close && error > worstMatchError) {
                worstMatchError = error;
                worstMatch = i;
            }
        } else {
            // numpy's isclose: NaN never equals anything (equal_nan=False); an infinity equals
            // only itself.
            close = !std::isnan(a) && !std::isnan(e) && a == e;
            if (close && worstMatch < 0)
                worstMatch = i;
        }
        if (close)
            continue;
        ++check.mismatches;
        if (excess > worstExcess) {
            worstExcess = excess;
            worstMismatch = i;
        }
    }
    check.passed = check.mismatches == 0;
    const int64_t worst = worstMismatch >= 0 ? worstMismatch : worstMatch;
    if (worst >= 0) {
        check.worstIndex = unravel(worst, check.shape);
        check.worstActual = actual.doubleAt(worst);
        check.worstExpected = expected.doubleAt(worst);
    }
    return check;
}

bool VerifyReport::outputsPassed() const
{
    return std::all_of(outputs.begin(), outputs.end(), [](const auto &o) { return o.passed; });
}

bool VerifyReport::batchesPassed() const
{
    return std::all_of(batches.begin(), batches.end(), [](const auto &b) { return b.passed; });
}

namespace {

// Row `row` of `tensor` along its first dim, as a tensor with first dim 1.
Tensor takeRow(const Tensor &tensor, int64_t row)
{
    Shape shape = tensor.shape();
    const int64_t rowBytes = tensor.byteSize() / shape[0];
    shape[0] = 1;
    Tensor result = Tensor::allocate(tensor.dtype(), shape);
    std::memcpy(result.mutableRawData(),
                static_cast<const char *>(tensor.rawData()) + row * rowBytes, size_t(rowBytes));
    return result;
}

// The tensors concatenated along `axis` (same dtype and other dims: the outputs of one model for
// inputs that differ only in the batch).
Result<Tensor> stack(const std::vector<const Tensor *> &parts, size_t axis = 0)
{
    const Tensor &first = *parts.front();
    if (size_t(first.rank()) <= axis)
        return invalidArgument("the batch-1 runs give " + first.describe()
                               + ", which has no batch axis " + std::to_string(axis));
    Shape shape = first.shape();
    int64_t total = 0;
    for (const Tensor *part : parts) {
        Shape others = part->shape();
        if (others.size() == shape.size())
            others[axis] = shape[axis];
        if (others != shape || part->dtype() != first.dtype())
            return invalidArgument("the batch-1 runs give " + first.describe() + " and "
                                   + part->describe());
        total += part->dim(int64_t(axis));
    }
    shape[axis] = total;
    int64_t outer = 1, inner = dtypeSize(first.dtype());
    for (size_t d = 0; d < shape.size(); ++d) {
        if (d < axis)
            outer *= shape[d];
        else if (d > axis)
            inner *= shape[d];
    }
    Tensor result = Tensor::allocate(first.dtype(), shape);
    char *out = static_cast<char *>(result.mutableRawData());
    for (int64_t o = 0; o < outer; ++o) {
        for (const Tensor *part : parts) {
            const int64_t bytes = part->dim(int64_t(axis)) * inner;
            std::memcpy(out, static_cast<const char *>(part->rawData()) + o * bytes, size_t(bytes));
            out += bytes;
        }
    }
    return result;
}

// The axis of output `output` that holds the batch: the one its declared type names with the
// batch symbol of the inputs (a sequence-first RNN writes [seq, batch, hidden]), else the first.
size_t batchAxisOf(const Session &session, size_t output)
{
    std::vector<std::string> symbols;
    for (const auto &input : session.inputs())
        if (input.type.hasShape && !input.type.dims.empty() && !input.type.dims[0].symbol.empty())
            symbols.push_back(input.type.dims[0].symbol);
    const TensorType &type = session.outputs()[output].type;
    for (size_t axis = 0; axis < type.dims.size(); ++axis)
        if (std::find(symbols.begin(), symbols.end(), type.dims[axis].symbol) != symbols.end())
            return axis;
    return 0;
}

// The inputs the batch goes into: those whose first dim is symbolic or unknown.
std::vector<std::string> batchedInputNames(const Session &session)
{
    std::vector<std::string> names;
    for (const auto &input : session.inputs())
        if (input.type.hasShape && !input.type.dims.empty() && !input.type.dims[0].isKnown())
            names.push_back(input.name);
    return names;
}

std::string notApplicableReason(const Session &session)
{
    std::string declared;
    for (const auto &input : session.inputs())
        declared += (declared.empty() ? "" : ", ") + input.name + ": "
                    + dtypeName(DType(input.type.elementType)) + input.type.shapeString();
    return "no input has a symbolic first dim (" + declared + ")";
}

// Builds the batch check's inputs: sample i of a batch is row i % B of each batched input given
// with batch B (a batch-1 sample is repeated), so sample i of any batch is the same data.
class BatchInputs
{
public:
    BatchInputs(const std::map<std::string, Tensor> &given, std::vector<std::string> batched)
        : m_given(given)
        , m_batched(std::move(batched))
    {
        for (const std::string &name : m_batched)
            m_samples = std::max(m_samples, m_given.at(name).dim(0));
    }
    // Distinct samples: the largest batch among the given inputs.
    int64_t samples() const { return m_samples; }
    Status check() const
    {
        for (const std::string &name : m_batched)
            if (m_given.at(name).dim(0) < 1)
                return invalidArgument("input '" + name + "' has an empty batch ("
                                       + m_given.at(name).describe() + ")");
        return Status::ok();
    }
    // Sample `sample` alone, at batch 1.
    std::map<std::string, Tensor> single(int64_t sample) const
    {
        std::map<std::string, Tensor> inputs = m_given;
        for (const std::string &name : m_batched)
            inputs[name] = takeRow(m_given.at(name), sample % m_given.at(name).dim(0));
        return inputs;
    }
    // Samples 0 .. batch-1 (sample i is i % samples()), at batch `batch`.
    std::map<std::string, Tensor> batchOf(int64_t batch) const
    {
        std::map<std::string, Tensor> inputs = m_given;
        for (const std::string &name : m_batched) {
            std::vector<Tensor> rows;
            for (int64_t i = 0; i < batch; ++i)
                rows.push_back(takeRow(m_given.at(name), (i % m_samples) % m_given.at(name).dim(0)));
            std::vector<const Tensor *> parts;
            for (const Tensor &row : rows)
                parts.push_back(&row);
            // Rows of one tensor always stack.
            Result<Tensor> stacked = stack(parts);
            assert(stacked.isOk());
            inputs[name] = std::move(stacked).value();
        }
        return inputs;
    }

private:
    const std::map<std::string, Tensor> &m_given;
    std::vector<std::string> m_batched;
    int64_t m_samples = 1;
};

// Checks one batch size: the batch-N run against the batch-1 runs of its samples (`single`,
// filled on first use and shared between batch sizes).
Result<BatchCheck> checkBatch(const VerifyRequest &request, const Session &session,
                              const BatchInputs &inputs, int64_t batch,
                              std::vector<NamedTensors> &single, Progress &progress)
{
    BatchCheck check;
    check.batch = batch;
    RunOptions options;
    options.progress = &progress;
    for (int64_t s = int64_t(single.size()); s < std::min(batch, inputs.samples()); ++s) {
        auto outputs = session.run(inputs.single(s), options);
        if (!outputs)
            return outputs.status().withContext("sample " + std::to_string(s) + " at batch 1");
        single.push_back(std::move(outputs).value());
    }
    const std::map<std::string, Tensor> batchInputs = inputs.batchOf(batch);
    auto outputs = session.run(batchInputs, options);
    if (!outputs) {
        if (outputs.status().code() == StatusCode::Cancelled)
            return outputs.status();
        check.engineError = outputs.status().message();
    } else {
        for (size_t k = 0; k < outputs->size(); ++k) {
            const auto &[name, actual] = (*outputs)[k];
            // A scalar output (a loss, a count) has no per-sample value to compare.
            if (actual.rank() == 0 && single[0][k].second.rank() == 0)
                continue;
            std::vector<const Tensor *> parts;
            for (int64_t i = 0; i < batch; ++i)
                parts.push_back(&single[size_t(i % inputs.samples())][k].second);
            auto expected = stack(parts, batchAxisOf(session, k));
            if (!expected) {
                TensorCheck failed;
                failed.name = name;
                failed.dtype = actual.dtype();
                failed.shape = actual.shape();
                failed.problem = expected.status().message();
                check.outputs.push_back(std::move(failed));
                continue;
            }
            check.outputs.push_back(compareTensors(name, actual, *expected, request.tolerance,
                                                   "the stack of its batch-1 runs"));
        }
    }
    check.passed = check.engineError.empty()
                   && std::all_of(check.outputs.begin(), check.outputs.end(),
                                  [](const TensorCheck &o) { return o.passed; });
    if (!check.passed) {
        progress.reportStep(0, 1, makeMessage(MessageId::StepBatchCulprit));
        auto culprits = findBatchCulprits(request.model, inputs.single(0), batchInputs, batch,
                                          request.threads, progress);
        if (!culprits)
            return culprits.status();
        check.culprits = std::move(culprits).value();
    }
    return check;
}

Status checkRequest(const VerifyRequest &request, const Session &session)
{
    if (!(request.tolerance.rtol >= 0) || !(request.tolerance.atol >= 0))
        return invalidArgument("rtol and atol must be non-negative numbers");
    for (const int64_t batch : request.batches)
        if (batch < 1)
            return invalidArgument("batch size " + std::to_string(batch) + " is not >= 1");
    std::string outputNames;
    for (const auto &output : session.outputs())
        outputNames += (outputNames.empty() ? "" : ", ") + output.name;
    for (const auto &[name, tensor] : request.expected) {
        const bool known
            = std::any_of(session.outputs().begin(), session.outputs().end(),
                          [&wanted = name](const auto &output) { return output.name == wanted; });
        if (!known)
            return notFound("expected value '" + name
                            + "' is not an output of the model (outputs: " + outputNames + ")");
    }
    return Status::ok();
}

} // namespace

std::string npyFileName(const std::string &valueName)
{
    std::string file = valueName;
    for (char &c : file) {
        const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                          || c == '_' || c == '.' || c == '-';
        if (!safe)
            c = '_';
    }
    // "." and ".." would name directories, not files.
    if (file.find_first_not_of('.') == std::string::npos)
        file = std::string(file.size(), '_');
    return file + ".npy";
}

Result<VerifyRequest> requestFromFolder(std::shared_ptr<const Model> model,
                                        const std::string &folder)
{
    VerifyRequest request;
    const auto path = [&](const std::string &value) {
        return (std::filesystem::path(folder) / npyFileName(value)).string();
    };
    std::error_code error;
    for (const ValueRef &input : model->index().mainGraph().inputs) {
        const std::string file = path(input.name);
        if (!std::filesystem::exists(file, error))
            return notFound(folder + ": no " + npyFileName(input.name) + " for input '" + input.name
                            + "'");
        auto tensor = readNpyFile(file);
        if (!tensor)
            return tensor.status().withContext("input '" + input.name + "'");
        request.inputs[input.name] = std::move(tensor).value();
    }
    for (const ValueRef &output : model->index().mainGraph().outputs) {
        const std::string file = path(output.name);
        if (!std::filesystem::exists(file, error))
            continue;
        auto tensor = readNpyFile(file);
        if (!tensor)
            return tensor.status().withContext("expected output '" + output.name + "'");
        request.expected[output.name] = std::move(tensor).value();
    }
    if (request.expected.empty())
        return notFound(folder + ": no saved output (<output>.npy) of the model");
    request.model = std::move(model);
    return request;
}

Result<VerifyReport> verifyModel(const VerifyRequest &request, Progress &progress)
{
    if (!request.model)
        return internalError("verifyModel: no model");
    auto session = Session::create(request.model, sessionOptions(request.threads), progress);
    if (!session)
        return session.status();
    QS_RETURN_IF_ERROR(checkRequest(request, **session));

    VerifyReport report;
    report.tolerance = request.tolerance;
    const int64_t steps = 1 + int64_t(request.batches.size());
    progress.reportStep(0, steps, makeMessage(MessageId::StepRunningModel));
    RunOptions options;
    options.progress = &progress;
    auto outputs = (*session)->run(request.inputs, options);
    if (!outputs)
        return outputs.status();
    for (const auto &[name, actual] : *outputs) {
        const auto expected = request.expected.find(name);
        if (expected == request.expected.end())
            report.unchecked.push_back(name);
        else
            report.outputs.push_back(
                compareTensors(name, actual, expected->second, request.tolerance));
    }
    if (request.batches.empty())
        return report;

    std::vector<std::string> batched = batchedInputNames(**session);
    if (batched.empty()) {
        report.batchNotApplicable = notApplicableReason(**session);
        return report;
    }
    const BatchInputs batchInputs(request.inputs, std::move(batched));
    QS_RETURN_IF_ERROR(batchInputs.check());
    std::vector<NamedTensors> single;
    for (size_t b = 0; b < request.batches.size(); ++b) {
        progress.reportStep(int64_t(b) + 1, steps,
                            makeMessage(MessageId::StepBatch, {std::to_string(request.batches[b])}));
        auto check = checkBatch(request, **session, batchInputs, request.batches[b], single,
                                progress);
        if (!check)
            return check.status();
        report.batches.push_back(std::move(check).value());
    }
    progress.reportStep(steps, steps, makeMessage(MessageId::StepDone));
    return report;
}

} // namespace qs
