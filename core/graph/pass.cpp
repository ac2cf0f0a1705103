#include "graph/pass.h"

namespace qs {

PassPipeline &PassPipeline::add(std::unique_ptr<GraphPass> pass)
{
    m_passes.push_back(std::move(pass));
    return *this;
}

std::vector<std::string_view> PassPipeline::names() const
{
    std::vector<std::string_view> result;
    for (const auto &pass : m_passes)
        result.push_back(pass->name());
    return result;
}

Result<bool> PassPipeline::run(Graph &graph, PassContext &context, Scope scope) const
{
    bool modified = false;
    if (scope == Scope::WithSubgraphs) {
        for (const NodeId id : graph.nodeIds()) {
            bool changed = false;
            for (auto &subgraph : graph.node(id).subgraphs) {
                Result<bool> inner = run(*subgraph.graph, context, scope);
                if (!inner)
                    return inner.status();
                changed |= *inner;
            }
            // A rewritten subgraph may read other values of this graph than before (a weight
            // it quantized into its own initializers no longer): keep the owner's reads true.
            if (changed)
                graph.refreshImplicitInputs(id);
            modified |= changed;
        }
    }
    Result<bool> here = runOnGraph(graph, context);
    if (!here)
        return here.status();
    return modified || *here;
}

Result<bool> PassPipeline::runOnGraph(Graph &graph, PassContext &context) const
{
    // A malformed model (a value read before it is produced) is the loader's diagnostic and the
    // run's error, not a pass bug: check the passes only on graphs that start consistent.
    const bool checkEachPass = graph.checkConsistency().isOk();
    bool modified = false;
    for (const auto &pass : m_passes) {
        if (context.cancelled())
            return cancelled("cancelled before graph pass " + std::string(pass->name()));
        const size_t nodesBefore = graph.nodeCount();
        const auto start = std::chrono::steady_clock::now();
        Result<bool> changed = pass->apply(graph, context);
        if (!changed)
            return changed.status().withContext("graph pass " + std::string(pass->name()));
        context.records.push_back({std::string(pass->name()), graph.path(), *changed, nodesBefore,
                                   graph.nodeCount(),
                                   std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::steady_clock::now() - start)});
        modified |= *changed;
        if (checkEachPass && *changed) {
            Status consistent = graph.checkConsistency();
            if (!consistent)
                return internalError("graph pass " + std::string(pass->name())
                                     + " left the graph inconsistent (a bug in Quantscope, please "
                                       "report it): "
                                     + consistent.message());
        }
    }
    return modified;
}

} // namespace qs
