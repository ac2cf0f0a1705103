#pragma once
// A small model with an If: a = x + 0.5; out = If(flag, then: Relu(a) (the body's value
// "then_relu"), else: Neg(a) ("else_neg")). Shared by the session and profile tests, which both
// need a subgraph reading an outer value.

#include "support/model_builder.h"
#include "tensor/tensor.h"

#include <map>
#include <string>

namespace qs::test {

inline onnx::ModelProto ifModel()
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {2});
    addInput(graph, "flag", {}, onnx::TensorProto::BOOL);
    addOutput(graph, "out", {2});
    addInitializer(graph, "half", {2});
    addNode(graph, "Add", {"x", "half"}, {"a"}, "add");
    onnx::NodeProto &branch = addNode(graph, "If", {"flag"}, {"out"}, "branch");
    auto addBranch = [&](const std::string &name, const std::string &opType,
                         const std::string &value) {
        onnx::GraphProto &body = addGraphAttribute(branch, name);
        addNode(body, opType, {"a"}, {value}, name + "_node");
        addOutput(body, value, {2});
    };
    addBranch("then_branch", "Relu", "then_relu");
    addBranch("else_branch", "Neg", "else_neg");
    return proto;
}

// x = [-2, 1] and the given flag.
inline std::map<std::string, Tensor> ifInputs(bool flag)
{
    return {{"x", Tensor::fromVector<float>({2}, {-2.0f, 1.0f})},
            {"flag", Tensor::fromVector<bool>({}, {flag})}};
}

} // namespace qs::test
