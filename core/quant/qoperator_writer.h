#pragma once
// Static INT8 in QOperator format: Conv -> QLinearConv and MatMul -> QLinearMatMul with int8/
// uint8 tensors between them; pass-through ops (MaxPool, Reshape, Transpose, ...) run directly on
// the quantized tensors; QuantizeLinear/DequantizeLinear appear only where float and quantized
// parts meet. Only standard ONNX ops: the ops ONNX has no QLinear form for (Add, Mul, Gemm,
// ConvTranspose, ...) stay float. A dequantized tensor gets back its original name, so graph
// outputs and float readers see the same names as in the FP32 model.
#include "quant/pass_runner.h"
#include "quant/quant_emitter.h"

namespace qs {

class Model;

// The writer as a pass over each graph of the model the plan was made for.
class QOperatorWritePass : public StaticWritePass
{
public:
    using StaticWritePass::StaticWritePass;
    std::string_view name() const override { return "QOperatorWrite"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;

    // Nodes the plan quantizes that this format leaves float (Add, Gemm, ...), with why.
    const std::vector<NodeLeftInFloat> &leftInFloat() const { return m_leftInFloat; }

private:
    NodeProgress m_progress{MessageId::StepWritingQOperator};
    std::vector<NodeLeftInFloat> m_leftInFloat;
};

// The QOperator model: QOperatorWritePass over every graph, unused constants removed; the
// planned nodes it left float go to `leftInFloat` when given.
Result<onnx::ModelProto> writeQOperatorModel(std::shared_ptr<const Model> model,
                                             const StaticPlan &plan,
                                             const std::map<std::string, TensorRange> &ranges,
                                             const StaticWriteOptions &options, Progress &progress,
                                             std::vector<NodeLeftInFloat> *leftInFloat = nullptr);

} // namespace qs
