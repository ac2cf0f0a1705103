// Fusions of quantized (QDQ) graphs: a QDQ model spells every int8 op as float math between
// DequantizeLinear and QuantizeLinear nodes, so that any runtime can run it. Runtimes that want
// int8 speed (ONNX Runtime's QDQ transformers, TensorRT) recognise the groups and run them on
// 8-bit values. These passes do the same, each group only when every scale and zero point is a
// constant, so the rewritten node computes what the group computes (up to float rounding of the
// requantization, at most one step of the output scale). This file:
//  - DQ(x) -> Conv(DQ(W), DQ(B)) (-> Relu/Clip) -> Q becomes QLinearConv with the activation
//    fused (ConvTranspose: QLinearConvTranspose, kFusedDomain);
//  - DQ(a) -> MatMul(DQ(W)) -> Q becomes QLinearMatMul, and Gemm QGemm (kFusedDomain).
// A DequantizeLinear that other nodes still read stays for them.
#include "runtime/fusion/fusion_passes.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"
#include "runtime/fusion/fused_activation.h"
#include "runtime/fusion/qdq_support.h"
#include "runtime/ops/quant/int8_exactness.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {

using namespace qdq;

namespace {

// The int32 bias of QLinearConv (scale x_scale * w_scale[c]) from a float or dequantized bias.
std::optional<Tensor> quantizedBias(Graph &graph, const std::string &value, float xScale,
                                    const std::vector<float> &weightScales, int64_t channels)
{
    std::vector<double> bias;
    if (const Tensor *constant = graph.constant(value)) {
        if (constant->dtype() != DType::Float32 || constant->elementCount() != channels)
            return std::nullopt;
        for (int64_t c = 0; c < channels; ++c)
            bias.push_back(constant->doubleAt(c));
    } else {
        const NodeId dq = graph.producer(value);
        if (!isOp(graph, dq, "DequantizeLinear"))
            return std::nullopt;
        std::optional<QdqParams> params = qdqParams(graph, dq);
        const Tensor *quantized = graph.constant(graph.node(dq).proto.input(0));
        if (!params || !quantized || quantized->elementCount() != channels
            || (!params->perTensor() && params->scale->elementCount() != channels))
            return std::nullopt;
        for (int64_t c = 0; c < channels; ++c)
            bias.push_back(double(quantized->intAt(c) - params->zeroPointAt(c))
                           * params->scaleAt(c));
    }
    Tensor result = Tensor::allocate(DType::Int32, {channels});
    for (int64_t c = 0; c < channels; ++c) {
        const double step = double(xScale) * weightScales[size_t(c) % weightScales.size()];
        // Saturated like the quantizer saturates a bias too large for int32 (the dequantized
        // value of such a bias already is the clamped one).
        const double q = step > 0 ? std::nearbyint(bias[size_t(c)] / step) : 0.0;
        result.mutableData<int32_t>()[c]
            = int32_t(std::clamp(q, double(std::numeric_limits<int32_t>::min()),
                                 double(std::numeric_limits<int32_t>::max())));
    }
    return result;
}

// Relu or Clip between the op and its QuantizeLinear, fused into QLinearConv.
bool isClampActivation(const std::optional<FusedActivation> &activation)
{
    return activation
           && (activation->kind == FusedActivation::Kind::Relu
               || activation->kind == FusedActivation::Kind::Clip)
           && !activation->hasPostAffine();
}

// The QuantizeLinear that takes an op's output `value`, directly or through a Relu/Clip that
// the int8 kernel applies as a clamp.
struct OutputGroup
{
    NodeId activationNode = kNoNode;
    std::optional<FusedActivation> activation;
    Dequantized quantize;
};

std::optional<OutputGroup> outputGroup(Graph &graph, const std::string &value)
{
    OutputGroup group;
    std::string quantized = value;
    const NodeId reader = graph.soleReader(value);
    if (graph.isAlive(reader) && graph.node(reader).proto.input(0) == value) {
        std::optional<FusedActivation> activation = fusableActivation(graph, reader);
        if (isClampActivation(activation)) {
            group.activationNode = reader;
            group.activation = activation;
            quantized = graph.node(reader).proto.output(0);
        }
    }
    std::optional<Dequantized> q = soleQuantizeReader(graph, quantized);
    if (!q)
        return std::nullopt;
    group.quantize = *q;
    return group;
}

// Replaces `node` by `fused`, which reads its inputs' quantized values and writes the group's
// QuantizeLinear output.
void replaceGroup(Graph &graph, NodeId node, onnx::NodeProto fused, const OutputGroup &output)
{
    fused.add_output(graph.node(node).proto.output(0));
    const auto &inputs = graph.node(node).proto.input();
    const std::vector<std::string> consumed(inputs.begin(), inputs.end());
    graph.replaceProto(node, std::move(fused));
    if (output.activation)
        setFusedActivation(graph.node(node).proto, *output.activation);
    for (const std::string &input : consumed)
        removeUnreadDequantize(graph, input);
    if (output.activationNode != kNoNode)
        graph.absorbInto(node, output.activationNode);
    graph.absorbInto(node, output.quantize.node);
}

// The zero point input of an 8-bit weight, made (0 of the weight's type) when the
// DequantizeLinear has none.
std::string weightZeroPoint(Graph &graph, const QdqParams &weight, DType type,
                            const std::string &owner)
{
    if (!weight.zeroPointName.empty())
        return weight.zeroPointName;
    const std::string name = owner + "::weight_zero_point";
    graph.setInitializer(name, type == DType::Int8 ? Tensor::scalar<int8_t>(0)
                                                   : Tensor::scalar<uint8_t>(0));
    return name;
}

// The inputs of QLinearConv / QLinearMatMul and their fused relatives: x, x_scale, x_zero_point,
// w, w_scale, w_zero_point, y_scale, y_zero_point, and the int32 bias when there is one.
void addQLinearInputs(onnx::NodeProto &fused, Graph &graph, const Dequantized &x,
                      const std::string &weightName, const QdqParams &weight, DType weightType,
                      const Dequantized &y, std::optional<Tensor> bias, const std::string &owner)
{
    for (const std::string &input :
         {x.quantized, x.params.scaleName, zeroPointOrDefault(graph, x.params), weightName,
          weight.scaleName, weightZeroPoint(graph, weight, weightType, owner), y.params.scaleName,
          zeroPointOrDefault(graph, y.params)})
        fused.add_input(input);
    if (bias) {
        const std::string biasName = owner + "::int32_bias";
        graph.setInitializer(biasName, std::move(*bias));
        fused.add_input(biasName);
    }
}

std::vector<float> scalesOf(const QdqParams &params)
{
    std::vector<float> scales;
    for (int64_t i = 0; i < params.scale->elementCount(); ++i)
        scales.push_back(params.scaleAt(i));
    return scales;
}

bool fuseConvGroup(Graph &graph, NodeId conv)
{
    const onnx::NodeProto &proto = graph.node(conv).proto;
    if (proto.input_size() < 2 || proto.output_size() != 1)
        return false;
    std::optional<Dequantized> x = perTensorDequantize(graph, proto.input(0));
    const NodeId weightDq = graph.producer(proto.input(1));
    if (!x || !isOp(graph, weightDq, "DequantizeLinear"))
        return false;
    std::optional<QdqParams> weight = qdqParams(graph, weightDq);
    const std::string weightName = graph.node(weightDq).proto.input(0);
    const Tensor *weightValues = graph.constant(weightName);
    if (!weight || !weightValues || !isEightBit(static_cast<int32_t>(weightValues->dtype()))
        || weightValues->rank() < 3)
        return false;
    // Conv's W is [M, C/group, k...], per-channel on axis 0; ConvTranspose's [C, M/group, k...],
    // per-channel on axis 1 (one scale per output channel of a group).
    const bool transposed = proto.op_type() == "ConvTranspose";
    const int64_t group = intAttribute(proto, "group", 1);
    const int64_t channelAxis = transposed ? 1 : 0;
    const int64_t channels = weightValues->dim(channelAxis) * (transposed ? group : 1);
    if (!weight->perTensor()
        && (weight->axis != channelAxis
            || weight->scale->elementCount() != weightValues->dim(channelAxis)))
        return false;
    // The int8 deconvolution has no reference fallback: only what oneDNN takes (int8_conv.cpp).
    if (transposed
        && (weightValues->dtype() != DType::Int8 || !weight->zeroPointsAreZero()
            || !ops::exactWithUnsignedActivations(*weightValues)))
        return false;
    std::optional<OutputGroup> output = outputGroup(graph, proto.output(0));
    if (!output)
        return false;
    std::optional<Tensor> bias;
    if (proto.input_size() > 2 && !proto.input(2).empty()) {
        bias = quantizedBias(graph, proto.input(2), x->params.scaleAt(0), scalesOf(*weight),
                             channels);
        if (!bias)
            return false;
    }
    onnx::NodeProto fused;
    if (transposed)
        fused.set_domain(kFusedDomain);
    fused.set_op_type(transposed ? "QLinearConvTranspose" : "QLinearConv");
    *fused.mutable_attribute() = proto.attribute();
    addQLinearInputs(fused, graph, *x, weightName, *weight, weightValues->dtype(), output->quantize,
                     std::move(bias), proto.output(0));
    replaceGroup(graph, conv, std::move(fused), *output);
    return true;
}

// [N, K] -> [K, N] for 8-bit values.
Tensor transposed(const Tensor &matrix)
{
    const int64_t rows = matrix.dim(0), cols = matrix.dim(1);
    Tensor result = Tensor::allocate(matrix.dtype(), {cols, rows});
    const auto *in = static_cast<const uint8_t *>(matrix.rawData());
    auto *out = static_cast<uint8_t *>(result.mutableRawData());
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t c = 0; c < cols; ++c)
            out[c * rows + r] = in[r * cols + c];
    }
    return result;
}

// DQ(a) -> MatMul(DQ(B)) -> Q becomes QLinearMatMul; DQ(a) -> Gemm(DQ(B), C) (-> Relu/Clip) -> Q
// with alpha = beta = 1 and no transA becomes QGemm (kFusedDomain), B stored [K, N].
bool fuseMatMulGroup(Graph &graph, NodeId node)
{
    const onnx::NodeProto &proto = graph.node(node).proto;
    const bool gemm = proto.op_type() == "Gemm";
    if (proto.input_size() < 2 || (!gemm && proto.input_size() != 2) || proto.output_size() != 1)
        return false;
    const bool transposeB = gemm && intAttribute(proto, "transB", 0) != 0;
    if (gemm
        && (intAttribute(proto, "transA", 0) != 0 || floatAttribute(proto, "alpha", 1.0f) != 1.0f
            || floatAttribute(proto, "beta", 1.0f) != 1.0f))
        return false;
    std::optional<Dequantized> a = perTensorDequantize(graph, proto.input(0));
    const NodeId weightDq = graph.producer(proto.input(1));
    if (!a || !isOp(graph, weightDq, "DequantizeLinear"))
        return false;
    std::optional<QdqParams> weight = qdqParams(graph, weightDq);
    std::string weightName = graph.node(weightDq).proto.input(0);
    const Tensor *weightValues = graph.constant(weightName);
    if (!weight || !weightValues || weightValues->rank() != 2
        || !isEightBit(static_cast<int32_t>(weightValues->dtype())))
        return false;
    // One scale, or one per column of B as [K, N] (axis 1; axis 0 of a transposed B).
    const int64_t columns = weightValues->dim(transposeB ? 0 : 1);
    if (!weight->perTensor()
        && (weight->axis != (transposeB ? 0 : 1) || weight->scale->elementCount() != columns))
        return false;
    std::optional<OutputGroup> output = outputGroup(graph, proto.output(0));
    if (!output || (!gemm && output->activationNode != kNoNode))
        return false;
    std::optional<Tensor> bias;
    if (gemm && proto.input_size() > 2 && !proto.input(2).empty()) {
        bias = quantizedBias(graph, proto.input(2), a->params.scaleAt(0), scalesOf(*weight),
                             columns);
        if (!bias)
            return false;
    }
    if (transposeB) {
        weightName = proto.output(0) + "::weight_k_by_n";
        graph.setInitializer(weightName, transposed(*weightValues));
    }
    onnx::NodeProto fused;
    if (gemm)
        fused.set_domain(kFusedDomain);
    fused.set_op_type(gemm ? "QGemm" : "QLinearMatMul");
    addQLinearInputs(fused, graph, *a, weightName, *weight, weightValues->dtype(), output->quantize,
                     std::move(bias), proto.output(0));
    replaceGroup(graph, node, std::move(fused), *output);
    return true;
}

} // namespace

Result<bool> FuseQdqConvAndMatMul::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (!graph.isAlive(id) || hasFusedActivation(graph.node(id).proto))
            continue;
        if (isOp(graph, id, "Conv") || isOp(graph, id, "ConvTranspose"))
            modified |= fuseConvGroup(graph, id);
        else if (isOp(graph, id, "MatMul") || isOp(graph, id, "Gemm"))
            modified |= fuseMatMulGroup(graph, id);
    }
    return modified;
}

} // namespace qs
