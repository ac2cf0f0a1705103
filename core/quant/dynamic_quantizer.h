#pragma once
// Dynamic INT8, with standard ONNX ops only (no com.microsoft), like ONNX Runtime's
// quantize_dynamic:
//  - MatMul / Gemm with a constant B: DynamicQuantizeLinear(A) -> MatMulInteger -> Cast ->
//    Mul(A scale x B scale) (-> Add of beta x C for Gemm); one DynamicQuantizeLinear per
//    activation however many nodes read it;
//  - Conv: ConvInteger -> Cast -> Mul(scales) -> Add(bias);
//  - Gather on a constant table (embeddings): the table stored quantized, Gather on it, then
//    DequantizeLinear.
// The node doing the integer work keeps the original node's name and the last node writes the
// original output name, so exclude lists and per-node comparisons keep working.
#include "graph/pass.h"
#include "quant/coverage.h"
#include "quant/node_selection.h"
#include "quant/pass_runner.h"
#include "quantscope.pb.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <memory>
#include <vector>

namespace qs {

class Model;

struct DynamicOptions
{
    quantscope::QuantType matMulWeightType = quantscope::QUANT_TYPE_INT8;
    // ONNX Runtime's CPU ConvInteger implements only uint8 x uint8 (onnxruntime#12558, #15888).
    quantscope::QuantType convWeightType = quantscope::QUANT_TYPE_UINT8;
    bool perChannel = false;
    bool reduceRange = false;
    bool symmetricWeights = true;
};

std::vector<std::string> defaultDynamicOpTypes(); // Conv, MatMul, Gemm, Gather

// The rewrite as a pass over each graph: selected nodes with constant float32 weights become
// their integer patterns; the rest stays as it is, each with the reason in coverage().
class DynamicQuantizePass : public GraphPass
{
public:
    DynamicQuantizePass(NodeSelection selection, const DynamicOptions &options);
    std::string_view name() const override { return "DynamicQuantize"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;

    // Eligible nodes rewritten and left in float so far, over every graph the pass visited.
    const QuantCoverage &coverage() const { return m_coverage; }
    int64_t quantizedNodes() const { return m_coverage.quantized(); }

private:
    NodeSelection m_selection;
    DynamicOptions m_options;
    QuantCoverage m_coverage;
    NodeProgress m_progress{MessageId::StepQuantizingDynamic};
};

struct DynamicResult
{
    onnx::ModelProto model;
    QuantCoverage coverage; // what was quantized, what was left in float and why
    std::vector<Diagnostic> diagnostics;
    int64_t quantizedNodes() const { return coverage.quantized(); }
};

// The dynamic model: DynamicQuantizePass over every graph, unused constants removed.
Result<DynamicResult> quantizeDynamic(std::shared_ptr<const Model> model,
                                      const NodeSelection &selection, const DynamicOptions &options,
                                      Progress &progress);

} // namespace qs
