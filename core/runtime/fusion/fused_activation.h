#pragma once
// The engine's reading of fused activations in a Graph (graph/fused_ops.h): an activation fused
// into its producer is stored as two attributes of the producer, and the session hands it to the
// kernel as KernelInfo::fusedActivation(). Also the activation recognisers the fusion passes
// share.
#include "graph/graph.h"
#include "runtime/kernel.h"

#include <optional>

namespace qs {

void setFusedActivation(onnx::NodeProto &node, const FusedActivation &activation);
// Null when the node carries none (or a malformed one).
std::optional<FusedActivation> fusedActivationOf(const onnx::NodeProto &node);
void clearFusedActivation(onnx::NodeProto &node);
bool hasFusedActivation(const onnx::NodeProto &node);

// The FusedActivation equal to node `id` (Relu, Clip with constant bounds, LeakyRelu, Sigmoid,
// HardSigmoid, HardSwish, Tanh, fused Gelu), or nullopt when it is not one.
std::optional<FusedActivation> fusableActivation(Graph &graph, NodeId id);

// True when the node's first output is float32: from type inference, or, where inference left
// the value untyped, from the node's constant float32 weight (input 1). Fused activations and
// biases are applied in float32 by the kernels, so only float32 results are fused.
bool producesFloat32(Graph &graph, NodeId id);

} // namespace qs
