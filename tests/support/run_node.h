#pragma once
// Runs one ONNX node through the whole engine (model -> Session -> run), for per-op tests:
//
//   onnx::NodeProto node = nodeUnderTest("Add", {"a", "b"}, {"y"});
//   auto outputs = runNode(node, {{"a", Tensor::fromVector<float>({2}, {1, 2})}, ...});
//
// and checks what the errors of failing nodes say (ErrorCase, expectErrorsMention).

#include "model/model.h"
#include "runtime/session.h"
#include "support/model_builder.h"
#include "tensor/tensor.h"
#include "tensor/tensor_io.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace qs::test {

inline onnx::NodeProto nodeUnderTest(const std::string &opType,
                                     const std::vector<std::string> &inputs,
                                     const std::vector<std::string> &outputs)
{
    onnx::NodeProto node;
    node.set_op_type(opType);
    node.set_name(opType + "_under_test");
    for (const auto &input : inputs)
        node.add_input(input);
    for (const auto &output : outputs)
        node.add_output(output);
    return node;
}

// `inputs` become graph inputs typed from the tensors, except those listed in `constants`,
// which become initializers (so kernels see them as constant inputs).
inline Result<std::vector<Tensor>> runNode(
    const onnx::NodeProto &node, const std::vector<std::pair<std::string, Tensor>> &inputs,
    int opset = 17, const std::vector<std::string> &constants = {}, SessionOptions options = {})
{
    onnx::ModelProto model;
    model.set_ir_version(8);
    auto *opsetImport = model.add_opset_import();
    opsetImport->set_domain("");
    opsetImport->set_version(opset);
    onnx::GraphProto *graph = model.mutable_graph();
    graph->set_name("single_node");
    *graph->add_node() = node;
    std::map<std::string, Tensor> feeds;
    for (const auto &[name, tensor] : inputs) {
        const bool constant = std::find(constants.begin(), constants.end(), name)
                              != constants.end();
        if (constant) {
            onnx::TensorProto *initializer = graph->add_initializer();
            tensorToProto(tensor, *initializer);
            initializer->set_name(name);
            continue;
        }
        auto *input = graph->add_input();
        input->set_name(name);
        auto *tensorType = input->mutable_type()->mutable_tensor_type();
        tensorType->set_elem_type(static_cast<int32_t>(tensor.dtype()));
        auto *shape = tensorType->mutable_shape();
        for (const int64_t d : tensor.shape())
            shape->add_dim()->set_dim_value(d);
        feeds[name] = tensor;
    }
    for (const auto &output : node.output()) {
        if (!output.empty())
            graph->add_output()->set_name(output);
    }
    auto loaded = Model::fromProto(std::move(model), ".");
    if (!loaded)
        return loaded.status();
    auto session = Session::create(*loaded, options);
    if (!session)
        return session.status();
    auto outputs = (*session)->run(feeds);
    if (!outputs)
        return outputs.status();
    std::vector<Tensor> result;
    for (auto &[name, tensor] : *outputs)
        result.push_back(std::move(tensor));
    return result;
}

// A node that must fail to run, and the words its error must contain (the node, the values,
// expected vs actual). `constants` as in runNode.
struct ErrorCase
{
    const char *name;
    onnx::NodeProto node;
    std::vector<std::pair<std::string, Tensor>> inputs;
    std::vector<std::string> mustMention;
    std::vector<std::string> constants = {};
};

inline void expectErrorsMention(const std::vector<ErrorCase> &cases)
{
    for (const ErrorCase &c : cases) {
        SCOPED_TRACE(c.name);
        auto result = runNode(c.node, c.inputs, 17, c.constants);
        ASSERT_FALSE(result.isOk()) << "expected an error";
        for (const std::string &word : c.mustMention)
            EXPECT_NE(result.status().message().find(word), std::string::npos)
                << "'" << word << "' missing from: " << result.status().message();
    }
}

} // namespace qs::test
