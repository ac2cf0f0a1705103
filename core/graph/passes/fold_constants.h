#pragma once
// Constant chains become constants, as ONNX Runtime's constant folding does in the
// quant_pre_process step its quantization tools ask for. Exporters wrap weights and shapes in
// nodes: torch.onnx.export reads a shared parameter through an Identity, writes Casts and
// Reshapes of weights and Shape -> Gather -> Unsqueeze -> Concat chains for shapes. A quantizer
// that looks for an initializer as a Conv's bias or a MatMul's weight leaves every such node in
// float (issue 16: 4 of a ResNet-18's 20 Convs were quantized), so the quantizer runs this first.
//
// What folds, in one walk in topological order (a folded value is a constant for the nodes after
// it):
//  - Identity of a constant: its readers read the constant itself, so a parameter shared
//    through Identity nodes stays one tensor in the saved file;
//  - Cast, Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Gather, Concat, Slice,
//    ConstantOfShape, Add / Sub / Mul / Div whose inputs are all constants
//    (graph/passes/constant_evaluation.h): the node becomes an initializer of the same name;
//  - Shape and Size of any value whose shape the model fixes completely;
//  - Constant nodes written as value_float(s) / value_int(s), which readers of constants do not
//    decode, become initializers.
// What never folds: a graph output's producer (the model's interface keeps its nodes), ops with
// subgraphs, random or unlisted ops, and a result with more elements than its inputs together
// (beyond a small allowance): folding must not make the file grow, as a ConstantOfShape would.
// Initializers count as constants even when a graph input of the same name could override them,
// as they do for the quantizer's weights.
#include "graph/pass.h"

namespace qs {

class FoldConstants : public GraphPass
{
public:
    std::string_view name() const override { return "FoldConstants"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

} // namespace qs
