#pragma once
// Small tools the quantizers share for rewriting one onnx::GraphProto: names that cannot collide
// with anything in the model, initializers from engine tensors, nodes, and redirecting the
// readers of a value (subgraphs included). A rewrite emits a new node list in topological order
// and swaps it in; nothing here reorders nodes behind the caller's back.
#include "tensor/tensor.h"
#include "util/progress.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace qs {

class GraphRewriter
{
public:
    // Collects every name used in `model` (all graphs), so new names are unique model-wide.
    explicit GraphRewriter(const onnx::ModelProto &model);

    std::string uniqueValueName(const std::string &base);
    std::string uniqueNodeName(const std::string &base);

    // Adds `tensor` as an initializer of `graph` named uniquely after `base`; returns the name.
    std::string addInitializer(onnx::GraphProto &graph, const std::string &base,
                               const Tensor &tensor);

    static onnx::NodeProto makeNode(const std::string &opType,
                                    std::initializer_list<std::string> inputs,
                                    std::initializer_list<std::string> outputs,
                                    const std::string &name);

private:
    std::unordered_set<std::string> m_values;
    std::unordered_set<std::string> m_nodes;
};

// Replaces `from` by `to` in every node input of `graph` and of its subgraphs (where a
// subgraph does not define its own `from`). Graph outputs are left alone.
void renameReaders(onnx::GraphProto &graph, const std::string &from, const std::string &to);

// Removes Constant nodes and initializers that nothing reads any more (weights replaced by their
// quantized copies), in `graph` and its subgraphs.
void removeUnusedConstants(onnx::GraphProto &graph);

// Sets the opset of `domain` ("" = ai.onnx) to at least `version`, adding the import if absent.
void requireOpset(onnx::ModelProto &model, const std::string &domain, int64_t version);

void setIntAttribute(onnx::NodeProto &node, const std::string &name, int64_t value);

// An attribute's value, or `fallback` when the node does not set it.
int64_t intAttribute(const onnx::NodeProto &node, const std::string &name, int64_t fallback);
float floatAttribute(const onnx::NodeProto &node, const std::string &name, float fallback);

} // namespace qs

namespace qs {

class Model;
struct NodeInfo;
struct GraphInfo;

// One quantizer's per-node rewrite. `rewriteModel` calls it for every node of every graph in
// topological order (subgraphs already rewritten inside `node`), with the graph being rebuilt:
// its initializers, inputs, outputs and value_info are copied, its node list starts empty and
// the visitor appends to `out`.
class NodeRewrite
{
public:
    virtual ~NodeRewrite() = default;
    virtual Status beginGraph(const GraphInfo &info, onnx::GraphProto &graph,
                              std::vector<onnx::NodeProto> &out)
    {
        (void) info;
        (void) graph;
        (void) out;
        return Status::ok();
    }
    virtual Status rewriteNode(const NodeInfo &info, onnx::NodeProto node,
                               onnx::GraphProto &graph, std::vector<onnx::NodeProto> &out) = 0;
    virtual Status endGraph(const GraphInfo &info, onnx::GraphProto &graph,
                            std::vector<onnx::NodeProto> &out)
    {
        (void) info;
        (void) graph;
        (void) out;
        return Status::ok();
    }
};

// Input `input` of `node` as a float32 tensor when it is a float32 constant (initializer or
// Constant node, external data included); an empty tensor when it is anything else.
Result<Tensor> floatConstantInput(const std::shared_ptr<const Model> &model, const NodeInfo &node,
                                  int input);

// The model with every graph rebuilt through `rewrite`; unused Constants/initializers removed.
// Progress: one unit per node; cancellation checked per node.
Result<onnx::ModelProto> rewriteModel(const Model &model, NodeRewrite &rewrite,
                                      Progress &progress, const std::string &what);

} // namespace qs
