#include "runtime/kernel.h"

#include "model/attributes.h"
#include "runtime/graph_program.h"
#include "tensor/tensor_io.h"

#include <onnx/onnx_pb.h>
#include <unsupported/Eigen/SpecialFunctions>

#include <algorithm>
#include <cmath>

namespace qs {

void applyFusedActivation(const FusedActivation &activation, float *data, int64_t count)
{
    Eigen::Map<Eigen::ArrayXf> x(data, count);
    switch (activation.kind) {
    case FusedActivation::Kind::Relu: x = x.max(0.0f); break;
    case FusedActivation::Kind::Clip: x = x.max(activation.alpha).min(activation.beta); break;
    case FusedActivation::Kind::LeakyRelu: x = (x >= 0.0f).select(x, x * activation.alpha); break;
    // Exact form, not logistic(): that approximation loses relative accuracy for x << 0.
    case FusedActivation::Kind::Sigmoid: x = (1.0f + (-x).exp()).inverse(); break;
    case FusedActivation::Kind::HardSigmoid:
        x = (x * activation.alpha + activation.beta).max(0.0f).min(1.0f);
        break;
    case FusedActivation::Kind::HardSwish:
        x = x * (x * (1.0f / 6.0f) + 0.5f).max(0.0f).min(1.0f);
        break;
    case FusedActivation::Kind::Tanh: x = x.tanh(); break;
    case FusedActivation::Kind::Gelu: x = 0.5f * x * (1.0f + (x * float(M_SQRT1_2)).erf()); break;
    case FusedActivation::Kind::Swish: x = x * (1.0f + (-x).exp()).inverse(); break;
    case FusedActivation::Kind::None: break;
    }
    if (activation.hasPostAffine())
        x = x * activation.postScale + activation.postShift;
}

KernelInfo::KernelInfo(const onnx::NodeProto &node, std::string label, int opsetVersion)
    : m_node(node)
    , m_label(std::move(label))
    , m_opsetVersion(opsetVersion)
{}

const std::string &KernelInfo::opType() const
{
    return m_node.op_type();
}

size_t KernelInfo::inputCount() const
{
    return static_cast<size_t>(m_node.input_size());
}

size_t KernelInfo::outputCount() const
{
    return static_cast<size_t>(m_node.output_size());
}

bool KernelInfo::hasInput(size_t index) const
{
    return index < inputCount() && !m_node.input(static_cast<int>(index)).empty();
}

const Tensor *KernelInfo::constantInput(size_t index) const
{
    return index < constantInputs.size() ? constantInputs[index] : nullptr;
}

TensorType KernelInfo::inputType(size_t index) const
{
    return index < inputTypes.size() ? inputTypes[index] : TensorType{};
}

TensorType KernelInfo::outputType(size_t index) const
{
    return index < outputTypes.size() ? outputTypes[index] : TensorType{};
}

bool KernelInfo::hasAttribute(std::string_view name) const
{
    return attribute(name) != nullptr;
}

const onnx::AttributeProto *KernelInfo::attribute(std::string_view name) const
{
    return findAttribute(m_node, name);
}

namespace {

Status wrongType(const KernelInfo &info, std::string_view name, const char *expected)
{
    return info.error("attribute '" + std::string(name) + "' should be " + expected);
}

} // namespace

Result<int64_t> KernelInfo::getInt(std::string_view name, int64_t fallback) const
{
    const onnx::AttributeProto *attr = attribute(name);
    if (!attr)
        return fallback;
    if (attr->type() != onnx::AttributeProto::INT && !attr->has_i())
        return wrongType(*this, name, "an int");
    return static_cast<int64_t>(attr->i());
}

Result<float> KernelInfo::getFloat(std::string_view name, float fallback) const
{
    const onnx::AttributeProto *attr = attribute(name);
    if (!attr)
        return fallback;
    if (attr->type() != onnx::AttributeProto::FLOAT && !attr->has_f())
        return wrongType(*this, name, "a float");
    return attr->f();
}

Result<std::string> KernelInfo::getString(std::string_view name, std::string fallback) const
{
    const onnx::AttributeProto *attr = attribute(name);
    if (!attr)
        return fallback;
    if (attr->type() != onnx::AttributeProto::STRING && !attr->has_s())
        return wrongType(*this, name, "a string");
    return attr->s();
}

Result<std::vector<int64_t>> KernelInfo::getInts(std::string_view name,
                                                 std::vector<int64_t> fallback) const
{
    const onnx::AttributeProto *attr = attribute(name);
    if (!attr)
        return fallback;
    if (attr->type() != onnx::AttributeProto::INTS && attr->ints_size() == 0
        && attr->type() != onnx::AttributeProto::UNDEFINED)
        return wrongType(*this, name, "a list of ints");
    return std::vector<int64_t>(attr->ints().begin(), attr->ints().end());
}

Result<std::vector<float>> KernelInfo::getFloats(std::string_view name,
                                                 std::vector<float> fallback) const
{
    const onnx::AttributeProto *attr = attribute(name);
    if (!attr)
        return fallback;
    if (attr->type() != onnx::AttributeProto::FLOATS && attr->floats_size() == 0
        && attr->type() != onnx::AttributeProto::UNDEFINED)
        return wrongType(*this, name, "a list of floats");
    return std::vector<float>(attr->floats().begin(), attr->floats().end());
}

Result<std::vector<std::string>> KernelInfo::getStrings(std::string_view name) const
{
    const onnx::AttributeProto *attr = attribute(name);
    if (!attr)
        return std::vector<std::string>{};
    return std::vector<std::string>(attr->strings().begin(), attr->strings().end());
}

Result<Tensor> KernelInfo::getTensor(std::string_view name) const
{
    const onnx::AttributeProto *attr = attribute(name);
    if (!attr || !attr->has_t())
        return error("attribute '" + std::string(name) + "' (a tensor) is missing");
    Result<Tensor> tensor = tensorFromProto(attr->t());
    if (!tensor)
        return tensor.status().withContext(m_label);
    // The proto outlives the session only through the model; copy so the kernel owns its data.
    return tensor->clone();
}

Result<std::shared_ptr<const GraphProgram>> KernelInfo::compileSubgraph(std::string_view name) const
{
    if (!subgraphCompiler)
        return error("subgraphs cannot be compiled here");
    return subgraphCompiler(name);
}

Status KernelInfo::error(const std::string &message) const
{
    return invalidArgument(m_label + ": " + message);
}

Status KernelInfo::unsupportedError(const std::string &message) const
{
    return unsupported(m_label + ": " + message);
}

const Tensor KernelContext::kNoTensor;
const Value KernelContext::kNoValue;

KernelContext::KernelContext(const std::string &label, std::span<const Value *const> inputs,
                             std::span<Value> outputs, RunState &run, const Frame &frame)
    : m_label(label)
    , m_inputs(inputs)
    , m_outputs(outputs)
    , m_run(run)
    , m_frame(frame)
{}

Tensor &KernelContext::allocateOutput(size_t index, DType type, Shape shape, bool zero)
{
    m_outputs[index] = Value(Tensor::allocate(type, std::move(shape), zero));
    return m_outputs[index].tensor();
}

int KernelContext::threads() const
{
    return m_run.threads();
}

bool KernelContext::cancelled() const
{
    return m_run.cancelled();
}

Result<std::vector<Value>> KernelContext::runSubgraph(const GraphProgram &program,
                                                      std::span<const Value> inputs) const
{
    return program.run(inputs, m_run, &m_frame);
}

Status KernelContext::error(const std::string &message) const
{
    return invalidArgument(m_label + ": " + message);
}

} // namespace qs
