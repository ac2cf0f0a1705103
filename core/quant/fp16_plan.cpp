#include "quant/fp16_plan.h"

#include "graph/graph.h"
#include "model/attributes.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "quant/fp16_converter.h"
#include "quant/fp16_tensors.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <sstream>

namespace qs::fp16 {

namespace {

using Formal = onnx::OpSchema::FormalParameter;

bool accepts(const Formal &formal, const std::string &type)
{
    const auto &types = formal.GetTypes();
    return std::any_of(types.begin(), types.end(),
                       [&](const std::string *allowed) { return *allowed == type; });
}

const Formal *formalAt(const std::vector<Formal> &formals, size_t index)
{
    if (index < formals.size())
        return &formals[index];
    if (!formals.empty() && formals.back().GetOption() == onnx::OpSchema::Variadic)
        return &formals.back();
    return nullptr;
}

bool isTypeVariable(const onnx::OpSchema &schema, const std::string &typeStr)
{
    const auto &params = schema.typeConstraintParams();
    return std::any_of(params.begin(), params.end(),
                       [&](const auto &param) { return param.type_param_str == typeStr; });
}

bool usesTypeString(const std::vector<Formal> &formals, const std::string &typeStr)
{
    return std::any_of(formals.begin(), formals.end(),
                       [&](const Formal &formal) { return formal.GetTypeStr() == typeStr; });
}

// Ops whose float output type comes from an attribute (or the value attribute) rather than from
// an input; the rewrite retargets those attributes, so they need not be blocked.
bool outputTypeFromAttribute(const std::string &opType)
{
    static const std::set<std::string> ops
        = {"Constant",     "ConstantOfShape",  "Cast",
           "RandomNormal", "RandomUniform",    "EyeLike",
           "Bernoulli",    "RandomNormalLike", "RandomUniformLike"};
    return ops.count(opType) > 0;
}

const char *suffix(int32_t type)
{
    return type == kHalf ? "_fp16" : "_fp32";
}

} // namespace

Fp16Plan::Fp16Plan(const Model &model, const quantscope::Fp16Options &options)
    : m_model(model)
    , m_options(options)
{
    if (options.op_block_list().empty()) {
        for (const std::string &op : defaultFp16OpBlockList())
            m_opBlockList.insert(op);
    } else {
        m_opBlockList.insert(options.op_block_list().begin(), options.op_block_list().end());
    }
    m_nodeBlockList.insert(options.node_block_list().begin(), options.node_block_list().end());
    m_maxFinite = fp16Range(options).maxFinite;
}

const ValuePlan *Fp16Plan::findLocal(int graph, const std::string &name) const
{
    const auto &values = m_values[static_cast<size_t>(graph)];
    auto it = values.find(name);
    return it == values.end() ? nullptr : &it->second;
}

const ValuePlan *Fp16Plan::find(int graph, const std::string &name) const
{
    // ONNX scoping: a name a subgraph does not define comes from an enclosing graph.
    for (int g = graph; g >= 0; g = m_model.index().graphs()[static_cast<size_t>(g)].parent) {
        if (const ValuePlan *value = findLocal(g, name))
            return value;
    }
    return nullptr;
}

ValuePlan *Fp16Plan::findMutable(int graph, const std::string &name)
{
    return const_cast<ValuePlan *>(find(graph, name));
}

const std::string &Fp16Plan::nameFor(const ValuePlan &value, int32_t demand)
{
    auto it = value.names.find(demand == kAnyType ? value.natural : demand);
    return it != value.names.end() ? it->second : value.names.at(value.natural);
}

void Fp16Plan::collectValues(int graph)
{
    const GraphIndex &index = m_model.index();
    const GraphInfo &info = index.graphs()[static_cast<size_t>(graph)];
    auto &values = m_values[static_cast<size_t>(graph)];
    auto track = [&](const std::string &name, Source source, int producer) {
        if (name.empty() || index.valueType(graph, name).elementType != kFloat)
            return;
        ValuePlan value;
        value.graph = graph;
        value.source = source;
        value.producer = producer;
        values.emplace(name, std::move(value));
    };
    // Initializers listed as inputs (IR < 4) can be overridden by the caller: they are inputs.
    for (const onnx::ValueInfoProto &input : info.proto->input())
        track(input.name(), Source::GraphInput, -1);
    for (const onnx::TensorProto &tensor : info.proto->initializer()) {
        if (!values.count(tensor.name()))
            track(tensor.name(), Source::Initializer, -1);
    }
    for (const onnx::SparseTensorProto &sparse : info.proto->sparse_initializer())
        track(sparse.values().name(), Source::FixedFloat, -1);
    for (const int nodeId : info.nodes) {
        const NodeInfo &node = index.nodes()[static_cast<size_t>(nodeId)];
        const bool onnxOp = isDefaultDomain(node.domain);
        Source source = Source::NodeOutput;
        if (onnxOp && node.opType == "Constant")
            source = Source::ConstantNode;
        else if (onnxOp && node.opType == "Cast")
            source = Source::CastOutput;
        for (const ValueRef &output : node.outputs)
            track(output.name, source, nodeId);
    }
}

// BatchNormalization's running variance is a mean of squares: it often exceeds the float16 range
// while the activations it normalizes fit (PP-OCRv4's detector: 1e7). Clamped to max_finite it
// would scale the output by orders of magnitude, so such a node computes in float32 instead.
std::optional<Message> Fp16Plan::parametersOutOfRange(const NodeInfo &info) const
{
    for (size_t i = 1; i < info.inputs.size(); ++i) {
        const onnx::TensorProto *tensor = m_model.index().constantTensor(info.graph,
                                                                         info.inputs[i].name);
        if (!tensor || tensor->data_type() != kFloat)
            continue;
        Result<float> largest = maxMagnitude(m_model, *tensor);
        if (largest && *largest > m_maxFinite) {
            std::ostringstream value;
            value << *largest;
            return makeMessage(MessageId::Fp16ParameterBeyondRange,
                               {info.inputs[i].name, value.str()});
        }
    }
    return std::nullopt;
}

void Fp16Plan::classifyNode(const NodeInfo &info)
{
    NodePlan &plan = m_nodes[static_cast<size_t>(info.id)];
    std::vector<bool> inputTracked(info.inputs.size());
    std::vector<bool> outputTracked(info.outputs.size());
    for (size_t i = 0; i < info.inputs.size(); ++i)
        inputTracked[i] = !info.inputs[i].name.empty() && find(info.graph, info.inputs[i].name);
    for (size_t k = 0; k < info.outputs.size(); ++k)
        outputTracked[k] = findLocal(info.graph, info.outputs[k].name) != nullptr;
    plan.touchesFloat = std::count(inputTracked.begin(), inputTracked.end(), true) > 0
                        || std::count(outputTracked.begin(), outputTracked.end(), true) > 0;

    // Inputs that must stay float32 although the node converts (Resize's scales).
    std::vector<bool> floatOnly(info.inputs.size());
    auto blockReason = [&]() -> Message {
        if (!info.subgraphs.empty())
            return makeMessage(MessageId::Fp16ControlFlow);
        if (m_opBlockList.count(info.opType))
            return makeMessage(MessageId::Fp16OpTypeBlocked, {info.opType});
        if (m_nodeBlockList.count(info.displayName))
            return makeMessage(MessageId::Fp16NodeBlocked);
        if (!isDefaultDomain(info.domain))
            return makeMessage(MessageId::Fp16OtherDomain, {info.domain});
        if (!plan.touchesFloat)
            return {};
        if (info.opType == "BatchNormalization") {
            if (std::optional<Message> reason = parametersOutOfRange(info))
                return *reason;
        }
        if (info.opType == "Constant" && hasAttribute(*info.proto, "sparse_value"))
            return makeMessage(MessageId::Fp16SparseConstant);
        const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(info.opType,
                                                                      info.opsetVersion, "");
        if (!schema)
            return makeMessage(MessageId::Fp16NoSchema,
                               {info.opType, std::to_string(info.opsetVersion)});
        const std::string where = info.opType + "-" + std::to_string(schema->since_version());
        std::vector<std::string> outputVars;
        for (size_t k = 0; k < info.outputs.size(); ++k) {
            if (!outputTracked[k])
                continue;
            const Formal *formal = formalAt(schema->outputs(), k);
            if (!formal || !accepts(*formal, "tensor(float16)"))
                return makeMessage(MessageId::Fp16OutputHasNoHalfType,
                                   {info.outputs[k].name, where});
            const std::string &typeStr = formal->GetTypeStr();
            if (isTypeVariable(*schema, typeStr) && !usesTypeString(schema->inputs(), typeStr)
                && !outputTypeFromAttribute(info.opType)) {
                return makeMessage(MessageId::Fp16OutputTypeFromAttribute,
                                   {info.outputs[k].name, where});
            }
            outputVars.push_back(typeStr);
        }
        for (size_t i = 0; i < info.inputs.size(); ++i) {
            const Formal *formal = formalAt(schema->inputs(), i);
            if (info.inputs[i].name.empty() || !formal)
                continue;
            const std::string &typeStr = formal->GetTypeStr();
            const bool sharedWithOutput = isTypeVariable(*schema, typeStr)
                                          && usesTypeString(schema->outputs(), typeStr);
            if (inputTracked[i] && !accepts(*formal, "tensor(float16)")) {
                if (sharedWithOutput)
                    return makeMessage(MessageId::Fp16InputHasNoHalfType,
                                       {info.inputs[i].name, where});
                floatOnly[i] = true;
            }
            // Without the input's type we cannot tell what a converted output would be.
            const bool feedsTrackedOutput
                = std::count(outputVars.begin(), outputVars.end(), typeStr) > 0;
            if (!inputTracked[i] && info.inputs[i].type.elementType == 0 && feedsTrackedOutput)
                return makeMessage(MessageId::Fp16InputTypeUnknown, {info.inputs[i].name});
        }
        return {};
    };
    plan.reason = blockReason();
    plan.blocked = plan.reason.id != MessageId::None;
    plan.controlFlow = !info.subgraphs.empty();

    const bool isCast = isDefaultDomain(info.domain) && info.opType == "Cast";
    plan.inputDemands.assign(info.inputs.size(), 0);
    for (size_t i = 0; i < info.inputs.size(); ++i) {
        if (!inputTracked[i])
            continue;
        // A Cast reads any type: letting it read the value as it is avoids Cast -> Cast.
        if (isCast)
            plan.inputDemands[i] = kAnyType;
        else
            plan.inputDemands[i] = plan.blocked || floatOnly[i] ? kFloat : kHalf;
    }
}

void Fp16Plan::addDemands(const NodeInfo &info)
{
    const NodePlan &plan = m_nodes[static_cast<size_t>(info.id)];
    for (size_t i = 0; i < info.inputs.size(); ++i) {
        const int32_t demand = plan.inputDemands[i];
        if (demand == kFloat || demand == kHalf)
            findMutable(info.graph, info.inputs[i].name)->demands.insert(demand);
    }
}

void Fp16Plan::decideNatural(ValuePlan &value) const
{
    const bool producerBlocked = value.producer >= 0 && node(value.producer).blocked;
    switch (value.source) {
    case Source::GraphInput:
        value.natural = value.graph == 0 && !keepIoTypes() ? kHalf : kFloat;
        return;
    case Source::FixedFloat: value.natural = kFloat; return;
    case Source::NodeOutput: value.natural = producerBlocked ? kFloat : kHalf; return;
    case Source::CastOutput:
        if (producerBlocked)
            value.natural = kFloat;
        else if (value.outputDemand)
            value.natural = value.outputDemand;
        else
            value.natural = value.demands.count(kHalf) || value.demands.empty() ? kHalf : kFloat;
        return;
    case Source::ConstantNode:
    case Source::Initializer:
        // Float32 consumers keep the original; float16 ones read a converted copy.
        if (value.outputDemand)
            value.natural = value.outputDemand;
        else
            value.natural = value.demands.count(kFloat) ? kFloat : kHalf;
        return;
    }
}

void Fp16Plan::nameVariants(const std::string &name, ValuePlan &value, Graph &names) const
{
    value.names[value.natural] = name;
    if (value.outputDemand && value.outputDemand != value.natural) {
        // Graph output names are the model's interface: the producer writes a new name and the
        // Cast to the output's type writes the output name.
        value.names[value.natural] = names.uniqueValueName(name + suffix(value.natural));
        value.names[value.outputDemand] = name;
    }
    for (const int32_t demand : value.demands) {
        if (!value.names.count(demand))
            value.names[demand] = names.uniqueValueName(name + suffix(demand));
    }
}

Status Fp16Plan::build(Progress &progress, Graph &names)
{
    const GraphIndex &index = m_model.index();
    m_values.assign(index.graphs().size(), {});
    m_nodes.assign(index.nodes().size(), {});
    for (const GraphInfo &graph : index.graphs())
        collectValues(graph.id);

    const int64_t total = static_cast<int64_t>(index.nodes().size());
    for (const NodeInfo &info : index.nodes()) {
        if (info.id % 64 == 0) {
            if (progress.cancelled())
                return cancelled();
            progress.reportStep(info.id, total, makeMessage(MessageId::StepPlanningFloat16));
        }
        classifyNode(info);
    }
    for (auto &values : m_values) {
        for (auto &[name, value] : values) {
            // A blocked Constant node is an ordinary float32 producer.
            if (value.source == Source::ConstantNode && node(value.producer).blocked)
                value.source = Source::NodeOutput;
        }
    }
    for (const NodeInfo &info : index.nodes())
        addDemands(info);
    for (const GraphInfo &graph : index.graphs()) {
        for (const onnx::ValueInfoProto &output : graph.proto->output()) {
            if (graph.parent < 0) {
                auto it = m_values[0].find(output.name());
                if (it != m_values[0].end())
                    it->second.outputDemand = keepIoTypes() ? kFloat : kHalf;
            } else if (ValuePlan *value = findMutable(graph.id, output.name())) {
                // Subgraph outputs stay float32, like the control-flow node's outputs.
                value->demands.insert(kFloat);
            }
        }
    }
    for (auto &values : m_values) {
        for (auto &[name, value] : values) {
            decideNatural(value);
            nameVariants(name, value, names);
        }
    }
    return Status::ok();
}

} // namespace qs::fp16
