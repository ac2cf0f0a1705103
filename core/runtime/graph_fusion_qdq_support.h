#pragma once
// What the QDQ fusion passes share (graph_fusion_qdq.cpp, graph_fusion_qdq_elementwise.cpp):
// reading the constant parameters of QuantizeLinear / DequantizeLinear nodes and the bookkeeping
// when a group is replaced by one node. Internal to those passes.

#include "runtime/graph_fusion.h"

#include "model/graph_index.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace qs::qdq {

inline bool isDefault(const onnx::NodeProto &node)
{
    return node.domain().empty() || node.domain() == "ai.onnx";
}

inline bool isOp(const PlannedNode *node, const char *opType)
{
    return node && !node->removed && isDefault(node->proto) && node->proto.op_type() == opType;
}

inline PlannedNode *producer(std::vector<PlannedNode> &nodes, FusionContext &context,
                      const std::string &value)
{
    auto found = context.producerOf.find(value);
    if (found == context.producerOf.end() || nodes[found->second].removed)
        return nullptr;
    return &nodes[found->second];
}

inline bool isEightBit(int32_t elementType)
{
    return elementType == static_cast<int32_t>(DType::UInt8)
           || elementType == static_cast<int32_t>(DType::Int8);
}

// The constant scale and zero point of a QuantizeLinear or DequantizeLinear node. The zero
// point may be absent (uint8 0); `zeroPointName` is then empty.
struct QuantParams
{
    std::string scaleName, zeroPointName;
    const Tensor *scale = nullptr;
    const Tensor *zeroPoint = nullptr;
    int64_t axis = 1;

    bool perTensor() const { return scale->elementCount() == 1; }
    float scaleAt(int64_t i) const { return float(scale->doubleAt(perTensor() ? 0 : i)); }
    int32_t zeroPointAt(int64_t i) const
    {
        if (!zeroPoint)
            return 0;
        return int32_t(zeroPoint->intAt(zeroPoint->elementCount() == 1 ? 0 : i));
    }
    bool zeroPointsAreZero() const
    {
        for (int64_t i = 0; zeroPoint && i < zeroPoint->elementCount(); ++i) {
            if (zeroPoint->intAt(i) != 0)
                return false;
        }
        return true;
    }
    DType quantizedType() const { return zeroPoint ? zeroPoint->dtype() : DType::UInt8; }
};

inline std::optional<QuantParams> quantParams(const PlannedNode &node, FusionContext &context)
{
    const onnx::NodeProto &proto = node.proto;
    if (proto.input_size() < 2 || proto.output_size() != 1)
        return std::nullopt;
    QuantParams params;
    params.scaleName = proto.input(1);
    params.scale = context.constant(params.scaleName);
    if (!params.scale || params.scale->dtype() != DType::Float32 || params.scale->rank() > 1)
        return std::nullopt;
    if (proto.input_size() > 2 && !proto.input(2).empty()) {
        params.zeroPointName = proto.input(2);
        params.zeroPoint = context.constant(params.zeroPointName);
        if (!params.zeroPoint || params.zeroPoint->elementCount() != params.scale->elementCount())
            return std::nullopt;
    }
    for (const auto &attr : proto.attribute()) {
        if (attr.name() == "axis")
            params.axis = attr.i();
    }
    return params;
}

// A per-tensor 8-bit DequantizeLinear producing `value`, with its parameters.
struct Dequantized
{
    PlannedNode *node = nullptr;
    QuantParams params;
    const std::string &quantized() const { return node->proto.input(0); }
};

inline std::optional<Dequantized> perTensorDequantize(std::vector<PlannedNode> &nodes,
                                               FusionContext &context, const std::string &value)
{
    PlannedNode *dq = producer(nodes, context, value);
    if (!isOp(dq, "DequantizeLinear"))
        return std::nullopt;
    std::optional<QuantParams> params = quantParams(*dq, context);
    if (!params || !params->perTensor() || !isEightBit(context.elementType(dq->proto.input(0))))
        return std::nullopt;
    return Dequantized{dq, *params};
}

// The QuantizeLinear that is the sole reader of `value` (input 0), per tensor and 8-bit.
inline std::optional<Dequantized> soleQuantizeReader(std::vector<PlannedNode> &nodes,
                                              FusionContext &context, const std::string &value)
{
    PlannedNode *q = soleReader(nodes, context, value);
    if (!isOp(q, "QuantizeLinear") || q->proto.input(0) != value)
        return std::nullopt;
    std::optional<QuantParams> params = quantParams(*q, context);
    if (!params || !params->perTensor() || !isEightBit(static_cast<int32_t>(params->quantizedType())))
        return std::nullopt;
    return Dequantized{q, *params};
}

inline std::string fusedLabel(const PlannedNode &node)
{
    return "+" + node.proto.op_type() + " '" + (node.info ? node.info->displayName : node.proto.name())
           + "'";
}

// Bookkeeping after `fused` took over `absorbed`'s output: the reader counts of the values the
// group consumed drop, and DequantizeLinear nodes nobody reads any more are removed.
inline void releaseInput(std::vector<PlannedNode> &nodes, FusionContext &context, const std::string &value)
{
    int &readers = context.readers[value];
    readers = std::max(0, readers - 1);
    if (readers > 0)
        return;
    PlannedNode *dq = producer(nodes, context, value);
    if (isOp(dq, "DequantizeLinear")) {
        dq->removed = true;
        for (const auto &input : dq->proto.input())
            context.readers[input] = std::max(0, context.readers[input] - 1);
    }
}

inline void takeOutput(std::vector<PlannedNode> &nodes, FusionContext &context, PlannedNode &fused,
                PlannedNode &absorbed)
{
    fused.proto.set_output(0, absorbed.proto.output(0));
    fused.fusedNames += fusedLabel(absorbed);
    context.producerOf[absorbed.proto.output(0)] = static_cast<size_t>(&fused - nodes.data());
    absorbed.removed = true;
}

// A constant zero point for a parameter that has none (uint8 0), added once per graph.
inline std::string zeroPointOrDefault(FusionContext &context, const QuantParams &params)
{
    if (!params.zeroPointName.empty())
        return params.zeroPointName;
    const std::string name = "::qdq::uint8_zero";
    if (!context.constant(name))
        context.addConstant(name, Tensor::scalar<uint8_t>(0));
    return name;
}

} // namespace qs::qdq
