#pragma once
// Pre-processing before INT8 quantization, the graph clean-up ONNX Runtime asks users to run
// first (quant_pre_process: its basic graph optimizations), done here so nobody has to. It is a
// pipeline of the shared graph passes (graph/passes/), most of which the engine runs too:
//  1. FoldConstants: constant chains (Identity / Cast / Reshape ... of initializers, shape
//     computations) become initializers, so that every later step finds a weight or a bias
//     where the exporter wrapped it in nodes;
//  2. FoldAffineIntoConv: constant per-channel affine steps after a Conv / ConvTranspose
//     (BatchNormalization, Mul / Add / Sub / Div by a scalar or per-channel constant) fold into
//     its weights and bias;
//  3. RecognizeHardSwish: x * Clip(x + 3, 0, 6) / 6 becomes one HardSwish node (opset >= 14);
//  4. FoldInputScaleIntoConv: a scalar Mul / Add in front of a Conv folds into its weights (the
//     Add only where the conv has no padding, since padded zeros are not shifted).
// All are exact. They matter for INT8: a weight the quantizer cannot see as a constant leaves
// its node in float; every value between two ops is a place where a QDQ pair rounds (a
// per-tensor scale before a per-channel BatchNorm is ruinous); and every op left in float
// between int8 ops costs a dequantize/quantize round trip at run time.
// Kept nodes keep their names; a conv writes the output of the last step folded into it, and the
// HardSwish takes the name of the node that ended the pattern.
#include "util/progress.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <memory>

namespace qs {

class Model;

struct PreprocessResult
{
    onnx::ModelProto model;  // empty when nothing changed
    int foldedConstants = 0; // nodes that became initializers (or were read through)
    int foldedIntoConv = 0;  // nodes absorbed by convs
    int hardSwish = 0;       // decomposed HardSwish patterns replaced
    bool changed() const { return foldedConstants + foldedIntoConv + hardSwish > 0; }
};

Result<PreprocessResult> preprocessForQuantization(std::shared_ptr<const Model> model,
                                                   Progress &progress);

} // namespace qs
