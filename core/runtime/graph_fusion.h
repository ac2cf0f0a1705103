#pragma once
// Fusions the session applies while compiling a graph (CompileOptions::fuse), each a small pass
// over the planned nodes of one graph:
//  1. FoldBatchNormIntoConv: Conv (constant W, B) -> BatchNormalization (constant params) becomes
//     one Conv with W' = W * gamma / sqrt(var + eps) and B' = (B - mean) * that + beta.
//  2. FuseActivation: Conv / ConvTranspose / Gemm / MatMul -> Relu, Clip, LeakyRelu, Sigmoid,
//     HardSigmoid, HardSwish or Tanh becomes the producer with a FusedActivation.
//  3. The patterns of graph_fusion_patterns.cpp (affine folds, decomposed HardSwish and GELU,
//     MatMul bias, a scalar affine step after an activation).
//  0. Before all of them, the QDQ passes of graph_fusion_qdq.cpp turn DequantizeLinear -> op ->
//     QuantizeLinear groups into int8 ops (QLinearConv, QLinearMatMul, fused table lookups and
//     QLinearAdd/Mul), so that the float passes never split a group.
// Order matters: BatchNorm folding first, so "Conv -> BN -> Relu" ends as one Conv with Relu.
// Both require that the intermediate value has exactly one reader and is not a graph output, so
// nothing else can observe the value that disappears.

#include "runtime/kernel.h"
#include "tensor/tensor.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace qs {

struct NodeInfo;

struct PlannedNode
{
    const NodeInfo *info = nullptr;
    onnx::NodeProto proto;            // a copy; rewritten by fusions
    std::optional<FusedActivation> activation;
    std::string fusedNames;           // "+BatchNormalization 'bn1' +Relu 'r1'" for labels
    bool removed = false;             // absorbed into another node
    std::vector<std::string> implicitInputs; // outer names its subgraphs read
};

// What the passes need from the compiler: the constant value of a name (or null), a way to add
// a new constant, and how many readers (nodes, subgraphs, graph outputs) each value has.
struct FusionContext
{
    std::function<const Tensor *(const std::string &)> constant;
    std::function<void(const std::string &, Tensor)> addConstant;
    std::unordered_map<std::string, int> readers;
    std::unordered_map<std::string, size_t> producerOf; // value -> index in the planned nodes
    std::function<int32_t(const std::string &)> elementType; // ONNX type code, 0 when unknown
    std::function<TensorType(const std::string &)> valueType; // declared or inferred
};

// The single node reading `value` when it has exactly one reader and that reader is a node of
// this graph (not a graph output, not a subgraph); null otherwise.
PlannedNode *soleReader(std::vector<PlannedNode> &nodes, FusionContext &context,
                        const std::string &value);

// True when `node`'s first output is float32: from type inference, or, where inference left the
// value untyped, from the node's constant float32 weight (input 1). Fused activations and
// biases are applied in float32 by the kernels, so only float32 results are fused.
bool producesFloat32(const PlannedNode &node, FusionContext &context);

// The FusedActivation equal to `node` (Relu, Clip with constant bounds, LeakyRelu, Sigmoid,
// HardSigmoid, HardSwish, Tanh, fused Gelu), or nullopt when it is not one.
std::optional<FusedActivation> fusableActivation(const PlannedNode &node, FusionContext &context);

// Fused ops the passes create that ONNX (at our opsets) has no node for live in this domain.
inline constexpr const char *kFusedDomain = "com.quantscope.fused";

// In the order the compiler runs them (graph_fusion_qdq.cpp holds the first five,
// graph_fusion_patterns.cpp the float patterns).
Status fuseQdqConvAndMatMul(std::vector<PlannedNode> &nodes, FusionContext &context);
Status fuseQdqLookupTables(std::vector<PlannedNode> &nodes, FusionContext &context);
Status fuseLookupIntoConv(std::vector<PlannedNode> &nodes, FusionContext &context);
Status fuseQdqBinary(std::vector<PlannedNode> &nodes, FusionContext &context);
Status dropQdqAroundDataMovement(std::vector<PlannedNode> &nodes, FusionContext &context);
Status fuseIntegerMatMulToFloat(std::vector<PlannedNode> &nodes, FusionContext &context); // graph_fusion_integer.cpp
// Last of the int8 passes (graph_fusion_layout.cpp): which 8-bit values stay channels-last.
Status keepInt8ActivationsChannelsLast(std::vector<PlannedNode> &nodes, FusionContext &context);
Status foldBatchNormIntoConv(std::vector<PlannedNode> &nodes, FusionContext &context);
Status foldAffineIntoConv(std::vector<PlannedNode> &nodes, FusionContext &context);
Status recognizeHardSwish(std::vector<PlannedNode> &nodes, FusionContext &context);
Status recognizeGelu(std::vector<PlannedNode> &nodes, FusionContext &context);
Status fuseMatMulBias(std::vector<PlannedNode> &nodes, FusionContext &context);
Status fuseActivations(std::vector<PlannedNode> &nodes, FusionContext &context);
Status fusePostAffine(std::vector<PlannedNode> &nodes, FusionContext &context);

} // namespace qs
