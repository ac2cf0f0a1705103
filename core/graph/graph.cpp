// Graph's edits, indexes and lookups; building from a Model and writing back live in
// graph_io.cpp.
#include "graph/graph.h"

#include "graph/graph_shared.h"
#include "model/attributes.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "tensor/tensor_io.h"

#include <algorithm>

namespace qs {

namespace {

const std::vector<NodeId> kNoReaders;

std::string firstFree(const std::string &base, std::unordered_set<std::string> &taken)
{
    std::string name = base;
    for (int suffix = 1; taken.count(name); ++suffix)
        name = base + "_" + std::to_string(suffix);
    taken.insert(name);
    return name;
}

} // namespace

onnx::NodeProto makeNode(const std::string &opType, std::initializer_list<std::string> inputs,
                         std::initializer_list<std::string> outputs, const std::string &name)
{
    onnx::NodeProto node;
    node.set_op_type(opType);
    if (!name.empty())
        node.set_name(name);
    for (const auto &input : inputs)
        node.add_input(input);
    for (const auto &output : outputs)
        node.add_output(output);
    return node;
}

Graph::Graph(std::shared_ptr<Shared> shared, const Graph *parent)
    : m_shared(std::move(shared))
    , m_parent(parent)
{}

Graph::~Graph() = default;

const std::shared_ptr<const Model> &Graph::model() const
{
    return m_shared->model;
}

int Graph::opsetVersion(const std::string &domain) const
{
    auto it = m_shared->opsets.find(isDefaultDomain(domain) ? std::string() : domain);
    return it == m_shared->opsets.end() ? 0 : it->second;
}

// --- nodes ---

std::vector<NodeId> Graph::nodeIds() const
{
    std::vector<NodeId> ids;
    ids.reserve(m_liveNodes);
    for (NodeId id = m_first; id != kNoNode; id = m_slots[size_t(id)].next)
        ids.push_back(id);
    return ids;
}

bool Graph::isAlive(NodeId id) const
{
    return id >= 0 && size_t(id) < m_slots.size() && m_slots[size_t(id)].alive;
}

GraphNode &Graph::node(NodeId id)
{
    return m_slots.at(size_t(id)).node;
}

const GraphNode &Graph::node(NodeId id) const
{
    return m_slots.at(size_t(id)).node;
}

std::string Graph::fusionLabel(NodeId id) const
{
    const GraphNode &fused = node(id);
    return "+" + fused.opType() + " '" + fused.displayName + "'";
}

NodeId Graph::link(GraphNode node, NodeId before)
{
    const auto id = NodeId(m_slots.size());
    Slot &slot = m_slots.emplace_back();
    slot.node = std::move(node);
    slot.alive = true;
    if (before == kNoNode) {
        slot.previous = m_last;
        if (m_last != kNoNode)
            m_slots[size_t(m_last)].next = id;
        else
            m_first = id;
        m_last = id;
    } else {
        Slot &next = m_slots[size_t(before)];
        slot.previous = next.previous;
        slot.next = before;
        if (next.previous != kNoNode)
            m_slots[size_t(next.previous)].next = id;
        else
            m_first = id;
        next.previous = id;
    }
    ++m_liveNodes;
    indexNode(id);
    return id;
}

NodeId Graph::insertBefore(NodeId before, onnx::NodeProto proto)
{
    GraphNode node;
    node.displayName = proto.name();
    node.opsetVersion = opsetVersion(proto.domain());
    node.proto = std::move(proto);
    if (!node.displayName.empty())
        m_shared->nodeNames.insert(node.displayName);
    for (const auto &output : node.proto.output())
        m_shared->valueNames.insert(output);
    return link(std::move(node), before);
}

NodeId Graph::insertAfter(NodeId after, onnx::NodeProto proto)
{
    return insertBefore(m_slots.at(size_t(after)).next, std::move(proto));
}

void Graph::removeNode(NodeId id)
{
    Slot &slot = m_slots.at(size_t(id));
    if (!slot.alive)
        return;
    unindexNode(id);
    if (slot.previous != kNoNode)
        m_slots[size_t(slot.previous)].next = slot.next;
    else
        m_first = slot.next;
    if (slot.next != kNoNode)
        m_slots[size_t(slot.next)].previous = slot.previous;
    else
        m_last = slot.previous;
    slot.alive = false;
    slot.previous = slot.next = kNoNode;
    --m_liveNodes;
}

void Graph::indexNode(NodeId id)
{
    const GraphNode &node = m_slots[size_t(id)].node;
    for (const auto &output : node.proto.output()) {
        if (!output.empty())
            m_producers[output] = id;
    }
    for (const auto &input : node.proto.input()) {
        if (!input.empty())
            m_readers[input].push_back(id);
    }
    for (const auto &name : node.implicitInputs)
        ++m_implicitReads[name];
}

void Graph::unindexNode(NodeId id)
{
    const GraphNode &node = m_slots[size_t(id)].node;
    for (const auto &output : node.proto.output()) {
        auto it = m_producers.find(output);
        if (it != m_producers.end() && it->second == id)
            m_producers.erase(it);
        m_constantNodeValues.erase(output);
    }
    for (const auto &input : node.proto.input()) {
        if (!input.empty())
            removeReader(input, id);
    }
    for (const auto &name : node.implicitInputs) {
        auto it = m_implicitReads.find(name);
        if (it != m_implicitReads.end() && --it->second <= 0)
            m_implicitReads.erase(it);
    }
}

void Graph::removeReader(const std::string &value, NodeId id)
{
    auto it = m_readers.find(value);
    if (it == m_readers.end())
        return;
    auto &ids = it->second;
    auto found = std::find(ids.begin(), ids.end(), id);
    if (found != ids.end())
        ids.erase(found);
    if (ids.empty())
        m_readers.erase(it);
}

void Graph::replaceProto(NodeId id, onnx::NodeProto proto)
{
    unindexNode(id);
    GraphNode &node = m_slots.at(size_t(id)).node;
    if (proto.name().empty())
        proto.set_name(node.proto.name());
    node.proto = std::move(proto);
    for (const auto &output : node.proto.output())
        m_shared->valueNames.insert(output);
    indexNode(id);
}

void Graph::setInput(NodeId id, int index, const std::string &value)
{
    onnx::NodeProto &proto = node(id).proto;
    if (!proto.input(index).empty())
        removeReader(proto.input(index), id);
    proto.set_input(index, value);
    if (!value.empty())
        m_readers[value].push_back(id);
}

void Graph::addInput(NodeId id, const std::string &value)
{
    node(id).proto.add_input(value);
    if (!value.empty())
        m_readers[value].push_back(id);
}

void Graph::setOutput(NodeId id, int index, const std::string &value)
{
    onnx::NodeProto &proto = node(id).proto;
    const std::string &old = proto.output(index);
    if (auto it = m_producers.find(old); it != m_producers.end() && it->second == id)
        m_producers.erase(it);
    m_constantNodeValues.erase(old);
    proto.set_output(index, value);
    if (!value.empty()) {
        m_producers[value] = id;
        m_shared->valueNames.insert(value);
    }
}

void Graph::absorbInto(NodeId keeper, NodeId absorbed)
{
    const std::string output = node(absorbed).proto.output(0);
    std::vector<std::string> labels{fusionLabel(absorbed)};
    const auto &nested = node(absorbed).absorbed;
    labels.insert(labels.end(), nested.begin(), nested.end());
    removeNode(absorbed);
    GraphNode &target = node(keeper);
    target.absorbed.insert(target.absorbed.end(), labels.begin(), labels.end());
    setOutput(keeper, 0, output);
}

void Graph::replaceUses(const std::string &from, const std::string &to)
{
    const std::vector<NodeId> readerIds = readers(from); // a copy: setInput edits the list
    for (const NodeId id : readerIds) {
        onnx::NodeProto &proto = node(id).proto;
        for (int i = 0; i < proto.input_size(); ++i) {
            if (proto.input(i) == from)
                setInput(id, i, to);
        }
    }
    if (!m_implicitReads.count(from))
        return;
    for (NodeId id = m_first; id != kNoNode; id = m_slots[size_t(id)].next) {
        GraphNode &owner = m_slots[size_t(id)].node;
        auto it = std::find(owner.implicitInputs.begin(), owner.implicitInputs.end(), from);
        if (it == owner.implicitInputs.end())
            continue;
        unindexNode(id);
        *it = to;
        for (auto &subgraph : owner.subgraphs) {
            if (!subgraph.graph->definesLocally(from))
                subgraph.graph->replaceUses(from, to);
        }
        indexNode(id);
    }
}

void Graph::refreshImplicitInputs(NodeId id)
{
    unindexNode(id);
    std::unordered_set<std::string> outer;
    for (const auto &subgraph : node(id).subgraphs)
        subgraph.graph->collectOuterReads(outer);
    std::vector<std::string> &implicit = node(id).implicitInputs;
    implicit.assign(outer.begin(), outer.end());
    std::sort(implicit.begin(), implicit.end());
    indexNode(id);
}

void Graph::collectOuterReads(std::unordered_set<std::string> &out) const
{
    auto add = [&](const std::string &value) {
        if (!value.empty() && !definesLocally(value))
            out.insert(value);
    };
    for (NodeId id = m_first; id != kNoNode; id = m_slots[size_t(id)].next) {
        const GraphNode &current = m_slots[size_t(id)].node;
        for (const auto &input : current.proto.input())
            add(input);
        for (const auto &input : current.implicitInputs)
            add(input);
    }
    for (const auto &output : m_outputs)
        add(output.name);
}

// --- values ---

bool Graph::isGraphOutput(const std::string &value) const
{
    return m_outputNames.count(value) > 0;
}

void Graph::setGraphOutput(size_t index, const std::string &value)
{
    GraphValue &output = m_outputs.at(index);
    output.name = value;
    m_outputNames.clear();
    for (const auto &each : m_outputs)
        m_outputNames.insert(each.name);
}

NodeId Graph::producer(const std::string &value) const
{
    auto it = m_producers.find(value);
    return it == m_producers.end() ? kNoNode : it->second;
}

const std::vector<NodeId> &Graph::readers(const std::string &value) const
{
    auto it = m_readers.find(value);
    return it == m_readers.end() ? kNoReaders : it->second;
}

int Graph::useCount(const std::string &value) const
{
    auto implicit = m_implicitReads.find(value);
    return int(readers(value).size()) + (implicit == m_implicitReads.end() ? 0 : implicit->second)
           + (isGraphOutput(value) ? 1 : 0);
}

NodeId Graph::soleReader(const std::string &value) const
{
    const std::vector<NodeId> &ids = readers(value);
    if (ids.size() != 1 || useCount(value) != 1)
        return kNoNode;
    return ids.front();
}

bool Graph::definesLocally(const std::string &value) const
{
    if (m_producers.count(value) || m_initializers.count(value))
        return true;
    return std::any_of(m_inputs.begin(), m_inputs.end(),
                       [&](const GraphValue &input) { return input.name == value; });
}

bool Graph::definedInScope(const std::string &value) const
{
    for (const Graph *graph = this; graph; graph = graph->m_parent) {
        if (graph->definesLocally(value))
            return true;
    }
    return false;
}

TensorType Graph::valueType(const std::string &value) const
{
    if (auto it = m_types.find(value); it != m_types.end())
        return it->second;
    if (m_sourceGraph >= 0) {
        TensorType type = model()->index().valueType(m_sourceGraph, value);
        if (type.elementType != 0 || type.hasShape)
            return type;
    }
    if (m_parent && !definesLocally(value))
        return m_parent->valueType(value);
    return {};
}

void Graph::setValueType(const std::string &value, TensorType type)
{
    m_types[value] = std::move(type);
}

// --- constants ---

Result<const Tensor *> Graph::constantValue(const std::string &value)
{
    if (auto it = m_initializers.find(value); it != m_initializers.end()) {
        Initializer &initializer = it->second;
        if (!initializer.decoded) {
            Result<Tensor> decoded = tensorFromProto(*initializer.stored, model());
            if (!decoded)
                return decoded.status().withContext("initializer '" + value + "'");
            initializer.value = std::move(*decoded);
            initializer.decoded = true;
        }
        return &initializer.value;
    }
    if (producer(value) != kNoNode)
        return constantNodeValue(value);
    if (m_parent && !definesLocally(value))
        return const_cast<Graph *>(m_parent)->constantValue(value);
    return static_cast<const Tensor *>(nullptr);
}

const Tensor *Graph::constant(const std::string &value)
{
    if (value.empty())
        return nullptr;
    Result<const Tensor *> found = constantValue(value);
    return found ? *found : nullptr;
}

const Tensor *Graph::constantNodeValue(const std::string &value)
{
    if (auto cached = m_constantNodeValues.find(value); cached != m_constantNodeValues.end())
        return &cached->second;
    const onnx::NodeProto &proto = node(producer(value)).proto;
    if (!isDefaultOp(proto, "Constant"))
        return nullptr;
    const onnx::AttributeProto *attribute = findAttribute(proto, "value");
    if (!attribute || !attribute->has_t())
        return nullptr;
    // External data is found by the address of the model's own TensorProto (Model::rawBytes),
    // not of our copy: read such a value through the node the copy was made from.
    const int source = node(producer(value)).sourceId;
    if (attribute->t().data_location() == onnx::TensorProto::EXTERNAL && source >= 0) {
        const onnx::NodeProto &original = *model()->index().nodes()[size_t(source)].proto;
        if (const onnx::AttributeProto *stored = findAttribute(original, "value"))
            attribute = stored;
    }
    Result<Tensor> decoded = tensorFromProto(attribute->t(), model());
    if (!decoded)
        return nullptr;
    return &m_constantNodeValues.emplace(value, std::move(*decoded)).first->second;
}

bool Graph::isInitializer(const std::string &value) const
{
    return m_initializers.count(value) > 0;
}

std::vector<std::string> Graph::initializerNames() const
{
    std::vector<std::string> names;
    for (const auto &name : m_initializerOrder) {
        if (m_initializers.count(name))
            names.push_back(name);
    }
    return names;
}

std::string Graph::addInitializer(const std::string &base, Tensor value)
{
    const std::string name = uniqueValueName(base);
    setInitializer(name, std::move(value));
    return name;
}

void Graph::setInitializer(const std::string &name, Tensor value)
{
    auto [it, inserted] = m_initializers.try_emplace(name);
    if (inserted)
        m_initializerOrder.push_back(name);
    it->second.stored = nullptr;
    it->second.value = std::move(value);
    it->second.decoded = true;
    m_shared->valueNames.insert(name);
}

// --- names ---

std::string Graph::uniqueValueName(const std::string &base)
{
    return firstFree(base, m_shared->valueNames);
}

std::string Graph::uniqueNodeName(const std::string &base)
{
    return firstFree(base, m_shared->nodeNames);
}

} // namespace qs
