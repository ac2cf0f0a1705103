// Fusions of quantized (QDQ) graphs: a QDQ model spells every int8 op as float math between
// DequantizeLinear and QuantizeLinear nodes, so that any runtime can run it. Runtimes that want
// int8 speed (ONNX Runtime's QDQ transformers, TensorRT) recognise the groups and run them on
// 8-bit values. These passes do the same, each group only when every scale and zero point is a
// constant, so the rewritten node computes what the group computes (up to float rounding of the
// requantization, at most one step of the output scale):
//  - fuseQdqConvAndMatMul: DQ(x) -> Conv(DQ(W), DQ(B)) (-> Relu/Clip) -> Q becomes QLinearConv
//    with the activation fused (ConvTranspose: QLinearConvTranspose, kFusedDomain);
//    DQ(a) -> MatMul(DQ(W)) -> Q becomes QLinearMatMul, and Gemm QGemm (kFusedDomain);
//  - the elementwise passes of graph_fusion_qdq_elementwise.cpp: table lookups for activations
//    (fused into the Conv before them), QLinearAdd/Mul, 8-bit data movement;
//  - keepInt8ActivationsChannelsLast (graph_fusion_layout.cpp) then decides the layouts.
// A DequantizeLinear that other nodes still read stays for them.
#include "runtime/graph_fusion_qdq_support.h"

#include "runtime/ops/quant/int8_exactness.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {

using namespace qdq;

namespace {

// The int32 bias of QLinearConv (scale x_scale * w_scale[c]) from a float or dequantized bias.
std::optional<Tensor> quantizedBias(std::vector<PlannedNode> &nodes, FusionContext &context,
                                    const std::string &value, float xScale,
                                    const std::vector<float> &weightScales, int64_t channels)
{
    std::vector<double> bias;
    if (const Tensor *constant = context.constant(value)) {
        if (constant->dtype() != DType::Float32 || constant->elementCount() != channels)
            return std::nullopt;
        for (int64_t c = 0; c < channels; ++c)
            bias.push_back(constant->doubleAt(c));
    } else {
        PlannedNode *dq = producer(nodes, context, value);
        if (!isOp(dq, "DequantizeLinear"))
            return std::nullopt;
        std::optional<QuantParams> params = quantParams(*dq, context);
        const Tensor *quantized = context.constant(dq->proto.input(0));
        if (!params || !quantized || quantized->elementCount() != channels
            || (!params->perTensor() && params->scale->elementCount() != channels))
            return std::nullopt;
        for (int64_t c = 0; c < channels; ++c)
            bias.push_back(double(quantized->intAt(c) - params->zeroPointAt(c)) * params->scaleAt(c));
    }
    Tensor result = Tensor::allocate(DType::Int32, {channels});
    for (int64_t c = 0; c < channels; ++c) {
        const double step = double(xScale) * weightScales[size_t(c) % weightScales.size()];
        // Saturated like the quantizer saturates a bias too large for int32 (the dequantized
        // value of such a bias already is the clamped one).
        const double q = step > 0 ? std::nearbyint(bias[size_t(c)] / step) : 0.0;
        result.mutableData<int32_t>()[c] = int32_t(std::clamp(
            q, double(std::numeric_limits<int32_t>::min()), double(std::numeric_limits<int32_t>::max())));
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

int64_t intAttribute(const onnx::NodeProto &node, const char *name, int64_t fallback)
{
    for (const auto &attr : node.attribute()) {
        if (attr.name() == name)
            return attr.i();
    }
    return fallback;
}

float floatAttribute(const onnx::NodeProto &node, const char *name, float fallback)
{
    for (const auto &attr : node.attribute()) {
        if (attr.name() == name)
            return attr.f();
    }
    return fallback;
}

// The QuantizeLinear that takes an op's output `value`, directly or through a Relu/Clip that
// the int8 kernel applies as a clamp.
struct OutputGroup
{
    PlannedNode *activationNode = nullptr;
    std::optional<FusedActivation> activation;
    Dequantized quantize;
};

std::optional<OutputGroup> outputGroup(std::vector<PlannedNode> &nodes, FusionContext &context,
                                       const std::string &value)
{
    OutputGroup group;
    std::string quantized = value;
    PlannedNode *reader = soleReader(nodes, context, value);
    if (reader && reader->proto.input(0) == value) {
        std::optional<FusedActivation> activation = fusableActivation(*reader, context);
        if (isClampActivation(activation)) {
            group.activationNode = reader;
            group.activation = activation;
            quantized = reader->proto.output(0);
        }
    }
    std::optional<Dequantized> q = soleQuantizeReader(nodes, context, quantized);
    if (!q)
        return std::nullopt;
    group.quantize = *q;
    return group;
}

// Replaces `node` by `fused`, which reads its inputs' quantized values and writes the
// group's QuantizeLinear output.
void replaceGroup(std::vector<PlannedNode> &nodes, FusionContext &context, PlannedNode &node,
                  onnx::NodeProto fused, const OutputGroup &output)
{
    fused.set_name(node.proto.name());
    fused.add_output(node.proto.output(0));
    for (const auto &input : fused.input())
        context.readers[input] += 1;
    const std::vector<std::string> consumed(node.proto.input().begin(), node.proto.input().end());
    node.proto = std::move(fused);
    node.activation = output.activation;
    for (const std::string &input : consumed) {
        if (!input.empty())
            releaseInput(nodes, context, input);
    }
    if (output.activationNode)
        takeOutput(nodes, context, node, *output.activationNode);
    takeOutput(nodes, context, node, *output.quantize.node);
}

// The zero point input of an 8-bit weight, made (0 of the weight's type) when the
// DequantizeLinear has none.
std::string weightZeroPoint(FusionContext &context, const QuantParams &weight, DType type,
                            const std::string &owner)
{
    if (!weight.zeroPointName.empty())
        return weight.zeroPointName;
    const std::string name = owner + "::weight_zero_point";
    context.addConstant(name, type == DType::Int8 ? Tensor::scalar<int8_t>(0) : Tensor::scalar<uint8_t>(0));
    return name;
}

// The inputs of QLinearConv / QLinearMatMul and their fused relatives: x, x_scale, x_zero_point,
// w, w_scale, w_zero_point, y_scale, y_zero_point, and the int32 bias when there is one.
void addQLinearInputs(onnx::NodeProto &fused, FusionContext &context, const Dequantized &x,
                      const std::string &weightName, const QuantParams &weight, DType weightType,
                      const Dequantized &y, std::optional<Tensor> bias, const std::string &owner)
{
    for (const std::string &input :
         {x.quantized(), x.params.scaleName, zeroPointOrDefault(context, x.params), weightName,
          weight.scaleName, weightZeroPoint(context, weight, weightType, owner), y.params.scaleName,
          zeroPointOrDefault(context, y.params)})
        fused.add_input(input);
    if (bias) {
        const std::string biasName = owner + "::int32_bias";
        context.addConstant(biasName, std::move(*bias));
        fused.add_input(biasName);
    }
}

bool fuseConvGroup(std::vector<PlannedNode> &nodes, FusionContext &context, PlannedNode &conv)
{
    const onnx::NodeProto &proto = conv.proto;
    if (proto.input_size() < 2 || proto.output_size() != 1)
        return false;
    std::optional<Dequantized> x = perTensorDequantize(nodes, context, proto.input(0));
    PlannedNode *weightDq = producer(nodes, context, proto.input(1));
    if (!x || !isOp(weightDq, "DequantizeLinear"))
        return false;
    std::optional<QuantParams> weight = quantParams(*weightDq, context);
    const Tensor *weightValues = context.constant(weightDq->proto.input(0));
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
    std::vector<float> weightScales;
    for (int64_t i = 0; i < weight->scale->elementCount(); ++i)
        weightScales.push_back(weight->scaleAt(i));
    std::optional<OutputGroup> output = outputGroup(nodes, context, proto.output(0));
    if (!output)
        return false;
    std::optional<Tensor> bias;
    const bool hasBias = proto.input_size() > 2 && !proto.input(2).empty();
    if (hasBias) {
        bias = quantizedBias(nodes, context, proto.input(2), x->params.scaleAt(0), weightScales,
                             channels);
        if (!bias)
            return false;
    }
    const Dequantized &y = output->quantize;
    onnx::NodeProto fused;
    if (transposed)
        fused.set_domain(kFusedDomain);
    fused.set_op_type(transposed ? "QLinearConvTranspose" : "QLinearConv");
    for (const auto &attr : proto.attribute())
        *fused.add_attribute() = attr;
    addQLinearInputs(fused, context, *x, weightDq->proto.input(0), *weight, weightValues->dtype(),
                     y, std::move(bias), proto.output(0));
    replaceGroup(nodes, context, conv, std::move(fused), *output);
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
bool fuseMatMulGroup(std::vector<PlannedNode> &nodes, FusionContext &context, PlannedNode &node)
{
    const onnx::NodeProto &proto = node.proto;
    const bool gemm = proto.op_type() == "Gemm";
    if (proto.input_size() < 2 || (!gemm && proto.input_size() != 2) || proto.output_size() != 1)
        return false;
    const bool transposeB = gemm && intAttribute(proto, "transB", 0) != 0;
    if (gemm && (intAttribute(proto, "transA", 0) != 0 || floatAttribute(proto, "alpha", 1.0f) != 1.0f
                 || floatAttribute(proto, "beta", 1.0f) != 1.0f))
        return false;
    std::optional<Dequantized> a = perTensorDequantize(nodes, context, proto.input(0));
    PlannedNode *weightDq = producer(nodes, context, proto.input(1));
    if (!a || !isOp(weightDq, "DequantizeLinear"))
        return false;
    std::optional<QuantParams> weight = quantParams(*weightDq, context);
    const Tensor *weightValues = context.constant(weightDq->proto.input(0));
    if (!weight || !weightValues || weightValues->rank() != 2
        || !isEightBit(static_cast<int32_t>(weightValues->dtype())))
        return false;
    // One scale, or one per column of B as [K, N] (axis 1; axis 0 of a transposed B).
    const int64_t columns = weightValues->dim(transposeB ? 0 : 1);
    if (!weight->perTensor()
        && (weight->axis != (transposeB ? 0 : 1) || weight->scale->elementCount() != columns))
        return false;
    std::optional<OutputGroup> output = outputGroup(nodes, context, proto.output(0));
    if (!output || (!gemm && output->activationNode))
        return false;
    std::optional<Tensor> bias;
    if (gemm && proto.input_size() > 2 && !proto.input(2).empty()) {
        std::vector<float> weightScales;
        for (int64_t i = 0; i < weight->scale->elementCount(); ++i)
            weightScales.push_back(weight->scaleAt(i));
        bias = quantizedBias(nodes, context, proto.input(2), a->params.scaleAt(0), weightScales,
                             columns);
        if (!bias)
            return false;
    }
    std::string weightName = weightDq->proto.input(0);
    if (transposeB) {
        weightName = proto.output(0) + "::weight_k_by_n";
        context.addConstant(weightName, transposed(*weightValues));
    }
    const Dequantized &y = output->quantize;
    onnx::NodeProto fused;
    if (gemm)
        fused.set_domain(kFusedDomain);
    fused.set_op_type(gemm ? "QGemm" : "QLinearMatMul");
    addQLinearInputs(fused, context, *a, weightName, *weight, weightValues->dtype(), y,
                     std::move(bias), proto.output(0));
    replaceGroup(nodes, context, node, std::move(fused), *output);
    return true;
}

} // namespace

Status fuseQdqConvAndMatMul(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &node : nodes) {
        if (node.removed || node.activation || !isDefault(node.proto))
            continue;
        const std::string &op = node.proto.op_type();
        if (op == "Conv" || op == "ConvTranspose")
            fuseConvGroup(nodes, context, node);
        else if (op == "MatMul" || op == "Gemm")
            fuseMatMulGroup(nodes, context, node);
    }
    return Status::ok();
}

} // namespace qs
