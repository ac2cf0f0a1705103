#pragma once
// How the quantizer runs graph passes (graph/pass.h) over a whole model: one Graph built from
// the model, the pipeline over every graph with subgraphs before the node that holds them, the
// constants nothing reads any more swept (weights replaced by their quantized copies), and the
// model back as protobuf. Preparation and every writer (dynamic, QDQ, QOperator, FP16) go
// through here.
#include "graph/pass.h"

#include <onnx/onnx_pb.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace qs {

class Model;

// `context` carries progress and cancellation in, and the pass records and diagnostics out.
Result<onnx::ModelProto> runOnModel(const PassPipeline &pipeline,
                                    std::shared_ptr<const Model> model, PassContext &context);
// One writer pass over `model`; the caller keeps `pass` to read what it counted, and gets the
// diagnostics it reported appended to `diagnostics` when given.
Result<onnx::ModelProto> runOnModel(GraphPass &pass, std::shared_ptr<const Model> model,
                                    Progress &progress,
                                    std::vector<Diagnostic> *diagnostics = nullptr);

// Where a writer puts the nodes it adds: one after the other, in front of a node (or at the end
// of the graph for kNoNode) or after one, so that they run in the order they were made.
class NodeCursor
{
public:
    static NodeCursor before(Graph &graph, NodeId node) { return NodeCursor(graph, node, true); }
    static NodeCursor after(Graph &graph, NodeId node) { return NodeCursor(graph, node, false); }
    NodeId insert(onnx::NodeProto node);

private:
    NodeCursor(Graph &graph, NodeId anchor, bool before)
        : m_graph(graph)
        , m_anchor(anchor)
        , m_before(before)
    {}

    Graph &m_graph;
    NodeId m_anchor; // the node to insert before, or the last node inserted after
    bool m_before;
};

// Per-node progress and cancellation of a writer pass: one unit per node of the model, whichever
// graph the node is in, so that a run over subgraphs counts up to the model's node count once.
class NodeProgress
{
public:
    explicit NodeProgress(MessageId step); // the step's name (util/messages.h)
    // Reports one more node; a cancelled error when the user cancelled.
    Status step(const Graph &graph, PassContext &context);

private:
    Message m_step;
    int64_t m_done = 0;
};

} // namespace qs
