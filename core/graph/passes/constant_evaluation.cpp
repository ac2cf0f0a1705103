#include "graph/passes/constant_evaluation.h"

#include "model/attributes.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <set>

namespace qs {

namespace {

using Inputs = std::span<const Tensor *const>;

const Tensor *inputAt(Inputs inputs, size_t index)
{
    return index < inputs.size() ? inputs[index] : nullptr;
}

std::optional<int64_t> normalizedAxis(int64_t axis, int64_t rank)
{
    const int64_t normalized = axis < 0 ? axis + rank : axis;
    if (normalized < 0 || normalized >= rank)
        return std::nullopt;
    return normalized;
}

std::vector<int64_t> rowMajorStrides(const Shape &shape)
{
    std::vector<int64_t> strides(shape.size(), 1);
    for (size_t d = shape.size(); d-- > 1;)
        strides[d - 1] = strides[d] * shape[d];
    return strides;
}

// Calls visit(position, coordinates) for every element of `shape` in row-major order.
template<typename Visit>
void forEachPosition(const Shape &shape, Visit &&visit)
{
    const int64_t count = shapeElementCount(shape);
    std::vector<int64_t> coordinates(shape.size(), 0);
    for (int64_t position = 0; position < count; ++position) {
        visit(position, coordinates);
        for (size_t d = shape.size(); d-- > 0;) {
            if (++coordinates[d] < shape[d])
                break;
            coordinates[d] = 0;
        }
    }
}

// A tensor of `shape` whose element at each position is element sourceOf(coordinates) of
// `source`: the one copy loop behind Transpose, Gather, Slice and Concat, for any element type.
template<typename SourceOf>
std::optional<Tensor> rearranged(const Tensor &source, const Shape &shape, SourceOf &&sourceOf)
{
    const int64_t size = dtypeSize(source.dtype());
    if (size == 0)
        return std::nullopt;
    Tensor result = Tensor::allocate(source.dtype(), shape);
    const auto *from = static_cast<const std::byte *>(source.rawData());
    auto *to = static_cast<std::byte *>(result.mutableRawData());
    forEachPosition(shape, [&](int64_t position, const std::vector<int64_t> &coordinates) {
        std::memcpy(to + position * size, from + sourceOf(coordinates) * size, size_t(size));
    });
    return result;
}

// --- element types ---

template<typename T>
constexpr bool isReducedFloat
    = std::is_same_v<T, Eigen::half> || std::is_same_v<T, Eigen::bfloat16>;

// One element converted as Cast does: half-precision types go through float, bool is "not zero".
template<typename To, typename From>
To convertElement(From value)
{
    if constexpr (isReducedFloat<From>)
        return convertElement<To>(static_cast<float>(value));
    else if constexpr (std::is_same_v<To, bool>)
        return value != From(0);
    else if constexpr (isReducedFloat<To>)
        return To(static_cast<float>(value));
    else
        return static_cast<To>(value);
}

std::optional<Tensor> cast(const onnx::NodeProto &node, const Tensor &input)
{
    const auto target = DType(intAttribute(node, "to", 0));
    if (target == input.dtype())
        return input;
    if (!isSupportedDType(target) || !isSupportedDType(input.dtype()))
        return std::nullopt;
    Tensor result = Tensor::allocate(target, input.shape());
    const bool converted = dispatchNumeric(input.dtype(), [&](auto from) {
        using From = decltype(from);
        dispatchNumeric(target, [&](auto to) {
            using To = decltype(to);
            const From *source = input.data<From>();
            To *out = result.mutableData<To>();
            for (int64_t i = 0; i < input.elementCount(); ++i)
                out[i] = convertElement<To>(source[i]);
        });
    });
    if (!converted)
        return std::nullopt;
    return result;
}

// --- shapes ---

// Reshape's target: 0 copies the input's dim (unless allowzero), one -1 takes what is left.
std::optional<Shape> reshapeTarget(const Shape &input, const Tensor &requested, bool allowZero)
{
    Shape shape = requested.toInt64Vector();
    int inferred = -1;
    int64_t known = 1;
    for (size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] == 0 && !allowZero) {
            if (d >= input.size())
                return std::nullopt;
            shape[d] = input[d];
        }
        if (shape[d] == -1) {
            if (inferred >= 0)
                return std::nullopt;
            inferred = int(d);
        } else if (shape[d] < 0) {
            return std::nullopt;
        } else {
            known *= shape[d];
        }
    }
    const int64_t total = shapeElementCount(input);
    if (inferred >= 0) {
        if (known == 0 || total % known != 0)
            return std::nullopt;
        shape[size_t(inferred)] = total / known;
    }
    if (shapeElementCount(shape) != total)
        return std::nullopt;
    return shape;
}

// Squeeze / Unsqueeze axes: an attribute before opset 13, an optional input from 13.
std::optional<std::vector<int64_t>> axesOf(const onnx::NodeProto &node, int opset, Inputs inputs)
{
    if (opset < 13)
        return intsAttribute(node, "axes");
    if (inputs.size() < 2 || !inputs[1])
        return std::vector<int64_t>{};
    return inputs[1]->toInt64Vector();
}

std::optional<Tensor> squeeze(const onnx::NodeProto &node, int opset, Inputs inputs)
{
    const Tensor &data = *inputs[0];
    const auto axes = axesOf(node, opset, inputs);
    if (!axes)
        return std::nullopt;
    std::set<int64_t> removed;
    for (const int64_t axis : *axes) {
        const auto normalized = normalizedAxis(axis, data.rank());
        if (!normalized || data.dim(*normalized) != 1)
            return std::nullopt;
        removed.insert(*normalized);
    }
    Shape shape;
    for (int64_t d = 0; d < data.rank(); ++d) {
        const bool squeezed = axes->empty() ? data.dim(d) == 1 : removed.count(d) > 0;
        if (!squeezed)
            shape.push_back(data.dim(d));
    }
    return data.reshaped(shape);
}

std::optional<Tensor> unsqueeze(const onnx::NodeProto &node, int opset, Inputs inputs)
{
    const Tensor &data = *inputs[0];
    const auto axes = axesOf(node, opset, inputs);
    if (!axes || axes->empty())
        return std::nullopt;
    const int64_t rank = data.rank() + int64_t(axes->size());
    std::set<int64_t> inserted;
    for (const int64_t axis : *axes) {
        const auto normalized = normalizedAxis(axis, rank);
        if (!normalized || !inserted.insert(*normalized).second)
            return std::nullopt;
    }
    Shape shape;
    size_t next = 0;
    for (int64_t d = 0; d < rank; ++d)
        shape.push_back(inserted.count(d) ? 1 : data.dim(int64_t(next++)));
    return data.reshaped(shape);
}

std::optional<Tensor> flatten(const onnx::NodeProto &node, const Tensor &data)
{
    const int64_t axis = intAttribute(node, "axis", 1);
    const int64_t split = axis < 0 ? axis + data.rank() : axis;
    if (split < 0 || split > data.rank())
        return std::nullopt;
    int64_t outer = 1;
    for (int64_t d = 0; d < split; ++d)
        outer *= data.dim(d);
    return data.reshaped({outer, outer == 0 ? 0 : data.elementCount() / outer});
}

std::optional<Tensor> reshape(const onnx::NodeProto &node, int opset, Inputs inputs)
{
    const Tensor &data = *inputs[0];
    std::optional<Shape> shape;
    if (opset < 5) {
        shape = reshapeTarget(data.shape(),
                              Tensor::fromVector<int64_t>({int64_t(
                                                              intsAttribute(node, "shape").size())},
                                                          intsAttribute(node, "shape")),
                              false);
    } else if (const Tensor *requested = inputAt(inputs, 1)) {
        shape = reshapeTarget(data.shape(), *requested, intAttribute(node, "allowzero", 0) != 0);
    }
    if (!shape)
        return std::nullopt;
    return data.reshaped(*shape);
}

// --- data movement ---

std::optional<Tensor> transpose(const onnx::NodeProto &node, const Tensor &data)
{
    std::vector<int64_t> permutation = intsAttribute(node, "perm");
    if (permutation.empty()) {
        permutation.resize(size_t(data.rank()));
        std::iota(permutation.rbegin(), permutation.rend(), 0);
    }
    std::vector<int64_t> sorted = permutation;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int64_t> identity(size_t(data.rank()));
    std::iota(identity.begin(), identity.end(), 0);
    if (sorted != identity)
        return std::nullopt;
    Shape shape;
    for (const int64_t axis : permutation)
        shape.push_back(data.dim(axis));
    const std::vector<int64_t> strides = rowMajorStrides(data.shape());
    return rearranged(data, shape, [&](const std::vector<int64_t> &coordinates) {
        int64_t offset = 0;
        for (size_t d = 0; d < coordinates.size(); ++d)
            offset += coordinates[d] * strides[size_t(permutation[d])];
        return offset;
    });
}

std::optional<Tensor> gather(const onnx::NodeProto &node, const Tensor &data, const Tensor &indices)
{
    const auto axis = normalizedAxis(intAttribute(node, "axis", 0), data.rank());
    if (!axis || (indices.dtype() != DType::Int64 && indices.dtype() != DType::Int32))
        return std::nullopt;
    const int64_t extent = data.dim(*axis);
    std::vector<int64_t> positions = indices.toInt64Vector();
    for (int64_t &position : positions) {
        if (position < -extent || position >= extent)
            return std::nullopt;
        if (position < 0)
            position += extent;
    }
    // Output: data's dims before the axis, then the indices' dims, then data's dims after it.
    Shape shape(data.shape().begin(), data.shape().begin() + *axis);
    shape.insert(shape.end(), indices.shape().begin(), indices.shape().end());
    shape.insert(shape.end(), data.shape().begin() + *axis + 1, data.shape().end());
    const std::vector<int64_t> strides = rowMajorStrides(data.shape());
    const std::vector<int64_t> indexStrides = rowMajorStrides(indices.shape());
    const auto indexRank = size_t(indices.rank());
    return rearranged(data, shape, [&](const std::vector<int64_t> &coordinates) {
        int64_t offset = 0;
        for (int64_t d = 0; d < *axis; ++d)
            offset += coordinates[size_t(d)] * strides[size_t(d)];
        int64_t index = 0;
        for (size_t k = 0; k < indexRank; ++k)
            index += coordinates[size_t(*axis) + k] * indexStrides[k];
        offset += positions[size_t(index)] * strides[size_t(*axis)];
        for (int64_t d = *axis + 1; d < data.rank(); ++d)
            offset += coordinates[size_t(d) + indexRank - 1] * strides[size_t(d)];
        return offset;
    });
}

std::optional<Tensor> concat(const onnx::NodeProto &node, Inputs inputs)
{
    if (inputs.empty() || !inputs[0])
        return std::nullopt;
    const Tensor &first = *inputs[0];
    const auto axis = normalizedAxis(intAttribute(node, "axis", 0), first.rank());
    if (!axis)
        return std::nullopt;
    Shape shape = first.shape();
    shape[size_t(*axis)] = 0;
    std::vector<int64_t> starts; // each input's first position along the axis
    for (const Tensor *input : inputs) {
        if (!input || input->dtype() != first.dtype() || input->rank() != first.rank())
            return std::nullopt;
        for (int64_t d = 0; d < first.rank(); ++d) {
            if (d != *axis && input->dim(d) != first.dim(d))
                return std::nullopt;
        }
        starts.push_back(shape[size_t(*axis)]);
        shape[size_t(*axis)] += input->dim(*axis);
    }
    // Stacked along the axis into one buffer, the inputs are copied block by block: every input
    // contributes dim(axis) * inner elements per outer index.
    const int64_t size = dtypeSize(first.dtype());
    if (size == 0)
        return std::nullopt;
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < *axis; ++d)
        outer *= first.dim(d);
    for (int64_t d = *axis + 1; d < first.rank(); ++d)
        inner *= first.dim(d);
    Tensor result = Tensor::allocate(first.dtype(), shape);
    auto *to = static_cast<std::byte *>(result.mutableRawData());
    const int64_t rowBytes = shape[size_t(*axis)] * inner * size;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const int64_t blockBytes = inputs[i]->dim(*axis) * inner * size;
        const auto *from = static_cast<const std::byte *>(inputs[i]->rawData());
        for (int64_t o = 0; o < outer; ++o)
            std::memcpy(to + o * rowBytes + starts[i] * inner * size, from + o * blockBytes,
                        size_t(blockBytes));
    }
    return result;
}

// Slice: attributes before opset 10, inputs (starts, ends, axes, steps) from 10.
std::optional<Tensor> slice(const onnx::NodeProto &node, int opset, Inputs inputs)
{
    const Tensor &data = *inputs[0];
    std::vector<int64_t> starts, ends, axes, steps;
    if (opset < 10) {
        starts = intsAttribute(node, "starts");
        ends = intsAttribute(node, "ends");
        axes = intsAttribute(node, "axes");
    } else {
        if (!inputAt(inputs, 1) || !inputAt(inputs, 2))
            return std::nullopt;
        starts = inputs[1]->toInt64Vector();
        ends = inputs[2]->toInt64Vector();
        if (const Tensor *given = inputAt(inputs, 3))
            axes = given->toInt64Vector();
        if (const Tensor *given = inputAt(inputs, 4))
            steps = given->toInt64Vector();
    }
    if (axes.empty()) {
        axes.resize(starts.size());
        std::iota(axes.begin(), axes.end(), 0);
    }
    if (steps.empty())
        steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size()
        || steps.size() != starts.size())
        return std::nullopt;
    std::vector<int64_t> first(size_t(data.rank()), 0), step(size_t(data.rank()), 1);
    Shape shape = data.shape();
    for (size_t i = 0; i < starts.size(); ++i) {
        const auto axis = normalizedAxis(axes[i], data.rank());
        if (!axis || steps[i] == 0)
            return std::nullopt;
        // ONNX's clamping: negative positions count from the end, then into the valid range
        // ([0, dim] forward, [-1, dim - 1] backward).
        const int64_t dim = data.dim(*axis);
        auto clamp = [&](int64_t position, int64_t low, int64_t high) {
            if (position < 0)
                position += dim;
            return std::clamp(position, low, high);
        };
        const bool forward = steps[i] > 0;
        const int64_t begin = clamp(starts[i], forward ? 0 : -1, forward ? dim : dim - 1);
        const int64_t end = clamp(ends[i], forward ? 0 : -1, forward ? dim : dim - 1);
        const int64_t span = forward ? end - begin : begin - end;
        const int64_t magnitude = forward ? steps[i] : -steps[i];
        shape[size_t(*axis)] = span <= 0 ? 0 : (span + magnitude - 1) / magnitude;
        first[size_t(*axis)] = begin;
        step[size_t(*axis)] = steps[i];
    }
    const std::vector<int64_t> strides = rowMajorStrides(data.shape());
    return rearranged(data, shape, [&](const std::vector<int64_t> &coordinates) {
        int64_t offset = 0;
        for (size_t d = 0; d < coordinates.size(); ++d)
            offset += (first[d] + coordinates[d] * step[d]) * strides[d];
        return offset;
    });
}

std::optional<Tensor> constantOfShape(const onnx::NodeProto &node, const Tensor &shapeInput)
{
    const Shape shape = shapeInput.toInt64Vector();
    if (std::any_of(shape.begin(), shape.end(), [](int64_t d) { return d < 0; }))
        return std::nullopt;
    Tensor fill = Tensor::scalar<float>(0.0f);
    if (const onnx::AttributeProto *value = findAttribute(node, "value")) {
        // A one-element tensor; its type is the output's.
        if (!value->has_t() || value->t().data_location() == onnx::TensorProto::EXTERNAL)
            return std::nullopt;
        onnx::TensorProto proto = value->t();
        const auto type = DType(proto.data_type());
        const int64_t size = dtypeSize(type);
        std::string bytes;
        if (proto.has_raw_data()) {
            bytes = proto.raw_data();
        } else if (type == DType::Float32 && proto.float_data_size() == 1) {
            const float element = proto.float_data(0);
            bytes.assign(reinterpret_cast<const char *>(&element), sizeof element);
        } else if (type == DType::Int64 && proto.int64_data_size() == 1) {
            const int64_t element = proto.int64_data(0);
            bytes.assign(reinterpret_cast<const char *>(&element), sizeof element);
        } else if (type == DType::Int32 && proto.int32_data_size() == 1) {
            const int32_t element = proto.int32_data(0);
            bytes.assign(reinterpret_cast<const char *>(&element), sizeof element);
        }
        if (size == 0 || int64_t(bytes.size()) != size)
            return std::nullopt;
        fill = Tensor::allocate(type, {});
        std::memcpy(fill.mutableRawData(), bytes.data(), bytes.size());
    }
    const int64_t size = dtypeSize(fill.dtype());
    Tensor result = Tensor::allocate(fill.dtype(), shape);
    auto *to = static_cast<std::byte *>(result.mutableRawData());
    for (int64_t i = 0; i < result.elementCount(); ++i)
        std::memcpy(to + i * size, fill.rawData(), size_t(size));
    return result;
}

// --- arithmetic ---

// NumPy's broadcast of two shapes, or nullopt when they do not broadcast.
std::optional<Shape> broadcastShape(const Shape &a, const Shape &b)
{
    Shape shape(std::max(a.size(), b.size()), 1);
    for (size_t i = 0; i < shape.size(); ++i) {
        const int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
        const int64_t y = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (x != y && x != 1 && y != 1)
            return std::nullopt;
        shape[shape.size() - 1 - i] = x == 1 ? y : x;
    }
    return shape;
}

// Strides of `operand` read at positions of `shape`: 0 along the dims it broadcasts.
std::vector<int64_t> broadcastStrides(const Shape &operand, const Shape &shape)
{
    const std::vector<int64_t> own = rowMajorStrides(operand);
    std::vector<int64_t> strides(shape.size(), 0);
    const size_t offset = shape.size() - operand.size();
    for (size_t d = 0; d < operand.size(); ++d)
        strides[offset + d] = operand[d] == 1 ? 0 : own[d];
    return strides;
}

template<typename T>
std::optional<T> applyArithmetic(const std::string &op, T a, T b)
{
    if (op == "Add")
        return a + b;
    if (op == "Sub")
        return a - b;
    if (op == "Mul")
        return a * b;
    if constexpr (std::is_integral_v<T>) {
        if (b == 0)
            return std::nullopt; // the engine reports a division by zero, not this pass
    }
    return a / b; // integers: truncated, as ONNX's Div
}

std::optional<Tensor> arithmetic(const std::string &op, const Tensor &a, const Tensor &b)
{
    const DType type = a.dtype();
    const bool supported = type == DType::Float32 || type == DType::Float64 || type == DType::Int32
                           || type == DType::Int64;
    if (!supported || b.dtype() != type)
        return std::nullopt;
    const auto shape = broadcastShape(a.shape(), b.shape());
    if (!shape)
        return std::nullopt;
    const std::vector<int64_t> aStrides = broadcastStrides(a.shape(), *shape);
    const std::vector<int64_t> bStrides = broadcastStrides(b.shape(), *shape);
    Tensor result = Tensor::allocate(type, *shape);
    bool failed = false;
    dispatchNumeric(type, [&](auto tag) {
        using T = decltype(tag);
        const T *x = a.data<T>();
        const T *y = b.data<T>();
        T *out = result.mutableData<T>();
        forEachPosition(*shape, [&](int64_t position, const std::vector<int64_t> &coordinates) {
            int64_t i = 0, j = 0;
            for (size_t d = 0; d < coordinates.size(); ++d) {
                i += coordinates[d] * aStrides[d];
                j += coordinates[d] * bStrides[d];
            }
            const std::optional<T> value = applyArithmetic<T>(op, x[i], y[j]);
            failed |= !value;
            out[position] = value.value_or(T(0));
        });
    });
    if (failed)
        return std::nullopt;
    return result;
}

} // namespace

bool isEvaluatedConstantOp(const std::string &opType)
{
    static const std::set<std::string> kOps
        = {"Cast",   "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Gather",
           "Concat", "Slice",   "Add",     "Sub",     "Mul",       "Div",       "ConstantOfShape"};
    return kOps.count(opType) > 0;
}

std::optional<Tensor> evaluateConstantNode(const onnx::NodeProto &node, int opset, Inputs inputs)
{
    const std::string &op = node.op_type();
    if (!isDefaultDomain(node.domain()) || !isEvaluatedConstantOp(op) || !inputAt(inputs, 0))
        return std::nullopt;
    const Tensor &first = *inputs[0];
    if (first.dtype() == DType::String)
        return std::nullopt;
    if (op == "Cast")
        return cast(node, first);
    if (op == "Reshape")
        return reshape(node, opset, inputs);
    if (op == "Flatten")
        return flatten(node, first);
    if (op == "Squeeze")
        return squeeze(node, opset, inputs);
    if (op == "Unsqueeze")
        return unsqueeze(node, opset, inputs);
    if (op == "Transpose")
        return transpose(node, first);
    if (op == "Concat")
        return concat(node, inputs);
    if (op == "Slice")
        return slice(node, opset, inputs);
    if (op == "ConstantOfShape")
        return constantOfShape(node, first);
    const Tensor *second = inputAt(inputs, 1);
    if (!second)
        return std::nullopt;
    if (op == "Gather")
        return gather(node, first, *second);
    return arithmetic(op, first, *second);
}

std::optional<Tensor> constantAttributeValue(const onnx::NodeProto &node)
{
    if (!isDefaultOp(node, "Constant") || node.attribute_size() != 1)
        return std::nullopt;
    const onnx::AttributeProto &attribute = node.attribute(0);
    if (attribute.name() == "value_float")
        return Tensor::scalar<float>(attribute.f());
    if (attribute.name() == "value_int")
        return Tensor::scalar<int64_t>(attribute.i());
    if (attribute.name() == "value_floats")
        return Tensor::fromVector<float>({attribute.floats_size()},
                                         {attribute.floats().begin(), attribute.floats().end()});
    if (attribute.name() == "value_ints")
        return Tensor::fromVector<int64_t>({attribute.ints_size()},
                                           {attribute.ints().begin(), attribute.ints().end()});
    return std::nullopt;
}

} // namespace qs
