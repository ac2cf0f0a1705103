#pragma once
// Multiply-accumulate counts of the heavy ops, from the shapes in the graph index. They rank
// nodes by compute in the inspector and tell which ops quantization pays off for.

#include <cstdint>
#include <optional>

namespace onnx {
class NodeProto;
}

namespace qs {

struct NodeInfo;

// MACs of one run of a Conv, ConvTranspose, MatMul or Gemm node whose shapes are known;
// std::nullopt for other ops or unknown shapes. A symbolic batch (leading) dim counts as 1: the
// figure is then per sample.
std::optional<int64_t> computeMacs(const NodeInfo &node, const onnx::NodeProto &proto);

} // namespace qs
