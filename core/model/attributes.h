#pragma once
// Typed readers and writers of node attributes, and the op identity checks every graph pass
// makes: the one place that knows how an onnx::AttributeProto stores an int, a float or a list.
// In model/ (the lowest layer that reads ONNX nodes) so that the graph index and the MAC counts
// read attributes the same way as graph passes, the quantizer and the engine.
// A reader returns the fallback when the attribute is absent or stored with another type (a
// malformed model must not make a pass read garbage); kernels that must reject such a node use
// KernelInfo's Status-returning getters instead.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

// "" and "ai.onnx" both name ONNX's default operator set.
bool isDefaultDomain(std::string_view domain);
// The node is `opType` of the default domain.
bool isDefaultOp(const onnx::NodeProto &node, std::string_view opType);

// The attribute called `name`, or null.
const onnx::AttributeProto *findAttribute(const onnx::NodeProto &node, std::string_view name);
bool hasAttribute(const onnx::NodeProto &node, std::string_view name);

int64_t intAttribute(const onnx::NodeProto &node, std::string_view name, int64_t fallback);
float floatAttribute(const onnx::NodeProto &node, std::string_view name, float fallback);
std::string stringAttribute(const onnx::NodeProto &node, std::string_view name,
                            std::string_view fallback = {});
std::vector<int64_t> intsAttribute(const onnx::NodeProto &node, std::string_view name);
std::vector<float> floatsAttribute(const onnx::NodeProto &node, std::string_view name);

// Writers replace an attribute of the same name (whatever its type) or add one.
void setIntAttribute(onnx::NodeProto &node, std::string_view name, int64_t value);
void setFloatAttribute(onnx::NodeProto &node, std::string_view name, float value);
void setStringAttribute(onnx::NodeProto &node, std::string_view name, std::string_view value);
void setIntsAttribute(onnx::NodeProto &node, std::string_view name,
                      const std::vector<int64_t> &values);
void setFloatsAttribute(onnx::NodeProto &node, std::string_view name,
                        const std::vector<float> &values);
void setTensorAttribute(onnx::NodeProto &node, std::string_view name, onnx::TensorProto value);
// True when there was one to remove.
bool removeAttribute(onnx::NodeProto &node, std::string_view name);

} // namespace qs
