#include "runtime/value.h"

namespace qs {

struct Value::Composite
{
    Kind kind = Kind::Sequence;
    DType elementType = DType::Undefined; // sequences
    std::vector<Tensor> items;            // sequences
    // Optionals: what is held (a shared pointer because Value is incomplete here), null for none.
    std::shared_ptr<const Value> element;
    Kind elementKind = Kind::Tensor; // optionals: what it holds or would hold
};

Value Value::sequence(DType elementType, std::vector<Tensor> items)
{
    auto composite = std::make_shared<Composite>();
    composite->kind = Kind::Sequence;
    composite->elementType = elementType;
    composite->items = std::move(items);
    Value value;
    value.m_composite = std::move(composite);
    return value;
}

Value Value::optional(Value element)
{
    auto composite = std::make_shared<Composite>();
    composite->kind = Kind::Optional;
    composite->elementKind = element.kind();
    composite->element = std::make_shared<const Value>(std::move(element));
    Value value;
    value.m_composite = std::move(composite);
    return value;
}

Value Value::noneOptional(Kind elementKind)
{
    auto composite = std::make_shared<Composite>();
    composite->kind = Kind::Optional;
    composite->elementKind = elementKind;
    Value value;
    value.m_composite = std::move(composite);
    return value;
}

Value::Kind Value::kind() const
{
    return m_composite ? m_composite->kind : Kind::Tensor;
}

DType Value::elementType() const
{
    return isSequence() ? m_composite->elementType : m_tensor.dtype();
}

const std::vector<Tensor> &Value::items() const
{
    static const std::vector<Tensor> kNone;
    return isSequence() ? m_composite->items : kNone;
}

bool Value::hasElement() const
{
    return isOptional() && m_composite->element != nullptr;
}

const Value &Value::element() const
{
    static const Value kNone;
    return hasElement() ? *m_composite->element : kNone;
}

Value::Kind Value::optionalElementKind() const
{
    return isOptional() ? m_composite->elementKind : Kind::Tensor;
}

std::string Value::describe() const
{
    switch (kind()) {
    case Kind::Tensor: return m_tensor.empty() ? "no value" : m_tensor.describe();
    case Kind::Sequence:
        return "sequence<" + dtypeName(m_composite->elementType) + ">["
               + std::to_string(m_composite->items.size()) + "]";
    case Kind::Optional:
        return hasElement() ? "optional(" + element().describe() + ")" : "optional(none)";
    }
    return {};
}

} // namespace qs
