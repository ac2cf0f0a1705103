// FuseDequantizedMatMulOutput (fusion_passes.h): a QGemm or QLinearMatMul whose 8-bit output is
// read by nothing but a DequantizeLinear of the same scale and zero point writes the dequantized
// floats itself. The values are the same: the kernel still rounds and saturates to the 8-bit
// grid, then maps each step back to float, in the pass that wrote the int8 values before.
#include "runtime/fusion/fusion_passes.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"
#include "runtime/fusion/qdq_support.h"

namespace qs {

using namespace qdq;

namespace {

// The scalar constant `name`, or nullptr.
const Tensor *scalar(Graph &graph, const std::string &name)
{
    const Tensor *tensor = name.empty() ? nullptr : graph.constant(name);
    return tensor && tensor->elementCount() == 1 ? tensor : nullptr;
}

bool fuseDequantizedOutput(Graph &graph, NodeId id)
{
    const GraphNode &node = graph.node(id);
    const bool qgemm = node.domain() == kFusedDomain && node.opType() == "QGemm";
    if (!qgemm && !isOp(graph, id, "QLinearMatMul"))
        return false;
    const onnx::NodeProto &proto = node.proto;
    if (proto.input_size() < 8 || proto.output_size() != 1
        || intAttribute(proto, kDequantizedOutputAttribute, 0) != 0)
        return false;
    const NodeId dq = graph.soleReader(proto.output(0));
    if (!isOp(graph, dq, "DequantizeLinear") || graph.node(dq).proto.input(0) != proto.output(0))
        return false;
    const std::optional<QdqParams> params = qdqParams(graph, dq);
    const Tensor *yScale = scalar(graph, proto.input(6));
    const Tensor *yZero = scalar(graph, proto.input(7));
    if (!params || !params->perTensor() || !params->zeroPoint || !yScale || !yZero
        || params->zeroPoint->dtype() != yZero->dtype()
        || params->scaleAt(0) != float(yScale->doubleAt(0))
        || params->zeroPointAt(0) != int32_t(yZero->doubleAt(0)))
        return false;
    onnx::NodeProto fused = proto;
    fused.set_domain(kFusedDomain);
    fused.set_op_type("QGemm"); // QLinearMatMul's inputs are QGemm's without the bias
    setIntAttribute(fused, kDequantizedOutputAttribute, 1);
    const std::string floats = graph.node(dq).proto.output(0);
    graph.replaceProto(id, std::move(fused));
    graph.removeNode(dq);
    graph.setOutput(id, 0, floats);
    return true;
}

} // namespace

Result<bool> FuseDequantizedMatMulOutput::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (graph.isAlive(id))
            modified |= fuseDequantizedOutput(graph, id);
    }
    return modified;
}

} // namespace qs
