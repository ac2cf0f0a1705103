// The dynamic-quantization spelling of a convolution, as ONNX Runtime's and our dynamic
// quantizers write it:
//   DynamicQuantizeLinear(x) -> x_q, x_scale, x_zp
//   ConvInteger(x_q, W_q, x_zp, W_zp) -> Cast(to FLOAT) -> Mul(·, s = Mul(x_scale, W_scale))
//   [-> Add(bias)]
// runs as a float convolution of the same integers:
//   DynamicQuantizeCentred(x) -> x_q - x_zp (float), x_scale
//   Conv(·, W_q - W_zp (float), x_scale, bias, W_scale) with kScaledOutputAttribute
// The products and their sums are integers, exact in float while partial sums stay below 2^24
// (for 8-bit operands that takes hundreds of large same-signed products; real activations stay
// far below), so the convolution's sum is ConvInteger's, and oneDNN then multiplies by s and
// adds the bias as post-ops in the order the Mul and Add did: the result matches the unfused
// chain (and ONNX Runtime) bit for bit in practice, while the convolution runs on oneDNN's
// direct float kernels and joins the float passes after it (activation, channel-blocked
// layout). An exact int32 convolution is only quick with VNNI (oneDNN's int8 kernels without it
// saturate 16-bit pair sums, and our quantizer's ConvInteger weights use the full uint8 range);
// the ConvInteger kernel, which the unfused path and any ConvInteger read as int32 still run,
// stays exact.
#include "runtime/fusion/fusion_passes.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"

#include <map>
#include <unordered_set>

namespace qs {

namespace {

// The values of `tensor` per output channel of a 4-D-like conv output: one value for all, or
// `channels` values on the channel axis (axis 1 of the output, after right-aligned
// broadcasting against an output of rank `outputRank`; a 1-D tensor is the weight's own
// per-channel form, as DequantizeLinear's axis 0).
std::optional<std::vector<double>> perOutputChannel(const Tensor &tensor, int64_t channels,
                                                    int64_t outputRank, bool oneDimensionIsChannels)
{
    const int64_t count = tensor.elementCount();
    if (count == 1)
        return std::vector<double>(size_t(channels), tensor.doubleAt(0));
    if (count != channels)
        return std::nullopt;
    if (!(oneDimensionIsChannels && tensor.rank() == 1)) {
        const int64_t rank = tensor.rank();
        if (rank > outputRank)
            return std::nullopt;
        for (int64_t i = 0; i < rank; ++i) {
            const bool channelAxis = outputRank - rank + i == 1;
            if (tensor.dim(i) != (channelAxis ? channels : 1))
                return std::nullopt;
        }
    }
    std::vector<double> values(static_cast<size_t>(channels));
    for (int64_t c = 0; c < channels; ++c)
        values[size_t(c)] = tensor.doubleAt(c);
    return values;
}

Tensor centredWeight(const Tensor &weight, const std::vector<double> &zeroPoint)
{
    Tensor result = Tensor::allocate(DType::Float32, weight.shape());
    float *out = result.mutableData<float>();
    const int64_t channels = weight.dim(0);
    const int64_t perChannel = weight.elementCount() / channels;
    const bool isSigned = weight.dtype() == DType::Int8;
    const auto *bytes = static_cast<const uint8_t *>(weight.rawData());
    for (int64_t c = 0; c < channels; ++c) {
        const float zero = float(zeroPoint[size_t(c)]);
        for (int64_t i = c * perChannel; i < (c + 1) * perChannel; ++i)
            out[i] = (isSigned ? float(int8_t(bytes[i])) : float(bytes[i])) - zero; // exact
    }
    return result;
}

struct DynamicConvMatch
{
    NodeId quantize = kNoNode; // the DynamicQuantizeLinear
    NodeId cast = kNoNode;
    NodeId rescale = kNoNode;      // Mul(cast, s)
    NodeId biasAdd = kNoNode;      // Add(·, bias) when the bias is a per-channel constant
    NodeId scaleProduct = kNoNode; // s = Mul(x_scale, W_scale)
    Tensor weightScale;            // W_scale as [1] or [M] float32
    Tensor weight;                 // W_q - W_zp as float32
    Tensor bias;                   // [M] float32, or empty
};

std::optional<DynamicConvMatch> matchDynamicConv(Graph &graph, NodeId conv)
{
    const onnx::NodeProto &integer = graph.node(conv).proto;
    if (integer.input_size() < 3 || integer.output_size() != 1 || integer.input(2).empty())
        return std::nullopt;
    DynamicConvMatch match;
    match.quantize = graph.producer(integer.input(0));
    if (!isOp(graph, match.quantize, "DynamicQuantizeLinear"))
        return std::nullopt;
    const onnx::NodeProto &quantize = graph.node(match.quantize).proto;
    if (quantize.output_size() != 3 || quantize.output(0) != integer.input(0)
        || quantize.output(2) != integer.input(2))
        return std::nullopt;
    const Tensor *weight = graph.constant(integer.input(1));
    if (!weight || (weight->dtype() != DType::UInt8 && weight->dtype() != DType::Int8)
        || weight->rank() < 3 || weight->dim(0) < 1)
        return std::nullopt;
    const int64_t channels = weight->dim(0);
    const int64_t outputRank = weight->rank();
    std::vector<double> weightZero(size_t(channels), 0.0);
    if (integer.input_size() > 3 && !integer.input(3).empty()) {
        const Tensor *zero = graph.constant(integer.input(3));
        if (!zero || zero->dtype() != weight->dtype())
            return std::nullopt;
        auto values = perOutputChannel(*zero, channels, outputRank, true);
        if (!values)
            return std::nullopt;
        weightZero = std::move(*values);
    }
    match.cast = graph.soleReader(integer.output(0));
    if (!isOp(graph, match.cast, "Cast")
        || intAttribute(graph.node(match.cast).proto, "to", 0) != int64_t(DType::Float32))
        return std::nullopt;
    const std::string &castOutput = graph.node(match.cast).proto.output(0);
    match.rescale = graph.soleReader(castOutput);
    if (!isOp(graph, match.rescale, "Mul") || graph.node(match.rescale).proto.input_size() != 2)
        return std::nullopt;
    // s must be x_scale times a constant, one value or one per output channel: the conv
    // computes it from x_scale and that constant as the Mul did.
    const std::string scale = otherInput(graph.node(match.rescale).proto, castOutput);
    match.scaleProduct = graph.producer(scale);
    if (!isOp(graph, match.scaleProduct, "Mul")
        || graph.node(match.scaleProduct).proto.input_size() != 2)
        return std::nullopt;
    const onnx::NodeProto &productProto = graph.node(match.scaleProduct).proto;
    const std::string &inputScale = quantize.output(1);
    if (productProto.input(0) != inputScale && productProto.input(1) != inputScale)
        return std::nullopt;
    const Tensor *weightScale = graph.constant(otherInput(productProto, inputScale));
    if (!weightScale || weightScale->dtype() != DType::Float32
        || !perOutputChannel(*weightScale, channels, outputRank, false))
        return std::nullopt;
    match.weightScale = weightScale->reshaped({weightScale->elementCount()});
    match.weight = centredWeight(*weight, weightZero);
    const std::string &scaled = graph.node(match.rescale).proto.output(0);
    const NodeId add = graph.soleReader(scaled);
    if (isOp(graph, add, "Add") && graph.node(add).proto.input_size() == 2) {
        const Tensor *bias = graph.constant(otherInput(graph.node(add).proto, scaled));
        std::optional<std::vector<double>> values;
        if (bias && bias->dtype() == DType::Float32 && bias->elementCount() == channels)
            values = perOutputChannel(*bias, channels, outputRank, false);
        if (values) {
            match.biasAdd = add;
            match.bias = Tensor::allocate(DType::Float32, {channels});
            for (int64_t c = 0; c < channels; ++c)
                match.bias.mutableData<float>()[c] = float((*values)[size_t(c)]);
        }
    }
    return match;
}

// Every ConvInteger reading a DynamicQuantizeLinear's x_q and x_zp must match: the centred
// twin replaces that node, which has no x_q or x_zp to give other readers. Ordered by node id,
// so that the names the rewrite makes do not depend on hashing.
std::map<NodeId, std::vector<std::pair<NodeId, DynamicConvMatch>>> matchesByQuantizer(Graph &graph)
{
    std::map<NodeId, std::vector<std::pair<NodeId, DynamicConvMatch>>> found;
    for (const NodeId conv : graph.nodeIds()) {
        if (!isOp(graph, conv, "ConvInteger"))
            continue;
        if (auto match = matchDynamicConv(graph, conv))
            found[match->quantize].emplace_back(conv, std::move(*match));
    }
    for (auto it = found.begin(); it != found.end();) {
        const onnx::NodeProto &quantize = graph.node(it->first).proto;
        std::unordered_set<NodeId> matched;
        for (const auto &entry : it->second)
            matched.insert(entry.first);
        bool whole = !graph.isGraphOutput(quantize.output(0))
                     && !graph.isGraphOutput(quantize.output(2));
        for (const int output : {0, 2}) {
            for (const NodeId reader : graph.readers(quantize.output(output)))
                whole = whole && matched.count(reader);
        }
        it = whole ? std::next(it) : found.erase(it);
    }
    return found;
}

} // namespace

Result<bool> RunDynamicConvInFloat::apply(Graph &graph, PassContext &)
{
    auto found = matchesByQuantizer(graph);
    for (auto &[quantizeId, convs] : found) {
        // DynamicQuantizeLinear(x) -> (x_q, x_scale, x_zp) becomes
        // DynamicQuantizeCentred(x) -> (x_q - x_zp, x_scale), in its place.
        const onnx::NodeProto &quantize = graph.node(quantizeId).proto;
        const std::string input = quantize.input(0), inputScale = quantize.output(1);
        const std::string centred = graph.uniqueValueName(quantize.output(0) + "_centred");
        onnx::NodeProto twin;
        twin.set_name(quantize.name());
        twin.set_domain(kFusedDomain);
        twin.set_op_type("DynamicQuantizeCentred");
        twin.add_input(input);
        twin.add_output(centred);
        twin.add_output(inputScale);
        graph.replaceProto(quantizeId, std::move(twin));
        graph.node(quantizeId).opsetVersion = 1;
        graph.setValueType(centred, graph.valueType(input));
        for (auto &[conv, match] : convs) {
            // The conv takes the place (and output name) of the last node of its chain.
            const NodeId last = match.biasAdd != kNoNode ? match.biasAdd : match.rescale;
            const onnx::NodeProto &integer = graph.node(conv).proto;
            onnx::NodeProto floatConv = makeNode("Conv", {}, {graph.node(last).proto.output(0)},
                                                 integer.name());
            floatConv.add_input(centred);
            floatConv.add_input(
                graph.addInitializer(integer.input(1) + "_centred", std::move(match.weight)));
            floatConv.add_input("");
            floatConv.add_input(inputScale);
            floatConv.add_input(match.bias.empty() ? std::string()
                                                   : graph.addInitializer(integer.name() + "_bias",
                                                                          std::move(match.bias)));
            floatConv.add_input(graph.addInitializer(integer.name() + "_weight_scale",
                                                     std::move(match.weightScale)));
            for (const onnx::AttributeProto &attribute : integer.attribute())
                *floatConv.add_attribute() = attribute;
            setIntAttribute(floatConv, kScaledOutputAttribute, 1);
            std::vector<std::string> absorbed = graph.node(conv).absorbed;
            for (const NodeId inner : {match.cast, match.rescale, match.biasAdd}) {
                if (inner != kNoNode)
                    absorbed.push_back(graph.fusionLabel(inner));
            }
            GraphNode &target = graph.node(last);
            target.displayName = graph.node(conv).displayName;
            target.sourceId = graph.node(conv).sourceId;
            target.opsetVersion = graph.opsetVersion("");
            target.absorbed = std::move(absorbed);
            graph.removeNode(conv);
            graph.removeNode(match.cast);
            if (last != match.rescale)
                graph.removeNode(match.rescale);
            graph.replaceProto(last, std::move(floatConv));
            // The conv computes x_scale * W_scale itself; the Mul goes when nothing else reads
            // its product.
            const std::string &product = graph.node(match.scaleProduct).proto.output(0);
            if (graph.useCount(product) == 0 && !graph.isGraphOutput(product)) {
                graph.node(last).absorbed.push_back(graph.fusionLabel(match.scaleProduct));
                graph.removeNode(match.scaleProduct);
            }
        }
    }
    if (!found.empty())
        graph.removeUnusedConstants();
    return !found.empty();
}

} // namespace qs
