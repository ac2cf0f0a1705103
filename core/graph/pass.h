#pragma once
// Graph passes and the pipeline that runs them, after ONNX Runtime's GraphTransformer: a pass is
// a small class with a name that walks the graph in order, checks cheap conditions first, edits
// through Graph's methods and says whether it changed anything. A pipeline is an ordered list of
// passes built in one function whose comments pin the order (runtime/fusion/fusion_pipeline.cpp
// for the engine, quant/ for the quantizer).
#include "graph/graph.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

// What one pass did to one graph, for diagnostics, `--verbose` output and tests.
struct PassRecord
{
    std::string pass;
    std::string graphPath; // "" for the main graph
    bool modified = false;
    size_t nodesBefore = 0; // in this graph, not counting subgraphs
    size_t nodesAfter = 0;
    std::chrono::microseconds elapsed{0};
};

struct PassContext
{
    // Cancellation is checked between passes and, by long passes, between nodes.
    Progress *progress = nullptr;
    // The engine may produce ops of its own domain (kFusedDomain); graphs written to files keep to
    // standard ONNX and to what other runtimes run.
    bool allowInternalOps = false;
    std::vector<Diagnostic> diagnostics;
    std::vector<PassRecord> records;

    bool cancelled() const { return progress && progress->cancelled(); }
};

class GraphPass
{
public:
    virtual ~GraphPass() = default;
    // A stable name for records and error messages: "FoldAffineIntoConv".
    virtual std::string_view name() const = 0;
    // Rewrites `graph` (not its subgraphs: the pipeline visits those); true when it changed it.
    virtual Result<bool> apply(Graph &graph, PassContext &context) = 0;
};

class PassPipeline
{
public:
    PassPipeline &add(std::unique_ptr<GraphPass> pass);
    template<typename Pass, typename... Args>
    PassPipeline &add(Args &&...args)
    {
        return add(std::make_unique<Pass>(std::forward<Args>(args)...));
    }

    // Which graphs a run visits: the engine compiles (and fuses) each graph on its own, a writer
    // rewrites the whole model, subgraphs before the node that holds them.
    enum class Scope { ThisGraph, WithSubgraphs };

    // Runs every pass in order. A graph that was consistent before (Graph::checkConsistency) must
    // be consistent after each pass, or the run fails naming the pass: a pass bug never reaches a
    // kernel or a saved file. True when any pass changed any graph.
    Result<bool> run(Graph &graph, PassContext &context, Scope scope = Scope::ThisGraph) const;

    std::vector<std::string_view> names() const;

private:
    Result<bool> runOnGraph(Graph &graph, PassContext &context) const;

    std::vector<std::unique_ptr<GraphPass>> m_passes;
};

} // namespace qs
