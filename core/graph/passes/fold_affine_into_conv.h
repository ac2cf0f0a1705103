#pragma once
// Per-channel affine steps after a convolution fold into its weights and bias: BatchNormalization
// (inference form) and Mul / Add / Sub / Div by a scalar or per-channel constant after a Conv or
// ConvTranspose with constant float32 weights, what ONNX Runtime's ConvBNFusion, ConvMulFusion
// and ConvAddFusion do. Exact up to float rounding. The engine runs it so that a Conv -> BN ->
// Relu ends as one Conv with its Relu; the quantizer runs it because every value between two ops
// is a place where a QDQ pair rounds (a per-tensor scale in front of a per-channel BatchNorm is
// ruinous). The conv takes the output of the last folded step; kept nodes keep their names.
#include "graph/pass.h"

namespace qs {

class FoldAffineIntoConv : public GraphPass
{
public:
    std::string_view name() const override { return "FoldAffineIntoConv"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

// A scalar Mul / Add / Sub / Div in front of a Conv folds into its weights (the shift into its
// bias, only where the conv has no padding, since padded zeros are not shifted).
class FoldInputScaleIntoConv : public GraphPass
{
public:
    std::string_view name() const override { return "FoldInputScaleIntoConv"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

} // namespace qs
