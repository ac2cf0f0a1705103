#include "graph/passes/fold_affine_into_conv.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"

namespace qs {

namespace {

// A conv whose weights (and bias) can be rewritten: constant float32, weight rank >= 3, bias
// constant float32 with one value per output channel or absent.
struct FoldableConv
{
    const Tensor *weight = nullptr;
    const Tensor *bias = nullptr; // null when the conv has none
    int64_t channels = 0;
};

std::optional<FoldableConv> foldableConv(Graph &graph, NodeId id, bool transposeAllowed)
{
    const onnx::NodeProto &proto = graph.node(id).proto;
    const bool isConv = isDefaultOp(proto, "Conv");
    if (!isConv && !(transposeAllowed && isDefaultOp(proto, "ConvTranspose")))
        return std::nullopt;
    // A fused activation sits between the conv and whatever reads it.
    // A run-time output scale comes before the bias (fused_ops.h).
    if (proto.input_size() < 2 || proto.output_size() != 1
        || hasAttribute(proto, kFusedActivationAttribute)
        || hasAttribute(proto, kScaledOutputAttribute))
        return std::nullopt;
    FoldableConv conv;
    conv.weight = graph.constant(proto.input(1));
    if (!conv.weight || conv.weight->dtype() != DType::Float32 || conv.weight->rank() < 3)
        return std::nullopt;
    conv.channels = convOutputChannels(proto, *conv.weight);
    if (proto.input_size() > 2 && !proto.input(2).empty()) {
        conv.bias = graph.constant(proto.input(2));
        if (!conv.bias || conv.bias->dtype() != DType::Float32
            || conv.bias->elementCount() != conv.channels)
            return std::nullopt;
    }
    return conv;
}

// The output channel that row `row`, column `column` of the weight feeds: Conv's W is
// [M, C/g, k...]; ConvTranspose's [C, M/g, k...] with input channel `row` in group row/(C/g).
struct WeightLayout
{
    Shape shape;
    int64_t group = 1;
    bool transposed = false;
    int64_t inner = 1; // elements per (row, column)

    int64_t outputChannel(int64_t row, int64_t column) const
    {
        return transposed ? (row / (shape[0] / group)) * shape[1] + column : row;
    }
};

WeightLayout layoutOf(const onnx::NodeProto &conv, const Tensor &weight)
{
    WeightLayout layout;
    layout.shape = weight.shape();
    layout.group = intAttribute(conv, "group", 1);
    layout.transposed = conv.op_type() == "ConvTranspose";
    for (size_t d = 2; d < layout.shape.size(); ++d)
        layout.inner *= layout.shape[d];
    return layout;
}

std::vector<double> biasValues(const FoldableConv &conv)
{
    std::vector<double> bias(size_t(conv.channels), 0.0);
    for (int64_t c = 0; conv.bias && c < conv.channels; ++c)
        bias[size_t(c)] = conv.bias->data<float>()[c];
    return bias;
}

// A new initializer named after `base`, or `current` rewritten in place when an earlier fold
// made it for this conv alone: a conv folded from both sides (affine steps after it, a scale in
// front) keeps one folded weight and bias, named as after one fold.
std::string foldedTensor(Graph &graph, const std::string &current, const std::string &base,
                         Tensor value)
{
    const bool madeByFold = current.ends_with("_folded") && graph.isInitializer(current)
                            && graph.useCount(current) == 1;
    if (!madeByFold)
        return graph.addInitializer(base, std::move(value));
    graph.setInitializer(current, std::move(value));
    return current;
}

// The conv reads `weight` and `bias` from folded initializers.
void setWeights(Graph &graph, NodeId id, Tensor weight, const std::vector<double> &bias)
{
    std::vector<float> values(bias.begin(), bias.end());
    const onnx::NodeProto &proto = graph.node(id).proto;
    const std::string weightName = proto.input(1);
    const std::string currentBias = proto.input_size() > 2 ? proto.input(2) : std::string();
    const std::string biasName
        = foldedTensor(graph, currentBias, graph.node(id).displayName + "_bias_folded",
                       Tensor::fromVector<float>({int64_t(values.size())}, values));
    graph.setInput(id, 1,
                   foldedTensor(graph, weightName, weightName + "_folded", std::move(weight)));
    if (graph.node(id).proto.input_size() > 2)
        graph.setInput(id, 2, biasName);
    else
        graph.addInput(id, biasName);
}

} // namespace

Result<bool> FoldAffineIntoConv::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (!graph.isAlive(id))
            continue;
        const std::optional<FoldableConv> conv = foldableConv(graph, id, true);
        if (!conv)
            continue;
        const AffineChain chain = matchAffineAfter(graph, id, conv->channels, conv->weight->rank());
        if (chain.nodes.empty())
            continue;
        // y * scale[oc] + shift[oc] = conv(W * scale[oc]) + (b * scale[oc] + shift[oc]).
        const onnx::NodeProto &proto = graph.node(id).proto;
        const WeightLayout layout = layoutOf(proto, *conv->weight);
        Tensor weight = conv->weight->clone();
        float *values = weight.mutableData<float>();
        for (int64_t row = 0; row < layout.shape[0]; ++row) {
            for (int64_t column = 0; column < layout.shape[1]; ++column) {
                const double s = chain.affine.scale[size_t(layout.outputChannel(row, column))];
                float *block = values + (row * layout.shape[1] + column) * layout.inner;
                for (int64_t i = 0; i < layout.inner; ++i)
                    block[i] = float(block[i] * s);
            }
        }
        std::vector<double> bias = biasValues(*conv);
        for (size_t c = 0; c < bias.size(); ++c)
            bias[c] = bias[c] * chain.affine.scale[c] + chain.affine.shift[c];
        setWeights(graph, id, std::move(weight), bias);
        for (const NodeId step : chain.nodes)
            graph.absorbInto(id, step);
        modified = true;
    }
    return modified;
}

Result<bool> FoldInputScaleIntoConv::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (!graph.isAlive(id))
            continue;
        const std::optional<FoldableConv> conv = foldableConv(graph, id, false);
        if (!conv)
            continue;
        const InputAffineChain chain = matchScalarAffineBefore(graph, id);
        if (chain.nodes.empty())
            continue;
        // conv(W, s * x + t) = conv(W * s, x) + t * sum(W[oc]).
        const WeightLayout layout = layoutOf(graph.node(id).proto, *conv->weight);
        Tensor weight = conv->weight->clone();
        float *values = weight.mutableData<float>();
        std::vector<double> bias = biasValues(*conv);
        for (int64_t row = 0; row < layout.shape[0]; ++row) {
            for (int64_t column = 0; column < layout.shape[1]; ++column) {
                float *block = values + (row * layout.shape[1] + column) * layout.inner;
                double sum = 0;
                for (int64_t i = 0; i < layout.inner; ++i) {
                    sum += block[i];
                    block[i] = float(block[i] * chain.inputScale);
                }
                bias[size_t(layout.outputChannel(row, column))] += chain.inputShift * sum;
            }
        }
        setWeights(graph, id, std::move(weight), bias);
        graph.setInput(id, 0, chain.input);
        for (const NodeId step : chain.nodes) {
            graph.node(id).absorbed.push_back(graph.fusionLabel(step));
            graph.removeNode(step);
        }
        modified = true;
    }
    return modified;
}

} // namespace qs
