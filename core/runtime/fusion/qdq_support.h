#pragma once
// What the QDQ fusion passes share (qdq_conv_matmul.cpp, qdq_tables.cpp, qdq_elementwise.cpp):
// the constant parameters of QuantizeLinear / DequantizeLinear nodes, the per-tensor 8-bit groups
// they recognise, and the clean-up after a group became one node. Internal to those passes.
#include "graph/graph.h"

#include <optional>
#include <string>

namespace qs::qdq {

bool isEightBit(int32_t elementType);

// The constant scale and zero point of a QuantizeLinear or DequantizeLinear node. The zero
// point may be absent (uint8 0); `zeroPointName` is then empty.
struct QdqParams
{
    std::string scaleName, zeroPointName;
    const Tensor *scale = nullptr;
    const Tensor *zeroPoint = nullptr;
    int64_t axis = 1;

    bool perTensor() const { return scale->elementCount() == 1; }
    float scaleAt(int64_t i) const { return float(scale->doubleAt(perTensor() ? 0 : i)); }
    int32_t zeroPointAt(int64_t i) const;
    bool zeroPointsAreZero() const;
    DType quantizedType() const { return zeroPoint ? zeroPoint->dtype() : DType::UInt8; }
};

std::optional<QdqParams> qdqParams(Graph &graph, NodeId node);

// A per-tensor 8-bit QuantizeLinear or DequantizeLinear node with its parameters; `quantized` is
// the 8-bit side (the DQ's input, the Q's output... read through the node's input 0 for a DQ).
struct Dequantized
{
    NodeId node = kNoNode;
    QdqParams params;
    std::string quantized; // a DequantizeLinear's 8-bit input
};

// The per-tensor 8-bit DequantizeLinear producing `value`.
std::optional<Dequantized> perTensorDequantize(Graph &graph, const std::string &value);
// The QuantizeLinear that is the sole reader of `value` (input 0), per tensor and 8-bit.
std::optional<Dequantized> soleQuantizeReader(Graph &graph, const std::string &value);

// After a fused node stopped reading `value`: a DequantizeLinear producing it that nothing reads
// any more is removed.
void removeUnreadDequantize(Graph &graph, const std::string &value);

// A constant zero point for parameters that have none (uint8 0), added once per graph.
std::string zeroPointOrDefault(Graph &graph, const QdqParams &params);

} // namespace qs::qdq
