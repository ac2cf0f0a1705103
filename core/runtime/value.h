#pragma once
// What a session slot holds: a Tensor (every value of an ordinary model, and the case the run
// loop is tuned for), a sequence of tensors, or an optional (a tensor, a sequence, or nothing).
// The non-tensor cases live behind one shared pointer that is null for a tensor, so a tensor
// Value is the Tensor plus a null pointer: moving and copying it costs what the Tensor costs, and
// kernels that only take tensors read it through KernelContext::input() as before. Like Tensor,
// a Value is immutable once made and copies share their contents.

#include "tensor/tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace qs {

class Value
{
public:
    enum class Kind : uint8_t { Tensor, Sequence, Optional };

    Value() = default;   // no value (an omitted input)
    Value(Tensor tensor) // implicit: every tensor is a value
        : m_tensor(std::move(tensor))
    {}

    static Value sequence(DType elementType, std::vector<Tensor> items);
    // An optional holding `element` (a tensor or a sequence).
    static Value optional(Value element);
    // An optional holding nothing; `elementKind` says what it would hold.
    static Value noneOptional(Kind elementKind = Kind::Tensor);

    Kind kind() const;
    bool isTensor() const { return !m_composite; }
    bool isSequence() const { return kind() == Kind::Sequence; }
    bool isOptional() const { return kind() == Kind::Optional; }
    // True for "no value" only; an empty sequence and an optional holding nothing are values.
    bool empty() const { return !m_composite && m_tensor.empty(); }

    // The tensor of a tensor value; an empty Tensor for the other kinds.
    const Tensor &tensor() const { return m_tensor; }
    Tensor &tensor() { return m_tensor; }

    // Sequences: the element type (Undefined when unknown) and the items.
    DType elementType() const;
    const std::vector<Tensor> &items() const;

    // Optionals: whether one holds something, and what (a tensor or a sequence Value).
    bool hasElement() const;
    const Value &element() const;
    Kind optionalElementKind() const;

    std::string describe() const; // "float32[2,3]", "sequence<float32>[3]", "optional(none)"

private:
    struct Composite;

    Tensor m_tensor;
    std::shared_ptr<const Composite> m_composite;
};

} // namespace qs
