#include "graph/passes/recognize_hardswish.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"

namespace qs {

Result<bool> RecognizeHardSwish::apply(Graph &graph, PassContext &context)
{
    const bool standardOp = graph.opsetVersion("") >= 14;
    if (!standardOp && !context.allowInternalOps)
        return false;
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        const std::optional<HardSwishMatch> match = matchHardSwish(graph, id);
        if (!match)
            continue;
        const std::string lastName = graph.node(match->last).proto.name();
        const std::string lastDisplayName = graph.node(match->last).displayName;
        onnx::NodeProto hardSwish;
        hardSwish.set_op_type("HardSwish");
        if (!standardOp)
            hardSwish.set_domain(kFusedDomain);
        hardSwish.add_input(match->input);
        hardSwish.add_output(graph.node(match->add).proto.output(0));
        graph.replaceProto(match->add, std::move(hardSwish));
        GraphNode &node = graph.node(match->add);
        node.opsetVersion = standardOp ? graph.opsetVersion("") : 1;
        for (const NodeId inner : {match->clip, match->mul}) {
            node.absorbed.push_back(graph.fusionLabel(inner));
            graph.removeNode(inner);
        }
        graph.absorbInto(match->add, match->last);
        node.proto.set_name(lastName);
        node.displayName = lastDisplayName;
        modified = true;
    }
    return modified;
}

} // namespace qs
