#include "runtime/fusion/fused_activation.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"

#include <cmath>
#include <iterator>

namespace qs {

namespace {

using Kind = FusedActivation::Kind;

constexpr std::pair<Kind, const char *> kKindNames[] = {
    {Kind::None, "None"},           {Kind::Relu, "Relu"},       {Kind::Clip, "Clip"},
    {Kind::LeakyRelu, "LeakyRelu"}, {Kind::Sigmoid, "Sigmoid"}, {Kind::HardSigmoid, "HardSigmoid"},
    {Kind::HardSwish, "HardSwish"}, {Kind::Tanh, "Tanh"},       {Kind::Gelu, "Gelu"},
    {Kind::Swish, "Swish"},
};

} // namespace

void setFusedActivation(onnx::NodeProto &node, const FusedActivation &activation)
{
    for (const auto &[kind, name] : kKindNames) {
        if (kind == activation.kind)
            setStringAttribute(node, kFusedActivationAttribute, name);
    }
    setFloatsAttribute(node, kFusedActivationParamsAttribute,
                       {activation.alpha, activation.beta, activation.postScale,
                        activation.postShift});
}

std::optional<FusedActivation> fusedActivationOf(const onnx::NodeProto &node)
{
    const std::string kindName = stringAttribute(node, kFusedActivationAttribute);
    const std::vector<float> params = floatsAttribute(node, kFusedActivationParamsAttribute);
    if (kindName.empty() || params.size() != 4)
        return std::nullopt;
    for (const auto &[kind, name] : kKindNames) {
        if (kindName == name)
            return FusedActivation{kind, params[0], params[1], params[2], params[3]};
    }
    return std::nullopt;
}

void clearFusedActivation(onnx::NodeProto &node)
{
    removeAttribute(node, kFusedActivationAttribute);
    removeAttribute(node, kFusedActivationParamsAttribute);
}

bool hasFusedActivation(const onnx::NodeProto &node)
{
    return hasAttribute(node, kFusedActivationAttribute);
}

std::optional<FusedActivation> fusableActivation(Graph &graph, NodeId id)
{
    const onnx::NodeProto &node = graph.node(id).proto;
    if (node.domain() == kFusedDomain && node.op_type() == "Gelu")
        return FusedActivation{Kind::Gelu};
    if (node.domain() == kFusedDomain && node.op_type() == "HardSwish")
        return FusedActivation{Kind::HardSwish};
    if (node.domain() == kFusedDomain && node.op_type() == "Swish")
        return FusedActivation{Kind::Swish};
    if (!isDefaultDomain(node.domain()) || node.input_size() < 1 || node.output_size() != 1)
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
        const std::optional<std::pair<float, float>> bounds = clipBounds(graph, id);
        if (!bounds)
            return std::nullopt;
        return FusedActivation{Kind::Clip, bounds->first, bounds->second};
    }
    return std::nullopt;
}

bool producesFloat32(Graph &graph, NodeId id)
{
    const onnx::NodeProto &node = graph.node(id).proto;
    const auto float32 = static_cast<int32_t>(DType::Float32);
    const int32_t type = graph.elementType(node.output(0));
    if (type != 0)
        return type == float32;
    const Tensor *weight = node.input_size() > 1 ? graph.constant(node.input(1)) : nullptr;
    return weight && weight->dtype() == DType::Float32;
}

} // namespace qs
