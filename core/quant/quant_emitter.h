#pragma once
// What the static writers (QDQ and QOperator passes) share: quantization parameters of
// calibrated activations, and weights/biases turned into quantized initializers of the graph
// being written, each made once and reused by every node that reads the same tensor.
#include "graph/graph.h"
#include "graph/pass.h"
#include "quant/calibration/range_collector.h"
#include "quant/quant_params.h"
#include "quant/static_plan.h"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace qs {

struct StaticWriteOptions
{
    quantscope::QuantType activationType = quantscope::QUANT_TYPE_UINT8;
    quantscope::QuantType weightType = quantscope::QUANT_TYPE_INT8;
    bool perChannel = false;
    bool reduceRange = false;
    bool symmetricActivations = false;
    bool symmetricWeights = true;
};

// Names of a scale / zero-point initializer pair.
struct ScaleZeroPoint
{
    std::string scale;
    std::string zeroPoint;
    QuantParams params; // per-tensor params (activations); weights may be per channel
};

struct QuantizedInitializer
{
    std::string values; // initializer name
    ScaleZeroPoint scaleZeroPoint;
    std::vector<float> scales; // one, or per channel
    int64_t axis = -1;
};

// One emitter per graph a writer pass visits (subgraphs get their own): initializers go to that
// graph, and what it made once is reused within it. Nodes are described by the model's
// GraphIndex node they were built from (GraphNode::sourceId): the plan and the calibrated
// ranges name the values as the model did, before the writer renamed any reader.
class QuantEmitter
{
public:
    QuantEmitter(Graph &graph, const StaticPlan &plan,
                 const std::map<std::string, TensorRange> &ranges,
                 const StaticWriteOptions &options);

    // The GraphIndex node `id` was built from; null for nodes a pass made.
    const NodeInfo *sourceNode(NodeId id) const;

    // Params of a planned activation with a calibrated range; nullopt otherwise (it stays float).
    std::optional<QuantParams> activationParams(const std::string &tensor) const;
    // The scale/zero-point initializers of an activation, added once. Pass-through outputs share
    // their input's pair.
    ScaleZeroPoint activationScaleZeroPoint(const std::string &tensor);

    // The value is a constant (initializer or Constant node, here or in an enclosing graph).
    bool isConstant(const std::string &value);
    // `node`'s weight input quantized (per channel along the layout's axis when asked and the
    // op/rank allow it). Fails when the weight is not a float32 constant.
    Result<QuantizedInitializer> weight(const NodeInfo &node, bool allowPerChannel);
    // The bias as int32 with scale inputScale x weight scale; weight scales of a grouped
    // ConvTranspose (per channel of one group) are expanded to every output channel.
    Result<QuantizedInitializer> bias(const NodeInfo &node, const QuantizedInitializer &weight,
                                      float inputScale);
    // A constant operand of a computing op (Add's constant term) quantized per tensor with the
    // activation type.
    Result<QuantizedInitializer> constantOperand(const NodeInfo &node, int input);

    onnx::NodeProto quantizeNode(const std::string &input, const ScaleZeroPoint &params,
                                 const std::string &output, const std::string &nodeBase);
    onnx::NodeProto dequantizeNode(const std::string &input, const ScaleZeroPoint &params,
                                   const std::string &output, const std::string &nodeBase,
                                   int64_t axis = -1);

    Graph &graph() { return m_graph; }
    const StaticPlan &plan() const { return m_plan; }

private:
    Result<Tensor> floatConstant(const NodeInfo &node, int input);
    // A constant input quantized once (weights shared by several nodes, constant operands),
    // with options chosen from its values.
    Result<QuantizedInitializer> cachedConstant(
        const NodeInfo &node, int input, DType zeroPointType,
        const std::function<WeightQuantOptions(const Tensor &)> &optionsFor);
    QuantizedInitializer addQuantized(const std::string &base, const QuantizedTensor &quantized,
                                      DType zeroPointType);

    Graph &m_graph;
    const StaticPlan &m_plan;
    const std::map<std::string, TensorRange> &m_ranges;
    const StaticWriteOptions &m_options;
    std::map<std::string, ScaleZeroPoint> m_activationPairs; // by the tensor giving the range
    std::map<std::string, QuantizedInitializer> m_weights;   // by constant name
};

// What the static writer passes (QDQ, QOperator) hold: the plan (GraphIndex node ids, matched
// through GraphNode::sourceId), the calibrated ranges and the options. Each apply writes one
// graph with its own QuantEmitter.
class StaticWritePass : public GraphPass
{
public:
    StaticWritePass(const StaticPlan &plan, const std::map<std::string, TensorRange> &ranges,
                    const StaticWriteOptions &options)
        : m_plan(plan)
        , m_ranges(ranges)
        , m_options(options)
    {}

protected:
    const StaticPlan &m_plan;
    const std::map<std::string, TensorRange> &m_ranges;
    StaticWriteOptions m_options;
};

} // namespace qs
