#include "runtime/fusion/qdq_support.h"

#include "graph/matchers.h"
#include "model/attributes.h"

namespace qs::qdq {

bool isEightBit(int32_t elementType)
{
    return elementType == static_cast<int32_t>(DType::UInt8)
           || elementType == static_cast<int32_t>(DType::Int8);
}

int32_t QdqParams::zeroPointAt(int64_t i) const
{
    if (!zeroPoint)
        return 0;
    return int32_t(zeroPoint->intAt(zeroPoint->elementCount() == 1 ? 0 : i));
}

bool QdqParams::zeroPointsAreZero() const
{
    for (int64_t i = 0; zeroPoint && i < zeroPoint->elementCount(); ++i) {
        if (zeroPoint->intAt(i) != 0)
            return false;
    }
    return true;
}

std::optional<QdqParams> qdqParams(Graph &graph, NodeId node)
{
    const onnx::NodeProto &proto = graph.node(node).proto;
    if (proto.input_size() < 2 || proto.output_size() != 1)
        return std::nullopt;
    QdqParams params;
    params.scaleName = proto.input(1);
    params.scale = graph.constant(params.scaleName);
    if (!params.scale || params.scale->dtype() != DType::Float32 || params.scale->rank() > 1)
        return std::nullopt;
    if (proto.input_size() > 2 && !proto.input(2).empty()) {
        params.zeroPointName = proto.input(2);
        params.zeroPoint = graph.constant(params.zeroPointName);
        if (!params.zeroPoint || params.zeroPoint->elementCount() != params.scale->elementCount())
            return std::nullopt;
    }
    params.axis = intAttribute(proto, "axis", 1);
    return params;
}

std::optional<Dequantized> perTensorDequantize(Graph &graph, const std::string &value)
{
    const NodeId dq = graph.producer(value);
    if (!isOp(graph, dq, "DequantizeLinear"))
        return std::nullopt;
    std::optional<QdqParams> params = qdqParams(graph, dq);
    const std::string &quantized = graph.node(dq).proto.input(0);
    if (!params || !params->perTensor() || !isEightBit(graph.elementType(quantized)))
        return std::nullopt;
    return Dequantized{dq, *params, quantized};
}

std::optional<Dequantized> soleQuantizeReader(Graph &graph, const std::string &value)
{
    const NodeId q = graph.soleReader(value);
    if (!isOp(graph, q, "QuantizeLinear") || graph.node(q).proto.input(0) != value)
        return std::nullopt;
    std::optional<QdqParams> params = qdqParams(graph, q);
    if (!params || !params->perTensor()
        || !isEightBit(static_cast<int32_t>(params->quantizedType())))
        return std::nullopt;
    return Dequantized{q, *params, graph.node(q).proto.input(0)};
}

void removeUnreadDequantize(Graph &graph, const std::string &value)
{
    if (value.empty() || graph.useCount(value) > 0)
        return;
    const NodeId dq = graph.producer(value);
    if (isOp(graph, dq, "DequantizeLinear"))
        graph.removeNode(dq);
}

std::string zeroPointOrDefault(Graph &graph, const QdqParams &params)
{
    if (!params.zeroPointName.empty())
        return params.zeroPointName;
    // This graph's own: a subgraph's kernels see only its own constants as constants.
    const std::string name = "::qdq::uint8_zero";
    if (!graph.isInitializer(name))
        graph.setInitializer(name, Tensor::scalar<uint8_t>(0));
    return name;
}

} // namespace qs::qdq
