// Float fusions, run after the int8 passes so that they never split a QDQ group:
//  - ReadThroughNoOps (first of all passes, not a fusion): readers of Identity(constant) read
//    the constant, readers of a Pad by zero its input;
//  - RecognizeGelu: x * 0.5 * (1 + Erf(x / sqrt 2)) in its two usual spellings becomes one fused
//    Gelu node (kFusedDomain: ONNX has Gelu only from opset 20);
//  - RecognizeLayerNorm: the ReduceMean / Sub / Pow / ReduceMean / Add / Sqrt / Div (/ Mul / Add)
//    chain torch writes for LayerNorm below opset 17 becomes one fused LayerNormalization;
//  - RecognizeSwish: Mul(x, Sigmoid(x)) becomes one fused Swish node, and
//    Mul(x, HardSigmoid(x; 1/6, 1/2)) one fused HardSwish;
//  - FuseMatMulBias: MatMul with constant 2-D B -> Add(constant [N]) becomes one MatMul with a
//    bias input, added by the matmul primitive;
//  - FuseActivations: Conv / ConvTranspose / Gemm / MatMul -> Relu, Clip, LeakyRelu, Sigmoid,
//    HardSigmoid, HardSwish, Tanh, Gelu or Swish becomes the producer with a fused activation;
//  - FusePostAffine: such a producer -> Mul(scalar) -> Add(scalar) moves the scalar affine step
//    into its fused activation (PP-LCNet's learnable affine blocks).
// Every rewrite needs the intermediate value to have exactly one reader (Graph::soleReader), so
// nothing else can observe the value that disappears.
#include "runtime/fusion/fusion_passes.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"
#include "runtime/fusion/fused_activation.h"

namespace qs {

namespace {

// Pad (opset 11+: pads as a constant input) whose pads are all 0: its output equals its input.
bool isZeroPad(Graph &graph, const onnx::NodeProto &proto)
{
    if (!isDefaultOp(proto, "Pad") || proto.input_size() < 2)
        return false;
    const Tensor *pads = graph.constant(proto.input(1));
    if (!pads || pads->elementCount() == 0)
        return false;
    for (int64_t i = 0; i < pads->elementCount(); ++i)
        if (pads->intAt(i) != 0)
            return false;
    return true;
}

bool isFusableProducer(const Graph &graph, NodeId id)
{
    const onnx::NodeProto &proto = graph.node(id).proto;
    if (!graph.isAlive(id) || !isDefaultDomain(proto.domain()) || proto.output_size() != 1)
        return false;
    const std::string &op = proto.op_type();
    return op == "Conv" || op == "ConvTranspose" || op == "Gemm" || op == "MatMul";
}

} // namespace

Result<bool> RecognizeGelu::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        const std::optional<GeluMatch> match = matchGelu(graph, id);
        if (!match)
            continue;
        onnx::NodeProto gelu;
        gelu.set_op_type("Gelu");
        gelu.set_domain(kFusedDomain);
        gelu.add_input(match->input);
        gelu.add_output(graph.node(id).proto.output(0));
        graph.replaceProto(id, std::move(gelu));
        for (const NodeId inner : match->inner) {
            graph.node(id).absorbed.push_back(graph.fusionLabel(inner));
            graph.removeNode(inner);
        }
        graph.absorbInto(id, match->last);
        modified = true;
    }
    return modified;
}

Result<bool> RecognizeLayerNorm::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        const std::optional<LayerNormMatch> match = matchLayerNorm(graph, id);
        if (!match)
            continue;
        onnx::NodeProto norm;
        norm.set_op_type("LayerNormalization");
        norm.set_domain(kFusedDomain);
        // An absent Scale or B reads as ones or zeros (the kernel's defaults).
        for (const std::string &input : {match->input, match->scale, match->bias})
            norm.add_input(input);
        norm.add_output(graph.node(match->last).proto.output(0));
        setIntAttribute(norm, "axis", -1);
        setFloatAttribute(norm, "epsilon", match->epsilon);
        graph.replaceProto(match->last, std::move(norm));
        for (const NodeId inner : match->nodes) {
            graph.node(match->last).absorbed.push_back(graph.fusionLabel(inner));
            graph.removeNode(inner);
        }
        modified = true;
    }
    return modified;
}

Result<bool> RecognizeSwish::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId sigmoid : graph.nodeIds()) {
        if (!graph.isAlive(sigmoid))
            continue;
        const onnx::NodeProto &s = graph.node(sigmoid).proto;
        // HardSwish is x * HardSigmoid(x) with alpha 1/6 and beta 1/2 (torch at opset < 14).
        const bool hard = isOp(graph, sigmoid, "HardSigmoid")
                          && nearlyEqual(floatAttribute(s, "alpha", 0.2f), 1.0f / 6.0f)
                          && nearlyEqual(floatAttribute(s, "beta", 0.5f), 0.5f);
        if (!hard && !isOp(graph, sigmoid, "Sigmoid"))
            continue;
        const std::string x = s.input(0);
        const NodeId mul = graph.soleReader(s.output(0));
        if (!isOp(graph, mul, "Mul") || otherInput(graph.node(mul).proto, s.output(0)) != x
            || graph.elementType(x) != onnx::TensorProto::FLOAT)
            continue;
        onnx::NodeProto swish;
        swish.set_op_type(hard ? "HardSwish" : "Swish");
        swish.set_domain(kFusedDomain);
        swish.add_input(x);
        swish.add_output(graph.node(mul).proto.output(0));
        graph.replaceProto(mul, std::move(swish));
        graph.node(mul).absorbed.push_back(graph.fusionLabel(sigmoid));
        graph.removeNode(sigmoid);
        modified = true;
    }
    return modified;
}

Result<bool> FuseMatMulBias::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (!isOp(graph, id, "MatMul"))
            continue;
        const onnx::NodeProto &matmul = graph.node(id).proto;
        if (hasFusedActivation(matmul) || matmul.input_size() != 2)
            continue;
        const Tensor *b = graph.constant(matmul.input(1));
        if (!b || b->dtype() != DType::Float32 || b->rank() != 2 || !producesFloat32(graph, id))
            continue;
        const NodeId add = graph.soleReader(matmul.output(0));
        if (!isOp(graph, add, "Add"))
            continue;
        const std::string biasName = otherInput(graph.node(add).proto, matmul.output(0));
        const Tensor *bias = graph.constant(biasName);
        if (!bias || bias->dtype() != DType::Float32 || bias->rank() != 1
            || bias->dim(0) != b->dim(1))
            continue;
        graph.addInput(id, biasName);
        graph.absorbInto(id, add);
        modified = true;
    }
    return modified;
}

Result<bool> FuseActivations::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        // Only float32 results: int MatMul or float16 Conv keep their separate activation.
        if (!isFusableProducer(graph, id) || hasFusedActivation(graph.node(id).proto)
            || !producesFloat32(graph, id))
            continue;
        const std::string &output = graph.node(id).proto.output(0);
        const NodeId reader = graph.soleReader(output);
        if (!graph.isAlive(reader) || graph.node(reader).proto.input(0) != output)
            continue;
        const std::optional<FusedActivation> activation = fusableActivation(graph, reader);
        if (!activation)
            continue;
        setFusedActivation(graph.node(id).proto, *activation);
        graph.absorbInto(id, reader);
        modified = true;
    }
    return modified;
}

Result<bool> FusePostAffine::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (!isFusableProducer(graph, id) || !producesFloat32(graph, id))
            continue;
        for (;;) {
            const std::string output = graph.node(id).proto.output(0);
            const NodeId next = graph.soleReader(output);
            const bool isMul = isOp(graph, next, "Mul"), isAdd = isOp(graph, next, "Add");
            if (!isMul && !isAdd)
                break;
            const std::optional<float> value
                = scalarConstant(graph, otherInput(graph.node(next).proto, output));
            if (!value)
                break;
            FusedActivation activation = fusedActivationOf(graph.node(id).proto)
                                             .value_or(FusedActivation{FusedActivation::Kind::None});
            if (isMul) {
                activation.postScale *= *value;
                activation.postShift *= *value;
            } else {
                activation.postShift += *value;
            }
            setFusedActivation(graph.node(id).proto, activation);
            graph.absorbInto(id, next);
            modified = true;
        }
    }
    return modified;
}

Result<bool> ReadThroughNoOps::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        const onnx::NodeProto &proto = graph.node(id).proto;
        if (proto.output_size() != 1 || proto.input_size() < 1
            || graph.isGraphOutput(proto.output(0)))
            continue;
        const bool constantIdentity = isDefaultOp(proto, "Identity")
                                      && graph.constant(proto.input(0));
        if (!constantIdentity && !isZeroPad(graph, proto))
            continue;
        const std::string from = proto.output(0), to = proto.input(0);
        graph.replaceUses(from, to);
        graph.removeNode(id);
        modified = true;
    }
    return modified;
}

} // namespace qs
