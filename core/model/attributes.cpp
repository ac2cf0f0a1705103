#include "model/attributes.h"

namespace qs {

namespace {

using Type = onnx::AttributeProto::AttributeType;

// Models from before IR version 2 leave `type` unset; the field that holds a value says it then.
bool holds(const onnx::AttributeProto &attribute, Type type, bool fieldSet)
{
    return attribute.type() == type
           || (attribute.type() == onnx::AttributeProto::UNDEFINED && fieldSet);
}

onnx::AttributeProto &replaceOrAdd(onnx::NodeProto &node, std::string_view name, Type type)
{
    onnx::AttributeProto *target = nullptr;
    for (auto &attribute : *node.mutable_attribute()) {
        if (attribute.name() == name) {
            target = &attribute;
            break;
        }
    }
    if (!target) {
        target = node.add_attribute();
    } else {
        target->Clear();
    }
    target->set_name(std::string(name));
    target->set_type(type);
    return *target;
}

} // namespace

bool isDefaultDomain(std::string_view domain)
{
    return domain.empty() || domain == "ai.onnx";
}

bool isDefaultOp(const onnx::NodeProto &node, std::string_view opType)
{
    return node.op_type() == opType && isDefaultDomain(node.domain());
}

const onnx::AttributeProto *findAttribute(const onnx::NodeProto &node, std::string_view name)
{
    for (const auto &attribute : node.attribute()) {
        if (attribute.name() == name)
            return &attribute;
    }
    return nullptr;
}

bool hasAttribute(const onnx::NodeProto &node, std::string_view name)
{
    return findAttribute(node, name) != nullptr;
}

int64_t intAttribute(const onnx::NodeProto &node, std::string_view name, int64_t fallback)
{
    const onnx::AttributeProto *attribute = findAttribute(node, name);
    if (!attribute || !holds(*attribute, onnx::AttributeProto::INT, attribute->has_i()))
        return fallback;
    return attribute->i();
}

float floatAttribute(const onnx::NodeProto &node, std::string_view name, float fallback)
{
    const onnx::AttributeProto *attribute = findAttribute(node, name);
    if (!attribute || !holds(*attribute, onnx::AttributeProto::FLOAT, attribute->has_f()))
        return fallback;
    return attribute->f();
}

std::string stringAttribute(const onnx::NodeProto &node, std::string_view name,
                            std::string_view fallback)
{
    const onnx::AttributeProto *attribute = findAttribute(node, name);
    if (!attribute || !holds(*attribute, onnx::AttributeProto::STRING, attribute->has_s()))
        return std::string(fallback);
    return attribute->s();
}

std::vector<int64_t> intsAttribute(const onnx::NodeProto &node, std::string_view name)
{
    const onnx::AttributeProto *attribute = findAttribute(node, name);
    if (!attribute || !holds(*attribute, onnx::AttributeProto::INTS, attribute->ints_size() > 0))
        return {};
    return {attribute->ints().begin(), attribute->ints().end()};
}

std::vector<float> floatsAttribute(const onnx::NodeProto &node, std::string_view name)
{
    const onnx::AttributeProto *attribute = findAttribute(node, name);
    if (!attribute || !holds(*attribute, onnx::AttributeProto::FLOATS, attribute->floats_size() > 0))
        return {};
    return {attribute->floats().begin(), attribute->floats().end()};
}

void setIntAttribute(onnx::NodeProto &node, std::string_view name, int64_t value)
{
    replaceOrAdd(node, name, onnx::AttributeProto::INT).set_i(value);
}

void setFloatAttribute(onnx::NodeProto &node, std::string_view name, float value)
{
    replaceOrAdd(node, name, onnx::AttributeProto::FLOAT).set_f(value);
}

void setStringAttribute(onnx::NodeProto &node, std::string_view name, std::string_view value)
{
    replaceOrAdd(node, name, onnx::AttributeProto::STRING).set_s(std::string(value));
}

void setIntsAttribute(onnx::NodeProto &node, std::string_view name,
                      const std::vector<int64_t> &values)
{
    auto &attribute = replaceOrAdd(node, name, onnx::AttributeProto::INTS);
    for (const int64_t value : values)
        attribute.add_ints(value);
}

void setFloatsAttribute(onnx::NodeProto &node, std::string_view name,
                        const std::vector<float> &values)
{
    auto &attribute = replaceOrAdd(node, name, onnx::AttributeProto::FLOATS);
    for (const float value : values)
        attribute.add_floats(value);
}

void setTensorAttribute(onnx::NodeProto &node, std::string_view name, onnx::TensorProto value)
{
    *replaceOrAdd(node, name, onnx::AttributeProto::TENSOR).mutable_t() = std::move(value);
}

bool removeAttribute(onnx::NodeProto &node, std::string_view name)
{
    auto *attributes = node.mutable_attribute();
    for (int i = 0; i < attributes->size(); ++i) {
        if (attributes->Get(i).name() == name) {
            attributes->DeleteSubrange(i, 1);
            return true;
        }
    }
    return false;
}

} // namespace qs
