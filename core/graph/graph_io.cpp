// Graph from a Model, back to protobuf, and its self-check.
#include "graph/graph.h"

#include "graph/graph_shared.h"
#include "model/attributes.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "model/model_checks.h"
#include "tensor/tensor_io.h"

#include <algorithm>

namespace qs {

namespace {

// The node without the bodies of its graph attributes (the Graph keeps those as child Graphs):
// copying a Loop's proto would copy its whole body once more.
onnx::NodeProto copyWithoutSubgraphs(const onnx::NodeProto &source)
{
    onnx::NodeProto copy;
    // Only the fields the source sets: an empty domain written out is bytes in every node.
    if (source.has_name())
        copy.set_name(source.name());
    copy.set_op_type(source.op_type());
    if (source.has_domain())
        copy.set_domain(source.domain());
    if (source.has_doc_string())
        copy.set_doc_string(source.doc_string());
    *copy.mutable_input() = source.input();
    *copy.mutable_output() = source.output();
    for (const auto &attribute : source.attribute()) {
        if (!attribute.has_g() && attribute.graphs_size() == 0) {
            *copy.add_attribute() = attribute;
            continue;
        }
        onnx::AttributeProto &placeholder = *copy.add_attribute();
        placeholder.set_name(attribute.name());
        placeholder.set_type(attribute.type());
        for (int g = 0; g < attribute.graphs_size(); ++g)
            placeholder.add_graphs();
    }
    return copy;
}

void collectNames(const onnx::GraphProto &graph, std::unordered_set<std::string> &values,
                  std::unordered_set<std::string> &nodes)
{
    for (const auto &input : graph.input())
        values.insert(input.name());
    for (const auto &output : graph.output())
        values.insert(output.name());
    for (const auto &info : graph.value_info())
        values.insert(info.name());
    for (const auto &initializer : graph.initializer())
        values.insert(initializer.name());
    for (const auto &node : graph.node()) {
        nodes.insert(node.name());
        values.insert(node.input().begin(), node.input().end());
        values.insert(node.output().begin(), node.output().end());
        for (const auto &attribute : node.attribute()) {
            if (attribute.has_g())
                collectNames(attribute.g(), values, nodes);
            for (const auto &subgraph : attribute.graphs())
                collectNames(subgraph, values, nodes);
        }
    }
}

int graphIdOf(const GraphIndex &index, const NodeInfo &node, const onnx::GraphProto &proto)
{
    for (const int id : node.subgraphs) {
        if (index.graphs()[size_t(id)].proto == &proto)
            return id;
    }
    return -1;
}

} // namespace

Result<std::unique_ptr<Graph>> Graph::fromModel(std::shared_ptr<const Model> model)
{
    auto shared = std::make_shared<Shared>();
    shared->model = std::move(model);
    const onnx::ModelProto &proto = shared->model->proto();
    for (const auto &opset : proto.opset_import())
        shared->opsets[isDefaultDomain(opset.domain()) ? std::string() : opset.domain()]
            = int(opset.version());
    collectNames(proto.graph(), shared->valueNames, shared->nodeNames);
    for (const NodeInfo &node : shared->model->index().nodes())
        shared->nodeNames.insert(node.displayName);
    return build(std::move(shared), 0, nullptr);
}

Result<std::unique_ptr<Graph>> Graph::build(std::shared_ptr<Shared> shared, int graphId,
                                            const Graph *parent)
{
    std::unique_ptr<Graph> graph(new Graph(std::move(shared), parent));
    const GraphInfo &info = graph->model()->index().graphs()[size_t(graphId)];
    graph->m_sourceGraph = graphId;
    graph->m_path = info.path;
    graph->m_sourceProto = info.proto;
    for (const ValueRef &input : info.inputs)
        graph->m_inputs.push_back({input.name, input.type});
    for (const ValueRef &output : info.outputs) {
        graph->m_outputs.push_back({output.name, output.type});
        graph->m_outputNames.insert(output.name);
    }
    for (const auto &tensor : info.proto->initializer()) {
        if (graph->m_initializers.try_emplace(tensor.name(), Initializer{&tensor, {}, false}).second)
            graph->m_initializerOrder.push_back(tensor.name());
    }
    QS_RETURN_IF_ERROR(graph->buildNodes(graphId));
    return graph;
}

Status Graph::buildNodes(int graphId)
{
    const GraphIndex &index = model()->index();
    for (const int id : index.graphs()[size_t(graphId)].nodes) {
        const NodeInfo &info = index.nodes()[size_t(id)];
        QS_RETURN_IF_ERROR(
            checkNodeArity(*info.proto, info.opsetVersion,
                           "node '" + info.displayName + "' (" + info.proto->op_type() + ")",
                           NewerOpsets::MinimumOnly));
        GraphNode node;
        node.proto = copyWithoutSubgraphs(*info.proto);
        node.displayName = info.displayName;
        node.opsetVersion = info.opsetVersion;
        node.sourceId = info.id;
        std::unordered_set<std::string> outer;
        auto addSubgraph = [&](const onnx::AttributeProto &attribute, const onnx::GraphProto &body,
                               int listIndex) -> Status {
            const int subgraphId = graphIdOf(index, info, body);
            if (subgraphId < 0)
                return internalError("node '" + info.displayName + "': subgraph '"
                                     + attribute.name() + "' is not indexed");
            auto child = build(m_shared, subgraphId, this);
            if (!child)
                return child.status();
            node.subgraphs.push_back({attribute.name(), listIndex, std::move(*child)});
            return Status::ok();
        };
        for (const auto &attribute : info.proto->attribute()) {
            if (attribute.has_g())
                QS_RETURN_IF_ERROR(addSubgraph(attribute, attribute.g(), -1));
            for (int g = 0; g < attribute.graphs_size(); ++g)
                QS_RETURN_IF_ERROR(addSubgraph(attribute, attribute.graphs(g), g));
        }
        collectSubgraphReads(*info.proto, outer);
        node.implicitInputs.assign(outer.begin(), outer.end());
        std::sort(node.implicitInputs.begin(), node.implicitInputs.end());
        link(std::move(node), kNoNode);
    }
    return Status::ok();
}

void Graph::removeUnusedConstants()
{
    for (NodeId id = m_first; id != kNoNode; id = m_slots[size_t(id)].next) {
        for (auto &subgraph : m_slots[size_t(id)].node.subgraphs)
            subgraph.graph->removeUnusedConstants();
    }
    std::unordered_set<std::string> listedInputs;
    if (m_sourceProto) {
        for (const auto &input : m_sourceProto->input())
            listedInputs.insert(input.name());
    }
    // A Constant has no inputs, so removing one makes nothing else unused: one sweep suffices.
    for (const NodeId id : nodeIds()) {
        const onnx::NodeProto &proto = node(id).proto;
        if (isDefaultOp(proto, "Constant") && proto.output_size() == 1
            && useCount(proto.output(0)) == 0)
            removeNode(id);
    }
    for (const auto &name : initializerNames()) {
        if (useCount(name) == 0 && !listedInputs.count(name))
            m_initializers.erase(name);
    }
    std::erase_if(m_initializerOrder,
                  [&](const std::string &name) { return !m_initializers.count(name); });
}

Status Graph::checkConsistency() const
{
    const std::string where = m_path.empty() ? "main graph" : "graph '" + m_path + "'";
    std::unordered_set<std::string> defined;
    for (const auto &input : m_inputs)
        defined.insert(input.name);
    for (const auto &[name, initializer] : m_initializers)
        defined.insert(name);
    if (m_sourceProto) {
        for (const auto &input : m_sourceProto->input())
            defined.insert(input.name());
    }
    std::unordered_map<std::string, NodeId> producers;
    std::unordered_map<std::string, std::vector<NodeId>> readers;
    size_t live = 0;
    for (NodeId id = m_first; id != kNoNode; id = m_slots[size_t(id)].next) {
        ++live;
        const GraphNode &current = m_slots[size_t(id)].node;
        const std::string label = current.opType() + " '" + current.displayName + "'";
        for (const auto &input : current.proto.input()) {
            if (input.empty())
                continue;
            readers[input].push_back(id);
            if (!defined.count(input) && !(m_parent && m_parent->definedInScope(input)))
                return internalError(where + ": " + label + " reads '" + input
                                     + "' before any node produces it");
        }
        for (const auto &output : current.proto.output()) {
            if (output.empty())
                continue;
            if (!defined.insert(output).second)
                return internalError(where + ": " + label + " produces '" + output
                                     + "', which is already defined");
            producers[output] = id;
        }
        for (const auto &subgraph : current.subgraphs)
            QS_RETURN_IF_ERROR(subgraph.graph->checkConsistency());
    }
    if (live != m_liveNodes)
        return internalError(where + ": node count out of date");
    if (producers != m_producers)
        return internalError(where
                             + ": producer index out of date (a pass edited outputs "
                               "without Graph::setOutput)");
    for (auto &[name, ids] : readers)
        std::sort(ids.begin(), ids.end());
    for (const auto &[name, ids] : m_readers) {
        std::vector<NodeId> sorted = ids;
        std::sort(sorted.begin(), sorted.end());
        auto it = readers.find(name);
        if (it == readers.end() || it->second != sorted)
            return internalError(where + ": reader index of '" + name
                                 + "' out of date (a pass edited inputs without Graph::setInput)");
    }
    if (readers.size() != m_readers.size())
        return internalError(where + ": reader index out of date");
    for (const auto &output : m_outputs) {
        if (!defined.count(output.name) && !(m_parent && m_parent->definedInScope(output.name)))
            return internalError(where + ": graph output '" + output.name
                                 + "' is produced by no node");
    }
    return Status::ok();
}

Status Graph::writeTo(onnx::GraphProto &graph) const
{
    graph.Clear();
    if (m_sourceProto) {
        if (m_sourceProto->has_name())
            graph.set_name(m_sourceProto->name());
        if (m_sourceProto->has_doc_string())
            graph.set_doc_string(m_sourceProto->doc_string());
        *graph.mutable_input() = m_sourceProto->input();
        *graph.mutable_output() = m_sourceProto->output();
        *graph.mutable_sparse_initializer() = m_sourceProto->sparse_initializer();
    }
    for (const auto &name : m_initializerOrder) {
        auto it = m_initializers.find(name);
        if (it == m_initializers.end())
            continue;
        onnx::TensorProto &tensor = *graph.add_initializer();
        if (it->second.stored) {
            tensor = *it->second.stored;
        } else {
            tensorToProto(it->second.value, tensor);
            tensor.set_name(name);
        }
    }
    for (NodeId id = m_first; id != kNoNode; id = m_slots[size_t(id)].next) {
        const GraphNode &current = m_slots[size_t(id)].node;
        onnx::NodeProto &proto = *graph.add_node();
        proto = current.proto;
        for (const auto &subgraph : current.subgraphs) {
            onnx::AttributeProto *attribute = nullptr;
            for (auto &candidate : *proto.mutable_attribute()) {
                if (candidate.name() == subgraph.attribute)
                    attribute = &candidate;
            }
            if (!attribute || subgraph.listIndex >= attribute->graphs_size())
                return internalError("node '" + current.displayName + "' lost its graph attribute '"
                                     + subgraph.attribute + "'");
            onnx::GraphProto &body = subgraph.listIndex < 0
                                         ? *attribute->mutable_g()
                                         : *attribute->mutable_graphs(subgraph.listIndex);
            QS_RETURN_IF_ERROR(subgraph.graph->writeTo(body));
        }
    }
    if (m_sourceProto) {
        for (const auto &info : m_sourceProto->value_info()) {
            if (m_producers.count(info.name()) || m_readers.count(info.name()))
                *graph.add_value_info() = info;
        }
    }
    // Outputs a pass pointed elsewhere, and element types passes set.
    for (int i = 0; i < graph.output_size() && size_t(i) < m_outputs.size(); ++i)
        graph.mutable_output(i)->set_name(m_outputs[size_t(i)].name);
    auto retype = [&](onnx::ValueInfoProto &value) {
        auto it = m_types.find(value.name());
        if (it != m_types.end() && it->second.elementType != 0 && value.type().has_tensor_type())
            value.mutable_type()->mutable_tensor_type()->set_elem_type(it->second.elementType);
    };
    for (auto &value : *graph.mutable_input())
        retype(value);
    for (auto &value : *graph.mutable_output())
        retype(value);
    for (auto &value : *graph.mutable_value_info())
        retype(value);
    return Status::ok();
}

Result<onnx::ModelProto> Graph::toModelProto() const
{
    if (m_parent)
        return internalError("toModelProto on subgraph '" + m_path + "'");
    const onnx::ModelProto &source = model()->proto();
    onnx::ModelProto proto;
    // Field by field (copying the source whole would copy its weights once more), and only the
    // fields it sets.
    proto.set_ir_version(source.ir_version());
    if (source.has_producer_name())
        proto.set_producer_name(source.producer_name());
    if (source.has_producer_version())
        proto.set_producer_version(source.producer_version());
    if (source.has_domain())
        proto.set_domain(source.domain());
    if (source.has_model_version())
        proto.set_model_version(source.model_version());
    if (source.has_doc_string())
        proto.set_doc_string(source.doc_string());
    *proto.mutable_metadata_props() = source.metadata_props();
    *proto.mutable_training_info() = source.training_info();
    *proto.mutable_functions() = source.functions();
    *proto.mutable_opset_import() = source.opset_import();
    QS_RETURN_IF_ERROR(writeTo(*proto.mutable_graph()));
    return proto;
}

} // namespace qs
