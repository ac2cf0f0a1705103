#include "quant/pass_runner.h"

#include "model/graph_index.h"
#include "model/model.h"

namespace qs {

Result<onnx::ModelProto> runOnModel(const PassPipeline &pipeline,
                                    std::shared_ptr<const Model> model, PassContext &context)
{
    auto graph = Graph::fromModel(std::move(model));
    if (!graph)
        return graph.status();
    auto ran = pipeline.run(**graph, context, PassPipeline::Scope::WithSubgraphs);
    if (!ran)
        return ran.status();
    (*graph)->removeUnusedConstants();
    return (*graph)->toModelProto();
}

namespace {

// Lends a pass to a pipeline, which owns what it runs.
class BorrowedPass : public GraphPass
{
public:
    explicit BorrowedPass(GraphPass &pass)
        : m_pass(pass)
    {}
    std::string_view name() const override { return m_pass.name(); }
    Result<bool> apply(Graph &graph, PassContext &context) override
    {
        return m_pass.apply(graph, context);
    }

private:
    GraphPass &m_pass;
};

} // namespace

Result<onnx::ModelProto> runOnModel(GraphPass &pass, std::shared_ptr<const Model> model,
                                    Progress &progress, std::vector<Diagnostic> *diagnostics)
{
    PassPipeline pipeline;
    pipeline.add<BorrowedPass>(pass);
    PassContext context;
    context.progress = &progress;
    auto proto = runOnModel(pipeline, std::move(model), context);
    if (diagnostics)
        diagnostics->insert(diagnostics->end(), context.diagnostics.begin(),
                            context.diagnostics.end());
    return proto;
}

NodeId NodeCursor::insert(onnx::NodeProto node)
{
    if (m_before)
        return m_graph.insertBefore(m_anchor, std::move(node));
    m_anchor = m_graph.insertAfter(m_anchor, std::move(node));
    return m_anchor;
}

NodeProgress::NodeProgress(MessageId step)
    : m_step(makeMessage(step))
{}

Status NodeProgress::step(const Graph &graph, PassContext &context)
{
    if (!context.progress)
        return Status::ok();
    if (context.cancelled())
        return cancelled();
    const auto total = int64_t(graph.model()->index().nodes().size());
    context.progress->reportStep(++m_done, total, m_step);
    return Status::ok();
}

} // namespace qs
