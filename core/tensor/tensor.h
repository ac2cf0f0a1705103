#pragma once
// The engine's tensor: an element type, int64 dims (rank 0 = scalar) and shared, 64-byte aligned
// storage. Copies share the buffer (cheap, like a handle); kernels write only into tensors they
// allocated themselves, so sharing never aliases a write. A tensor can also view memory it does
// not own (initializer bytes in the model file) while holding the owner alive.

#include "util/status.h"

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace qs {

// Values are ONNX's TensorProto::DataType codes, so conversion is a cast.
enum class DType : int32_t {
    Undefined = 0,
    Float32 = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Float64 = 11,
    UInt32 = 12,
    UInt64 = 13,
    BFloat16 = 16,
};

using Shape = std::vector<int64_t>;

int64_t dtypeSize(DType type);     // bytes per element; 0 for String/Undefined
std::string dtypeName(DType type); // "float32", "int64", ...
bool isSupportedDType(DType type); // the types the engine computes with
bool isFloatingDType(DType type);  // float32/16, bfloat16, float64
int64_t shapeElementCount(const Shape &shape);
std::string shapeToString(const Shape &shape); // "[1,3,224,224]", "[]" for a scalar

// Whether a tensor of `type` and `shape` can be allocated here: no negative dim, no overflow,
// and no more bytes than this machine's physical memory. The error names `what` (an input, a
// node's output), the bytes it would need and the memory there is, so that a model or input
// asking for terabytes is refused as bad input before anything is allocated.
Status checkAllocatable(DType type, const Shape &shape, const std::string &what);

// Thrown by Tensor::allocate when checkAllocatable fails or the allocation does: the session
// turns it into an error naming the node (exit 2 in the CLI), not an internal error.
class AllocationError : public std::bad_alloc
{
public:
    explicit AllocationError(std::string message)
        : m_message(std::move(message))
    {}
    const char *what() const noexcept override { return m_message.c_str(); }
    const std::string &message() const { return m_message; }

private:
    std::string m_message;
};

// A table, one type per line.
// clang-format off
template<typename T> struct DTypeOf;
template<> struct DTypeOf<float> { static constexpr DType value = DType::Float32; };
template<> struct DTypeOf<double> { static constexpr DType value = DType::Float64; };
template<> struct DTypeOf<Eigen::half> { static constexpr DType value = DType::Float16; };
template<> struct DTypeOf<Eigen::bfloat16> { static constexpr DType value = DType::BFloat16; };
template<> struct DTypeOf<int8_t> { static constexpr DType value = DType::Int8; };
template<> struct DTypeOf<uint8_t> { static constexpr DType value = DType::UInt8; };
template<> struct DTypeOf<int16_t> { static constexpr DType value = DType::Int16; };
template<> struct DTypeOf<uint16_t> { static constexpr DType value = DType::UInt16; };
template<> struct DTypeOf<int32_t> { static constexpr DType value = DType::Int32; };
template<> struct DTypeOf<uint32_t> { static constexpr DType value = DType::UInt32; };
template<> struct DTypeOf<int64_t> { static constexpr DType value = DType::Int64; };
template<> struct DTypeOf<uint64_t> { static constexpr DType value = DType::UInt64; };
template<> struct DTypeOf<bool> { static constexpr DType value = DType::Bool; };
// clang-format on

class Tensor
{
public:
    Tensor() = default; // an empty tensor: "no value" (an omitted optional input)

    // Uninitialized storage for `shape` (zero-filled when `zero` is set).
    static Tensor allocate(DType type, Shape shape, bool zero = false);
    // Views `data` without copying; `owner` keeps the memory alive (may be null for static data).
    static Tensor view(DType type, Shape shape, const void *data, std::shared_ptr<const void> owner);
    template<typename T>
    static Tensor fromVector(Shape shape, const std::vector<T> &values);
    template<typename T>
    static Tensor scalar(T value)
    {
        return fromVector<T>({}, {value});
    }

    bool empty() const { return m_type == DType::Undefined; }
    DType dtype() const { return m_type; }
    const Shape &shape() const { return m_shape; }
    int64_t rank() const { return static_cast<int64_t>(m_shape.size()); }
    int64_t dim(int64_t axis) const { return m_shape[static_cast<size_t>(axis)]; }
    int64_t elementCount() const { return m_elements; }
    int64_t byteSize() const { return m_elements * dtypeSize(m_type); }

    const void *rawData() const { return m_data; }
    // Only for tensors this code allocated and has not shared yet.
    void *mutableRawData() { return const_cast<void *>(m_data); }

    template<typename T>
    const T *data() const
    {
        assertType<T>();
        return static_cast<const T *>(m_data);
    }
    template<typename T>
    T *mutableData()
    {
        assertType<T>();
        return static_cast<T *>(const_cast<void *>(m_data));
    }
    template<typename T>
    std::span<const T> values() const
    {
        return {data<T>(), static_cast<size_t>(m_elements)};
    }
    template<typename T>
    std::span<T> mutableValues()
    {
        return {mutableData<T>(), static_cast<size_t>(m_elements)};
    }

    // Same bytes, another shape (element count must match): Reshape, Flatten, Squeeze...
    Tensor reshaped(Shape shape) const;
    // A private copy whose storage this caller may write.
    Tensor clone() const;
    // Element i converted to int64 / double, whatever the integer or float type (attribute-like
    // inputs such as shapes, axes, pads, scales).
    int64_t intAt(int64_t index) const;
    double doubleAt(int64_t index) const;
    std::vector<int64_t> toInt64Vector() const;

    std::string describe() const; // "float32[1,3,224,224]"

private:
    template<typename T>
    void assertType() const
    {
        if constexpr (!std::is_void_v<T>) {
            assert(DTypeOf<std::remove_cv_t<T>>::value == m_type);
        }
    }

    DType m_type = DType::Undefined;
    Shape m_shape;
    int64_t m_elements = 0;
    const void *m_data = nullptr;
    std::shared_ptr<const void> m_owner;
};

template<typename T>
Tensor Tensor::fromVector(Shape shape, const std::vector<T> &values)
{
    Tensor tensor = allocate(DTypeOf<T>::value, std::move(shape));
    assert(static_cast<int64_t>(values.size()) == tensor.elementCount());
    T *out = tensor.mutableData<T>();
    for (size_t i = 0; i < values.size(); ++i)
        out[i] = values[i];
    return tensor;
}

// Calls fn(T{}) with T the C++ type of `type`; returns false when the type is not one of the
// engine's numeric types. Kernels use it to write one templated body for all types.
template<typename Fn>
bool dispatchNumeric(DType type, Fn &&fn)
{
    switch (type) {
    case DType::Float32: fn(float{}); return true;
    case DType::Float64: fn(double{}); return true;
    case DType::Float16: fn(Eigen::half{}); return true;
    case DType::BFloat16: fn(Eigen::bfloat16{}); return true;
    case DType::Int8: fn(int8_t{}); return true;
    case DType::UInt8: fn(uint8_t{}); return true;
    case DType::Int16: fn(int16_t{}); return true;
    case DType::UInt16: fn(uint16_t{}); return true;
    case DType::Int32: fn(int32_t{}); return true;
    case DType::UInt32: fn(uint32_t{}); return true;
    case DType::Int64: fn(int64_t{}); return true;
    case DType::UInt64: fn(uint64_t{}); return true;
    case DType::Bool: fn(bool{}); return true;
    default: return false;
    }
}

} // namespace qs
