#include "runtime/session.h"

#include "graph/graph.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "runtime/float16_lowering.h"
#include "tensor/tensor_memory.h"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <map>
#include <new>

namespace qs {

namespace {

// "Unsupported ops: GridSample (nodes 'g1', 'g2'), Foo v19 (node 'f')": every op type once,
// with the nodes that use it, so the user sees the whole list at once.
std::string describeUnsupported(const std::vector<UnsupportedNode> &nodes)
{
    // (op, reason) -> node names; the reason is empty when there is no kernel for the op at all.
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> byOp;
    for (const UnsupportedNode &node : nodes) {
        std::string op = (node.domain.empty() ? "" : node.domain + ":") + node.opType + " (opset "
                         + std::to_string(node.opsetVersion) + ")";
        byOp[{op, node.reason}].push_back(node.nodeName);
    }
    std::string message = "the engine does not support " + std::to_string(byOp.size())
                          + (byOp.size() == 1 ? " op type" : " op types") + " used by this model: ";
    bool first = true;
    for (const auto &[key, names] : byOp) {
        const auto &[op, reason] = key;
        message += (first ? "" : "; ") + op + " in node" + (names.size() > 1 ? "s " : " ");
        for (size_t i = 0; i < names.size() && i < 5; ++i)
            message += (i ? ", '" : "'") + names[i] + "'";
        if (names.size() > 5)
            message += " and " + std::to_string(names.size() - 5) + " more";
        if (!reason.empty())
            message += " (" + reason + ")";
        first = false;
    }
    return message;
}

std::string declaredShape(const TensorType &type)
{
    return type.shapeString();
}

// The float32 copy of a float16 model that the session compiles instead of it.
Result<std::shared_ptr<const Model>> lowerFloat16Model(const std::shared_ptr<const Model> &model)
{
    Result<onnx::ModelProto> lowered = lowerFloat16ToFloat32(model->proto(), model);
    if (!lowered)
        return lowered.status().withContext("running the float16 model in float32");
    Result<std::shared_ptr<const Model>> loaded = Model::fromProto(std::move(*lowered),
                                                                   model->baseDir());
    if (!loaded)
        return loaded.status().withContext("running the float16 model in float32");
    return loaded;
}

// The program's values with the types `declared` gives them, matched by name (lowering renames
// nothing, it only changes types).
std::vector<GraphProgram::Value> withDeclaredTypes(std::vector<GraphProgram::Value> values,
                                                   const std::vector<ValueRef> &declared)
{
    for (GraphProgram::Value &value : values) {
        auto it = std::find_if(declared.begin(), declared.end(),
                               [&](const ValueRef &ref) { return ref.name == value.name; });
        if (it != declared.end())
            value.type = it->type;
    }
    return values;
}

} // namespace

Session::~Session()
{
    trimTensorMemory();
}

Result<std::shared_ptr<const Session>> Session::create(std::shared_ptr<const Model> model,
                                                       SessionOptions options, Progress &progress)
{
    if (!model)
        return invalidArgument("no model to run");
    progress.reportStep(0, 1, makeMessage(MessageId::StepPreparingSession));
    std::shared_ptr<Session> session(new Session());
    session->m_model = model;
    session->m_options = options;
    session->m_threads = options.threads > 0 ? options.threads : omp_get_num_procs();
    std::vector<UnsupportedNode> unsupportedNodes;
    CompileOptions compileOptions;
    compileOptions.fuse = options.fuse;
    try {
        std::shared_ptr<const Model> compiled = model;
        if (options.float16InFloat32 && usesFloat16(model->proto())) {
            Result<std::shared_ptr<const Model>> lowered = lowerFloat16Model(model);
            if (!lowered)
                return lowered.status();
            compiled = std::move(*lowered);
            session->m_float16Lowered = true;
        }
        Result<std::unique_ptr<Graph>> graph = Graph::fromModel(compiled);
        if (!graph)
            return graph.status();
        Result<std::shared_ptr<const GraphProgram>> program
            = GraphProgram::compile(**graph, compileOptions, unsupportedNodes);
        if (!unsupportedNodes.empty())
            return unsupported(describeUnsupported(unsupportedNodes));
        if (!program)
            return program.status();
        session->m_program = std::move(*program);
        const GraphInfo &declared = model->index().mainGraph();
        session->m_inputs = withDeclaredTypes(session->m_program->inputs(), declared.inputs);
        session->m_outputs = withDeclaredTypes(session->m_program->outputs(), declared.outputs);
    } catch (const AllocationError &error) {
        return invalidArgument("preparing the model: " + error.message());
    } catch (const std::bad_alloc &) {
        return internalError("out of memory while preparing the model");
    } catch (const std::exception &e) {
        return internalError(std::string("preparing the model failed: ") + e.what());
    }
    progress.reportStep(1, 1, makeMessage(MessageId::StepPreparingSession));
    return std::shared_ptr<const Session>(std::move(session));
}

Shape Session::concreteInputShape(size_t index) const
{
    const TensorType &type = inputs()[index].type;
    Shape shape;
    for (const Dim &dim : type.dims) {
        if (dim.isKnown()) {
            shape.push_back(dim.value);
            continue;
        }
        auto it = m_options.dimValues.find(dim.symbol);
        shape.push_back(it == m_options.dimValues.end() ? -1 : it->second);
    }
    return shape;
}

Status Session::checkInput(const GraphProgram::Value &declared, const qs::Value &value) const
{
    const std::string what = "input '" + declared.name + "'";
    // TensorType describes tensors only; a sequence or an optional is checked by its consumers.
    if (!value.isTensor())
        return Status::ok();
    const Tensor &actual = value.tensor();
    const DType expectedType = static_cast<DType>(declared.type.elementType);
    if (declared.type.elementType != 0 && actual.dtype() != expectedType) {
        return invalidArgument(what + " must be " + dtypeName(expectedType)
                               + declaredShape(declared.type) + " but is " + actual.describe());
    }
    if (!declared.type.hasShape)
        return Status::ok();
    if (static_cast<size_t>(actual.rank()) != declared.type.dims.size()) {
        return invalidArgument(what + " must have rank " + std::to_string(declared.type.dims.size())
                               + " (" + declaredShape(declared.type) + ") but is "
                               + actual.describe());
    }
    for (size_t d = 0; d < declared.type.dims.size(); ++d) {
        const Dim &dim = declared.type.dims[d];
        int64_t expected = dim.value;
        if (!dim.isKnown() && !dim.symbol.empty()) {
            auto it = m_options.dimValues.find(dim.symbol);
            expected = it == m_options.dimValues.end() ? -1 : it->second;
        }
        if (expected >= 0 && actual.dim(static_cast<int64_t>(d)) != expected) {
            return invalidArgument(what + " must have shape " + declaredShape(declared.type)
                                   + " but is " + actual.describe() + " (dim " + std::to_string(d)
                                   + " should be " + std::to_string(expected) + ")");
        }
    }
    return Status::ok();
}

Result<NamedTensors> Session::run(const std::map<std::string, Tensor> &inputs,
                                  const RunOptions &options) const
{
    Result<NamedValues> values = runValues(inputs, options);
    if (!values)
        return values.status();
    NamedTensors named;
    named.reserve(values->size());
    for (auto &[name, value] : *values) {
        if (!value.isTensor())
            return invalidArgument("output '" + name + "' is a " + value.describe()
                                   + ", not a tensor");
        named.emplace_back(name, std::move(value.tensor()));
    }
    return named;
}

Result<NamedValues> Session::runValues(const std::map<std::string, Tensor> &inputs,
                                       const RunOptions &options) const
{
    return runValues(std::map<std::string, Value>(inputs.begin(), inputs.end()), options);
}

Result<NamedValues> Session::runValues(const std::map<std::string, Value> &inputs,
                                       const RunOptions &options) const
{
    // Unknown names first: a misspelt name would otherwise be reported as a missing input.
    for (const auto &[name, tensor] : inputs) {
        const bool known = std::any_of(this->inputs().begin(), this->inputs().end(),
                                       [&wanted = name](const auto &v) { return v.name == wanted; });
        if (!known) {
            std::string names;
            for (const auto &declared : this->inputs())
                names += (names.empty() ? "'" : ", '") + declared.name + "'";
            return invalidArgument("the model has no input '" + name + "' (its inputs: " + names
                                   + ")");
        }
    }

    std::vector<qs::Value> ordered;
    for (const GraphProgram::Value &declared : this->inputs()) {
        auto it = inputs.find(declared.name);
        if (it == inputs.end() || it->second.empty())
            return invalidArgument("input '" + declared.name + "' ("
                                   + dtypeName(static_cast<DType>(declared.type.elementType))
                                   + declared.type.shapeString() + ") is missing");
        QS_RETURN_IF_ERROR(checkInput(declared, it->second));
        // The lowered program computes in float32 wherever the model declares float16.
        const bool widen = m_float16Lowered && it->second.isTensor();
        ordered.push_back(widen ? convertFloat16ToFloat32(it->second.tensor(), m_threads)
                                : it->second);
    }

    omp_set_num_threads(m_threads);
    RunState state(m_threads, options.progress, options.observer ? &options.observer : nullptr,
                   options.profile);
    try {
        Result<std::vector<qs::Value>> outputs = m_program->run(ordered, state, nullptr);
        if (!outputs)
            return outputs.status();
        NamedValues named;
        for (size_t i = 0; i < outputs->size(); ++i) {
            const GraphProgram::Value &declared = this->outputs()[i];
            qs::Value &value = (*outputs)[i];
            const bool declaredFloat16 = declared.type.elementType
                                         == static_cast<int32_t>(DType::Float16);
            if (m_float16Lowered && declaredFloat16 && value.isTensor())
                value = convertFloat32ToFloat16(value.tensor(), m_threads);
            named.emplace_back(declared.name, std::move(value));
        }
        return named;
    } catch (const AllocationError &error) {
        return invalidArgument("running the model: " + error.message());
    } catch (const std::bad_alloc &) {
        return internalError("out of memory while running the model");
    } catch (const std::exception &e) {
        return internalError(std::string("running the model failed: ") + e.what());
    }
}

} // namespace qs
