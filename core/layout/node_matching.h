#pragma once
// Which node of a quantized (or FP16) variant stands for which node of its FP32 reference, so
// that the Graph page can draw the two side by side and select "the same" node in both. No Qt.
//
// A quantizer keeps the float op's name (ours: QDQ and QOperator both keep "conv1"; ONNX
// Runtime's appends "_quant") and adds plumbing around it: QuantizeLinear / DequantizeLinear
// pairs, DynamicQuantizeLinear, the Cast/Mul/Add that rescale a MatMulInteger or ConvInteger's
// int32 result (named after the op: "fc_cast", "fc_output_mul"), the Casts of an FP16
// conversion. Matching therefore goes
//   1. by display name, when the op types agree once quantized forms are read as their float
//      op (QLinearConv and ConvInteger as Conv, MatMulInteger and QLinearMatMul as MatMul,
//      QGemm as Gemm, QLinearAdd as Add, ...);
//   2. by the name with a "_suffix" cut off ("conv1_quant" -> "conv1"), same op-type rule;
//   3. by the tensor the node produces (after a DequantizeLinear, or with the writer's
//      "_quantized" suffix cut off), for nodes a tool renamed;
//   4. by display name whatever the op types: a rewrite that kept the name of the node it
//      replaced (Add/Clip/Div/Mul recognized as a HardSwish named after the Div; the other
//      nodes it replaced stay unmatched).
// What is left of the variant's plumbing is folded into the op it wraps: a Q/DQ pair, a
// DynamicQuantizeLinear or a Cast into the op that reads it (or, when nothing downstream
// computes, the op that produced its input); a DequantizeLinear reading an op's integer
// output into that op; "fc_cast"-like helpers into the matched op whose name they extend and
// whose data they touch. The layout draws a folded node inside its host's box
// (LayoutOptions::foldInto), so both pictures have the same boxes where the models agree.

#include <string>
#include <string_view>
#include <vector>

namespace qs {

class GraphIndex;

struct NodeMatching
{
    // Per reference node id: the variant node standing for it, else -1.
    std::vector<int> variantOf;
    // Per variant node id: the reference node it stands for, else -1 (folded nodes: -1; their
    // host's entry says what they belong to).
    std::vector<int> referenceOf;
    // Per variant node id: the variant node whose box draws it, else -1.
    std::vector<int> foldedInto;
    int matched = 0;
    // Main-graph nodes without a counterpart (Constant nodes left out): in the reference, e.g.
    // a BatchNormalization the quantizer folded into its Conv; in the variant, ops that exist
    // only there and are not plumbing.
    std::vector<int> unmatchedReference;
    std::vector<int> unmatchedVariant;

    // The variant node drawn for reference node `id`: its match, else -1.
    int variantNodeFor(int referenceId) const;
    // The reference node of variant node `id`, through its host when it is folded; -1 if none.
    int referenceNodeFor(int variantId) const;
};

// The float op a quantized form computes ("QLinearConv" -> "Conv", "MatMulInteger" ->
// "MatMul"); any other op type unchanged.
std::string floatOpType(std::string_view opType);

// Matches the main graphs of `reference` and `variant` (subgraph nodes stay unmatched).
NodeMatching matchVariantNodes(const GraphIndex &reference, const GraphIndex &variant);

} // namespace qs
