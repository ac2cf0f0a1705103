#include "quant/quant_emitter.h"

#include "model/attributes.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "quant/pass_runner.h"

namespace qs {

QuantEmitter::QuantEmitter(Graph &graph, const StaticPlan &plan,
                           const std::map<std::string, TensorRange> &ranges,
                           const StaticWriteOptions &options)
    : m_graph(graph)
    , m_plan(plan)
    , m_ranges(ranges)
    , m_options(options)
{}

const NodeInfo *QuantEmitter::sourceNode(NodeId id) const
{
    const int source = m_graph.node(id).sourceId;
    return source < 0 ? nullptr : &m_graph.model()->index().nodes()[size_t(source)];
}

std::optional<QuantParams> QuantEmitter::activationParams(const std::string &tensor) const
{
    auto planned = m_plan.activations.find(tensor);
    if (planned == m_plan.activations.end())
        return std::nullopt;
    auto range = m_ranges.find(planned->second);
    if (range == m_ranges.end())
        return std::nullopt;
    // Reduce-range applies to weights only, as in ORT: activations use the full 8 (or 16) bits.
    const QuantRange limits
        = m_plan.isSixteenBit(tensor)
              ? sixteenBitRange(m_options.activationType, m_options.symmetricActivations)
              : quantRange(m_options.activationType, false, m_options.symmetricActivations);
    return computeQuantParams(range->second.min, range->second.max, limits,
                              m_options.symmetricActivations);
}

namespace {

Tensor scalarZeroPoint(DType type, int32_t value)
{
    if (type == DType::UInt8)
        return Tensor::scalar<uint8_t>(static_cast<uint8_t>(value));
    if (type == DType::Int8)
        return Tensor::scalar<int8_t>(static_cast<int8_t>(value));
    if (type == DType::UInt16)
        return Tensor::scalar<uint16_t>(static_cast<uint16_t>(value));
    if (type == DType::Int16)
        return Tensor::scalar<int16_t>(static_cast<int16_t>(value));
    return Tensor::scalar<int32_t>(value);
}

Tensor zeroPointVector(DType type, const std::vector<int32_t> &values)
{
    const Shape shape{static_cast<int64_t>(values.size())};
    if (type == DType::UInt8)
        return Tensor::fromVector<uint8_t>(shape, {values.begin(), values.end()});
    if (type == DType::Int8)
        return Tensor::fromVector<int8_t>(shape, {values.begin(), values.end()});
    return Tensor::fromVector<int32_t>(shape, values);
}

} // namespace

ScaleZeroPoint QuantEmitter::activationScaleZeroPoint(const std::string &tensor)
{
    const std::string &source = m_plan.activations.at(tensor);
    if (auto it = m_activationPairs.find(source); it != m_activationPairs.end())
        return it->second;
    ScaleZeroPoint pair;
    pair.params = *activationParams(tensor);
    pair.scale = m_graph.addInitializer(source + "_scale", Tensor::scalar<float>(pair.params.scale));
    const DType type = m_plan.isSixteenBit(tensor) ? sixteenBitDType(m_options.activationType)
                                                   : quantDType(m_options.activationType);
    pair.zeroPoint = m_graph.addInitializer(source + "_zero_point",
                                            scalarZeroPoint(type, pair.params.zeroPoint));
    m_activationPairs.emplace(source, pair);
    return pair;
}

bool QuantEmitter::isConstant(const std::string &value)
{
    return !value.empty() && m_graph.constant(value) != nullptr;
}

Result<Tensor> QuantEmitter::floatConstant(const NodeInfo &node, int input)
{
    const std::string &name = node.proto->input(input);
    Result<const Tensor *> tensor = m_graph.constantValue(name);
    if (!tensor)
        return tensor.status().withContext("node '" + node.displayName + "'");
    if (!*tensor || (*tensor)->dtype() != DType::Float32)
        return unsupported("node '" + node.displayName + "': input '" + name
                           + "' is not a float32 constant, so it cannot be quantized");
    return **tensor;
}

Result<QuantizedInitializer> QuantEmitter::cachedConstant(
    const NodeInfo &node, int input, DType zeroPointType,
    const std::function<WeightQuantOptions(const Tensor &)> &optionsFor)
{
    const std::string &name = node.proto->input(input);
    if (auto it = m_weights.find(name); it != m_weights.end())
        return it->second;
    auto values = floatConstant(node, input);
    if (!values)
        return values.status();
    QuantizedInitializer result = addQuantized(name, quantizeWeights(*values, optionsFor(*values)),
                                               zeroPointType);
    m_weights.emplace(name, result);
    return result;
}

QuantizedInitializer QuantEmitter::addQuantized(const std::string &base,
                                                const QuantizedTensor &quantized,
                                                DType zeroPointType)
{
    QuantizedInitializer result;
    result.axis = quantized.axis;
    result.scales = quantized.scales;
    result.values = m_graph.addInitializer(base + "_quantized", quantized.values);
    const bool perChannel = quantized.axis >= 0;
    Tensor scale = perChannel ? Tensor::fromVector<float>({int64_t(quantized.scales.size())},
                                                          quantized.scales)
                              : Tensor::scalar<float>(quantized.scales.at(0));
    Tensor zeroPoint = perChannel ? zeroPointVector(zeroPointType, quantized.zeroPoints)
                                  : scalarZeroPoint(zeroPointType, quantized.zeroPoints[0]);
    result.scaleZeroPoint.scale = m_graph.addInitializer(base + "_scale", std::move(scale));
    result.scaleZeroPoint.zeroPoint = m_graph.addInitializer(base + "_zero_point",
                                                             std::move(zeroPoint));
    result.scaleZeroPoint.params = {quantized.scales[0], quantized.zeroPoints[0]};
    return result;
}

Result<QuantizedInitializer> QuantEmitter::weight(const NodeInfo &node, bool allowPerChannel)
{
    const WeightLayout layout = weightLayout(*node.proto);
    return cachedConstant(node, layout.weightInput, quantDType(m_options.weightType),
                          [&](const Tensor &values) {
                              WeightQuantOptions options;
                              options.type = m_options.weightType;
                              options.symmetric = m_options.symmetricWeights;
                              options.reduceRange = m_options.reduceRange;
                              const bool rankAllows = node.opType == "MatMul" ? values.rank() == 2
                                                                              : values.rank() >= 2;
                              if (m_options.perChannel && allowPerChannel && rankAllows)
                                  options.axis = layout.channelAxis;
                              return options;
                          });
}

Result<QuantizedInitializer> QuantEmitter::bias(const NodeInfo &node,
                                                const QuantizedInitializer &weight,
                                                float inputScale)
{
    const WeightLayout layout = weightLayout(*node.proto);
    auto values = floatConstant(node, layout.biasInput);
    if (!values)
        return values.status();
    std::vector<float> weightScales = weight.scales;
    const int64_t outputs = values->elementCount();
    if (weightScales.size() > 1 && static_cast<int64_t>(weightScales.size()) != outputs) {
        // Grouped ConvTranspose: W's axis 1 holds the channels of one group.
        const auto perGroup = static_cast<int64_t>(weightScales.size());
        if (outputs % perGroup != 0)
            return invalidArgument("node '" + node.displayName + "': bias has "
                                   + std::to_string(outputs) + " values for "
                                   + std::to_string(perGroup) + " weight channels");
        std::vector<float> expanded(static_cast<size_t>(outputs));
        for (int64_t c = 0; c < outputs; ++c)
            expanded[size_t(c)] = weightScales[size_t(c % perGroup)];
        weightScales = std::move(expanded);
    }
    const QuantizedTensor quantized = quantizeBias(*values, inputScale, weightScales);
    // Not cached: the same bias read by two nodes with other input scales needs two copies.
    return addQuantized(node.proto->input(layout.biasInput), quantized, DType::Int32);
}

Result<QuantizedInitializer> QuantEmitter::constantOperand(const NodeInfo &node, int input)
{
    return cachedConstant(node, input, quantDType(m_options.activationType), [&](const Tensor &) {
        WeightQuantOptions options;
        options.type = m_options.activationType;
        options.symmetric = m_options.symmetricActivations;
        return options;
    });
}

onnx::NodeProto QuantEmitter::quantizeNode(const std::string &input, const ScaleZeroPoint &params,
                                           const std::string &output, const std::string &nodeBase)
{
    return makeNode("QuantizeLinear", {input, params.scale, params.zeroPoint}, {output},
                    m_graph.uniqueNodeName(nodeBase + "_QuantizeLinear"));
}

onnx::NodeProto QuantEmitter::dequantizeNode(const std::string &input, const ScaleZeroPoint &params,
                                             const std::string &output, const std::string &nodeBase,
                                             int64_t axis)
{
    onnx::NodeProto node = makeNode("DequantizeLinear", {input, params.scale, params.zeroPoint},
                                    {output},
                                    m_graph.uniqueNodeName(nodeBase + "_DequantizeLinear"));
    if (axis >= 0)
        setIntAttribute(node, "axis", axis);
    return node;
}

} // namespace qs
