#pragma once
// The patterns graph passes recognise, each written once and used by the engine's fusion and by
// the quantizer's preparation alike: cheap structural checks, constants of a given form, and the
// decomposed activations exporters write (HardSwish, GELU) and the per-channel affine steps that
// fold into a convolution.
#include "graph/graph.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qs {

// `id` is a live node of the default domain with this op type.
bool isOp(const Graph &graph, NodeId id, std::string_view opType);
// The other input of a two-input node when one of them is `value`; empty if neither is.
std::string otherInput(const onnx::NodeProto &node, const std::string &value);
// Relative comparison for constants exporters write as 6, 1/6, sqrt(2)...
bool nearlyEqual(float value, float expected);
// A float32 constant holding one value.
std::optional<float> scalarConstant(Graph &graph, const std::string &value);
// The bounds of a Clip: attributes before opset 11, constant inputs from 11 (absent: +-inf);
// nullopt when a bound is not a constant scalar.
std::optional<std::pair<float, float>> clipBounds(Graph &graph, NodeId clip);
// Values of a float32 constant broadcast against an [N, C, ...] output of `outputRank` dims,
// one per channel: a scalar (repeated), or C values whose only non-1 dim is axis 1 once
// right-aligned ([C,1,1], [1,C,1,1]). Empty when it does not fit.
std::vector<double> perChannelValues(const Tensor *tensor, int64_t channels, size_t outputRank);

// x * Clip(x + 3, 0, 6) / 6 (or * 1/6), as exporters decompose HardSwish; every intermediate
// value has one reader. `add` is the pattern's first node.
struct HardSwishMatch
{
    std::string input;
    NodeId add = kNoNode, clip = kNoNode, mul = kNoNode, last = kNoNode;
};
std::optional<HardSwishMatch> matchHardSwish(Graph &graph, NodeId add);

// x * 0.5 * (1 + Erf(x / sqrt 2)) in its two usual spellings; `first` is the division (or the
// multiplication by 1/sqrt 2). `inner` are the nodes between first and last.
struct GeluMatch
{
    std::string input;
    NodeId first = kNoNode;
    std::vector<NodeId> inner;
    NodeId last = kNoNode;
};
std::optional<GeluMatch> matchGelu(Graph &graph, NodeId first);

// LayerNorm over the last axis as torch writes it below opset 17: d = x - ReduceMean(x);
// d / Sqrt(ReduceMean(Pow(d, 2)) + epsilon), then optionally * scale[C] and + bias[C] (constants
// over the last dim). `first` is the first ReduceMean; `nodes` are all the pattern's nodes but
// `last`, whose output becomes the fused node's.
struct LayerNormMatch
{
    std::string input, scale, bias; // scale and bias empty when absent
    float epsilon = 0.0f;
    std::vector<NodeId> nodes;
    NodeId last = kNoNode;
};
std::optional<LayerNormMatch> matchLayerNorm(Graph &graph, NodeId first);

// y -> y * scale[c] + shift[c] per output channel of a convolution.
struct ChannelAffine
{
    std::vector<double> scale;
    std::vector<double> shift;
};

// The constant per-channel steps reading a Conv / ConvTranspose output one after another, each
// the sole reader of the value before: BatchNormalization (inference form), and Mul / Add / Sub /
// Div by a scalar or per-channel constant (Sub and Div only with the constant second). `rank` is
// the output's rank (the weight's). Empty `nodes` when nothing follows.
struct AffineChain
{
    std::vector<NodeId> nodes;
    ChannelAffine affine;
    std::string output; // what the last step writes
};
AffineChain matchAffineAfter(Graph &graph, NodeId conv, int64_t channels, int64_t rank);

// Scalar Mul / Add / Sub / Div steps in front of a Conv, from its input backwards, each read only
// by the next step: input = inputScale * t + inputShift. A shift is refused before a padded conv
// (padded zeros are not shifted). Empty `nodes` when there is none.
struct InputAffineChain
{
    std::vector<NodeId> nodes; // from the conv backwards
    double inputScale = 1.0;
    double inputShift = 0.0;
    std::string input; // what the conv reads once the chain is folded
};
InputAffineChain matchScalarAffineBefore(Graph &graph, NodeId conv);

// Output channels of a Conv (W [M, C/g, k...]) or ConvTranspose (W [C, M/g, k...]).
int64_t convOutputChannels(const onnx::NodeProto &conv, const Tensor &weight);

} // namespace qs
