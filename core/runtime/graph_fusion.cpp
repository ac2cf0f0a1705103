#include "runtime/graph_fusion.h"

#include "model/graph_index.h"

#include <cmath>

namespace qs {

namespace {

bool isDefaultDomain(const onnx::NodeProto &node)
{
    return node.domain().empty() || node.domain() == "ai.onnx";
}

float floatAttribute(const onnx::NodeProto &node, const char *name, float fallback)
{
    for (const auto &attr : node.attribute()) {
        if (attr.name() == name)
            return attr.f();
    }
    return fallback;
}

bool isFloat32Tensor(const Tensor *tensor)
{
    return tensor && tensor->dtype() == DType::Float32;
}

std::string labelOf(const onnx::NodeProto &node, const NodeInfo *info)
{
    return "+" + node.op_type() + " '" + (info ? info->displayName : node.name()) + "'";
}

} // namespace

PlannedNode *soleReader(std::vector<PlannedNode> &nodes, FusionContext &context,
                        const std::string &value)
{
    auto readers = context.readers.find(value);
    if (readers == context.readers.end() || readers->second != 1)
        return nullptr;
    for (PlannedNode &node : nodes) {
        if (node.removed)
            continue;
        for (const auto &input : node.proto.input()) {
            if (input == value)
                return &node;
        }
    }
    return nullptr;
}

bool producesFloat32(const PlannedNode &node, FusionContext &context)
{
    const auto float32 = static_cast<int32_t>(DType::Float32);
    const int32_t type = context.elementType(node.proto.output(0));
    if (type != 0)
        return type == float32;
    const Tensor *weight = node.proto.input_size() > 1 ? context.constant(node.proto.input(1))
                                                       : nullptr;
    return weight && weight->dtype() == DType::Float32;
}

Status foldBatchNormIntoConv(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &conv : nodes) {
        if (conv.removed || conv.proto.op_type() != "Conv" || !isDefaultDomain(conv.proto))
            continue;
        if (conv.proto.input_size() < 2 || conv.proto.output_size() != 1 || conv.activation)
            continue;
        const Tensor *weight = context.constant(conv.proto.input(1));
        const bool hasBias = conv.proto.input_size() > 2 && !conv.proto.input(2).empty();
        const Tensor *bias = hasBias ? context.constant(conv.proto.input(2)) : nullptr;
        if (!isFloat32Tensor(weight) || weight->rank() < 3 || (hasBias && !isFloat32Tensor(bias)))
            continue;
        PlannedNode *bn = soleReader(nodes, context, conv.proto.output(0));
        if (!bn || bn->proto.op_type() != "BatchNormalization" || !isDefaultDomain(bn->proto)
            || bn->proto.input_size() != 5 || bn->proto.input(0) != conv.proto.output(0))
            continue;
        bool extraOutputsUsed = false;
        for (int i = 1; i < bn->proto.output_size(); ++i)
            extraOutputsUsed |= !bn->proto.output(i).empty() && context.readers[bn->proto.output(i)];
        if (extraOutputsUsed)
            continue;
        const Tensor *gamma = context.constant(bn->proto.input(1));
        const Tensor *beta = context.constant(bn->proto.input(2));
        const Tensor *mean = context.constant(bn->proto.input(3));
        const Tensor *var = context.constant(bn->proto.input(4));
        const int64_t channels = weight->dim(0);
        bool paramsOk = true;
        for (const Tensor *t : {gamma, beta, mean, var})
            paramsOk &= isFloat32Tensor(t) && t->elementCount() == channels;
        if (!paramsOk || (bias && bias->elementCount() != channels))
            continue;

        const float epsilon = floatAttribute(bn->proto, "epsilon", 1e-5f);
        const int64_t perChannel = weight->elementCount() / channels;
        Tensor foldedWeight = Tensor::allocate(DType::Float32, weight->shape());
        Tensor foldedBias = Tensor::allocate(DType::Float32, {channels});
        const float *w = weight->data<float>();
        float *fw = foldedWeight.mutableData<float>();
        float *fb = foldedBias.mutableData<float>();
        for (int64_t c = 0; c < channels; ++c) {
            const float factor = gamma->data<float>()[c]
                                 / std::sqrt(var->data<float>()[c] + epsilon);
            for (int64_t k = 0; k < perChannel; ++k)
                fw[c * perChannel + k] = w[c * perChannel + k] * factor;
            const float b = bias ? bias->data<float>()[c] : 0.0f;
            fb[c] = (b - mean->data<float>()[c]) * factor + beta->data<float>()[c];
        }
        const std::string base = bn->proto.output(0);
        context.addConstant(base + "::folded_weight", std::move(foldedWeight));
        context.addConstant(base + "::folded_bias", std::move(foldedBias));
        conv.proto.set_input(1, base + "::folded_weight");
        if (hasBias)
            conv.proto.set_input(2, base + "::folded_bias");
        else
            conv.proto.add_input(base + "::folded_bias");
        conv.proto.set_output(0, base);
        conv.fusedNames += labelOf(bn->proto, bn->info);
        context.producerOf[base] = static_cast<size_t>(&conv - nodes.data());
        bn->removed = true;
    }
    return Status::ok();
}

std::optional<FusedActivation> fusableActivation(const PlannedNode &planned,
                                                 FusionContext &context)
{
    const onnx::NodeProto &node = planned.proto;
    using Kind = FusedActivation::Kind;
    if (node.domain() == kFusedDomain && node.op_type() == "Gelu")
        return FusedActivation{Kind::Gelu};
    if (node.domain() == kFusedDomain && node.op_type() == "HardSwish")
        return FusedActivation{Kind::HardSwish};
    if (!isDefaultDomain(node) || node.input_size() < 1 || node.output_size() != 1)
        return std::nullopt;
    const std::string &op = node.op_type();
    if (op == "Relu")
        return FusedActivation{Kind::Relu};
    if (op == "Sigmoid")
        return FusedActivation{Kind::Sigmoid};
    if (op == "Tanh")
        return FusedActivation{Kind::Tanh};
    if (op == "HardSwish")
        return FusedActivation{Kind::HardSwish};
    if (op == "LeakyRelu")
        return FusedActivation{Kind::LeakyRelu, floatAttribute(node, "alpha", 0.01f)};
    if (op == "HardSigmoid") {
        return FusedActivation{Kind::HardSigmoid, floatAttribute(node, "alpha", 0.2f),
                               floatAttribute(node, "beta", 0.5f)};
    }
    if (op == "Clip") {
        // Bounds are attributes before opset 11, inputs from 11.
        const bool attributeBounds = planned.info && planned.info->opsetVersion < 11;
        float low = attributeBounds ? floatAttribute(node, "min", -INFINITY) : -INFINITY;
        float high = attributeBounds ? floatAttribute(node, "max", INFINITY) : INFINITY;
        for (int i = 1; i < node.input_size() && i <= 2; ++i) {
            if (node.input(i).empty())
                continue;
            const Tensor *bound = context.constant(node.input(i));
            if (!isFloat32Tensor(bound) || bound->elementCount() != 1)
                return std::nullopt;
            (i == 1 ? low : high) = bound->data<float>()[0];
        }
        return FusedActivation{Kind::Clip, low, high};
    }
    return std::nullopt;
}

Status fuseActivations(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &producer : nodes) {
        const std::string &op = producer.proto.op_type();
        if (producer.removed || producer.activation || !isDefaultDomain(producer.proto)
            || producer.proto.output_size() != 1)
            continue;
        if (op != "Conv" && op != "ConvTranspose" && op != "Gemm" && op != "MatMul")
            continue;
        // Only float32 results: int MatMul or float16 Conv keep their separate activation.
        if (!producesFloat32(producer, context))
            continue;
        PlannedNode *reader = soleReader(nodes, context, producer.proto.output(0));
        if (!reader || reader->proto.input(0) != producer.proto.output(0))
            continue;
        std::optional<FusedActivation> activation = fusableActivation(*reader, context);
        if (!activation)
            continue;
        producer.activation = activation;
        producer.proto.set_output(0, reader->proto.output(0));
        producer.fusedNames += labelOf(reader->proto, reader->info);
        context.producerOf[reader->proto.output(0)] = static_cast<size_t>(&producer - nodes.data());
        reader->removed = true;
    }
    return Status::ok();
}

} // namespace qs
