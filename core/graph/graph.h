#pragma once
// The one mutable graph every rewrite works on: the engine's fusion passes (runtime/fusion), the
// quantizer's preparation and its dynamic / QDQ / QOperator / FP16 writers (quant/). Built from a
// loaded Model (whose GraphIndex stays the immutable picture the inspector shows), changed by
// GraphPasses (graph/pass.h), then compiled by the engine or written back to an onnx::ModelProto.
//
// What it keeps current through every edit: node order (topological, as the file had it, new
// nodes where the pass puts them), the producer of each value, the readers of each value (node
// inputs with multiplicity, subgraph reads, graph outputs), constants (initializers decoded on
// first use, Constant nodes, tensors passes add), value types (the model's declared and inferred
// types, plus those passes set) and names unique across the whole model.
//
// Rule for passes: change a node's inputs and outputs only through Graph's methods (setInput,
// replaceProto, ...), so that the indexes stay right; op type, domain, name and attributes may be
// edited in place through node(id).proto. checkConsistency() (run after every pass by the
// pipeline) catches a pass that breaks the rule or the topological order.
#include "model/tensor_type.h"
#include "tensor/tensor.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace qs {

class Model;
class Graph;

using NodeId = int32_t;
inline constexpr NodeId kNoNode = -1;

struct GraphValue
{
    std::string name;
    TensorType type;
};

struct GraphNode
{
    // One graph attribute of the node (If's then_branch, Loop's body, Scan's body): the node's
    // proto keeps the attribute without its graph; writeTo fills it in from `graph`.
    struct Subgraph
    {
        std::string attribute;
        int listIndex = -1; // -1: the attribute's `g`; else position in its `graphs`
        std::unique_ptr<Graph> graph;
    };

    onnx::NodeProto proto;
    std::string displayName; // the file's name, or "<OpType>_<index>" (GraphIndex's display name)
    int opsetVersion = 0;    // of the node's domain
    int sourceId = -1;       // GraphIndex node id it was built from; -1 for nodes a pass made
    std::vector<std::string> absorbed;       // labels of nodes fused into it: "+Relu 'relu1'"
    std::vector<std::string> implicitInputs; // outer names its subgraphs read
    std::vector<Subgraph> subgraphs;

    const std::string &opType() const { return proto.op_type(); }
    const std::string &domain() const { return proto.domain(); }
};

// A node of the default domain; no name when `name` is empty.
onnx::NodeProto makeNode(const std::string &opType, std::initializer_list<std::string> inputs,
                         std::initializer_list<std::string> outputs, const std::string &name = {});

class Graph
{
public:
    // The model's main graph, with every If/Loop/Scan body below its node.
    static Result<std::unique_ptr<Graph>> fromModel(std::shared_ptr<const Model> model);

    Graph(const Graph &) = delete;
    Graph &operator=(const Graph &) = delete;
    ~Graph();

    const std::shared_ptr<const Model> &model() const;
    const Graph *parent() const { return m_parent; }
    // "" for the main graph, "Loop_3/body" below it (GraphIndex's paths).
    const std::string &path() const { return m_path; }
    // The opset of `domain` ("" = ai.onnx) imported by the model; 0 when not imported.
    int opsetVersion(const std::string &domain) const;

    // --- nodes, in order ---
    std::vector<NodeId> nodeIds() const; // a snapshot: edits while iterating are safe
    size_t nodeCount() const { return m_liveNodes; }
    bool isAlive(NodeId id) const;
    GraphNode &node(NodeId id);
    const GraphNode &node(NodeId id) const;
    // "+Relu 'relu1'": how a fused node names what it absorbed.
    std::string fusionLabel(NodeId id) const;

    // Inserts `proto` before `before` (at the end for kNoNode). The node's display name is its
    // name, its opset the model's for its domain.
    NodeId insertBefore(NodeId before, onnx::NodeProto proto);
    NodeId insertAfter(NodeId after, onnx::NodeProto proto);
    NodeId append(onnx::NodeProto proto) { return insertBefore(kNoNode, std::move(proto)); }
    void removeNode(NodeId id);
    // Replaces op, inputs, outputs and attributes; name, display name and the rest stay.
    void replaceProto(NodeId id, onnx::NodeProto proto);
    void setInput(NodeId id, int index, const std::string &value);
    void addInput(NodeId id, const std::string &value);
    void setOutput(NodeId id, int index, const std::string &value);
    // `keeper` takes over `absorbed`'s first output (its own first output disappears) and its
    // fusion labels; `absorbed` is removed.
    void absorbInto(NodeId keeper, NodeId absorbed);
    // Every node input of this graph reading `from` reads `to` instead, and so does every
    // subgraph that reads `from` from here. Graph outputs are left alone.
    void replaceUses(const std::string &from, const std::string &to);
    // Recomputes the outer values node `id`'s subgraphs read, after a pass made a subgraph read
    // other values of this graph (or of an enclosing one) than before. PassPipeline does it
    // after running on a node's subgraphs; a pass that edits subgraphs itself calls it.
    void refreshImplicitInputs(NodeId id);

    // --- values ---
    const std::vector<GraphValue> &inputs() const { return m_inputs; }
    const std::vector<GraphValue> &outputs() const { return m_outputs; }
    bool isGraphOutput(const std::string &value) const;
    // Output `index` of the graph becomes `value`. Subgraph outputs bind by position, so a pass
    // may point one at another value; the main graph's output names are the model's interface.
    void setGraphOutput(size_t index, const std::string &value);
    // The node of this graph producing `value`, or kNoNode (graph inputs, initializers, values of
    // enclosing graphs).
    NodeId producer(const std::string &value) const;
    // Nodes of this graph reading `value`, once per input that reads it.
    const std::vector<NodeId> &readers(const std::string &value) const;
    // Node inputs, subgraph reads and graph outputs that use `value`.
    int useCount(const std::string &value) const;
    // The node reading `value` when it is its only use (not a graph output, not a subgraph).
    NodeId soleReader(const std::string &value) const;
    // Declared or inferred type (the model's), or the one a pass set; scoped like ONNX names.
    TensorType valueType(const std::string &value) const;
    int32_t elementType(const std::string &value) const { return valueType(value).elementType; }
    // A type set here is also the element type writeTo gives the value where the graph declares
    // it (inputs, outputs, value_info).
    void setValueType(const std::string &value, TensorType type);

    // --- constants ---
    // The value of an initializer, of a Constant node's output, or of a tensor a pass added,
    // here or in an enclosing graph; null when `value` is none of these or fails to decode.
    const Tensor *constant(const std::string &value);
    // The same, telling a tensor that fails to decode (the error names it) from a non-constant.
    Result<const Tensor *> constantValue(const std::string &value);
    bool isInitializer(const std::string &value) const;
    std::vector<std::string> initializerNames() const;
    // Adds an initializer named uniquely after `base`; returns its name.
    std::string addInitializer(const std::string &base, Tensor value);
    // Adds or replaces the initializer called exactly `name` (engine-internal names).
    void setInitializer(const std::string &name, Tensor value);
    // Removes Constant nodes and initializers nothing reads any more, here and in subgraphs
    // (subgraphs first: their reads keep outer constants alive). Initializers listed as graph
    // inputs stay: removing one would turn an optional input into a required one.
    void removeUnusedConstants();

    // --- names ---
    // Names not used anywhere in the model: base, or base_1, base_2, ...
    std::string uniqueValueName(const std::string &base);
    std::string uniqueNodeName(const std::string &base);

    // --- checks and output ---
    // Internal error naming the first broken invariant: an index out of date, an input read
    // before it is produced, a value produced twice.
    Status checkConsistency() const;
    // This graph as a GraphProto: nodes in order, subgraphs written into their attributes,
    // initializers (unchanged ones copied as stored, external data references included),
    // inputs, outputs, and the value_info of values still present.
    Status writeTo(onnx::GraphProto &graph) const;
    // The whole model with this (main) graph.
    Result<onnx::ModelProto> toModelProto() const;

private:
    struct Shared;
    struct Slot
    {
        GraphNode node;
        bool alive = false;
        NodeId previous = kNoNode;
        NodeId next = kNoNode;
    };
    struct Initializer
    {
        const onnx::TensorProto *stored = nullptr; // the model's, until a pass replaces it
        Tensor value;                              // decoded on first use, or set by a pass
        bool decoded = false;
    };

    Graph(std::shared_ptr<Shared> shared, const Graph *parent);
    static Result<std::unique_ptr<Graph>> build(std::shared_ptr<Shared> shared, int graphId,
                                                const Graph *parent);
    Status buildNodes(int graphId);

    NodeId link(GraphNode node, NodeId before);
    void indexNode(NodeId id);
    void unindexNode(NodeId id);
    void removeReader(const std::string &value, NodeId id);
    bool definesLocally(const std::string &value) const;
    bool definedInScope(const std::string &value) const;
    // Values this graph's nodes, subgraphs and outputs read from enclosing graphs.
    void collectOuterReads(std::unordered_set<std::string> &out) const;
    const Tensor *constantNodeValue(const std::string &value);

    std::shared_ptr<Shared> m_shared; // model, opsets, name registry: one per model
    const Graph *m_parent = nullptr;
    int m_sourceGraph = -1; // GraphIndex graph id
    std::string m_path;
    const onnx::GraphProto *m_sourceProto = nullptr;

    std::deque<Slot> m_slots;
    NodeId m_first = kNoNode;
    NodeId m_last = kNoNode;
    size_t m_liveNodes = 0;

    std::vector<GraphValue> m_inputs;
    std::vector<GraphValue> m_outputs;
    std::unordered_set<std::string> m_outputNames;
    std::unordered_map<std::string, NodeId> m_producers;
    std::unordered_map<std::string, std::vector<NodeId>> m_readers;
    std::unordered_map<std::string, int> m_implicitReads;
    std::unordered_map<std::string, TensorType> m_types;

    std::unordered_map<std::string, Initializer> m_initializers;
    std::vector<std::string> m_initializerOrder; // as stored, then added ones
    std::unordered_map<std::string, Tensor> m_constantNodeValues;
};

} // namespace qs
