#pragma once
// Static INT8 in QDQ format: QuantizeLinear -> DequantizeLinear pairs on the planned activations,
// weights stored quantized and read through DequantizeLinear (per channel with `axis`), biases
// as int32 with scale = input scale x weight scale. The float ops stay as they are, so any
// runtime runs the model; int8 runtimes fuse "DQ -> op -> Q" into integer kernels. Names: the
// producer keeps writing tensor T, T_QuantizeLinear_Output / T_DequantizeLinear_Output follow,
// and every reader of T reads the dequantized value (a graph output keeps its name: the
// producer writes T_QuantizeLinear_Input instead). Node names of kept nodes never change.
#include "quant/pass_runner.h"
#include "quant/quant_emitter.h"

namespace qs {

class Model;

// The writer as a pass over each graph of the model the plan was made for.
class QdqWritePass : public StaticWritePass
{
public:
    using StaticWritePass::StaticWritePass;
    std::string_view name() const override { return "QdqWrite"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;

private:
    NodeProgress m_progress{MessageId::StepWritingQdq};
};

// The QDQ model: QdqWritePass over every graph, unused constants removed.
Result<onnx::ModelProto> writeQdqModel(std::shared_ptr<const Model> model, const StaticPlan &plan,
                                       const std::map<std::string, TensorRange> &ranges,
                                       const StaticWriteOptions &options, Progress &progress);

} // namespace qs
