#include "graph/matchers.h"

#include "model/attributes.h"

#include <cmath>

namespace qs {

namespace {

bool hasPadding(const onnx::NodeProto &conv)
{
    for (const int64_t pad : intsAttribute(conv, "pads")) {
        if (pad != 0)
            return true;
    }
    return stringAttribute(conv, "auto_pad").starts_with("SAME");
}

const Tensor *floatConstant(Graph &graph, const std::string &value)
{
    const Tensor *tensor = graph.constant(value);
    return tensor && tensor->dtype() == DType::Float32 ? tensor : nullptr;
}

// The node has one output, or its other outputs (BatchNormalization's training statistics) are
// omitted or unused.
bool onlyFirstOutputUsed(const Graph &graph, const onnx::NodeProto &node)
{
    for (int i = 1; i < node.output_size(); ++i) {
        if (!node.output(i).empty() && graph.useCount(node.output(i)) > 0)
            return false;
    }
    return node.output_size() >= 1;
}

// Folds BatchNormalization's (gamma, beta, mean, var) into `affine`; false when it does not fit.
bool composeBatchNorm(Graph &graph, const onnx::NodeProto &bn, ChannelAffine &affine)
{
    // In training mode the batch's own statistics replace input_mean/input_var: not an affine
    // map known before running.
    if (intAttribute(bn, "training_mode", 0) != 0)
        return false;
    const auto channels = int64_t(affine.scale.size());
    std::vector<std::vector<double>> params;
    for (int i = 1; i < 5; ++i) {
        const Tensor *tensor = floatConstant(graph, bn.input(i));
        if (!tensor || tensor->rank() != 1)
            return false;
        std::vector<double> values = perChannelValues(tensor, channels, 2);
        if (values.empty())
            return false;
        params.push_back(std::move(values));
    }
    const double epsilon = floatAttribute(bn, "epsilon", 1e-5f);
    for (size_t c = 0; c < size_t(channels); ++c) {
        const double factor = params[0][c] / std::sqrt(params[3][c] + epsilon);
        affine.scale[c] *= factor;
        affine.shift[c] = (affine.shift[c] - params[2][c]) * factor + params[1][c];
    }
    return true;
}

// Mul / Add / Sub / Div of `value` by a per-channel constant, composed into `affine`.
bool composeArithmetic(Graph &graph, const onnx::NodeProto &node, const std::string &value,
                       int64_t rank, ChannelAffine &affine)
{
    if (node.input_size() != 2 || node.input(0) == node.input(1))
        return false;
    const int constantIndex = node.input(0) == value ? 1 : node.input(1) == value ? 0 : -1;
    const std::string &op = node.op_type();
    if (constantIndex < 0 || ((op == "Sub" || op == "Div") && constantIndex != 1))
        return false;
    const std::vector<double> values
        = perChannelValues(floatConstant(graph, node.input(constantIndex)),
                           int64_t(affine.scale.size()), size_t(rank));
    if (values.empty())
        return false;
    for (size_t c = 0; c < values.size(); ++c) {
        const double k = values[c];
        if (op == "Mul") {
            affine.scale[c] *= k;
            affine.shift[c] *= k;
        } else if (op == "Div") {
            affine.scale[c] /= k;
            affine.shift[c] /= k;
        } else {
            affine.shift[c] += op == "Add" ? k : -k;
        }
    }
    return true;
}

} // namespace

bool isOp(const Graph &graph, NodeId id, std::string_view opType)
{
    return graph.isAlive(id) && isDefaultOp(graph.node(id).proto, opType);
}

std::string otherInput(const onnx::NodeProto &node, const std::string &value)
{
    if (node.input_size() != 2)
        return {};
    if (node.input(0) == value)
        return node.input(1);
    if (node.input(1) == value)
        return node.input(0);
    return {};
}

bool nearlyEqual(float value, float expected)
{
    return std::fabs(value - expected) <= 1e-6f * std::max(1.0f, std::fabs(expected));
}

std::optional<float> scalarConstant(Graph &graph, const std::string &value)
{
    const Tensor *tensor = floatConstant(graph, value);
    if (!tensor || tensor->elementCount() != 1)
        return std::nullopt;
    return tensor->data<float>()[0];
}

std::optional<std::pair<float, float>> clipBounds(Graph &graph, NodeId clip)
{
    const GraphNode &node = graph.node(clip);
    // Bounds are attributes before opset 11 and inputs from 11 (attributes then mean nothing).
    const bool attributeBounds = node.opsetVersion > 0 && node.opsetVersion < 11;
    float low = attributeBounds ? floatAttribute(node.proto, "min", -INFINITY) : -INFINITY;
    float high = attributeBounds ? floatAttribute(node.proto, "max", INFINITY) : INFINITY;
    for (int i = 1; i < node.proto.input_size() && i <= 2; ++i) {
        if (node.proto.input(i).empty())
            continue;
        const std::optional<float> bound = scalarConstant(graph, node.proto.input(i));
        if (!bound)
            return std::nullopt;
        (i == 1 ? low : high) = *bound;
    }
    return std::make_pair(low, high);
}

std::vector<double> perChannelValues(const Tensor *tensor, int64_t channels, size_t outputRank)
{
    if (!tensor || tensor->dtype() != DType::Float32)
        return {};
    const float *data = tensor->data<float>();
    if (tensor->elementCount() == 1)
        return std::vector<double>(size_t(channels), double(data[0]));
    if (tensor->elementCount() != channels || size_t(tensor->rank()) > outputRank)
        return {};
    // The one non-1 dim must sit at the channel axis (1) once right-aligned to the output.
    const size_t pad = outputRank - size_t(tensor->rank());
    for (int64_t d = 0; d < tensor->rank(); ++d) {
        if (tensor->dim(d) != 1 && pad + size_t(d) != 1)
            return {};
    }
    return std::vector<double>(data, data + channels);
}

std::optional<HardSwishMatch> matchHardSwish(Graph &graph, NodeId add)
{
    if (!isOp(graph, add, "Add") || graph.node(add).proto.input_size() != 2)
        return std::nullopt;
    const onnx::NodeProto &addProto = graph.node(add).proto;
    HardSwishMatch match;
    match.add = add;
    for (int i = 0; i < 2 && match.input.empty(); ++i) {
        const auto three = scalarConstant(graph, addProto.input(i));
        if (three && nearlyEqual(*three, 3.0f))
            match.input = addProto.input(1 - i);
    }
    if (match.input.empty() || graph.constant(match.input))
        return std::nullopt;
    const std::string &shifted = addProto.output(0);
    match.clip = graph.soleReader(shifted);
    if (!isOp(graph, match.clip, "Clip") || graph.node(match.clip).proto.input(0) != shifted)
        return std::nullopt;
    const auto bounds = clipBounds(graph, match.clip);
    if (!bounds || !nearlyEqual(bounds->first, 0.0f) || !nearlyEqual(bounds->second, 6.0f))
        return std::nullopt;
    const std::string &clipped = graph.node(match.clip).proto.output(0);
    match.mul = graph.soleReader(clipped);
    if (!isOp(graph, match.mul, "Mul")
        || otherInput(graph.node(match.mul).proto, clipped) != match.input)
        return std::nullopt;
    const std::string &product = graph.node(match.mul).proto.output(0);
    match.last = graph.soleReader(product);
    if (!graph.isAlive(match.last))
        return std::nullopt;
    const onnx::NodeProto &last = graph.node(match.last).proto;
    if (!isDefaultDomain(last.domain()) || last.input_size() != 2 || last.input(0) != product)
        return std::nullopt;
    const auto factor = scalarConstant(graph, last.input(1));
    const bool isSixth = factor
                         && ((last.op_type() == "Div" && nearlyEqual(*factor, 6.0f))
                             || (last.op_type() == "Mul" && nearlyEqual(*factor, 1.0f / 6.0f)));
    if (!isSixth)
        return std::nullopt;
    return match;
}

std::optional<GeluMatch> matchGelu(Graph &graph, NodeId first)
{
    if (!graph.isAlive(first))
        return std::nullopt;
    const onnx::NodeProto &firstProto = graph.node(first).proto;
    if (!isDefaultDomain(firstProto.domain()) || firstProto.input_size() != 2)
        return std::nullopt;
    // x / sqrt(2) or x * (1 / sqrt(2))
    const auto factor = scalarConstant(graph, firstProto.input(1));
    const bool scalesBySqrtHalf
        = factor
          && ((firstProto.op_type() == "Div" && nearlyEqual(*factor, float(M_SQRT2)))
              || (firstProto.op_type() == "Mul" && nearlyEqual(*factor, float(M_SQRT1_2))));
    if (!scalesBySqrtHalf)
        return std::nullopt;
    GeluMatch match;
    match.first = first;
    match.input = firstProto.input(0);
    const NodeId erf = graph.soleReader(firstProto.output(0));
    if (!isOp(graph, erf, "Erf"))
        return std::nullopt;
    const std::string &erfOutput = graph.node(erf).proto.output(0);
    const NodeId plusOne = graph.soleReader(erfOutput);
    if (!isOp(graph, plusOne, "Add"))
        return std::nullopt;
    const auto one = scalarConstant(graph, otherInput(graph.node(plusOne).proto, erfOutput));
    if (!one || !nearlyEqual(*one, 1.0f))
        return std::nullopt;
    // (1 + erf) * x, then * 0.5; or (1 + erf) * (x * 0.5).
    const std::string &sum = graph.node(plusOne).proto.output(0);
    const NodeId product = graph.soleReader(sum);
    if (!isOp(graph, product, "Mul"))
        return std::nullopt;
    const std::string partner = otherInput(graph.node(product).proto, sum);
    match.inner = {erf, plusOne};
    if (partner == match.input) {
        const std::string &productOutput = graph.node(product).proto.output(0);
        match.last = graph.soleReader(productOutput);
        if (!isOp(graph, match.last, "Mul"))
            return std::nullopt;
        const auto half = scalarConstant(graph,
                                         otherInput(graph.node(match.last).proto, productOutput));
        if (!half || !nearlyEqual(*half, 0.5f))
            return std::nullopt;
        match.inner.push_back(product);
        return match;
    }
    const NodeId halfOfX = graph.producer(partner);
    if (!isOp(graph, halfOfX, "Mul") || graph.useCount(partner) != 1)
        return std::nullopt;
    const std::string halfName = otherInput(graph.node(halfOfX).proto, match.input);
    const auto half = halfName.empty() ? std::nullopt : scalarConstant(graph, halfName);
    if (!half || !nearlyEqual(*half, 0.5f))
        return std::nullopt;
    match.inner.push_back(halfOfX);
    match.last = product;
    return match;
}

namespace {

// ReduceMean over the last axis only, keeping dims (axes as an attribute: opsets below 18).
bool isMeanOverLastAxis(Graph &graph, NodeId id, const std::string &input)
{
    if (!isOp(graph, id, "ReduceMean") || graph.node(id).proto.input_size() != 1
        || graph.node(id).proto.input(0) != input
        || intAttribute(graph.node(id).proto, "keepdims", 1) != 1)
        return false;
    const std::vector<int64_t> axes = intsAttribute(graph.node(id).proto, "axes");
    const TensorType type = graph.valueType(input);
    return axes.size() == 1
           && (axes[0] == -1 || (type.hasShape && axes[0] == int64_t(type.dims.size()) - 1));
}

// A float32 constant of one value per element of the last dim ([C], [1, C], ...): `channels`
// of them, or any count when the last dim is not known (shapes behind dynamic axes often are
// not; the LayerNormalization kernel then checks the count when it runs).
bool isLastDimVector(Graph &graph, const std::string &value, int64_t channels)
{
    const Tensor *tensor = graph.constant(value);
    if (!tensor || tensor->dtype() != DType::Float32 || tensor->rank() < 1)
        return false;
    const int64_t count = tensor->dim(tensor->rank() - 1);
    return tensor->elementCount() == count && count > 0 && (channels <= 0 || count == channels);
}

} // namespace

std::optional<LayerNormMatch> matchLayerNorm(Graph &graph, NodeId first)
{
    if (!graph.isAlive(first) || !isOp(graph, first, "ReduceMean"))
        return std::nullopt;
    LayerNormMatch match;
    match.input = graph.node(first).proto.input(0);
    const TensorType type = graph.valueType(match.input);
    if (type.elementType != onnx::TensorProto::FLOAT
        || !isMeanOverLastAxis(graph, first, match.input))
        return std::nullopt;
    // 0 or less: not known here.
    const int64_t channels = type.hasShape && !type.dims.empty() ? type.dims.back().value : 0;
    const std::string &mean = graph.node(first).proto.output(0);
    const NodeId sub = graph.soleReader(mean);
    if (!isOp(graph, sub, "Sub") || graph.node(sub).proto.input(0) != match.input
        || graph.node(sub).proto.input(1) != mean)
        return std::nullopt;
    // d is read twice: squared for the variance, and divided by the deviation.
    const std::string &centred = graph.node(sub).proto.output(0);
    if (graph.useCount(centred) != 2)
        return std::nullopt;
    NodeId pow = kNoNode, div = kNoNode;
    for (const NodeId reader : graph.readers(centred)) {
        if (isOp(graph, reader, "Pow") && graph.node(reader).proto.input(0) == centred)
            pow = reader;
        else if (isOp(graph, reader, "Div") && graph.node(reader).proto.input(0) == centred)
            div = reader;
    }
    const auto two = pow == kNoNode ? std::nullopt
                                    : scalarConstant(graph, graph.node(pow).proto.input(1));
    if (!two || *two != 2.0f || div == kNoNode)
        return std::nullopt;
    const NodeId variance = graph.soleReader(graph.node(pow).proto.output(0));
    if (!isMeanOverLastAxis(graph, variance, graph.node(pow).proto.output(0)))
        return std::nullopt;
    const std::string &varianceOut = graph.node(variance).proto.output(0);
    const NodeId addEpsilon = graph.soleReader(varianceOut);
    const auto epsilon = isOp(graph, addEpsilon, "Add")
                             ? scalarConstant(graph,
                                              otherInput(graph.node(addEpsilon).proto, varianceOut))
                             : std::nullopt;
    if (!epsilon || *epsilon < 0.0f)
        return std::nullopt;
    match.epsilon = *epsilon;
    const NodeId sqrt = graph.soleReader(graph.node(addEpsilon).proto.output(0));
    if (!isOp(graph, sqrt, "Sqrt") || graph.soleReader(graph.node(sqrt).proto.output(0)) != div
        || graph.node(div).proto.input(1) != graph.node(sqrt).proto.output(0))
        return std::nullopt;
    match.nodes = {first, sub, pow, variance, addEpsilon, sqrt};
    match.last = div;
    // The affine step, when its operands are constants over the last dim.
    const std::string &normalised = graph.node(div).proto.output(0);
    const NodeId mul = graph.soleReader(normalised);
    const std::string scale
        = isOp(graph, mul, "Mul") ? otherInput(graph.node(mul).proto, normalised) : std::string();
    if (scale.empty() || !isLastDimVector(graph, scale, channels))
        return match;
    match.scale = scale;
    match.nodes.push_back(div);
    match.last = mul;
    const std::string &scaled = graph.node(mul).proto.output(0);
    const NodeId add = graph.soleReader(scaled);
    const std::string bias = isOp(graph, add, "Add") ? otherInput(graph.node(add).proto, scaled)
                                                     : std::string();
    if (bias.empty() || !isLastDimVector(graph, bias, channels)
        || graph.constant(bias)->elementCount() != graph.constant(scale)->elementCount())
        return match;
    match.bias = bias;
    match.nodes.push_back(mul);
    match.last = add;
    return match;
}

AffineChain matchAffineAfter(Graph &graph, NodeId conv, int64_t channels, int64_t rank)
{
    AffineChain chain;
    chain.affine = {std::vector<double>(size_t(channels), 1.0),
                    std::vector<double>(size_t(channels), 0.0)};
    std::string current = graph.node(conv).proto.output(0);
    for (;;) {
        const NodeId next = graph.soleReader(current);
        if (!graph.isAlive(next))
            break;
        const onnx::NodeProto &proto = graph.node(next).proto;
        if (!isDefaultDomain(proto.domain()) || !onlyFirstOutputUsed(graph, proto))
            break;
        const std::string &op = proto.op_type();
        bool composed = false;
        if (op == "BatchNormalization")
            composed = proto.input_size() == 5 && proto.input(0) == current
                       && composeBatchNorm(graph, proto, chain.affine);
        else if (op == "Mul" || op == "Add" || op == "Sub" || op == "Div")
            composed = composeArithmetic(graph, proto, current, rank, chain.affine);
        if (!composed)
            break;
        chain.nodes.push_back(next);
        current = proto.output(0);
    }
    chain.output = current;
    return chain;
}

InputAffineChain matchScalarAffineBefore(Graph &graph, NodeId conv)
{
    const onnx::NodeProto &convProto = graph.node(conv).proto;
    const bool padded = hasPadding(convProto);
    InputAffineChain chain;
    double scale = 1.0, shift = 0.0;
    std::string value = convProto.input(0);
    for (;;) {
        const NodeId producer = graph.producer(value);
        if (!graph.isAlive(producer))
            break;
        const onnx::NodeProto &proto = graph.node(producer).proto;
        const std::string &op = proto.op_type();
        if (!isDefaultDomain(proto.domain()) || proto.output_size() != 1
            || (op != "Mul" && op != "Add" && op != "Sub" && op != "Div")
            || proto.input_size() != 2)
            break;
        const NodeId reader = graph.soleReader(value);
        if (reader != (chain.nodes.empty() ? conv : chain.nodes.back()))
            break;
        // The data operand is whichever input is not a one-value constant.
        std::string data;
        std::optional<float> k;
        bool constantSecond = false;
        for (int i = 0; i < 2; ++i) {
            const std::optional<float> scalar = scalarConstant(graph, proto.input(i));
            if (scalar) {
                k = scalar;
                constantSecond = i == 1;
            } else {
                data = proto.input(i);
            }
        }
        if (!k || data.empty() || ((op == "Sub" || op == "Div") && !constantSecond))
            break;
        double nextScale = scale, nextShift = shift;
        if (op == "Mul")
            nextScale *= *k;
        else if (op == "Div")
            nextScale /= *k;
        else
            nextShift += scale * (op == "Add" ? *k : -*k);
        if (padded && nextShift != 0.0)
            break; // a shift of zero-padded input is not a bias
        scale = nextScale;
        shift = nextShift;
        chain.nodes.push_back(producer);
        value = data;
    }
    chain.inputScale = scale;
    chain.inputShift = shift;
    chain.input = value;
    return chain;
}

int64_t convOutputChannels(const onnx::NodeProto &conv, const Tensor &weight)
{
    if (conv.op_type() == "ConvTranspose")
        return weight.dim(1) * intAttribute(conv, "group", 1);
    return weight.dim(0);
}

} // namespace qs
