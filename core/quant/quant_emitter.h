#pragma once
// What the static writers (QDQ and QOperator) share: quantization parameters of calibrated
// activations, and weights/biases turned into quantized initializers, each made once per graph
// and reused by every node that reads the same tensor.
#include "quant/calibration/range_collector.h"
#include "quant/graph_rewrite.h"
#include "quant/quant_params.h"
#include "quant/static_plan.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace qs {

class Model;

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

class QuantEmitter
{
public:
    QuantEmitter(std::shared_ptr<const Model> model, const StaticPlan &plan,
                 const std::map<std::string, TensorRange> &ranges, StaticWriteOptions options,
                 GraphRewriter &names);

    // Params of a planned activation with a calibrated range; nullopt otherwise (it stays float).
    std::optional<QuantParams> activationParams(const std::string &tensor) const;
    // The scale/zero-point initializers of an activation, added to `graph` once. Pass-through
    // outputs share their input's pair.
    ScaleZeroPoint activationScaleZeroPoint(onnx::GraphProto &graph, const std::string &tensor);

    // `node`'s weight input quantized (per channel along the layout's axis when asked and the
    // op/rank allow it). Fails when the weight is not a float32 constant.
    Result<QuantizedInitializer> weight(onnx::GraphProto &graph, const NodeInfo &node,
                                        bool allowPerChannel);
    // The bias as int32 with scale inputScale x weight scale; `outputChannels` expands weight
    // scales of grouped ConvTranspose (per channel of one group) to every output channel.
    Result<QuantizedInitializer> bias(onnx::GraphProto &graph, const NodeInfo &node,
                                      const QuantizedInitializer &weight, float inputScale);
    // A constant operand of a computing op (Add's constant term) quantized per tensor with the
    // activation type.
    Result<QuantizedInitializer> constantOperand(onnx::GraphProto &graph, const NodeInfo &node,
                                                 int input);

    onnx::NodeProto quantizeNode(const std::string &input, const ScaleZeroPoint &params,
                                 const std::string &output, const std::string &nodeBase);
    onnx::NodeProto dequantizeNode(const std::string &input, const ScaleZeroPoint &params,
                                   const std::string &output, const std::string &nodeBase,
                                   int64_t axis = -1);

    // Drops the caches of a graph that is finished (its address may be reused by the next one).
    void forgetGraph(const onnx::GraphProto &graph);

    const StaticPlan &plan() const { return m_plan; }
    const StaticWriteOptions &options() const { return m_options; }
    GraphRewriter &names() { return m_names; }
    const Model &model() const { return *m_model; }

private:
    Result<Tensor> floatConstant(const NodeInfo &node, int input) const;
    // A constant input quantized once per graph (weights shared by several nodes, constant
    // operands), with options chosen from its values.
    Result<QuantizedInitializer> cachedConstant(
        onnx::GraphProto &graph, const NodeInfo &node, int input, DType zeroPointType,
        const std::function<WeightQuantOptions(const Tensor &)> &optionsFor);
    QuantizedInitializer addQuantized(onnx::GraphProto &graph, const std::string &base,
                                      const QuantizedTensor &quantized, DType zeroPointType);

    std::shared_ptr<const Model> m_model;
    const StaticPlan &m_plan;
    const std::map<std::string, TensorRange> &m_ranges;
    StaticWriteOptions m_options;
    GraphRewriter &m_names;
    // Caches per graph proto (initializers are added to the graph that uses them).
    std::map<std::pair<const onnx::GraphProto *, std::string>, ScaleZeroPoint> m_activationPairs;
    std::map<std::pair<const onnx::GraphProto *, std::string>, QuantizedInitializer> m_weights;
};

} // namespace qs
