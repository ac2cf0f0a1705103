// The elementwise QDQ passes (see qdq_conv_matmul.cpp for why QDQ groups are fused at all):
//  - FuseQdqBinary: DQ(a), DQ(b) -> Add/Mul -> Q becomes one pass over the 8-bit inputs, and
//    DQ -> GlobalAveragePool -> Q an integer mean per channel;
//  - DropQdqAroundDataMovement: DQ -> Resize(nearest)/MaxPool/Reshape/... -> Q with the same
//    scale and zero point on both sides becomes the op on the 8-bit values (exact); a Concat of
//    inputs with other scales becomes QLinearConcat with a requantizing table per input (exact).
#include "runtime/fusion/fusion_passes.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"
#include "runtime/fusion/qdq_lookup_table.h"
#include "runtime/fusion/qdq_support.h"

namespace qs {

using namespace qdq;

namespace {

// One scale and zero point value each, equal on both sides.
bool sameParams(const QdqParams &a, const QdqParams &b)
{
    return a.quantizedType() == b.quantizedType() && a.scaleAt(0) == b.scaleAt(0)
           && a.zeroPointAt(0) == b.zeroPointAt(0);
}

// `node` becomes `fused` (inputs already set), writing the output of the QuantizeLinear `y`;
// DequantizeLinear nodes only it read go.
void replaceWithFused(Graph &graph, NodeId node, onnx::NodeProto fused, const Dequantized &y)
{
    const onnx::NodeProto &proto = graph.node(node).proto;
    fused.add_output(proto.output(0));
    const std::vector<std::string> consumed(proto.input().begin(), proto.input().end());
    graph.replaceProto(node, std::move(fused));
    for (const std::string &input : consumed)
        removeUnreadDequantize(graph, input);
    graph.absorbInto(node, y.node);
}

onnx::NodeProto fusedNode(const char *opType)
{
    onnx::NodeProto fused;
    fused.set_domain(kFusedDomain);
    fused.set_op_type(opType);
    return fused;
}

// DQ(x) -> GlobalAveragePool -> Q becomes QLinearGlobalAveragePool (4-D input only).
bool fuseGlobalAveragePool(Graph &graph, NodeId node)
{
    const onnx::NodeProto &proto = graph.node(node).proto;
    if (proto.input_size() != 1 || proto.output_size() != 1)
        return false;
    std::optional<Dequantized> x = perTensorDequantize(graph, proto.input(0));
    std::optional<Dequantized> y = soleQuantizeReader(graph, proto.output(0));
    const TensorType type = graph.valueType(proto.input(0));
    if (!x || !y || !type.hasShape || type.dims.size() != 4)
        return false;
    onnx::NodeProto fused = fusedNode("QLinearGlobalAveragePool");
    for (const std::string &input :
         {x->quantized, x->params.scaleName, zeroPointOrDefault(graph, x->params),
          y->params.scaleName, zeroPointOrDefault(graph, y->params)})
        fused.add_input(input);
    replaceWithFused(graph, node, std::move(fused), *y);
    return true;
}

bool fuseBinary(Graph &graph, NodeId node)
{
    const onnx::NodeProto &proto = graph.node(node).proto;
    if (proto.input_size() != 2 || proto.output_size() != 1)
        return false;
    std::optional<Dequantized> a = perTensorDequantize(graph, proto.input(0));
    std::optional<Dequantized> b = perTensorDequantize(graph, proto.input(1));
    if (!a || !b)
        return false;
    std::optional<Dequantized> y = soleQuantizeReader(graph, proto.output(0));
    if (!y)
        return false;
    onnx::NodeProto fused = fusedNode(proto.op_type() == "Add" ? "QLinearAdd" : "QLinearMul");
    for (const std::string &input :
         {a->quantized, a->params.scaleName, zeroPointOrDefault(graph, a->params), b->quantized,
          b->params.scaleName, zeroPointOrDefault(graph, b->params), y->params.scaleName,
          zeroPointOrDefault(graph, y->params)})
        fused.add_input(input);
    replaceWithFused(graph, node, std::move(fused), *y);
    return true;
}

// DQ inputs with other scales -> Concat -> Q: QLinearConcat with a requantizing table per input
// whose parameters differ from the output's.
void requantizingConcat(Graph &graph, NodeId node, const std::vector<Dequantized> &inputs,
                        const Dequantized &y)
{
    const onnx::NodeProto &proto = graph.node(node).proto;
    onnx::NodeProto fused = fusedNode("QLinearConcat");
    *fused.mutable_attribute() = proto.attribute();
    for (size_t i = 0; i < inputs.size(); ++i) {
        fused.add_input(inputs[i].quantized);
        if (sameParams(inputs[i].params, y.params)) {
            fused.add_input("");
            continue;
        }
        const DType inType = static_cast<DType>(graph.elementType(inputs[i].quantized));
        const std::string table = proto.output(0) + "::requantize_" + std::to_string(i);
        graph.setInitializer(table, lookupTable(inputs[i].params, inType, y.params, [](float *) {}));
        fused.add_input(table);
    }
    replaceWithFused(graph, node, std::move(fused), y);
}

bool isNearestResize(const onnx::NodeProto &node)
{
    return node.op_type() == "Resize" && stringAttribute(node, "mode") == "nearest";
}

} // namespace

Result<bool> FuseQdqBinary::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (isOp(graph, id, "GlobalAveragePool"))
            modified |= fuseGlobalAveragePool(graph, id);
        else if (isOp(graph, id, "Add") || isOp(graph, id, "Mul"))
            modified |= fuseBinary(graph, id);
    }
    return modified;
}

Result<bool> DropQdqAroundDataMovement::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (!graph.isAlive(id))
            continue;
        const onnx::NodeProto &proto = graph.node(id).proto;
        const std::string &op = proto.op_type();
        if (!isDefaultDomain(proto.domain()) || proto.output_size() != 1 || proto.input_size() < 1)
            continue;
        const bool singleData = op == "MaxPool" || op == "Reshape" || op == "Transpose"
                                || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze"
                                || op == "Slice" || isNearestResize(proto);
        if (!singleData && op != "Concat")
            continue;
        std::optional<Dequantized> y = soleQuantizeReader(graph, proto.output(0));
        if (!y)
            continue;
        // The data inputs: the first one, or all of Concat's; the rest (shapes, axes) stay.
        const int dataInputs = singleData ? 1 : proto.input_size();
        std::vector<Dequantized> inputs;
        bool allSame = true;
        for (int i = 0; i < dataInputs; ++i) {
            std::optional<Dequantized> x = perTensorDequantize(graph, proto.input(i));
            if (!x)
                break;
            allSame = allSame && sameParams(x->params, y->params);
            inputs.push_back(*x);
        }
        if (static_cast<int>(inputs.size()) != dataInputs || (!allSame && op != "Concat"))
            continue;
        if (!allSame) {
            requantizingConcat(graph, id, inputs, *y);
        } else {
            for (int i = 0; i < dataInputs; ++i) {
                const std::string consumed = proto.input(i);
                graph.setInput(id, i, inputs[size_t(i)].quantized);
                removeUnreadDequantize(graph, consumed);
            }
            graph.absorbInto(id, y->node);
        }
        modified = true;
    }
    return modified;
}

} // namespace qs
