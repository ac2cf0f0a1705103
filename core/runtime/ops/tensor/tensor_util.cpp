#include "runtime/ops/tensor/tensor_util.h"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <sstream>

namespace qs::ops {

bool normalizeAxis(int64_t &axis, int64_t rank)
{
    if (axis < -rank || axis >= rank)
        return false;
    if (axis < 0)
        axis += rank;
    return true;
}

Status resolveAxis(const KernelContext &ctx, int64_t &axis, const Tensor &input)
{
    return resolveAxis(ctx, axis, input, input.rank());
}

Status resolveAxis(const KernelContext &ctx, int64_t &axis, const Tensor &input, int64_t rank)
{
    if (!normalizeAxis(axis, rank))
        return ctx.error("axis " + std::to_string(axis) + " is out of range for input "
                         + input.describe());
    return Status::ok();
}

Status indexOutOfRange(const KernelContext &ctx, int64_t index, int64_t axis, const Tensor &data)
{
    return ctx.error("index " + std::to_string(index) + " is out of range for axis "
                     + std::to_string(axis) + " of data " + data.describe());
}

std::vector<int64_t> contiguousStrides(const Shape &shape)
{
    std::vector<int64_t> strides(shape.size(), 1);
    for (size_t i = shape.size(); i-- > 1;)
        strides[i - 1] = strides[i] * shape[i];
    return strides;
}

std::vector<int64_t> broadcastStrides(const Shape &from, const Shape &to)
{
    const std::vector<int64_t> own = contiguousStrides(from);
    const size_t lead = to.size() - from.size();
    std::vector<int64_t> strides(to.size(), 0);
    for (size_t d = 0; d < from.size(); ++d)
        strides[lead + d] = from[d] == 1 ? 0 : own[d];
    return strides;
}

std::string intsToString(const std::vector<int64_t> &values)
{
    return shapeToString(values);
}

Status IntListParam::init(const KernelInfo &info, std::string_view name, size_t index,
                          int inputSince)
{
    m_index = index;
    if (info.opsetVersion() < inputSince) {
        if (info.hasAttribute(name)) {
            Result<std::vector<int64_t>> values = info.getInts(name);
            if (!values)
                return values.status();
            m_known = std::move(*values);
        }
        return Status::ok();
    }
    m_fromInput = true;
    if (const Tensor *constant = info.constantInput(index)) {
        m_known = constant->toInt64Vector();
        m_fromInput = false;
    }
    return Status::ok();
}

Result<std::optional<std::vector<int64_t>>> IntListParam::get(const KernelContext &ctx,
                                                              std::string_view what) const
{
    if (!m_fromInput || m_known)
        return m_known;
    const Tensor &input = ctx.input(m_index);
    if (input.empty())
        return std::optional<std::vector<int64_t>>{};
    if (input.dtype() != DType::Int64 && input.dtype() != DType::Int32)
        return ctx.error("input '" + std::string(what) + "' has dtype " + dtypeName(input.dtype())
                         + " but int64 is needed");
    return std::optional<std::vector<int64_t>>(input.toInt64Vector());
}

Result<std::vector<int64_t>> IntListParam::require(const KernelContext &ctx,
                                                   std::string_view what) const
{
    Result<std::optional<std::vector<int64_t>>> list = get(ctx, what);
    if (!list)
        return list.status();
    if (!*list)
        return ctx.error(std::string(m_fromInput ? "input '" : "attribute '") + std::string(what)
                         + "' is missing");
    return std::move(**list);
}

namespace {

template<typename T>
void copyRow(T *dst, const T *src, int64_t count, int64_t stride)
{
    if (stride == 0) {
        std::fill(dst, dst + count, *src);
        return;
    }
    for (int64_t i = 0; i < count; ++i)
        dst[i] = src[i * stride];
}

template<typename T>
void copyRowAs(char *dst, const char *src, int64_t count, int64_t stride)
{
    copyRow(reinterpret_cast<T *>(dst), reinterpret_cast<const T *>(src), count, stride);
}

void copyRowBytes(char *dst, const char *src, int64_t count, int64_t stride, int64_t es)
{
    if (stride == 1) {
        std::memcpy(dst, src, static_cast<size_t>(count * es));
        return;
    }
    switch (es) {
    case 1: copyRowAs<uint8_t>(dst, src, count, stride); return;
    case 2: copyRowAs<uint16_t>(dst, src, count, stride); return;
    case 4: copyRowAs<uint32_t>(dst, src, count, stride); return;
    case 8: copyRowAs<uint64_t>(dst, src, count, stride); return;
    default:
        for (int64_t i = 0; i < count; ++i)
            std::memcpy(dst + i * es, src + i * stride * es, static_cast<size_t>(es));
    }
}

} // namespace

void stridedCopy(void *dst, const void *src, const Shape &outShape,
                 const std::vector<int64_t> &srcStrides, int64_t elementSize, int threads)
{
    // Drop unit dims and merge neighbours that are contiguous in the source.
    std::vector<int64_t> dims;
    std::vector<int64_t> strides;
    for (size_t i = 0; i < outShape.size(); ++i) {
        if (outShape[i] == 0)
            return;
        if (outShape[i] == 1)
            continue;
        if (!dims.empty() && strides.back() == srcStrides[i] * outShape[i]) {
            dims.back() *= outShape[i];
            strides.back() = srcStrides[i];
            continue;
        }
        dims.push_back(outShape[i]);
        strides.push_back(srcStrides[i]);
    }
    const auto *in = static_cast<const char *>(src);
    auto *out = static_cast<char *>(dst);
    if (dims.empty()) {
        std::memcpy(out, in, static_cast<size_t>(elementSize));
        return;
    }
    const int64_t inner = dims.back();
    const int64_t innerStride = strides.back();
    const size_t outer = dims.size() - 1;
    int64_t rows = 1;
    for (size_t i = 0; i < outer; ++i)
        rows *= dims[i];
    const int64_t totalBytes = rows * inner * elementSize;
    const int chunks = totalBytes > (1 << 18) && rows > 1
                           ? static_cast<int>(std::min<int64_t>(threads, rows))
                           : 1;

#pragma omp parallel for num_threads(chunks) if (chunks > 1) schedule(static)
    for (int chunk = 0; chunk < chunks; ++chunk) {
        const int64_t begin = rows * chunk / chunks;
        const int64_t end = rows * (chunk + 1) / chunks;
        // Decompose the first row once, then step an odometer.
        std::vector<int64_t> index(outer, 0);
        int64_t offset = 0;
        int64_t rest = begin;
        for (size_t i = outer; i-- > 0;) {
            index[i] = rest % dims[i];
            rest /= dims[i];
            offset += index[i] * strides[i];
        }
        for (int64_t row = begin; row < end; ++row) {
            copyRowBytes(out + row * inner * elementSize, in + offset * elementSize, inner,
                         innerStride, elementSize);
            for (size_t i = outer; i-- > 0;) {
                offset += strides[i];
                if (++index[i] < dims[i])
                    break;
                offset -= strides[i] * dims[i];
                index[i] = 0;
            }
        }
    }
}

void copyElements(void *dst, const void *src, int64_t count, int64_t elementSize)
{
    if (count > 0)
        std::memcpy(dst, src, static_cast<size_t>(count * elementSize));
}

bool broadcastShapes(const Shape &a, const Shape &b, Shape &out)
{
    const size_t rank = std::max(a.size(), b.size());
    out.assign(rank, 1);
    for (size_t i = 0; i < rank; ++i) {
        const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (da != db && da != 1 && db != 1)
            return false;
        out[i] = da == 1 ? db : da;
    }
    return true;
}

Tensor scalarOfType(DType type, double value)
{
    Tensor result = Tensor::allocate(type, {});
    dispatchNumeric(type, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_same_v<T, bool>)
            *result.mutableData<T>() = value != 0.0;
        else
            *result.mutableData<T>() = static_cast<T>(value);
    });
    return result;
}

Tensor valuesAsFloat32(const Tensor &tensor)
{
    if (tensor.dtype() == DType::Float32)
        return tensor;
    Tensor wide = Tensor::allocate(DType::Float32, tensor.shape());
    float *out = wide.mutableData<float>();
    dispatchNumeric(tensor.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T *in = tensor.data<T>();
        for (int64_t i = 0; i < tensor.elementCount(); ++i)
            out[i] = static_cast<float>(in[i]);
    });
    return wide;
}

} // namespace qs::ops
