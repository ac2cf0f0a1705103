// Channel-blocked float regions (runtime/ops/nn/blocked_layout.h). oneDNN's fast float
// convolutions read and write nChw8c / nChw16c; kept in NCHW between them, every convolution
// reordered its input in and its output out (ResNet-18 FP32 spent as long in those reorders as
// in its convolutions on an AVX2 CPU; MobileNetV3 and EfficientNet wrap every depthwise
// convolution in two). ONNX Runtime's NCHWc transformer keeps such regions blocked; so does this
// pass.
//
// Walking the nodes in order, a float value of logical shape [N, C, H, W] (C a multiple of the
// block) becomes blocked when its producer can write it so:
//   - a Conv with constant weights, group 1, depthwise or groups of whole blocks, whose output
//     channels fit the block (its input may be plain: the stem's three channels are);
//   - an elementwise op (unary, or Add/Sub/Mul/Div) whose non-scalar operands are all blocked,
//     of the output's shape or per-channel [N, C, 1, 1] (a per-channel constant is re-shaped:
//     its bytes are already in blocked order);
//   - MaxPool / AveragePool (2-D, no Indices), GlobalAveragePool, and Concat on the channel
//     axis, whose inputs are all blocked;
//   - a BatchNormalization with constant parameters on a blocked input, split into Mul and Add
//     by blocked per-channel constants.
// A blocked value that some reader cannot take blocked (Flatten, Reshape, Shape, a graph
// output, a subgraph) is converted once by a BlockedToPlain node, which takes over the value's
// name, so that every such reader is left as it was.
#include "runtime/fusion/fusion_passes.h"

#include "graph/fused_ops.h"
#include "model/attributes.h"
#include "runtime/ops/nn/blocked_layout.h"

#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace qs {

namespace {

using ops::kBlockedInputAttribute;
using ops::kBlockedOutputAttribute;

const std::unordered_set<std::string> &unaryOps()
{
    // Elementwise in one input (Clip's bounds and the like are scalars): layout-agnostic.
    // DynamicQuantizeCentred too (its second output is the scalar scale): its range is over
    // all elements, and a blocked value has no padding lanes (its channels fill whole blocks).
    static const std::unordered_set<std::string> ops
        = {"Relu",     "Clip",      "Sigmoid",    "HardSigmoid", "HardSwish",
           "Tanh",     "LeakyRelu", "Elu",        "Selu",        "Gelu",
           "Identity", "Neg",       "Abs",        "Erf",         "Exp",
           "Sqrt",     "Floor",     "Ceil",       "Round",       "Softplus",
           "Softsign", "Mish",      "Reciprocal", "Swish",       "DynamicQuantizeCentred"};
    return ops;
}

bool isBinary(const onnx::NodeProto &proto)
{
    const std::string &op = proto.op_type();
    return proto.domain().empty() && (op == "Add" || op == "Sub" || op == "Mul" || op == "Div");
}

bool isUnary(const onnx::NodeProto &proto)
{
    return (proto.domain().empty() || proto.domain() == kFusedDomain)
           && unaryOps().count(proto.op_type());
}

class BlockedLayoutPlanner
{
public:
    explicit BlockedLayoutPlanner(Graph &graph)
        : m_graph(graph)
        , m_block(ops::channelBlock())
    {}

    bool run()
    {
        for (const NodeId node : m_graph.nodeIds())
            decide(node);
        keepUnreadConvOutputsPlain();
        if (m_blocked.empty())
            return false;
        for (const auto &[node, flags] : m_convs) {
            onnx::NodeProto &proto = m_graph.node(node).proto;
            setIntAttribute(proto, kBlockedInputAttribute, flags.first);
            setIntAttribute(proto, kBlockedOutputAttribute, flags.second);
        }
        for (const NodeId node : m_blockedPools)
            setIntAttribute(m_graph.node(node).proto, kBlockedInputAttribute, 1);
        for (const auto &[node, index, constant] : m_reshapedConstants) {
            const Tensor *plain = m_graph.constant(constant);
            const int64_t channels = plain->elementCount();
            const std::string name
                = m_graph.addInitializer(constant + "::blocked",
                                         plain->reshaped({1, channels / m_block, 1, 1, m_block}));
            m_graph.setInput(node, index, name);
        }
        convertForPlainReaders();
        return true;
    }

private:
    // A float32 value of known rank 4 whose channels fill whole blocks.
    bool fitsBlocks(const std::string &value) const
    {
        const TensorType type = m_graph.valueType(value);
        return type.elementType == onnx::TensorProto::FLOAT && type.hasShape
               && type.dims.size() == 4 && type.dims[1].isKnown() && type.dims[1].value > 0
               && type.dims[1].value % m_block == 0;
    }

    bool isBlocked(const std::string &value) const { return m_blocked.count(value) > 0; }

    void markBlocked(const std::string &value)
    {
        m_blocked.insert(value);
        m_blockedReaders[value]; // its blocked readers are recorded as they are decided
    }

    void readsBlocked(NodeId reader, const std::string &value)
    {
        m_blockedReaders[value].insert(reader);
    }

    void decide(NodeId node)
    {
        const onnx::NodeProto &proto = m_graph.node(node).proto;
        if (proto.output_size() < 1 || !m_graph.node(node).subgraphs.empty())
            return;
        const std::string &out = proto.output(0);
        const std::string &op = proto.op_type();
        if (proto.domain().empty() && op == "Conv") {
            decideConv(node, proto);
        } else if (isUnary(proto) && proto.input_size() >= 1 && isBlocked(proto.input(0))
                   && (proto.output_size() == 1 || op == "DynamicQuantizeCentred")
                   && fitsBlocks(out)) {
            markBlocked(out);
            readsBlocked(node, proto.input(0));
        } else if (isBinary(proto) && fitsBlocks(out)) {
            decideBinary(node, proto);
        } else if (proto.domain().empty() && (op == "MaxPool" || op == "AveragePool")
                   && proto.output_size() == 1 && isBlocked(proto.input(0)) && fitsBlocks(out)
                   && intsAttribute(proto, "kernel_shape").size() == 2) {
            markBlocked(out);
            readsBlocked(node, proto.input(0));
            m_blockedPools.push_back(node);
        } else if (proto.domain().empty() && op == "GlobalAveragePool" && isBlocked(proto.input(0))
                   && fitsBlocks(out)) {
            markBlocked(out);
            readsBlocked(node, proto.input(0));
            m_blockedPools.push_back(node);
        } else if (proto.domain().empty() && op == "BatchNormalization" && proto.output_size() == 1
                   && intAttribute(proto, "training_mode", 0) == 0 && isBlocked(proto.input(0))
                   && fitsBlocks(out)) {
            splitBatchNorm(node);
        } else if (proto.domain().empty() && op == "Concat" && fitsBlocks(out)) {
            const int64_t axis = intAttribute(proto, "axis", 0);
            if (axis != 1 && axis != -3)
                return;
            for (const std::string &input : proto.input())
                if (!isBlocked(input))
                    return;
            setIntAttribute(m_graph.node(node).proto, "axis", 1); // -3 would be H when 5-D
            markBlocked(out);
            for (const std::string &input : proto.input())
                readsBlocked(node, input);
        }
    }

    // An inference BatchNormalization that no Conv absorbed (DenseNet's, after a Concat) on a
    // blocked input becomes Mul and Add by per-channel constants made directly in blocked shape
    // [1, C/B, 1, 1, B]: the BatchNormalization kernel indexes channels on axis 1.
    void splitBatchNorm(NodeId node)
    {
        const onnx::NodeProto proto = m_graph.node(node).proto;
        if (proto.input_size() != 5)
            return;
        const Tensor *gamma = m_graph.constant(proto.input(1));
        const Tensor *beta = m_graph.constant(proto.input(2));
        const Tensor *mean = m_graph.constant(proto.input(3));
        const Tensor *var = m_graph.constant(proto.input(4));
        const int64_t channels = m_graph.valueType(proto.output(0)).dims[1].value;
        for (const Tensor *t : {gamma, beta, mean, var})
            if (!t || t->elementCount() != channels
                || (t->dtype() != DType::Float32 && t->dtype() != DType::Float64))
                return;
        const double epsilon = floatAttribute(proto, "epsilon", 1e-5f);
        std::vector<float> scale(static_cast<size_t>(channels)), shift(scale.size());
        for (int64_t c = 0; c < channels; ++c) {
            const double s = gamma->doubleAt(c) / std::sqrt(var->doubleAt(c) + epsilon);
            scale[size_t(c)] = float(s);
            shift[size_t(c)] = float(beta->doubleAt(c) - mean->doubleAt(c) * s);
        }
        const Shape blocked = {1, channels / m_block, 1, 1, m_block};
        const std::string &x = proto.input(0), &y = proto.output(0);
        const std::string scaleName
            = m_graph.addInitializer(y + "::bn_scale", Tensor::fromVector<float>(blocked, scale));
        const std::string shiftName
            = m_graph.addInitializer(y + "::bn_shift", Tensor::fromVector<float>(blocked, shift));
        const std::string scaled = m_graph.uniqueValueName(y + "::bn_scaled");
        m_graph.replaceProto(node, makeNode("Mul", {x, scaleName}, {scaled}, proto.name()));
        const NodeId add = m_graph.insertAfter(node, makeNode("Add", {scaled, shiftName}, {y},
                                                              proto.name() + "::shift"));
        m_graph.setValueType(scaled, m_graph.valueType(y));
        markBlocked(scaled);
        readsBlocked(node, x);
        markBlocked(y);
        readsBlocked(add, scaled);
    }

    void decideConv(NodeId node, const onnx::NodeProto &proto)
    {
        if (proto.input_size() < 2 || proto.output_size() != 1)
            return;
        const Tensor *weight = m_graph.constant(proto.input(1));
        if (!weight || weight->dtype() != DType::Float32 || weight->rank() != 4)
            return;
        const int64_t group = intAttribute(proto, "group", 1);
        const int64_t inChannels = weight->dim(1) * group, outChannels = weight->dim(0);
        const bool depthwise = group == inChannels && outChannels == inChannels;
        // Grouped convolutions (RegNet, ResNeXt) stay blocked when every group holds whole
        // blocks on both sides.
        const bool wholeBlockGroups = group > 1 && (inChannels / group) % m_block == 0
                                      && (outChannels / group) % m_block == 0;
        if (group != 1 && !depthwise && !wholeBlockGroups)
            return;
        const bool inputBlocked = isBlocked(proto.input(0));
        const bool outputBlocked = fitsBlocks(proto.output(0)) && outChannels % m_block == 0;
        // A depthwise convolution reads the layout it writes; oneDNN's blocked depthwise kernel
        // wants both sides blocked.
        if (depthwise && inputBlocked != outputBlocked)
            return;
        if (!inputBlocked && !outputBlocked)
            return;
        m_convs.emplace_back(node, std::make_pair(int64_t(inputBlocked), int64_t(outputBlocked)));
        if (inputBlocked)
            readsBlocked(node, proto.input(0));
        if (outputBlocked)
            markBlocked(proto.output(0));
    }

    // Add/Sub/Mul/Div: every operand a scalar, a blocked value of the output's shape or
    // per-channel [N, C, 1, 1], or a per-channel constant (re-shaped to [1, C/B, 1, 1, B]).
    void decideBinary(NodeId node, const onnx::NodeProto &proto)
    {
        if (proto.input_size() != 2)
            return;
        const TensorType outType = m_graph.valueType(proto.output(0));
        bool anyBlocked = false;
        std::vector<std::tuple<NodeId, int, std::string>> reshaped;
        for (int i = 0; i < 2; ++i) {
            const std::string &input = proto.input(i);
            if (const Tensor *constant = m_graph.constant(input)) {
                if (constant->elementCount() == 1)
                    continue;
                // [C, 1, 1] or [1, C, 1, 1] with C the output's channels: per channel.
                const Shape &s = constant->shape();
                const int64_t channels = outType.dims[1].value;
                const bool perChannel = constant->dtype() == DType::Float32
                                        && constant->elementCount() == channels
                                        && ((s.size() == 4 && s[0] == 1 && s[2] == 1 && s[3] == 1)
                                            || (s.size() == 3 && s[1] == 1 && s[2] == 1));
                if (!perChannel)
                    return;
                reshaped.emplace_back(node, i, input);
                continue;
            }
            if (!isBlocked(input))
                return;
            const TensorType type = m_graph.valueType(input);
            const bool sameShape = type.dims[2].value == outType.dims[2].value
                                   && type.dims[3].value == outType.dims[3].value
                                   && type.dims[2].isKnown() && type.dims[3].isKnown();
            const bool perChannel = type.dims[2].value == 1 && type.dims[3].value == 1;
            if (!sameShape && !perChannel)
                return;
            anyBlocked = true;
        }
        if (!anyBlocked)
            return;
        markBlocked(proto.output(0));
        for (int i = 0; i < 2; ++i)
            if (isBlocked(proto.input(i)))
                readsBlocked(node, proto.input(i));
        m_reshapedConstants.insert(m_reshapedConstants.end(), reshaped.begin(), reshaped.end());
    }

    // A Conv output no reader takes blocked (a graph output, a Flatten's input) is written
    // plain by the Conv itself: a separate conversion would only add a step.
    void keepUnreadConvOutputsPlain()
    {
        std::vector<std::pair<NodeId, std::pair<int64_t, int64_t>>> kept;
        for (auto &[node, flags] : m_convs) {
            const std::string &out = m_graph.node(node).proto.output(0);
            // (Not a depthwise one: oneDNN's blocked depthwise kernel wants both sides blocked.)
            const bool depthwise = intAttribute(m_graph.node(node).proto, "group", 1) != 1;
            if (flags.second && !depthwise && m_blockedReaders[out].empty()) {
                flags.second = 0;
                m_blocked.erase(out);
                m_blockedReaders.erase(out);
            }
            if (flags.first || flags.second)
                kept.emplace_back(node, flags);
        }
        m_convs = std::move(kept);
    }

    // Every blocked value with a reader that wants it plain (or that is a graph output): the
    // producer writes "<value>::blocked", blocked readers read that, and a BlockedToPlain node
    // writes the value under its own name for everything else.
    void convertForPlainReaders()
    {
        for (const std::string &value :
             std::vector<std::string>(m_blocked.begin(), m_blocked.end())) {
            const std::unordered_set<NodeId> &blockedReaders = m_blockedReaders[value];
            // Graph outputs and reads inside If/Loop bodies count in useCount, not in readers.
            const int directReads = int(m_graph.readers(value).size());
            bool plainNeeded = m_graph.useCount(value) != directReads;
            for (const NodeId reader : m_graph.readers(value))
                plainNeeded |= !blockedReaders.count(reader);
            if (!plainNeeded)
                continue;
            const NodeId producer = m_graph.producer(value);
            const std::string blockedName = m_graph.uniqueValueName(value + "::blocked");
            const TensorType type = m_graph.valueType(value);
            const onnx::NodeProto &producerProto = m_graph.node(producer).proto;
            for (int i = 0; i < producerProto.output_size(); ++i)
                if (producerProto.output(i) == value)
                    m_graph.setOutput(producer, i, blockedName);
            m_graph.setValueType(blockedName, type);
            for (const NodeId reader : blockedReaders) {
                const onnx::NodeProto &readerProto = m_graph.node(reader).proto;
                for (int i = 0; i < readerProto.input_size(); ++i)
                    if (readerProto.input(i) == value)
                        m_graph.setInput(reader, i, blockedName);
            }
            onnx::NodeProto convert = makeNode("BlockedToPlain", {blockedName}, {value},
                                               m_graph.uniqueNodeName(value + "::to_plain"));
            convert.set_domain(kFusedDomain);
            const NodeId converter = m_graph.insertAfter(producer, std::move(convert));
            m_graph.node(converter).opsetVersion = 1; // the fused domain's only version
        }
    }

    Graph &m_graph;
    const int64_t m_block;
    std::unordered_set<std::string> m_blocked;
    std::unordered_map<std::string, std::unordered_set<NodeId>> m_blockedReaders;
    std::vector<std::pair<NodeId, std::pair<int64_t, int64_t>>> m_convs; // input, output blocked
    std::vector<NodeId> m_blockedPools;
    // (node, input index, per-channel constant) to read as [1, C/B, 1, 1, B].
    std::vector<std::tuple<NodeId, int, std::string>> m_reshapedConstants;
};

} // namespace

Result<bool> KeepFloatActivationsBlocked::apply(Graph &graph, PassContext &)
{
    return BlockedLayoutPlanner(graph).run();
}

} // namespace qs
