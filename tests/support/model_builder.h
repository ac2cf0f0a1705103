#pragma once
// Builds small ONNX models in code for tests (and the benchmarks' generated models): a graph is a
// few lines, not a binary fixture.

#include "graph/graph.h"
#include "model/attributes.h"

#include <onnx/onnx_pb.h>

#include <cctype>
#include <concepts>
#include <initializer_list>
#include <string>
#include <vector>

namespace qs::test {

inline onnx::NodeProto &addNode(onnx::GraphProto &graph, const std::string &opType,
                                std::initializer_list<std::string> inputs,
                                std::initializer_list<std::string> outputs,
                                const std::string &name = {})
{
    onnx::NodeProto &node = *graph.add_node();
    node = makeNode(opType, inputs, outputs, name);
    return node;
}

inline void setTensorType(onnx::ValueInfoProto &value, const std::string &name,
                          std::vector<int64_t> dims, int32_t type = onnx::TensorProto::FLOAT)
{
    value.set_name(name);
    auto *tensor = value.mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(type);
    auto *shape = tensor->mutable_shape();
    for (const int64_t dim : dims) {
        if (dim < 0)
            shape->add_dim()->set_dim_param("batch");
        else
            shape->add_dim()->set_dim_value(dim);
    }
}

// Dims as a model writes them: "8" is a fixed size, "seq" a symbol (dim_param).
inline void setSymbolicTensorType(onnx::ValueInfoProto &value, const std::string &name,
                                  const std::vector<std::string> &dims,
                                  int32_t type = onnx::TensorProto::FLOAT)
{
    value.set_name(name);
    auto *tensor = value.mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(type);
    auto *shape = tensor->mutable_shape();
    for (const std::string &dim : dims) {
        if (!dim.empty() && std::isdigit(static_cast<unsigned char>(dim[0])))
            shape->add_dim()->set_dim_value(std::stoll(dim));
        else
            shape->add_dim()->set_dim_param(dim);
    }
}

inline void addInput(onnx::GraphProto &graph, const std::string &name, std::vector<int64_t> dims,
                     int32_t type = onnx::TensorProto::FLOAT)
{
    setTensorType(*graph.add_input(), name, std::move(dims), type);
}

inline void addOutput(onnx::GraphProto &graph, const std::string &name, std::vector<int64_t> dims,
                      int32_t type = onnx::TensorProto::FLOAT)
{
    setTensorType(*graph.add_output(), name, std::move(dims), type);
}

// A float initializer of `dims` (raw_data) whose values next() gives in row-major order.
template<typename Next>
requires std::invocable<Next &> onnx::TensorProto &addFloatInitializer(
    onnx::GraphProto &graph, const std::string &name, const std::vector<int64_t> &dims, Next &&next)
{
    onnx::TensorProto &tensor = *graph.add_initializer();
    tensor.set_name(name);
    tensor.set_data_type(onnx::TensorProto::FLOAT);
    int64_t count = 1;
    for (const int64_t dim : dims) {
        tensor.add_dims(dim);
        count *= dim;
    }
    std::vector<float> values(static_cast<size_t>(count));
    for (float &value : values)
        value = next();
    tensor.set_raw_data(values.data(), values.size() * sizeof(float));
    return tensor;
}

// A float initializer with the given values in row-major order.
inline onnx::TensorProto &addFloatInitializer(onnx::GraphProto &graph, const std::string &name,
                                              const std::vector<int64_t> &dims,
                                              const std::vector<float> &values)
{
    size_t next = 0;
    return addFloatInitializer(graph, name, dims, [&] { return values.at(next++); });
}

// A float initializer filled with 0.5, or int64 values given explicitly.
inline onnx::TensorProto &addInitializer(onnx::GraphProto &graph, const std::string &name,
                                         std::vector<int64_t> dims)
{
    return addFloatInitializer(graph, name, dims, [] { return 0.5f; });
}

inline onnx::TensorProto &addInt64Initializer(onnx::GraphProto &graph, const std::string &name,
                                              std::vector<int64_t> values)
{
    onnx::TensorProto &tensor = *graph.add_initializer();
    tensor.set_name(name);
    tensor.set_data_type(onnx::TensorProto::INT64);
    tensor.add_dims(static_cast<int64_t>(values.size()));
    for (const int64_t value : values)
        tensor.add_int64_data(value);
    return tensor;
}

inline onnx::ModelProto makeModel(int opset = 13)
{
    onnx::ModelProto model;
    model.set_ir_version(8);
    model.set_producer_name("quantscope-tests");
    auto *import = model.add_opset_import();
    import->set_domain("");
    import->set_version(opset);
    model.mutable_graph()->set_name("test");
    return model;
}

// Attribute setters are core's own (model/attributes.h), so tests write attributes the way the
// quantizer and the passes do.
using qs::setFloatAttribute;
using qs::setIntAttribute;
using qs::setIntsAttribute;
using qs::setStringAttribute;

// A graph attribute of `node` (If's branches, Loop's body); returns the empty body graph, which
// carries the attribute's name.
inline onnx::GraphProto &addGraphAttribute(onnx::NodeProto &node, const std::string &name)
{
    auto *attribute = node.add_attribute();
    attribute->set_name(name);
    attribute->set_type(onnx::AttributeProto::GRAPH);
    onnx::GraphProto &body = *attribute->mutable_g();
    body.set_name(name);
    return body;
}

} // namespace qs::test
