// Channel-blocked float regions (runtime/ops/nn/blocked_layout.h). oneDNN's fast float
// convolutions read and write nChw8c / nChw16c; kept in NCHW between them, every convolution
// reordered its input in and its output out (ResNet-18 FP32 spent as long in those reorders as
// in its convolutions on an AVX2 CPU; MobileNetV3 and EfficientNet wrap every depthwise
// convolution in two). ONNX Runtime's NCHWc transformer keeps such regions blocked; so does this
// pass.
//
// Walking the nodes in order, a float value of logical shape [N, C, H, W] becomes blocked when
// its producer can write it so:
//   - a Conv with constant weights, group 1, depthwise or groups of whole blocks, whose output
//     channels fit the block (its input may be plain: the stem's three channels are);
//   - an elementwise op (unary, or Add/Sub/Mul/Div) whose non-scalar operands are all blocked,
//     of the output's shape or per-channel [N, C, 1, 1] (a per-channel constant is re-shaped:
//     its bytes are already in blocked order);
//   - MaxPool / AveragePool (2-D, no Indices), GlobalAveragePool, and Concat on the channel
//     axis, whose inputs are all blocked;
//   - a BatchNormalization with constant parameters on a blocked input, made a ChannelAffine
//     by blocked per-channel constants, with the activation after it fused in.
// A blocked value that some reader cannot take blocked (Flatten, Reshape, Shape, a graph
// output, a subgraph) is converted once by a BlockedToPlain node, which takes over the value's
// name, so that every such reader is left as it was.
//
// Channels that do not fill whole blocks (ShuffleNet's 58/116/232; MobileNetV3's 24/40/72/120
// and EfficientNet's 24/40 with AVX-512's 16) leave padding lanes in the last block. Nothing
// crosses from a padding lane into a real channel except through a convolution, whose padded
// weights are zero, so what padding holds matters only in two ways: it must stay finite
// (0 * inf is NaN), and DynamicQuantizeCentred's range covers every lane, so it reads only
// values whose padding is zero ("clean"). Convolutions, pooling and a zero-preserving chain keep
// padding clean; Sigmoid and the like fill it with other finite values; ops that could make it
// infinite (Reciprocal, Exp, a Div by a blocked value) are not given padded values, nor is a
// Concat (it would interleave padding with channels).
#include "runtime/fusion/fusion_passes.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"
#include "runtime/fusion/fused_activation.h"
#include "runtime/ops/nn/blocked_layout.h"

#include <algorithm>
#include <cmath>
#include <optional>
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
    // all lanes, padding included, which is why it reads only clean padding (zeros: its range
    // always includes zero anyway).
    static const std::unordered_set<std::string> ops
        = {"Relu",     "Clip",      "Sigmoid",    "HardSigmoid", "HardSwish",
           "Tanh",     "LeakyRelu", "Elu",        "Selu",        "Gelu",
           "Identity", "Neg",       "Abs",        "Erf",         "Exp",
           "Sqrt",     "Floor",     "Ceil",       "Round",       "Softplus",
           "Softsign", "Mish",      "Reciprocal", "Swish",       "DynamicQuantizeCentred"};
    return ops;
}

// Unary ops that map 0 to 0 (clean padding stays clean). Clip is decided by its bounds.
bool preservesZero(const std::string &op)
{
    static const std::unordered_set<std::string> ops = {"Relu",
                                                        "HardSwish",
                                                        "Tanh",
                                                        "LeakyRelu",
                                                        "Elu",
                                                        "Selu",
                                                        "Gelu",
                                                        "Identity",
                                                        "Neg",
                                                        "Abs",
                                                        "Erf",
                                                        "Floor",
                                                        "Ceil",
                                                        "Round",
                                                        "Softsign",
                                                        "Mish",
                                                        "Swish",
                                                        "Sqrt",
                                                        "DynamicQuantizeCentred"};
    return ops.count(op) > 0;
}

// Unary ops that could turn finite padding into inf or NaN (or, for Sqrt, a negative one).
bool mayLeaveFinite(const std::string &op)
{
    return op == "Exp" || op == "Softplus" || op == "Reciprocal" || op == "Sqrt";
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

// A per-channel constant input to read as [1, ceil(C/B), 1, 1, B], `padding` past C.
struct ReshapedConstant
{
    NodeId node;
    int input;
    std::string constant;
    float padding;
};

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
        for (const ReshapedConstant &r : m_reshapedConstants) {
            const Tensor *plain = m_graph.constant(r.constant);
            const float *values = plain->data<float>();
            const std::string name = m_graph.addInitializer(
                r.constant + "::blocked",
                perChannelBlocked(std::vector<float>(values, values + plain->elementCount()),
                                  r.padding));
            m_graph.setInput(r.node, r.input, name);
        }
        fuseActivationsIntoAffines();
        convertForPlainReaders();
        return true;
    }

private:
    // Channels that fill whole blocks, or at least two thirds of their last one (a 1-channel
    // map padded to 16 lanes would cost more than it saves).
    bool channelsFit(int64_t channels) const
    {
        const int64_t padded = (channels + m_block - 1) / m_block * m_block;
        return channels > 0 && 2 * padded <= 3 * channels;
    }

    // A float32 value of known rank 4 whose channels fit the blocks.
    bool fitsBlocks(const std::string &value) const
    {
        const TensorType type = m_graph.valueType(value);
        return type.elementType == onnx::TensorProto::FLOAT && type.hasShape
               && type.dims.size() == 4 && type.dims[1].isKnown()
               && channelsFit(type.dims[1].value);
    }

    // For the output of an op that keeps its blocked input's channels (unary ops, pooling):
    // true when it can be blocked, and then its channels are known, from its type or, where
    // shape inference left it untyped (a dynamic-batch export's Slice with computed bounds,
    // ShuffleNet's channel split), from the input.
    bool fitsBlocksLike(const std::string &output, const std::string &input)
    {
        if (fitsBlocks(output))
            return true;
        const TensorType type = m_graph.valueType(output);
        if (!isBlocked(input) || (type.hasShape && type.dims.size() != 4)
            || (type.elementType != 0 && type.elementType != onnx::TensorProto::FLOAT))
            return false;
        m_channels[output] = channels(input);
        return true;
    }

    int64_t channels(const std::string &value) const
    {
        const auto known = m_channels.find(value);
        return known != m_channels.end() ? known->second : m_graph.valueType(value).dims[1].value;
    }

    // Its last block has padding lanes.
    bool isPadded(const std::string &value) const { return channels(value) % m_block != 0; }

    bool isBlocked(const std::string &value) const { return m_blocked.count(value) > 0; }

    // Blocked with padding lanes that may hold non-zero (finite) values.
    bool isDirty(const std::string &value) const { return m_dirty.count(value) > 0; }

    void markBlocked(const std::string &value, bool dirty = false)
    {
        m_blocked.insert(value);
        m_blockedReaders[value]; // its blocked readers are recorded as they are decided
        if (dirty && isPadded(value))
            m_dirty.insert(value);
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
                   && fitsBlocksLike(out, proto.input(0))) {
            decideUnary(node, proto);
        } else if (isBinary(proto) && fitsBlocks(out)) {
            decideBinary(node, proto);
        } else if (proto.domain().empty() && (op == "MaxPool" || op == "AveragePool")
                   && proto.output_size() == 1 && isBlocked(proto.input(0))
                   && fitsBlocksLike(out, proto.input(0)) && !isDirty(proto.input(0))
                   && intsAttribute(proto, "kernel_shape").size() == 2) {
            markBlocked(out);
            readsBlocked(node, proto.input(0));
            m_blockedPools.push_back(node);
        } else if (proto.domain().empty() && op == "GlobalAveragePool" && isBlocked(proto.input(0))
                   && !isDirty(proto.input(0)) && fitsBlocksLike(out, proto.input(0))) {
            markBlocked(out);
            readsBlocked(node, proto.input(0));
            m_blockedPools.push_back(node);
        } else if (proto.domain().empty() && op == "BatchNormalization" && proto.output_size() == 1
                   && intAttribute(proto, "training_mode", 0) == 0 && isBlocked(proto.input(0))
                   && !isDirty(proto.input(0)) && fitsBlocksLike(out, proto.input(0))) {
            splitBatchNorm(node);
        } else if (proto.domain().empty() && op == "Concat" && fitsBlocks(out) && !isPadded(out)) {
            const int64_t axis = intAttribute(proto, "axis", 0);
            if (axis != 1 && axis != -3)
                return;
            for (const std::string &input : proto.input())
                if (!isBlocked(input) || isPadded(input))
                    return;
            setIntAttribute(m_graph.node(node).proto, "axis", 1); // -3 would be H when 5-D
            markBlocked(out);
            for (const std::string &input : proto.input())
                readsBlocked(node, input);
        }
    }

    void decideUnary(NodeId node, const onnx::NodeProto &proto)
    {
        const std::string &op = proto.op_type(), &in = proto.input(0), &out = proto.output(0);
        bool dirty = false;
        if (isPadded(out)) {
            if (mayLeaveFinite(op) && !(op == "Sqrt" && !isDirty(in)))
                return;
            if (op == "DynamicQuantizeCentred" && isDirty(in))
                return;
            bool zeroToZero = preservesZero(op);
            if (op == "Clip") {
                const std::optional<std::pair<float, float>> bounds = clipBounds(m_graph, node);
                zeroToZero = bounds && bounds->first <= 0.0f && bounds->second >= 0.0f;
            }
            dirty = isDirty(in) || !zeroToZero;
        }
        markBlocked(out, dirty);
        readsBlocked(node, in);
    }

    // An inference BatchNormalization that no Conv absorbed (DenseNet's, after a Concat) on a
    // blocked input becomes a ChannelAffine (ops/nn/channel_affine.cpp) by per-channel
    // constants made directly in blocked shape [1, C/B, 1, 1, B]: the BatchNormalization kernel
    // indexes channels on axis 1.
    void splitBatchNorm(NodeId node)
    {
        const onnx::NodeProto proto = m_graph.node(node).proto;
        if (proto.input_size() != 5)
            return;
        const Tensor *gamma = m_graph.constant(proto.input(1));
        const Tensor *beta = m_graph.constant(proto.input(2));
        const Tensor *mean = m_graph.constant(proto.input(3));
        const Tensor *var = m_graph.constant(proto.input(4));
        const int64_t channels = this->channels(proto.output(0));
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
        const std::string &x = proto.input(0), &y = proto.output(0);
        const std::string scaleName = m_graph.addInitializer(y + "::bn_scale",
                                                             perChannelBlocked(scale, 0.0f));
        const std::string shiftName = m_graph.addInitializer(y + "::bn_shift",
                                                             perChannelBlocked(shift, 0.0f));
        onnx::NodeProto affine = makeNode("ChannelAffine", {x, scaleName, shiftName}, {y},
                                          proto.name());
        affine.set_domain(kFusedDomain);
        m_graph.replaceProto(node, std::move(affine));
        m_graph.node(node).opsetVersion = 1; // the fused domain's only version
        markBlocked(y);
        readsBlocked(node, x);
        m_affines.push_back(node);
    }

    // A ChannelAffine whose only reader is an activation (DenseNet's BatchNormalization -> Relu)
    // applies it itself: one pass over the map instead of two. The activation's output keeps
    // the blocked state the planner gave it.
    void fuseActivationsIntoAffines()
    {
        for (const NodeId node : m_affines) {
            const std::string y = m_graph.node(node).proto.output(0);
            const NodeId reader = m_graph.soleReader(y);
            if (!m_graph.isAlive(reader) || m_graph.node(reader).proto.input(0) != y
                || !m_blockedReaders[y].count(reader)
                || m_graph.node(reader).proto.output_size() != 1
                || !isBlocked(m_graph.node(reader).proto.output(0)))
                continue;
            const std::optional<FusedActivation> activation = fusableActivation(m_graph, reader);
            if (!activation)
                continue;
            setFusedActivation(m_graph.node(node).proto, *activation);
            m_graph.absorbInto(node, reader);
            m_blocked.erase(y);
            m_blockedReaders.erase(y);
        }
    }

    // [1, ceil(C/B), 1, 1, B] holding `values` with `padding` in the lanes past C.
    Tensor perChannelBlocked(const std::vector<float> &values, float padding) const
    {
        const int64_t count = int64_t(values.size());
        const int64_t blocks = (count + m_block - 1) / m_block;
        std::vector<float> lanes(size_t(blocks * m_block), padding);
        std::copy(values.begin(), values.end(), lanes.begin());
        return Tensor::fromVector<float>({1, blocks, 1, 1, m_block}, lanes);
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
        // Dirty padding is finite, and the padded weights are zero, but oneDNN may take input
        // padding to be zero: convolutions read clean values only.
        const bool inputBlocked = isBlocked(proto.input(0)) && !isDirty(proto.input(0));
        // A run-time output scale of one vector of channels is applied by the kernel lane by
        // lane (ConvPlan::scaleAfter), which knows no padding.
        const bool scaled = intAttribute(proto, kScaledOutputAttribute, 0) != 0;
        // The weights tell the output's channels (and a 4-D weight a 2-D convolution), so an
        // output that shape inference left untyped can be blocked too.
        const TensorType outType = m_graph.valueType(proto.output(0));
        const bool outputFits = outType.hasShape
                                    ? fitsBlocks(proto.output(0))
                                    : channelsFit(outChannels)
                                          && (outType.elementType == 0
                                              || outType.elementType == onnx::TensorProto::FLOAT);
        const bool outputBlocked = outputFits && (!scaled || outChannels % m_block == 0);
        // A depthwise convolution reads the layout it writes; oneDNN's blocked depthwise kernel
        // wants both sides blocked.
        if (depthwise && inputBlocked != outputBlocked)
            return;
        if (!inputBlocked && !outputBlocked)
            return;
        m_convs.emplace_back(node, std::make_pair(int64_t(inputBlocked), int64_t(outputBlocked)));
        if (inputBlocked)
            readsBlocked(node, proto.input(0));
        // The padded weights and bias are zero, so padding lanes come out as the fused
        // activation of zero.
        if (outputBlocked) {
            m_channels[proto.output(0)] = outChannels;
            const std::optional<FusedActivation> activation = fusedActivationOf(proto);
            markBlocked(proto.output(0), activation && !activationKeepsZero(*activation));
        }
    }

    static bool activationKeepsZero(const FusedActivation &activation)
    {
        using Kind = FusedActivation::Kind;
        if (activation.postShift != 0.0f)
            return false;
        switch (activation.kind) {
        case Kind::Sigmoid:
        case Kind::HardSigmoid: return false;
        case Kind::Clip: return activation.alpha <= 0.0f && activation.beta >= 0.0f;
        default: return true;
        }
    }

    // Add/Sub/Mul/Div: every operand a scalar, a blocked value of the output's shape or
    // per-channel [N, C, 1, 1], or a per-channel constant (re-shaped to [1, C/B, 1, 1, B]).
    // With padding lanes: a per-channel constant is padded with zeros (ones as a divisor), a
    // blocked divisor is refused (0 / 0), and the result is clean when zeros come out of the
    // padding (Add/Sub of clean operands, Mul with one clean operand, Div of a clean one).
    void decideBinary(NodeId node, const onnx::NodeProto &proto)
    {
        if (proto.input_size() != 2)
            return;
        const std::string &op = proto.op_type();
        const TensorType outType = m_graph.valueType(proto.output(0));
        const bool padded = isPadded(proto.output(0));
        bool anyBlocked = false;
        bool clean[2] = {true, true};
        std::vector<ReshapedConstant> reshaped;
        for (int i = 0; i < 2; ++i) {
            const std::string &input = proto.input(i);
            if (const Tensor *constant = m_graph.constant(input)) {
                if (constant->elementCount() == 1) {
                    const double value = constant->dtype() == DType::Float32 ? constant->doubleAt(0)
                                                                             : 1.0;
                    clean[i] = value == 0.0;
                    if (padded && op == "Div" && i == 1 && value == 0.0)
                        return;
                    continue;
                }
                // [C, 1, 1] or [1, C, 1, 1] with C the output's channels: per channel.
                const Shape &s = constant->shape();
                const int64_t channels = outType.dims[1].value;
                const bool perChannel = constant->dtype() == DType::Float32
                                        && constant->elementCount() == channels
                                        && ((s.size() == 4 && s[0] == 1 && s[2] == 1 && s[3] == 1)
                                            || (s.size() == 3 && s[1] == 1 && s[2] == 1));
                if (!perChannel)
                    return;
                const bool divisor = op == "Div" && i == 1;
                reshaped.push_back({node, i, input, divisor ? 1.0f : 0.0f});
                clean[i] = !divisor;
                continue;
            }
            if (!isBlocked(input) || (padded && op == "Div" && i == 1))
                return;
            const TensorType type = m_graph.valueType(input);
            const bool sameShape = type.dims[2].value == outType.dims[2].value
                                   && type.dims[3].value == outType.dims[3].value
                                   && type.dims[2].isKnown() && type.dims[3].isKnown();
            const bool perChannel = type.dims[2].value == 1 && type.dims[3].value == 1;
            if (!sameShape && !perChannel)
                return;
            clean[i] = !isDirty(input);
            anyBlocked = true;
        }
        if (!anyBlocked)
            return;
        const bool cleanOut = op == "Mul"   ? clean[0] || clean[1]
                              : op == "Div" ? clean[0]
                                            : clean[0] && clean[1];
        markBlocked(proto.output(0), !cleanOut);
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
            setIntAttribute(convert, ops::kBlockedChannelsAttribute, channels(value));
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
    std::vector<ReshapedConstant> m_reshapedConstants;
    std::unordered_set<std::string> m_dirty; // blocked values whose padding may be non-zero
    std::unordered_map<std::string, int64_t> m_channels; // of blocked values, where decided
    std::vector<NodeId> m_affines; // ChannelAffine nodes made from BatchNormalizations
};

} // namespace

Result<bool> KeepFloatActivationsBlocked::apply(Graph &graph, PassContext &)
{
    return BlockedLayoutPlanner(graph).run();
}

} // namespace qs
