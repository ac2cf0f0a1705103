#include "quant/cross_layer_equalization.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"
#include "model/model.h"
#include "quant/pass_runner.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace qs {

namespace {

// A Conv or Gemm whose weight (and bias) the pass may rescale, with the map from a weight
// element to the output and input channel it connects.
struct Layer
{
    NodeId node = kNoNode;
    bool gemm = false;
    bool transB = false;
    Tensor weight; // a copy, rescaled in place
    Tensor bias;   // a copy; empty when the layer has none
    int64_t outputs = 0;
    int64_t inputs = 0;
    int64_t columns = 1; // Conv: input channels per group; Gemm: W's second dim
    int64_t inner = 1;   // Conv: kernel elements
    int64_t outputsPerGroup = 1;
    bool changed = false;

    // Calls visit(element, outputChannel, inputChannel) for every weight element.
    template<typename Visit>
    void forEachWeight(Visit &&visit) const
    {
        const int64_t count = weight.elementCount();
        for (int64_t e = 0; e < count; ++e) {
            if (gemm) {
                const int64_t row = e / columns, column = e % columns;
                // B is [K, N], or [N, K] with transB.
                visit(e, transB ? row : column, transB ? column : row);
            } else {
                const int64_t row = e / (columns * inner);
                const int64_t column = (e / inner) % columns;
                visit(e, row, (row / outputsPerGroup) * columns + column);
            }
        }
    }
};

bool isFloatConstant(Graph &graph, const std::string &value, const Tensor *&tensor)
{
    tensor = value.empty() ? nullptr : graph.constant(value);
    return tensor && tensor->dtype() == DType::Float32;
}

// The layer at `id` when its weight and bias are float32 constants it alone reads.
std::optional<Layer> layerAt(Graph &graph, NodeId id)
{
    const onnx::NodeProto &proto = graph.node(id).proto;
    const bool conv = isDefaultOp(proto, "Conv");
    // MatMul with a constant [K, N] B is a Gemm without bias: features on the last axis.
    const bool matMul = isDefaultOp(proto, "MatMul");
    const bool gemm = isDefaultOp(proto, "Gemm") || matMul;
    if ((!conv && !gemm) || proto.input_size() < 2 || proto.output_size() != 1
        || hasAttribute(proto, kFusedActivationAttribute)
        || hasAttribute(proto, kScaledOutputAttribute))
        return std::nullopt;
    const Tensor *weight = nullptr;
    if (!isFloatConstant(graph, proto.input(1), weight) || graph.useCount(proto.input(1)) != 1)
        return std::nullopt;
    Layer layer;
    layer.node = id;
    layer.gemm = gemm;
    if (gemm) {
        if (weight->rank() != 2)
            return std::nullopt;
        layer.transB = intAttribute(proto, "transB", 0) != 0;
        layer.columns = weight->shape()[1];
        layer.outputs = weight->shape()[layer.transB ? 0 : 1];
        layer.inputs = weight->shape()[layer.transB ? 1 : 0];
    } else {
        if (weight->rank() < 3)
            return std::nullopt;
        const int64_t group = intAttribute(proto, "group", 1);
        layer.outputs = weight->shape()[0];
        layer.columns = weight->shape()[1];
        layer.inputs = layer.columns * group;
        if (group <= 0 || layer.outputs % group != 0)
            return std::nullopt;
        layer.outputsPerGroup = layer.outputs / group;
        for (int64_t d = 2; d < weight->rank(); ++d)
            layer.inner *= weight->shape()[size_t(d)];
    }
    layer.weight = weight->clone();
    if (!matMul && proto.input_size() > 2 && !proto.input(2).empty()) {
        const Tensor *bias = nullptr;
        // Gemm's C must be one value per output ([N] or [1, N]) to scale per channel.
        if (!isFloatConstant(graph, proto.input(2), bias) || graph.useCount(proto.input(2)) != 1
            || bias->elementCount() != layer.outputs || (bias->rank() == 2 && bias->shape()[0] != 1)
            || bias->rank() > 2)
            return std::nullopt;
        layer.bias = bias->clone();
    }
    return layer;
}

bool isLayer(const Graph &graph, NodeId id)
{
    return isOp(graph, id, "Conv") || isOp(graph, id, "Gemm") || isOp(graph, id, "MatMul");
}

// The activations an equalized pair may have between its layers.
enum class Between { Nothing, Homogeneous, BoundedClip, Other };

Between classify(Graph &graph, NodeId id)
{
    const onnx::NodeProto &proto = graph.node(id).proto;
    if (isDefaultOp(proto, "Relu") || isDefaultOp(proto, "LeakyRelu"))
        return Between::Homogeneous;
    if (isDefaultOp(proto, "Clip")) {
        const auto bounds = clipBounds(graph, id);
        if (bounds && bounds->first == 0.0f)
            return std::isinf(bounds->second) ? Between::Homogeneous : Between::BoundedClip;
    }
    return Between::Other;
}

struct Pair
{
    NodeId first = kNoNode;
    NodeId second = kNoNode;
    NodeId boundedClip = kNoNode; // a ReLU6 to become Relu
};

// The layer after `first` (through at most one activation) when the pair can be equalized.
std::optional<Pair> pairAfter(Graph &graph, NodeId first, int &skippedBoundedClips, bool relu6AsRelu)
{
    Pair pair;
    pair.first = first;
    std::string value = graph.node(first).proto.output(0);
    NodeId next = graph.soleReader(value);
    if (next == kNoNode)
        return std::nullopt;
    const Between between = classify(graph, next);
    if (between == Between::BoundedClip || between == Between::Homogeneous) {
        value = graph.node(next).proto.output(0);
        const NodeId after = graph.soleReader(value);
        const bool layerFollows = after != kNoNode && isLayer(graph, after);
        if (between == Between::BoundedClip) {
            if (!layerFollows)
                return std::nullopt;
            if (!relu6AsRelu) {
                ++skippedBoundedClips;
                return std::nullopt;
            }
            pair.boundedClip = next;
        }
        next = after;
    }
    if (next == kNoNode || !isLayer(graph, next) || graph.node(next).proto.input(0) != value)
        return std::nullopt;
    const onnx::NodeProto &second = graph.node(next).proto;
    // Conv to Conv; Gemm / MatMul to either (features on the last axis of both).
    if (!isLayer(graph, next) || isOp(graph, next, "Conv") != isOp(graph, first, "Conv"))
        return std::nullopt;
    if (isDefaultOp(second, "Gemm") && intAttribute(second, "transA", 0) != 0)
        return std::nullopt;
    pair.second = next;
    return pair;
}

// Rescales one pair; returns the largest |s - 1| it applied.
double equalizePair(Layer &first, Layer &second)
{
    const auto channels = size_t(first.outputs);
    std::vector<double> r1(channels, 0.0), r2(channels, 0.0);
    const float *w1 = first.weight.data<float>();
    const float *w2 = second.weight.data<float>();
    first.forEachWeight([&](int64_t e, int64_t out, int64_t) {
        r1[size_t(out)] = std::max(r1[size_t(out)], double(std::fabs(w1[e])));
    });
    second.forEachWeight([&](int64_t e, int64_t, int64_t in) {
        r2[size_t(in)] = std::max(r2[size_t(in)], double(std::fabs(w2[e])));
    });
    std::vector<double> scale(channels, 1.0);
    double change = 0;
    for (size_t i = 0; i < channels; ++i) {
        // A dead channel on either side has nothing to balance.
        if (r1[i] > 0 && r2[i] > 0 && std::isfinite(r1[i]) && std::isfinite(r2[i]))
            scale[i] = std::clamp(std::sqrt(r1[i] / r2[i]), 1e-8, 1e8);
        change = std::max(change, std::fabs(scale[i] - 1.0));
    }
    if (change == 0)
        return 0;
    float *m1 = first.weight.mutableData<float>();
    float *m2 = second.weight.mutableData<float>();
    first.forEachWeight(
        [&](int64_t e, int64_t out, int64_t) { m1[e] = float(m1[e] / scale[size_t(out)]); });
    second.forEachWeight(
        [&](int64_t e, int64_t, int64_t in) { m2[e] = float(m2[e] * scale[size_t(in)]); });
    if (!first.bias.empty()) {
        float *b1 = first.bias.mutableData<float>();
        for (size_t i = 0; i < channels; ++i)
            b1[i] = float(b1[i] / scale[i]);
    }
    first.changed = second.changed = true;
    return change;
}

void writeLayer(Graph &graph, const Layer &layer)
{
    const onnx::NodeProto &proto = graph.node(layer.node).proto;
    const std::string weight = proto.input(1);
    const std::string bias = layer.bias.empty() ? std::string() : proto.input(2);
    graph.setInput(layer.node, 1, graph.addInitializer(weight + "_equalized", layer.weight));
    if (!bias.empty())
        graph.setInput(layer.node, 2, graph.addInitializer(bias + "_equalized", layer.bias));
}

} // namespace

Result<bool> CrossLayerEqualization::apply(Graph &graph, PassContext &context)
{
    std::map<NodeId, Layer> layers;
    std::vector<Pair> pairs;
    auto layerFor = [&](NodeId id) -> Layer * {
        if (auto it = layers.find(id); it != layers.end())
            return &it->second;
        std::optional<Layer> layer = layerAt(graph, id);
        return layer ? &layers.emplace(id, std::move(*layer)).first->second : nullptr;
    };
    for (const NodeId id : graph.nodeIds()) {
        if (!isLayer(graph, id))
            continue;
        const std::optional<Pair> pair = pairAfter(graph, id, m_skipped, m_options.relu6AsRelu);
        if (!pair)
            continue;
        Layer *first = layerFor(pair->first);
        Layer *second = layerFor(pair->second);
        if (first && second && first->outputs == second->inputs && first->outputs > 0)
            pairs.push_back(*pair);
    }
    std::vector<bool> rescaled(pairs.size(), false);
    for (int sweep = 0; sweep < m_options.maxSweeps && !pairs.empty(); ++sweep) {
        if (context.cancelled())
            return cancelled("cross-layer equalization cancelled");
        double change = 0;
        for (size_t p = 0; p < pairs.size(); ++p) {
            const double moved = equalizePair(layers.at(pairs[p].first), layers.at(pairs[p].second));
            rescaled[p] = rescaled[p] || moved > 0;
            change = std::max(change, moved);
        }
        m_sweeps = std::max(m_sweeps, sweep + 1);
        if (change < m_options.tolerance)
            break;
    }
    bool modified = false;
    for (const auto &[id, layer] : layers) {
        if (layer.changed) {
            writeLayer(graph, layer);
            modified = true;
        }
    }
    for (size_t p = 0; p < pairs.size(); ++p) {
        const Pair &pair = pairs[p];
        if (!rescaled[p])
            continue;
        ++m_pairs;
        if (pair.boundedClip != kNoNode) {
            // Clip(x, 0, 6) -> Relu(x): the name stays, the bound goes.
            onnx::NodeProto relu = makeNode("Relu", {graph.node(pair.boundedClip).proto.input(0)},
                                            {graph.node(pair.boundedClip).proto.output(0)});
            graph.replaceProto(pair.boundedClip, std::move(relu));
            ++m_relu6Replaced;
        }
    }
    return modified;
}

std::vector<Message> EqualizationResult::notes() const
{
    std::vector<Message> notes;
    if (pairs > 0)
        notes.push_back(makeMessage(MessageId::EqualizationRescaled,
                                    {std::to_string(pairs), std::to_string(sweeps)}));
    else
        notes.push_back(makeMessage(MessageId::EqualizationNothingRescaled));
    if (relu6Replaced > 0)
        notes.push_back(
            makeMessage(MessageId::EqualizationRelu6Replaced, {std::to_string(relu6Replaced)}));
    if (skippedBoundedClips > 0)
        notes.push_back(makeMessage(MessageId::EqualizationSkippedClips,
                                    {std::to_string(skippedBoundedClips)}));
    return notes;
}

std::string EqualizationResult::summary() const
{
    // The notes' English, so the wording lives once, in the message catalogue.
    std::string text;
    for (const Message &note : notes())
        text += (text.empty() ? "" : "; ") + englishText(note);
    return text;
}

Result<EqualizationResult> equalizeCrossLayer(std::shared_ptr<const Model> model,
                                              const EqualizationOptions &options,
                                              Progress &progress)
{
    PassPipeline pipeline;
    auto pass = std::make_unique<CrossLayerEqualization>(options);
    CrossLayerEqualization *equalization = pass.get();
    pipeline.add(std::move(pass));
    PassContext context;
    context.progress = &progress;
    auto proto = runOnModel(pipeline, std::move(model), context);
    if (!proto)
        return proto.status();
    EqualizationResult result;
    result.pairs = equalization->pairs();
    result.skippedBoundedClips = equalization->skippedBoundedClips();
    result.relu6Replaced = equalization->relu6Replaced();
    result.sweeps = equalization->sweeps();
    if (result.pairs > 0)
        result.model = std::move(*proto);
    return result;
}

} // namespace qs
