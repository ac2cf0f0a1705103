// Channels-last int8 regions. oneDNN's int8 convolutions read and write NHWC; between two of
// them a quantized activation would otherwise be transposed out to NCHW and back in again. This
// pass keeps a 4-D 8-bit value in NHWC (stored with the physical shape [N, H, W, C]) when its
// producer and every reader can work on that layout:
//   - QLinearConv / QLinearConvTranspose, on their input 0 and output (attributes
//     channels_last_input / channels_last_output; only when the node will run on oneDNN);
//   - QLinearLookup (elementwise; input and output share the layout);
//   - QLinearAdd / QLinearMul (inputs and output share the layout; a [N, C, 1, 1] operand is the
//     same bytes in both layouts, so it may stay NCHW: attribute channels_last);
//   - Resize in nearest mode on 8-bit values with constant scales (they are permuted);
//   - QLinearGlobalAveragePool on its input (its [N, C, 1, 1] output reads the same either way);
//   - MaxPool on 8-bit values (attribute qs_channels_last: oneDNN's int8 pooling reads NHWC);
//   - Concat / QLinearConcat along channels (their axis becomes 3, the physical channel axis).
// Without the last two, every stem pool and every Fire/Inception/DenseNet concat sent its
// value out to NCHW and back (SqueezeNet: MaxPool and QLinearConcat took a third of the run).
// Values whose layouts must agree form groups; a group goes NHWC only when all its values can.
// Graph outputs, values read by any other node and subgraph reads stay NCHW, so what the
// model's outputs and every other kernel see is unchanged.
#include "runtime/fusion/fusion_passes.h"

#include "graph/fused_ops.h"
#include "model/attributes.h"
#include "runtime/ops/nn/blocked_layout.h"
#include "runtime/ops/quant/int8_exactness.h"

#include <numeric>
#include <unordered_map>

namespace qs {

namespace {

bool isFusedOp(const Graph &graph, NodeId node, const char *opType)
{
    return graph.isAlive(node) && graph.node(node).domain() == kFusedDomain
           && graph.node(node).opType() == opType;
}

bool isInt8Conv(const Graph &graph, NodeId node)
{
    return (graph.isAlive(node) && isDefaultOp(graph.node(node).proto, "QLinearConv"))
           || isFusedOp(graph, node, "QLinearConv")
           || isFusedOp(graph, node, "QLinearConvTranspose");
}

// The int8 conv kernel runs on oneDNN (and can keep NHWC) under the conditions of
// int8_conv.cpp's int8Settings; checked here from the constant inputs.
bool runsOnOneDnn(Graph &graph, NodeId node)
{
    if (!isInt8Conv(graph, node))
        return false;
    const onnx::NodeProto &proto = graph.node(node).proto;
    if (proto.input_size() < 8)
        return false;
    const Tensor *weight = graph.constant(proto.input(3));
    if (!weight || weight->dtype() != DType::Int8 || weight->rank() != 4
        || !ops::exactWithUnsignedActivations(*weight))
        return false;
    const Tensor *zeroPoint = graph.constant(proto.input(5));
    for (int64_t i = 0; zeroPoint && i < zeroPoint->elementCount(); ++i) {
        if (zeroPoint->intAt(i) != 0)
            return false;
    }
    for (const int i : {1, 2, 4, 6, 7}) {
        if (!graph.constant(proto.input(i)))
            return false;
    }
    return zeroPoint != nullptr;
}

bool isNearestResizeWithScales(Graph &graph, NodeId node)
{
    if (!graph.isAlive(node))
        return false;
    const onnx::NodeProto &proto = graph.node(node).proto;
    if (!isDefaultOp(proto, "Resize") || proto.input_size() < 3)
        return false;
    const Tensor *scales = graph.constant(proto.input(2));
    return stringAttribute(proto, "mode") == "nearest" && scales
           && scales->dtype() == DType::Float32 && scales->elementCount() == 4
           && (proto.input_size() < 4 || proto.input(3).empty());
}

bool isEightBit4d(Graph &graph, const std::string &value)
{
    const TensorType type = graph.valueType(value);
    return (type.elementType == static_cast<int32_t>(DType::UInt8)
            || type.elementType == static_cast<int32_t>(DType::Int8))
           && type.hasShape && type.dims.size() == 4;
}

// A MaxPool of a 4-D 8-bit value without the Indices output.
bool isEightBitMaxPool(Graph &graph, NodeId node)
{
    if (!graph.isAlive(node))
        return false;
    const onnx::NodeProto &proto = graph.node(node).proto;
    return isDefaultOp(proto, "MaxPool") && (proto.output_size() == 1 || proto.output(1).empty())
           && isEightBit4d(graph, proto.input(0));
}

// Concat (values of one scale) or QLinearConcat of 4-D 8-bit values along the channels.
bool isChannelConcat(Graph &graph, NodeId node)
{
    if (!graph.isAlive(node))
        return false;
    const onnx::NodeProto &proto = graph.node(node).proto;
    if (!isDefaultOp(proto, "Concat") && !isFusedOp(graph, node, "QLinearConcat"))
        return false;
    const int64_t axis = intAttribute(proto, "axis", 1);
    return (axis == 1 || axis == -3) && proto.output_size() == 1
           && isEightBit4d(graph, proto.output(0));
}

// The inputs of a concat that carry data (QLinearConcat's pairs hold a table second).
std::vector<int> concatDataInputs(Graph &graph, NodeId node)
{
    const onnx::NodeProto &proto = graph.node(node).proto;
    const int step = isFusedOp(graph, node, "QLinearConcat") ? 2 : 1;
    std::vector<int> data;
    for (int i = 0; i < proto.input_size(); i += step)
        data.push_back(i);
    return data;
}

bool isBinary(const Graph &graph, NodeId node)
{
    return isFusedOp(graph, node, "QLinearAdd") || isFusedOp(graph, node, "QLinearMul");
}

struct Groups
{
    std::vector<size_t> parent;
    size_t find(size_t v) { return parent[v] == v ? v : parent[v] = find(parent[v]); }
    void join(size_t a, size_t b) { parent[find(a)] = find(b); }
};

} // namespace

Result<bool> KeepInt8ActivationsChannelsLast::apply(Graph &graph, PassContext &)
{
    const std::vector<NodeId> nodes = graph.nodeIds();
    // Every 4-D 8-bit value an eligible node produces is a candidate.
    std::unordered_map<std::string, size_t> index;
    std::vector<std::string> values;
    auto candidate = [&](const std::string &name) {
        const TensorType type = graph.valueType(name);
        const bool eightBit = type.elementType == static_cast<int32_t>(DType::UInt8)
                              || type.elementType == static_cast<int32_t>(DType::Int8);
        if (!eightBit || !type.hasShape || type.dims.size() != 4 || index.count(name))
            return;
        index.emplace(name, values.size());
        values.push_back(name);
    };
    for (const NodeId node : nodes) {
        const bool eligible = runsOnOneDnn(graph, node) || isFusedOp(graph, node, "QLinearLookup")
                              || isBinary(graph, node) || isNearestResizeWithScales(graph, node)
                              || isEightBitMaxPool(graph, node) || isChannelConcat(graph, node);
        if (eligible && graph.node(node).proto.output_size() == 1)
            candidate(graph.node(node).proto.output(0));
    }
    if (values.empty())
        return false;

    // A [N, C, 1, 1] value reads the same in both layouts.
    auto isPerChannel = [&](const std::string &name) {
        const TensorType type = graph.valueType(name);
        return type.hasShape && type.dims.size() == 4 && type.dims[2].value == 1
               && type.dims[3].value == 1;
    };
    std::vector<bool> possible(values.size(), true);
    Groups groups{std::vector<size_t>(values.size())};
    std::iota(groups.parent.begin(), groups.parent.end(), 0);
    std::unordered_map<std::string, int> capableReads;
    for (const NodeId node : nodes) {
        const onnx::NodeProto &proto = graph.node(node).proto;
        if (runsOnOneDnn(graph, node) || isFusedOp(graph, node, "QLinearGlobalAveragePool")) {
            capableReads[proto.input(0)] += 1;
            continue;
        }
        const bool binary = isBinary(graph, node);
        const bool concat = isChannelConcat(graph, node);
        if (!binary && !concat && !isFusedOp(graph, node, "QLinearLookup")
            && !isNearestResizeWithScales(graph, node) && !isEightBitMaxPool(graph, node))
            continue;
        // Data inputs: Lookup, Resize and MaxPool input 0; Add/Mul inputs 0 and 3; every input
        // of a concat.
        std::vector<int> data = {0};
        if (binary)
            data.push_back(3);
        if (concat)
            data = concatDataInputs(graph, node);
        auto out = index.find(proto.output(0));
        for (const int i : data) {
            const std::string &input = proto.input(i);
            // A [N, C, 1, 1] operand of Add/Mul stays NCHW; the kernel reads it as [N, 1, 1, C].
            // (A Lookup's output takes its input's shape, so it shares the layout like any other.)
            if (binary && isPerChannel(input) && !isPerChannel(proto.output(0)))
                continue;
            capableReads[input] += 1;
            auto in = index.find(input);
            if (in == index.end() || out == index.end()) {
                // Shared layout with a value that must stay NCHW.
                if (in != index.end())
                    possible[in->second] = false;
                if (out != index.end())
                    possible[out->second] = false;
                continue;
            }
            groups.join(in->second, out->second);
        }
    }
    for (size_t v = 0; v < values.size(); ++v) {
        const int all = graph.useCount(values[v]);
        if (all == 0 || capableReads[values[v]] != all)
            possible[v] = false;
    }
    std::vector<bool> groupPossible(values.size(), true);
    for (size_t v = 0; v < values.size(); ++v)
        groupPossible[groups.find(v)] = groupPossible[groups.find(v)] && possible[v];
    auto channelsLast = [&](const std::string &name) {
        auto it = index.find(name);
        return it != index.end() && groupPossible[groups.find(it->second)];
    };

    bool modified = false;
    for (const NodeId node : nodes) {
        onnx::NodeProto &proto = graph.node(node).proto;
        if (proto.output_size() != 1)
            continue;
        const bool outputLast = channelsLast(proto.output(0));
        if (runsOnOneDnn(graph, node)) {
            const bool inputLast = channelsLast(proto.input(0));
            if (!inputLast && !outputLast)
                continue;
            proto.set_domain(kFusedDomain); // attributes ONNX's QLinearConv does not have
            setIntAttribute(proto, "channels_last_input", inputLast);
            setIntAttribute(proto, "channels_last_output", outputLast);
        } else if (isFusedOp(graph, node, "QLinearGlobalAveragePool")
                   && channelsLast(proto.input(0))) {
            setIntAttribute(proto, "channels_last", 1);
        } else if (isBinary(graph, node) && outputLast) {
            setIntAttribute(proto, "channels_last", 1);
        } else if (isEightBitMaxPool(graph, node) && outputLast) {
            setIntAttribute(proto, ops::kChannelsLastAttribute, 1);
        } else if (isChannelConcat(graph, node) && outputLast) {
            setIntAttribute(proto, "axis", 3);
        } else if (isNearestResizeWithScales(graph, node) && outputLast) {
            const float *s = graph.constant(proto.input(2))->data<float>();
            const std::string permuted = proto.output(0) + "::scales_nhwc";
            graph.setInitializer(permuted, Tensor::fromVector<float>({4}, {s[0], s[2], s[3], s[1]}));
            graph.setInput(node, 2, permuted);
        } else {
            continue;
        }
        modified = true;
    }
    return modified;
}

} // namespace qs
