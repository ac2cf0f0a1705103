#include "model/graph_index.h"

#include "util/checked_math.h"

#include "model/attributes.h"

#include "model/element_type.h"
#include "model/node_cost.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <functional>
#include <queue>
#include <unordered_set>

namespace qs {

// Names a subgraph reads from enclosing graphs: used but neither produced, nor an input, nor an
// initializer inside it. The owner node implicitly depends on those values.
void collectOuterReferences(const onnx::GraphProto &graph, std::unordered_set<std::string> &out)
{
    std::unordered_set<std::string> defined;
    for (const auto &input : graph.input())
        defined.insert(input.name());
    for (const auto &tensor : graph.initializer())
        defined.insert(tensor.name());
    for (const auto &node : graph.node()) {
        for (const auto &output : node.output())
            defined.insert(output);
    }
    std::unordered_set<std::string> used;
    for (const auto &node : graph.node()) {
        for (const auto &input : node.input())
            used.insert(input);
        collectSubgraphReads(node, used);
    }
    for (const auto &output : graph.output())
        used.insert(output.name());
    for (const auto &name : used) {
        if (!name.empty() && !defined.count(name))
            out.insert(name);
    }
}

void collectSubgraphReads(const onnx::NodeProto &node, std::unordered_set<std::string> &out)
{
    for (const auto &attribute : node.attribute()) {
        if (attribute.has_g())
            collectOuterReferences(attribute.g(), out);
        for (const auto &subgraph : attribute.graphs())
            collectOuterReferences(subgraph, out);
    }
}

namespace {

std::string joinNumbers(const auto &numbers)
{
    std::string text = "[";
    bool first = true;
    for (const auto number : numbers) {
        if (!first)
            text += ',';
        first = false;
        if constexpr (std::is_floating_point_v<std::decay_t<decltype(number)>>) {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%g", number);
            text += buffer;
        } else {
            text += std::to_string(number);
        }
    }
    return text + "]";
}

std::string summarizeAttribute(const onnx::AttributeProto &attribute)
{
    char buffer[32];
    switch (attribute.type()) {
    case onnx::AttributeProto::INT: return std::to_string(attribute.i());
    case onnx::AttributeProto::FLOAT:
        std::snprintf(buffer, sizeof buffer, "%g", attribute.f());
        return buffer;
    case onnx::AttributeProto::STRING: return "'" + attribute.s() + "'";
    case onnx::AttributeProto::INTS: return joinNumbers(attribute.ints());
    case onnx::AttributeProto::FLOATS: return joinNumbers(attribute.floats());
    case onnx::AttributeProto::STRINGS: {
        std::string text = "[";
        for (int i = 0; i < attribute.strings_size(); ++i)
            text += (i ? ",'" : "'") + attribute.strings(i) + "'";
        return text + "]";
    }
    case onnx::AttributeProto::TENSOR:
        return "<tensor " + std::string(elementTypeName(attribute.t().data_type()))
               + TensorType::fromTensor(attribute.t()).shapeString() + ">";
    case onnx::AttributeProto::GRAPH:
        return "<graph: " + std::to_string(attribute.g().node_size()) + " nodes>";
    case onnx::AttributeProto::GRAPHS:
        return "<" + std::to_string(attribute.graphs_size()) + " graphs>";
    default: return "<" + onnx::AttributeProto::AttributeType_Name(attribute.type()) + ">";
    }
}

// The schema's default values of the attributes `proto` leaves out, for the opset it runs at.
// Unknown ops (custom domains) and attributes without a default (required ones) add nothing.
void addDefaultAttributes(const onnx::NodeProto &proto, int64_t opsetVersion,
                          std::vector<AttributeSummary> &attributes)
{
    const onnx::OpSchema *schema
        = onnx::OpSchemaRegistry::Schema(proto.op_type(), int(opsetVersion), proto.domain());
    if (!schema)
        return;
    // A pair, not a structured binding: clang 14 (the fuzz build) cannot capture those.
    for (const auto &entry : schema->attributes()) {
        const std::string &name = entry.first;
        const onnx::OpSchema::Attribute &attribute = entry.second;
        if (attribute.required || attribute.default_value.type() == onnx::AttributeProto::UNDEFINED)
            continue;
        const bool present = std::any_of(attributes.begin(), attributes.end(),
                                         [&](const AttributeSummary &a) { return a.name == name; });
        if (!present)
            attributes.push_back({name, summarizeAttribute(attribute.default_value), true});
    }
}

// Inputs of a node including those its subgraphs read from this graph's scope.
std::vector<std::string> dependencies(const onnx::NodeProto &node)
{
    std::vector<std::string> names(node.input().begin(), node.input().end());
    std::unordered_set<std::string> outer;
    collectSubgraphReads(node, outer);
    names.insert(names.end(), outer.begin(), outer.end());
    return names;
}

} // namespace

namespace {

// Kahn's algorithm, choosing among ready nodes the one that comes first in the file, so a
// sorted file keeps its order and an unsorted one gets a stable, predictable order.
std::vector<int> topologicalOrder(const onnx::GraphProto &graph, std::vector<int> &cyclic)
{
    const int count = graph.node_size();
    std::unordered_map<std::string, int> producerOf;
    for (int i = 0; i < count; ++i) {
        for (const auto &output : graph.node(i).output()) {
            if (!output.empty())
                producerOf.emplace(output, i);
        }
    }
    std::vector<int> pending(count, 0);
    std::vector<std::vector<int>> dependents(count);
    for (int i = 0; i < count; ++i) {
        for (const auto &name : dependencies(graph.node(i))) {
            auto it = producerOf.find(name);
            if (it == producerOf.end() || it->second == i)
                continue;
            ++pending[i];
            dependents[it->second].push_back(i);
        }
    }
    std::priority_queue<int, std::vector<int>, std::greater<>> ready;
    for (int i = 0; i < count; ++i) {
        if (pending[i] == 0)
            ready.push(i);
    }
    std::vector<int> order;
    order.reserve(count);
    while (!ready.empty()) {
        const int next = ready.top();
        ready.pop();
        order.push_back(next);
        for (const int dependent : dependents[next]) {
            if (--pending[dependent] == 0)
                ready.push(dependent);
        }
    }
    for (int i = 0; i < count; ++i) {
        if (pending[i] > 0)
            cyclic.push_back(i);
    }
    return order;
}

bool isGraphInput(const GraphInfo &graph, const std::string &value)
{
    for (const auto &input : graph.proto->input()) {
        if (input.name() == value)
            return true;
    }
    return false;
}

} // namespace

class GraphIndexBuilder
{
public:
    GraphIndexBuilder(const onnx::ModelProto &model, std::vector<Diagnostic> &diagnostics)
        : m_diagnostics(diagnostics)
    {
        for (const auto &opset : model.opset_import()) {
            const std::string domain = opset.domain() == "ai.onnx" ? "" : opset.domain();
            m_opsets[domain] = static_cast<int>(opset.version());
        }
    }

    void addGraph(const onnx::GraphProto &graph, const onnx::GraphProto &annotated, int parent,
                  int ownerNode, const std::string &path)
    {
        const int graphId = static_cast<int>(m_index.m_graphs.size());
        m_index.m_graphs.push_back({});
        m_index.m_scopes.push_back({});
        {
            GraphInfo &info = m_index.m_graphs.back();
            info.id = graphId;
            info.parent = parent;
            info.ownerNode = ownerNode;
            info.path = path;
            info.proto = &graph;
            for (const auto &tensor : graph.initializer())
                info.initializers.emplace(tensor.name(), &tensor);
        }
        recordTypes(graphId, graph, annotated);
        {
            GraphInfo &info = m_index.m_graphs.back();
            for (const auto &input : graph.input()) {
                if (!info.initializers.count(input.name()))
                    info.inputs.push_back({input.name(), typeOf(graphId, input.name())});
            }
            for (const auto &output : graph.output())
                info.outputs.push_back({output.name(), typeOf(graphId, output.name())});
        }

        std::vector<int> cyclic;
        std::vector<int> order = topologicalOrder(graph, cyclic);
        if (!cyclic.empty()) {
            std::string names;
            for (size_t i = 0; i < cyclic.size() && i < 5; ++i)
                names += (i ? ", " : "") + nameOrIndex(graph.node(cyclic[i]), cyclic[i]);
            const std::string count = std::to_string(cyclic.size());
            m_diagnostics.push_back(
                diagnosticOf(Severity::Error,
                             path.empty()
                                 ? makeMessage(MessageId::GraphCycle, {count, names})
                                 : makeMessage(MessageId::SubgraphCycle, {path, count, names})));
            order.insert(order.end(), cyclic.begin(), cyclic.end());
        }
        const bool structureMatches = annotated.node_size() == graph.node_size();
        for (const int fileIndex : order) {
            const int nodeId = addNode(graphId, fileIndex, graph.node(fileIndex));
            addSubgraphs(nodeId, graph.node(fileIndex),
                         structureMatches ? annotated.node(fileIndex) : graph.node(fileIndex));
        }
    }

    GraphIndex finish()
    {
        reportDuplicateNames();
        return std::move(m_index);
    }

private:
    static std::string nameOrIndex(const onnx::NodeProto &node, int fileIndex)
    {
        return node.name().empty() ? node.op_type() + " #" + std::to_string(fileIndex)
                                   : "'" + node.name() + "'";
    }

    void recordTypes(int graphId, const onnx::GraphProto &graph, const onnx::GraphProto &annotated)
    {
        auto &types = m_index.m_scopes[graphId].types;
        for (const auto &tensor : graph.initializer())
            types[tensor.name()] = TensorType::fromTensor(tensor);
        // Declared types win over inferred ones: the annotated graph lists both, declared first.
        auto record = [&](const auto &values) {
            for (const auto &value : values) {
                if (value.has_type())
                    types.try_emplace(value.name(), TensorType::fromTypeProto(value.type()));
            }
        };
        record(graph.input());
        record(graph.output());
        record(graph.value_info());
        record(annotated.input());
        record(annotated.output());
        record(annotated.value_info());
    }

    TensorType typeOf(int graphId, const std::string &name) const
    {
        return m_index.valueType(graphId, name);
    }

    int addNode(int graphId, int fileIndex, const onnx::NodeProto &proto)
    {
        const int nodeId = static_cast<int>(m_index.m_nodes.size());
        NodeInfo node;
        node.id = nodeId;
        node.graph = graphId;
        node.fileIndex = fileIndex;
        node.proto = &proto;
        node.name = proto.name();
        node.displayName = proto.name().empty() ? proto.op_type() + "_" + std::to_string(nodeId)
                                                : proto.name();
        node.opType = proto.op_type();
        node.domain = proto.domain() == "ai.onnx" ? "" : proto.domain();
        auto opset = m_opsets.find(node.domain);
        node.opsetVersion = opset == m_opsets.end() ? 0 : opset->second;

        GraphIndex::Scope &scope = m_index.m_scopes[graphId];
        for (const auto &input : proto.input()) {
            node.inputs.push_back({input, input.empty() ? TensorType{} : typeOf(graphId, input)});
            if (input.empty())
                continue;
            scope.consumers[input].push_back(nodeId);
            if (const onnx::TensorProto *tensor = m_index.constantTensor(graphId, input)) {
                const TensorType type = TensorType::fromTensor(*tensor);
                const int64_t elements = type.elementCount().value_or(0);
                node.paramCount = saturatingAdd(node.paramCount, elements);
                node.paramBytes
                    = saturatingAdd(node.paramBytes,
                                    saturatingMultiply(elements,
                                                       elementByteSize(tensor->data_type())));
            }
        }
        for (const auto &output : proto.output()) {
            node.outputs.push_back(
                {output, output.empty() ? TensorType{} : typeOf(graphId, output)});
            if (output.empty())
                continue;
            auto [it, inserted] = scope.producers.emplace(output, nodeId);
            // A node that lists the same output twice is not in m_nodes yet.
            if (!inserted && it->second == nodeId) {
                m_diagnostics.push_back(diagnosticOf(Severity::Error,
                                                     makeMessage(MessageId::OutputListedTwice,
                                                                 {node.displayName, output}),
                                                     node.displayName));
            } else if (!inserted) {
                m_diagnostics.push_back(
                    diagnosticOf(Severity::Error,
                                 makeMessage(MessageId::ValueProducedTwice,
                                             {output, m_index.m_nodes[it->second].displayName,
                                              node.displayName}),
                                 node.displayName));
            }
        }
        for (const auto &attribute : proto.attribute())
            node.attributes.push_back({attribute.name(), summarizeAttribute(attribute)});
        if (node.opsetVersion > 0)
            addDefaultAttributes(proto, node.opsetVersion, node.attributes);
        node.macs = computeMacs(node, proto);

        m_index.m_graphs[graphId].nodes.push_back(nodeId);
        m_index.m_byDisplayName.emplace(node.displayName, nodeId);
        m_index.m_nodes.push_back(std::move(node));
        return nodeId;
    }

    void addSubgraphs(int nodeId, const onnx::NodeProto &proto, const onnx::NodeProto &annotated)
    {
        const bool attributesMatch = annotated.attribute_size() == proto.attribute_size();
        for (int a = 0; a < proto.attribute_size(); ++a) {
            const onnx::AttributeProto &attribute = proto.attribute(a);
            const onnx::AttributeProto &annotatedAttribute
                = attributesMatch ? annotated.attribute(a) : attribute;
            const NodeInfo &owner = m_index.m_nodes[nodeId];
            const std::string ownerPath = m_index.m_graphs[owner.graph].path;
            const std::string prefix = (ownerPath.empty() ? "" : ownerPath + "/")
                                       + owner.displayName + "/" + attribute.name();
            if (attribute.has_g()) {
                m_index.m_nodes[nodeId].subgraphs.push_back(
                    static_cast<int>(m_index.m_graphs.size()));
                addGraph(attribute.g(),
                         annotatedAttribute.has_g() ? annotatedAttribute.g() : attribute.g(),
                         owner.graph, nodeId, prefix);
            }
            for (int g = 0; g < attribute.graphs_size(); ++g) {
                m_index.m_nodes[nodeId].subgraphs.push_back(
                    static_cast<int>(m_index.m_graphs.size()));
                const bool same = annotatedAttribute.graphs_size() == attribute.graphs_size();
                addGraph(attribute.graphs(g),
                         same ? annotatedAttribute.graphs(g) : attribute.graphs(g),
                         m_index.m_nodes[nodeId].graph, nodeId,
                         prefix + "[" + std::to_string(g) + "]");
            }
        }
    }

    void reportDuplicateNames()
    {
        std::unordered_map<std::string, int> firstWithName;
        for (const NodeInfo &node : m_index.m_nodes) {
            auto [it, inserted] = firstWithName.emplace(node.displayName, node.id);
            if (inserted)
                continue;
            m_diagnostics.push_back(
                diagnosticOf(Severity::Warning,
                             makeMessage(MessageId::DuplicateNodeName,
                                         {node.displayName, std::to_string(it->second),
                                          std::to_string(node.id)}),
                             node.displayName));
        }
    }

    GraphIndex m_index;
    std::vector<Diagnostic> &m_diagnostics;
    std::unordered_map<std::string, int> m_opsets;
};

GraphIndex GraphIndex::build(const onnx::ModelProto &model, const onnx::ModelProto &annotated,
                             std::vector<Diagnostic> &diagnostics)
{
    GraphIndexBuilder builder(model, diagnostics);
    builder.addGraph(model.graph(), annotated.has_graph() ? annotated.graph() : model.graph(), -1,
                     -1, "");
    return builder.finish();
}

const NodeInfo *GraphIndex::producer(int graph, const std::string &value) const
{
    for (int g = graph; g >= 0; g = m_graphs[g].parent) {
        auto it = m_scopes[g].producers.find(value);
        if (it != m_scopes[g].producers.end())
            return &m_nodes[it->second];
        if (m_graphs[g].initializers.count(value) || isGraphInput(m_graphs[g], value))
            return nullptr;
    }
    return nullptr;
}

std::vector<const NodeInfo *> GraphIndex::consumers(int graph, const std::string &value) const
{
    std::vector<const NodeInfo *> result;
    auto it = m_scopes[graph].consumers.find(value);
    if (it != m_scopes[graph].consumers.end()) {
        for (const int id : it->second)
            result.push_back(&m_nodes[id]);
    }
    return result;
}

const onnx::TensorProto *GraphIndex::initializer(int graph, const std::string &value) const
{
    for (int g = graph; g >= 0; g = m_graphs[g].parent) {
        auto it = m_graphs[g].initializers.find(value);
        if (it != m_graphs[g].initializers.end())
            return it->second;
        // A node output of the same name in an inner graph shadows an outer initializer.
        if (m_scopes[g].producers.count(value))
            return nullptr;
    }
    return nullptr;
}

const onnx::TensorProto *GraphIndex::constantTensor(int graph, const std::string &value) const
{
    if (const onnx::TensorProto *tensor = initializer(graph, value))
        return tensor;
    const NodeInfo *node = producer(graph, value);
    if (!node || node->opType != "Constant" || !node->domain.empty())
        return nullptr;
    const onnx::AttributeProto *tensorAttribute = findAttribute(*node->proto, "value");
    return tensorAttribute && tensorAttribute->has_t() ? &tensorAttribute->t() : nullptr;
}

TensorType GraphIndex::valueType(int graph, const std::string &value) const
{
    for (int g = graph; g >= 0; g = m_graphs[g].parent) {
        auto it = m_scopes[g].types.find(value);
        if (it != m_scopes[g].types.end())
            return it->second;
    }
    return {};
}

const NodeInfo *GraphIndex::findByDisplayName(const std::string &name) const
{
    auto it = m_byDisplayName.find(name);
    return it == m_byDisplayName.end() ? nullptr : &m_nodes[it->second];
}

} // namespace qs
