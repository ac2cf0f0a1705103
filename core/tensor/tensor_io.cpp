#include "tensor/tensor_io.h"

#include "model/model.h"
#include "util/atomic_file.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace qs {

namespace {

std::string tensorLabel(const onnx::TensorProto &proto)
{
    return proto.name().empty() ? std::string("tensor") : "tensor '" + proto.name() + "'";
}

// Typed fields: float_data, int32_data (which also carries the 8/16-bit types and float16 bits),
// int64_data, double_data, uint64_data.
// The repeated field that holds values of `type` when raw_data is not used; -1 if none.
int64_t typedFieldSize(const onnx::TensorProto &proto, DType type)
{
    switch (type) {
    case DType::Float32: return proto.float_data_size();
    case DType::Float64: return proto.double_data_size();
    case DType::Int64: return proto.int64_data_size();
    case DType::UInt64:
    case DType::UInt32: return proto.uint64_data_size();
    case DType::Int32:
    case DType::Int16:
    case DType::UInt16:
    case DType::Int8:
    case DType::UInt8:
    case DType::Bool:
    case DType::Float16:
    case DType::BFloat16: return proto.int32_data_size();
    default: return -1;
    }
}

Result<Tensor> tensorFromTypedFields(const onnx::TensorProto &proto, DType type, Shape shape)
{
    // Validate before allocating: a corrupt shape must not turn into a giant allocation.
    const int64_t have = typedFieldSize(proto, type);
    if (have < 0)
        return unsupported(tensorLabel(proto) + ": element type " + dtypeName(type)
                           + " is not supported by the engine");
    const int64_t n = shapeElementCount(shape);
    if (have != n)
        return invalidArgument(tensorLabel(proto) + ": holds " + std::to_string(have)
                               + " values but its shape " + shapeToString(shape) + " needs "
                               + std::to_string(n));
    Tensor tensor = Tensor::allocate(type, std::move(shape));
    auto copyField = [&](const auto &field, auto tag) -> Status {
        using T = decltype(tag);
        T *out = static_cast<T *>(tensor.mutableRawData());
        for (int64_t i = 0; i < n; ++i)
            out[i] = static_cast<T>(field.Get(static_cast<int>(i)));
        return Status::ok();
    };
    Status status;
    switch (type) {
    case DType::Float32: status = copyField(proto.float_data(), float{}); break;
    case DType::Float64: status = copyField(proto.double_data(), double{}); break;
    case DType::Int64: status = copyField(proto.int64_data(), int64_t{}); break;
    case DType::UInt64: status = copyField(proto.uint64_data(), uint64_t{}); break;
    case DType::UInt32: status = copyField(proto.uint64_data(), uint32_t{}); break;
    case DType::Int32: status = copyField(proto.int32_data(), int32_t{}); break;
    case DType::Int16: status = copyField(proto.int32_data(), int16_t{}); break;
    case DType::UInt16: status = copyField(proto.int32_data(), uint16_t{}); break;
    case DType::Int8: status = copyField(proto.int32_data(), int8_t{}); break;
    case DType::UInt8: status = copyField(proto.int32_data(), uint8_t{}); break;
    case DType::Bool: status = copyField(proto.int32_data(), uint8_t{}); break;
    case DType::Float16:
    case DType::BFloat16: status = copyField(proto.int32_data(), uint16_t{}); break; // raw bits
    default:
        return unsupported(tensorLabel(proto) + ": element type " + dtypeName(type)
                           + " is not supported by the engine");
    }
    if (!status)
        return status;
    return tensor;
}

} // namespace

Result<Tensor> tensorFromProtoBytes(const onnx::TensorProto &proto, std::span<const std::byte> raw,
                                    std::shared_ptr<const void> owner)
{
    const DType type = static_cast<DType>(proto.data_type());
    if (!isSupportedDType(type)) {
        return unsupported(tensorLabel(proto) + ": element type " + dtypeName(type)
                           + " is not supported by the engine");
    }
    Shape shape(proto.dims().begin(), proto.dims().end());
    for (const int64_t d : shape) {
        if (d < 0)
            return invalidArgument(tensorLabel(proto) + ": negative dim in " + shapeToString(shape));
    }
    const bool hasRaw = proto.has_raw_data() || !raw.empty()
                        || proto.data_location() == onnx::TensorProto::EXTERNAL;
    if (!hasRaw)
        return tensorFromTypedFields(proto, type, std::move(shape));

    const int64_t expected = shapeElementCount(shape) * dtypeSize(type);
    if (static_cast<int64_t>(raw.size()) != expected) {
        return invalidArgument(tensorLabel(proto) + ": has " + std::to_string(raw.size())
                               + " bytes of data but " + dtypeName(type) + shapeToString(shape)
                               + " needs " + std::to_string(expected));
    }
    const auto address = reinterpret_cast<uintptr_t>(raw.data());
    if (owner && address % 64 == 0)
        return Tensor::view(type, std::move(shape), raw.data(), std::move(owner));
    // Misaligned bytes (protobuf strings are not 64-byte aligned) are copied once.
    Tensor tensor = Tensor::allocate(type, std::move(shape));
    if (expected > 0)
        std::memcpy(tensor.mutableRawData(), raw.data(), static_cast<size_t>(expected));
    return tensor;
}

Result<Tensor> tensorFromProto(const onnx::TensorProto &proto, std::shared_ptr<const Model> model)
{
    std::span<const std::byte> raw;
    if (model) {
        raw = model->rawBytes(proto);
    } else if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
        return invalidArgument(tensorLabel(proto) + ": its data is external but no model was given");
    } else {
        raw = {reinterpret_cast<const std::byte *>(proto.raw_data().data()),
               proto.raw_data().size()};
    }
    return tensorFromProtoBytes(proto, raw, std::move(model));
}

void tensorToProto(const Tensor &tensor, onnx::TensorProto &proto)
{
    proto.set_data_type(static_cast<int32_t>(tensor.dtype()));
    proto.clear_dims();
    for (const int64_t d : tensor.shape())
        proto.add_dims(d);
    proto.set_raw_data(tensor.rawData(), static_cast<size_t>(tensor.byteSize()));
}

Result<Tensor> readTensorProtoFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return notFound(path + ": cannot open the file");
    auto proto = std::make_shared<onnx::TensorProto>();
    if (!proto->ParseFromIstream(&in))
        return invalidArgument(path + ": not a serialized ONNX TensorProto");
    Result<Tensor> tensor = tensorFromProto(*proto);
    if (!tensor)
        return tensor.status().withContext(path);
    // The tensor may view proto's raw_data: copy so it does not outlive the proto.
    return tensor->clone();
}

namespace {

struct NpyTypeCode
{
    const char *code;
    DType type;
};

constexpr NpyTypeCode kNpyTypes[] = {
    {"<f4", DType::Float32}, {"<f8", DType::Float64}, {"<f2", DType::Float16},
    {"|i1", DType::Int8},    {"|u1", DType::UInt8},   {"<i2", DType::Int16},
    {"<u2", DType::UInt16},  {"<i4", DType::Int32},   {"<u4", DType::UInt32},
    {"<i8", DType::Int64},   {"<u8", DType::UInt64},  {"|b1", DType::Bool},
};

std::string headerValue(const std::string &header, const std::string &key)
{
    const size_t at = header.find("'" + key + "'");
    if (at == std::string::npos)
        return {};
    size_t start = header.find(':', at);
    if (start == std::string::npos)
        return {};
    ++start;
    while (start < header.size() && header[start] == ' ')
        ++start;
    if (start < header.size() && header[start] == '(') {
        const size_t end = header.find(')', start);
        return end == std::string::npos ? std::string() : header.substr(start, end - start + 1);
    }
    const size_t end = header.find_first_of(",}", start);
    return header.substr(start, end - start);
}

Shape reversed(Shape shape)
{
    std::reverse(shape.begin(), shape.end());
    return shape;
}

void swapElementBytes(Tensor &tensor)
{
    const int64_t size = dtypeSize(tensor.dtype());
    auto *bytes = static_cast<unsigned char *>(tensor.mutableRawData());
    for (int64_t i = 0; i < tensor.elementCount(); ++i)
        std::reverse(bytes + i * size, bytes + (i + 1) * size);
}

// `stored` holds an array of shape S in C order with its axes reversed (shape reverse(S)), which
// is how a Fortran-ordered array of shape S lies in memory: returns the C-order array of shape S.
Tensor reverseAxes(const Tensor &stored)
{
    const Shape shape = reversed(stored.shape());
    Tensor result = Tensor::allocate(stored.dtype(), shape);
    const size_t rank = shape.size();
    const int64_t size = dtypeSize(stored.dtype());
    // Fortran strides of the result's axes, in elements: axis 0 varies fastest.
    std::vector<int64_t> strides(rank, 1);
    for (size_t axis = 1; axis < rank; ++axis)
        strides[axis] = strides[axis - 1] * shape[axis - 1];
    std::vector<int64_t> index(rank, 0);
    const auto *from = static_cast<const unsigned char *>(stored.rawData());
    auto *to = static_cast<unsigned char *>(result.mutableRawData());
    for (int64_t flat = 0; flat < result.elementCount(); ++flat) {
        int64_t offset = 0;
        for (size_t axis = 0; axis < rank; ++axis)
            offset += index[axis] * strides[axis];
        std::memcpy(to + flat * size, from + offset * size, size_t(size));
        for (size_t axis = rank; axis-- > 0;) { // the next index in C order
            if (++index[axis] < shape[axis])
                break;
            index[axis] = 0;
        }
    }
    return result;
}

} // namespace

Result<Tensor> readNpyFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return notFound(path + ": cannot open the file");
    char magic[8] = {};
    in.read(magic, 8);
    if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0)
        return invalidArgument(path + ": not a NumPy .npy file (bad magic)");
    const int major = static_cast<unsigned char>(magic[6]);
    uint32_t headerLength = 0;
    if (major == 1) {
        unsigned char bytes[2];
        in.read(reinterpret_cast<char *>(bytes), 2);
        headerLength = bytes[0] | (bytes[1] << 8);
    } else if (major == 2 || major == 3) {
        unsigned char bytes[4];
        in.read(reinterpret_cast<char *>(bytes), 4);
        headerLength = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (uint32_t(bytes[3]) << 24);
    } else {
        return invalidArgument(path + ": unknown .npy format version " + std::to_string(major));
    }
    if (!in || headerLength > (1u << 20))
        return invalidArgument(path + ": truncated .npy header");
    std::string header(headerLength, '\0');
    in.read(header.data(), headerLength);
    if (!in)
        return invalidArgument(path + ": truncated .npy header");

    std::string descr = headerValue(header, "descr");
    if (descr.size() >= 2 && (descr.front() == '\'' || descr.front() == '"'))
        descr = descr.substr(1, descr.size() - 2);
    // '=' is the writer's native order; NumPy writes it for every machine it runs on, and the
    // machines Quantscope runs on are little-endian.
    if (descr.size() == 3 && descr[0] == '=')
        descr[0] = '<';
    // Big-endian data (NumPy on a big-endian machine, or dtype('>f4') asked for) is read by
    // swapping each element's bytes; one-byte types have no order.
    const bool bigEndian = descr.size() == 3 && descr[0] == '>';
    if (bigEndian)
        descr[0] = descr[2] == '1' ? '|' : '<';
    if (descr == "<b1" || descr == "<i1" || descr == "<u1")
        descr[0] = '|';
    DType type = DType::Undefined;
    for (const NpyTypeCode &entry : kNpyTypes) {
        if (descr == entry.code)
            type = entry.type;
    }
    if (type == DType::Undefined)
        return unsupported(path + ": .npy element type '" + headerValue(header, "descr")
                           + "' is not supported");
    const bool fortranOrder = headerValue(header, "fortran_order").rfind("True", 0) == 0;
    const std::string shapeText = headerValue(header, "shape");
    if (shapeText.empty() || shapeText.front() != '(')
        return invalidArgument(path + ": .npy header has no shape");
    Shape shape;
    std::istringstream dims(shapeText.substr(1, shapeText.size() - 2));
    std::string item;
    while (std::getline(dims, item, ',')) {
        if (item.find_first_not_of(" ") == std::string::npos)
            continue;
        try {
            shape.push_back(std::stoll(item));
        } catch (...) {
            return invalidArgument(path + ": bad .npy shape " + shapeText);
        }
        if (shape.back() < 0)
            return invalidArgument(path + ": bad .npy shape " + shapeText);
    }
    // The header's shape is only a claim: the file must hold that many bytes before anything of
    // that size is allocated (a 20-byte file may declare 10^15 elements).
    const std::streamoff dataStart = in.tellg();
    in.seekg(0, std::ios::end);
    const std::streamoff fileBytes = in.tellg();
    in.seekg(dataStart);
    const uint64_t available = fileBytes > dataStart ? uint64_t(fileBytes - dataStart) : 0;
    uint64_t declared = uint64_t(dtypeSize(type));
    for (const int64_t dim : shape) {
        if (dim != 0 && declared > available / uint64_t(dim)) {
            declared = UINT64_MAX;
            break;
        }
        declared *= uint64_t(dim);
    }
    if (declared > available)
        return invalidArgument(path + ": .npy data is truncated: the header declares "
                               + dtypeName(type) + shapeToString(shape) + ", the file holds "
                               + std::to_string(available) + " bytes of data");
    Tensor tensor = Tensor::allocate(type, fortranOrder ? reversed(shape) : shape);
    in.read(static_cast<char *>(tensor.mutableRawData()), tensor.byteSize());
    if (in.gcount() != tensor.byteSize()) {
        return invalidArgument(path + ": .npy data is truncated: " + std::to_string(in.gcount())
                               + " of " + std::to_string(tensor.byteSize()) + " bytes for "
                               + tensor.describe());
    }
    if (bigEndian)
        swapElementBytes(tensor);
    // Fortran order is the C-order layout of the reversed shape; reversing the axes back gives
    // the array NumPy saved.
    return fortranOrder ? reverseAxes(tensor) : tensor;
}

Status writeNpyFile(const Tensor &tensor, const std::string &path)
{
    const char *code = nullptr;
    for (const NpyTypeCode &entry : kNpyTypes) {
        if (entry.type == tensor.dtype())
            code = entry.code;
    }
    if (!code)
        return unsupported(path + ": cannot write " + dtypeName(tensor.dtype()) + " as .npy");
    std::string shape = "(";
    for (const int64_t d : tensor.shape())
        shape += std::to_string(d) + ",";
    if (tensor.rank() > 1)
        shape.pop_back();
    shape += ")";
    std::string header = std::string("{'descr': '") + code
                         + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // Total header (magic 6 + version 2 + length 2 + text + '\n') padded to 64 bytes.
    const size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    return writeFileAtomically(path, [&](std::ostream &out) {
        out.write("\x93NUMPY\x01\x00", 8);
        const uint16_t length = static_cast<uint16_t>(header.size());
        const char lengthBytes[2] = {static_cast<char>(length & 0xff),
                                     static_cast<char>(length >> 8)};
        out.write(lengthBytes, 2);
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        out.write(static_cast<const char *>(tensor.rawData()), tensor.byteSize());
        return Status::ok();
    });
}

Result<Tensor> readTensorFile(const std::string &path)
{
    if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0)
        return readNpyFile(path);
    if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".pb") == 0)
        return readTensorProtoFile(path);
    return invalidArgument(path + ": unknown tensor file type (expected .npy or .pb)");
}

} // namespace qs
