#include "tensor/tensor.h"
#include "tensor/tensor_memory.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace qs {

int64_t dtypeSize(DType type)
{
    switch (type) {
    case DType::Float32:
    case DType::Int32:
    case DType::UInt32: return 4;
    case DType::Float64:
    case DType::Int64:
    case DType::UInt64: return 8;
    case DType::Float16:
    case DType::BFloat16:
    case DType::Int16:
    case DType::UInt16: return 2;
    case DType::Int8:
    case DType::UInt8:
    case DType::Bool: return 1;
    default: return 0;
    }
}

std::string dtypeName(DType type)
{
    switch (type) {
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
    case DType::Float16: return "float16";
    case DType::BFloat16: return "bfloat16";
    case DType::Int8: return "int8";
    case DType::UInt8: return "uint8";
    case DType::Int16: return "int16";
    case DType::UInt16: return "uint16";
    case DType::Int32: return "int32";
    case DType::UInt32: return "uint32";
    case DType::Int64: return "int64";
    case DType::UInt64: return "uint64";
    case DType::Bool: return "bool";
    case DType::String: return "string";
    case DType::Undefined: return "undefined";
    }
    return "type" + std::to_string(static_cast<int>(type));
}

bool isSupportedDType(DType type)
{
    return dtypeSize(type) > 0;
}

bool isFloatingDType(DType type)
{
    return type == DType::Float32 || type == DType::Float16 || type == DType::BFloat16
           || type == DType::Float64;
}

int64_t shapeElementCount(const Shape &shape)
{
    int64_t count = 1;
    for (const int64_t d : shape)
        count *= d;
    return count;
}

namespace {

int64_t physicalMemoryBytes()
{
    static const int64_t bytes = [] {
        const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
        return pages > 0 && pageSize > 0 ? int64_t(pages) * int64_t(pageSize) : INT64_MAX;
    }();
    return bytes;
}

std::string byteString(double bytes)
{
    const char *units[] = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
    size_t unit = 0;
    while (bytes >= 1024.0 && unit + 1 < std::size(units)) {
        bytes /= 1024.0;
        ++unit;
    }
    char text[64];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
    return text;
}

} // namespace

Status checkAllocatable(DType type, const Shape &shape, const std::string &what)
{
    // Every kernel output passes here on every run: the message is built only on failure.
    const auto described = [&] { return what + " " + dtypeName(type) + shapeToString(shape); };
    // The bytes as a double: exact enough to report, and it cannot overflow.
    double bytes = double(std::max<int64_t>(dtypeSize(type), 1));
    for (const int64_t dim : shape) {
        if (dim < 0)
            return invalidArgument(described() + " has a negative dimension");
        bytes *= double(dim);
    }
    if (bytes > double(physicalMemoryBytes()))
        return invalidArgument(described() + " would need " + byteString(bytes)
                               + "; this machine has " + byteString(double(physicalMemoryBytes())));
    return Status::ok();
}

std::string shapeToString(const Shape &shape)
{
    std::ostringstream out;
    out << '[';
    for (size_t i = 0; i < shape.size(); ++i)
        out << (i ? "," : "") << shape[i];
    out << ']';
    return out.str();
}

Tensor Tensor::allocate(DType type, Shape shape, bool zero)
{
    // Checked first: a shape from a bad model may overflow int64 or ask for terabytes.
    static const std::string kWhat = "a tensor";
    if (Status allocatable = checkAllocatable(type, shape, kWhat); !allocatable)
        throw AllocationError(allocatable.message());
    Tensor tensor;
    tensor.m_type = type;
    tensor.m_shape = std::move(shape);
    tensor.m_elements = shapeElementCount(tensor.m_shape);
    // 64-byte alignment for AVX-512 loads and oneDNN; never a zero-size allocation, so data()
    // is valid even for empty tensors.
    const size_t bytes = static_cast<size_t>(std::max<int64_t>(tensor.byteSize(), 1));
    void *memory = acquireTensorMemory(bytes);
    if (!memory)
        throw AllocationError("a tensor " + dtypeName(type) + shapeToString(tensor.m_shape)
                              + " could not be allocated (" + std::to_string(bytes)
                              + " bytes): out of memory");
    if (zero)
        std::memset(memory, 0, (bytes + 63) / 64 * 64);
    tensor.m_data = memory;
    tensor.m_owner = std::shared_ptr<const void>(memory, [bytes](const void *p) {
        releaseTensorMemory(const_cast<void *>(p), bytes);
    });
    return tensor;
}

Tensor Tensor::view(DType type, Shape shape, const void *data, std::shared_ptr<const void> owner)
{
    Tensor tensor;
    tensor.m_type = type;
    tensor.m_shape = std::move(shape);
    tensor.m_elements = shapeElementCount(tensor.m_shape);
    tensor.m_data = data;
    tensor.m_owner = std::move(owner);
    return tensor;
}

Tensor Tensor::reshaped(Shape shape) const
{
    Tensor tensor = *this;
    tensor.m_shape = std::move(shape);
    assert(shapeElementCount(tensor.m_shape) == m_elements);
    return tensor;
}

Tensor Tensor::clone() const
{
    Tensor copy = allocate(m_type, m_shape);
    if (byteSize() > 0)
        std::memcpy(copy.mutableRawData(), m_data, static_cast<size_t>(byteSize()));
    return copy;
}

int64_t Tensor::intAt(int64_t index) const
{
    int64_t result = 0;
    dispatchNumeric(m_type, [&](auto tag) {
        using T = decltype(tag);
        result = static_cast<int64_t>(static_cast<const T *>(m_data)[index]);
    });
    return result;
}

double Tensor::doubleAt(int64_t index) const
{
    double result = 0;
    dispatchNumeric(m_type, [&](auto tag) {
        using T = decltype(tag);
        result = static_cast<double>(static_cast<const T *>(m_data)[index]);
    });
    return result;
}

std::vector<int64_t> Tensor::toInt64Vector() const
{
    std::vector<int64_t> result(static_cast<size_t>(m_elements));
    for (int64_t i = 0; i < m_elements; ++i)
        result[static_cast<size_t>(i)] = intAt(i);
    return result;
}

std::string Tensor::describe() const
{
    return dtypeName(m_type) + shapeToString(m_shape);
}

} // namespace qs
