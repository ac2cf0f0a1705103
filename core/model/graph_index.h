#pragma once
// The graph index: every node of the model (subgraphs of If/Loop/Scan included) in topological
// order, with display names, value types, producers and consumers, and per-node facts (opset,
// parameters, MACs). Built once from the protobuf; read-only afterwards.

#include "model/tensor_type.h"
#include "util/diagnostic.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace onnx {
class GraphProto;
class ModelProto;
class NodeProto;
class TensorProto;
} // namespace onnx

namespace qs {

struct ValueRef
{
    std::string name; // empty for an omitted optional input
    TensorType type;
};

struct AttributeSummary
{
    std::string name;
    std::string value; // "[1,1]", "3", "'NOTSET'", "<graph: 12 nodes>", ...
    // Not in the file: the value ONNX's schema gives an attribute the node leaves out (Netron
    // shows them too, greyed: "auto_pad 'NOTSET'", "group 1"). Listed after the node's own.
    bool isDefault = false;
};

// Adds to `out` the names `graph` (a subgraph) reads from enclosing graphs: used by its nodes,
// their subgraphs or its outputs, and defined by none of its inputs, initializers or nodes.
void collectOuterReferences(const onnx::GraphProto &graph, std::unordered_set<std::string> &out);
// Adds to `out` the names the graph attributes of `node` read from the node's scope.
void collectSubgraphReads(const onnx::NodeProto &node, std::unordered_set<std::string> &out);

struct NodeInfo
{
    int id = 0;        // position in GraphIndex::nodes(): main graph first, subgraphs after owner
    int graph = 0;     // GraphInfo id
    int fileIndex = 0; // position inside its graph as stored in the file
    const onnx::NodeProto *proto = nullptr;

    std::string name;        // as in the file, possibly empty
    std::string displayName; // name, or "<OpType>_<id>" for unnamed nodes
    std::string opType;
    std::string domain;
    int opsetVersion = 0;

    std::vector<ValueRef> inputs;
    std::vector<ValueRef> outputs;
    std::vector<AttributeSummary> attributes;
    std::vector<int> subgraphs; // GraphInfo ids of its graph attributes

    // Elements of the constant tensors it consumes: initializers and the values of Constant nodes
    // (exporters such as paddle2onnx store every weight as a Constant node).
    int64_t paramCount = 0;
    int64_t paramBytes = 0;
    std::optional<int64_t> macs; // Conv / ConvTranspose / MatMul / Gemm with known shapes
};

struct GraphInfo
{
    int id = 0;
    int parent = -1;    // enclosing graph, -1 for the main graph
    int ownerNode = -1; // node whose attribute holds this graph
    std::string path;   // "" for the main graph, "Loop_3/body", "Loop_3/body/If_7/then_branch"
    const onnx::GraphProto *proto = nullptr;
    std::vector<int> nodes;       // node ids in topological order
    std::vector<ValueRef> inputs; // graph inputs that are not initializers
    std::vector<ValueRef> outputs;
    std::unordered_map<std::string, const onnx::TensorProto *> initializers;
};

class GraphIndex
{
public:
    // `annotated` is `model` as annotated by shape inference (same structure, inferred
    // value_info); problems found while indexing are appended to `diagnostics`.
    static GraphIndex build(const onnx::ModelProto &model, const onnx::ModelProto &annotated,
                            std::vector<Diagnostic> &diagnostics);

    const std::vector<NodeInfo> &nodes() const { return m_nodes; }
    const std::vector<GraphInfo> &graphs() const { return m_graphs; }
    const GraphInfo &mainGraph() const { return m_graphs.front(); }

    // Lookups follow ONNX scoping: a name not defined in `graph` is searched in its ancestors.
    const NodeInfo *producer(int graph, const std::string &value) const;
    std::vector<const NodeInfo *> consumers(int graph, const std::string &value) const;
    const onnx::TensorProto *initializer(int graph, const std::string &value) const;
    // The initializer, or the tensor of the Constant node (attribute `value`) producing `value`.
    const onnx::TensorProto *constantTensor(int graph, const std::string &value) const;
    TensorType valueType(int graph, const std::string &value) const;

    const NodeInfo *findByDisplayName(const std::string &name) const;

private:
    friend class GraphIndexBuilder;

    struct Scope
    {
        std::unordered_map<std::string, int> producers;
        std::unordered_map<std::string, std::vector<int>> consumers;
        std::unordered_map<std::string, TensorType> types;
    };

    std::vector<NodeInfo> m_nodes;
    std::vector<GraphInfo> m_graphs;
    std::vector<Scope> m_scopes; // one per graph, same ids
    std::unordered_map<std::string, int> m_byDisplayName;
};

} // namespace qs
