#include "quant/static_plan.h"

#include "graph/graph.h"
#include "graph/matchers.h"
#include "model/attributes.h"
#include "model/model.h"
#include "tensor/tensor_io.h"

#include <onnx/onnx_pb.h>

#include <limits>
#include <unordered_map>

namespace qs {

namespace {

struct RoleRow
{
    const char *opType;
    StaticRole role;
};

// The default op types, in one table: what `--op-types` starts from.
constexpr RoleRow kRoles[] = {
    {"Conv", StaticRole::Weighted},
    {"ConvTranspose", StaticRole::Weighted},
    {"MatMul", StaticRole::Weighted},
    {"Gemm", StaticRole::Weighted},
    {"Add", StaticRole::Computing},
    {"Mul", StaticRole::Computing},
    {"Concat", StaticRole::Computing},
    {"AveragePool", StaticRole::Computing},
    {"GlobalAveragePool", StaticRole::Computing},
    {"Relu", StaticRole::Activation},
    {"Clip", StaticRole::Activation},
    {"MaxPool", StaticRole::PassThrough},
    {"GlobalMaxPool", StaticRole::PassThrough},
    {"Reshape", StaticRole::PassThrough},
    {"Transpose", StaticRole::PassThrough},
    {"Squeeze", StaticRole::PassThrough},
    {"Unsqueeze", StaticRole::PassThrough},
    {"Flatten", StaticRole::PassThrough},
    {"Resize", StaticRole::PassThrough},
    {"Upsample", StaticRole::PassThrough},
    {"DepthToSpace", StaticRole::PassThrough},
    {"SpaceToDepth", StaticRole::PassThrough},
    {"Slice", StaticRole::PassThrough},
    {"Split", StaticRole::PassThrough},
    {"Gather", StaticRole::PassThrough},
};

// Ops a user may add with --op-types beyond the defaults (quantized as computing ops). The
// defaults leave them out: an 8-bit Sigmoid or Softmax output loses more than it saves.
constexpr RoleRow kOptionalRoles[] = {
    {"Sigmoid", StaticRole::Computing},
    {"Softmax", StaticRole::Computing},
    {"LeakyRelu", StaticRole::Computing},
    {"HardSigmoid", StaticRole::Computing},
    {"HardSwish", StaticRole::Computing},
    {"Tanh", StaticRole::Computing},
    {"Sub", StaticRole::Computing},
    {"Div", StaticRole::Computing},
    {"Pad", StaticRole::PassThrough},
    {"Tile", StaticRole::PassThrough},
    {"Expand", StaticRole::PassThrough},
    {"InstanceNormalization", StaticRole::Computing},
    {"LayerNormalization", StaticRole::Computing},
};

bool isFloat32(const TensorType &type)
{
    return type.elementType == onnx::TensorProto::FLOAT;
}

// Clip's bounds from attributes (opset < 11) or constant inputs; nullopt when not constant.
std::optional<std::pair<double, double>> clipBounds(const Model &model, const NodeInfo &node)
{
    double low = floatAttribute(*node.proto, "min", -std::numeric_limits<float>::infinity());
    double high = floatAttribute(*node.proto, "max", std::numeric_limits<float>::infinity());
    for (int i = 1; i <= 2 && i < node.proto->input_size(); ++i) {
        const std::string &name = node.proto->input(i);
        if (name.empty())
            continue;
        const onnx::TensorProto *tensor = model.index().constantTensor(node.graph, name);
        if (!tensor || tensor->data_type() != onnx::TensorProto::FLOAT)
            return std::nullopt;
        Result<Tensor> value = tensorFromProtoBytes(*tensor, model.rawBytes(*tensor), nullptr);
        if (!value || value->elementCount() < 1)
            return std::nullopt;
        (i == 1 ? low : high) = value->data<float>()[0];
    }
    return std::make_pair(low, high);
}

bool isGraphOutput(const GraphInfo &graph, const std::string &name)
{
    for (const auto &output : graph.outputs)
        if (output.name == name)
            return true;
    return false;
}

// Where the values of one graph of the index come from, for nonConstantReason.
ValueSources indexSources(const GraphIndex &index, int graph)
{
    ValueSources sources;
    sources.isConstant = [&index, graph](const std::string &value) {
        return index.constantTensor(graph, value) != nullptr;
    };
    sources.producer = [&index, graph](const std::string &value) -> std::optional<ValueProducer> {
        const NodeInfo *node = index.producer(graph, value);
        if (!node)
            return std::nullopt;
        ValueProducer producer{node->displayName, node->opType, {}};
        for (const ValueRef &input : node->inputs)
            producer.inputs.push_back(input.name);
        return producer;
    };
    return sources;
}

// Why a pass-through op whose input is not quantized stays float.
Message floatInputReason(const GraphIndex &index, const NodeInfo &node)
{
    const std::string &input = node.proto->input(0);
    if (const NodeInfo *producer = index.producer(node.graph, input))
        return makeMessage(MessageId::FloatPassThroughInputFrom,
                           {input, producer->opType, producer->displayName});
    return makeMessage(MessageId::FloatPassThroughInput, {input});
}

} // namespace

std::optional<StaticRole> staticRole(const std::string &opType)
{
    for (const auto &row : kRoles)
        if (opType == row.opType)
            return row.role;
    for (const auto &row : kOptionalRoles)
        if (opType == row.opType)
            return row.role;
    return std::nullopt;
}

std::vector<std::string> defaultStaticOpTypes()
{
    std::vector<std::string> types;
    for (const auto &row : kRoles)
        types.emplace_back(row.opType);
    return types;
}

WeightLayout weightLayout(const onnx::NodeProto &node)
{
    WeightLayout layout;
    const std::string &op = node.op_type();
    if (op == "Conv") {
        layout.biasInput = 2;
        layout.channelAxis = 0;
    } else if (op == "ConvTranspose") {
        layout.biasInput = 2;
        layout.channelAxis = 1; // W is [C_in, C_out / group, k...]
    } else if (op == "Gemm") {
        layout.biasInput = 2;
        layout.channelAxis = intAttribute(node, "transB", 0) != 0 ? 0 : 1;
    } else { // MatMul: B is [K, N]; per column
        layout.channelAxis = 1;
    }
    return layout;
}

std::set<std::string> StaticPlan::tensorsToCalibrate() const
{
    std::set<std::string> tensors;
    for (const auto &[tensor, source] : activations)
        tensors.insert(source);
    return tensors;
}

int StaticPlan::foldedInto(int producerId) const
{
    for (const auto &[activation, producer] : foldedActivations)
        if (producer == producerId)
            return activation;
    return -1;
}

// The nodes of the decomposed LayerNorms and GELUs torch writes below opset 17 / 20 (GraphIndex
// ids of the main graph), each with why it stays float. Such a pattern is one operation written
// as many: quantizing its Add/Mul steps put Q/DQ pairs inside it, which rounded the variance
// plus epsilon to 8 bits and kept the engine (and ONNX Runtime) from fusing the pattern into one
// LayerNormalization / Gelu kernel, so the INT8 text encoder ran slower than FP32 (issue 15). Its
// input and output stay quantized where their producers and readers are.
std::unordered_map<int, Message> floatPatternNodes(const Model &model)
{
    std::unordered_map<int, Message> inside;
    // The Graph only reads the model while this function runs: a non-owning pointer.
    auto graph = Graph::fromModel(std::shared_ptr<const Model>(&model, [](const Model *) {}));
    if (!graph)
        return inside; // the planner's own checks report what is wrong with the model
    Graph &g = **graph;
    auto mark = [&](const std::vector<NodeId> &nodes, NodeId last, MessageId why) {
        const Message reason = makeMessage(why, {g.node(last).displayName});
        for (const NodeId id : nodes)
            if (g.node(id).sourceId >= 0)
                inside.emplace(g.node(id).sourceId, reason);
        if (g.node(last).sourceId >= 0)
            inside.emplace(g.node(last).sourceId, reason);
    };
    for (const NodeId id : g.nodeIds()) {
        if (const auto norm = matchLayerNorm(g, id)) {
            mark(norm->nodes, norm->last, MessageId::InsideLayerNormPattern);
        } else if (const auto gelu = matchGelu(g, id)) {
            std::vector<NodeId> nodes = gelu->inner;
            nodes.push_back(gelu->first);
            mark(nodes, gelu->last, MessageId::InsideGeluPattern);
        }
    }
    return inside;
}

StaticPlan planStaticQuantization(const Model &model, const NodeSelection &selection,
                                  bool symmetricActivations)
{
    const GraphIndex &index = model.index();
    StaticPlan plan;
    const std::unordered_map<int, Message> floatPatterns = floatPatternNodes(model);
    auto isConstant = [&](int graph, const std::string &name) {
        return index.constantTensor(graph, name) != nullptr;
    };
    // Relu/Clip reading the sole output of `producer`, when folding it is exact.
    auto foldableActivation = [&](const NodeInfo &producer) -> const NodeInfo * {
        if (symmetricActivations || producer.outputs.size() != 1)
            return nullptr;
        const std::string &out = producer.outputs[0].name;
        const GraphInfo &graph = index.graphs()[static_cast<size_t>(producer.graph)];
        const auto readers = index.consumers(producer.graph, out);
        if (readers.size() != 1 || isGraphOutput(graph, out))
            return nullptr;
        const NodeInfo &reader = *readers[0];
        if (reader.graph != producer.graph || !selection.selects(reader)
            || reader.proto->input(0) != out)
            return nullptr;
        if (reader.opType == "Relu")
            return &reader;
        if (reader.opType == "Clip") {
            // An asymmetric range always includes 0, so only a Clip around 0 is a pure
            // saturation of the quantized output.
            const auto bounds = clipBounds(model, reader);
            if (bounds && bounds->first <= 0.0 && bounds->second >= 0.0)
                return &reader;
        }
        return nullptr;
    };

    for (const GraphInfo &graph : index.graphs()) {
        for (const int nodeId : graph.nodes) {
            const NodeInfo &node = index.nodes()[static_cast<size_t>(nodeId)];
            if (plan.isFolded(nodeId)) {
                plan.coverage.addQuantized(node.opType);
                continue;
            }
            if (!selection.selects(node))
                continue;
            // Only float32 computations are candidates: a Gather of shape values is not one.
            const auto role = staticRole(node.opType);
            if (!role || node.outputs.empty() || !isFloat32(node.outputs[0].type))
                continue;
            const std::string &firstInput = node.proto->input_size() ? node.proto->input(0) : "";
            if (firstInput.empty())
                continue;
            auto leaveInFloat = [&](Message reason, Severity severity) {
                plan.coverage.addLeftInFloat(
                    {node.displayName, node.opType, std::move(reason), severity});
            };
            if (const auto pattern = floatPatterns.find(nodeId); pattern != floatPatterns.end()) {
                leaveInFloat(pattern->second, Severity::Info);
                continue;
            }

            if (*role == StaticRole::PassThrough) {
                auto source = plan.activations.find(firstInput);
                if (source == plan.activations.end()) {
                    leaveInFloat(floatInputReason(index, node), Severity::Info);
                    continue;
                }
                plan.quantizedNodes.insert(nodeId);
                plan.coverage.addQuantized(node.opType);
                for (const auto &output : node.outputs)
                    if (!output.name.empty())
                        plan.activations[output.name] = source->second;
                continue;
            }
            if (*role == StaticRole::Weighted) {
                const WeightLayout layout = weightLayout(*node.proto);
                const bool constantWeight = node.proto->input_size() > layout.weightInput
                                            && isConstant(node.graph,
                                                          node.proto->input(layout.weightInput));
                // Conv-like ops need constant weights; MatMul may multiply two activations.
                if (!constantWeight && node.opType != "MatMul") {
                    const std::string &weight = node.proto->input_size() > layout.weightInput
                                                    ? node.proto->input(layout.weightInput)
                                                    : std::string();
                    leaveInFloat(weight.empty()
                                     ? makeMessage(MessageId::NoWeightInput)
                                     : nonConstantReason("weight", weight,
                                                         indexSources(index, node.graph)),
                                 Severity::Warning);
                    continue;
                }
                if (isConstant(node.graph, firstInput)) {
                    leaveInFloat(makeMessage(MessageId::ConstantActivationInput, {firstInput}),
                                 Severity::Info);
                    continue;
                }
            }
            // Computing, Activation (not folded) and Weighted: float activation inputs.
            const int dataInputs = *role == StaticRole::Weighted ? 2 : node.proto->input_size();
            for (int i = 0; i < dataInputs && i < node.proto->input_size(); ++i) {
                const std::string &input = node.proto->input(i);
                if (input.empty() || isConstant(node.graph, input)
                    || !isFloat32(index.valueType(node.graph, input)))
                    continue;
                if (!plan.activations.count(input))
                    plan.activations[input] = input;
            }
            plan.quantizedNodes.insert(nodeId);
            plan.coverage.addQuantized(node.opType);
            if (*role != StaticRole::Activation) {
                if (const NodeInfo *activation = foldableActivation(node)) {
                    plan.foldedActivations[activation->id] = nodeId;
                    const std::string &out = activation->outputs[0].name;
                    plan.activations[out] = out;
                    continue;
                }
            }
            for (const auto &output : node.outputs)
                if (!output.name.empty() && isFloat32(output.type))
                    plan.activations[output.name] = output.name;
        }
    }
    return plan;
}

bool StaticPlan::isSixteenBit(const std::string &activation) const
{
    auto source = activations.find(activation);
    return source != activations.end() && sixteenBitSources.count(source->second) > 0;
}

void markSixteenBitActivations(StaticPlan &plan, const Model &model,
                               const std::set<std::string> &nodes)
{
    const GraphIndex &index = model.index();
    auto mark = [&](const std::vector<ValueRef> &values) {
        for (const ValueRef &value : values)
            if (auto source = plan.activations.find(value.name); source != plan.activations.end())
                plan.sixteenBitSources.insert(source->second);
    };
    for (const int id : plan.quantizedNodes) {
        const NodeInfo &node = index.nodes()[size_t(id)];
        if (!nodes.count(node.displayName))
            continue;
        mark(node.inputs);
        mark(node.outputs);
        if (const int folded = plan.foldedInto(id); folded >= 0)
            mark(index.nodes()[size_t(folded)].outputs);
    }
}

} // namespace qs
