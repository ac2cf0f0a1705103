#include "model/model_writer.h"

#include "model/model.h"
#include "util/atomic_file.h"
#include "util/mapped_file.h"

#include <onnx/onnx_pb.h>

#include <filesystem>
#include <map>
#include <ostream>

namespace qs {

namespace {

// protobuf refuses to serialize a message of 2 GB or more; keep a margin for the graph itself.
constexpr uint64_t kMaxInlineModelBytes = (uint64_t(2) << 30) - (uint64_t(64) << 20);
constexpr uint64_t kDataAlignment = 64;

std::string externalValue(const onnx::TensorProto &tensor, const std::string &key)
{
    for (const auto &entry : tensor.external_data()) {
        if (entry.key() == key)
            return entry.value();
    }
    return {};
}

// Reads the bytes of tensors that the source model keeps in external files.
class ExternalReader
{
public:
    explicit ExternalReader(std::string sourceDir)
        : m_sourceDir(std::move(sourceDir))
    {}

    Result<std::string> read(const onnx::TensorProto &tensor)
    {
        const std::string location = externalValue(tensor, "location");
        auto &file = m_files[location];
        if (!file) {
            auto opened = MappedFile::open(m_sourceDir + "/" + location);
            if (!opened)
                return opened.status().withContext("tensor '" + tensor.name() + "'");
            file = opened.value();
        }
        const std::string offsetText = externalValue(tensor, "offset");
        const std::string lengthText = externalValue(tensor, "length");
        const size_t offset = offsetText.empty() ? 0 : std::stoull(offsetText);
        const size_t length = lengthText.empty() ? file->size() - offset : std::stoull(lengthText);
        if (offset > file->size() || length > file->size() - offset)
            return invalidArgument("tensor '" + tensor.name() + "': external data past the end of '"
                                   + location + "'");
        const auto bytes = file->bytes().subspan(offset, length);
        return std::string(reinterpret_cast<const char *>(bytes.data()), bytes.size());
    }

private:
    std::string m_sourceDir;
    std::map<std::string, std::shared_ptr<const MappedFile>> m_files;
};

uint64_t externalBytes(const onnx::ModelProto &proto)
{
    uint64_t total = 0;
    forEachTensor(proto, [&](const onnx::TensorProto &tensor) {
        if (hasExternalData(tensor)) {
            const std::string length = externalValue(tensor, "length");
            total += length.empty() ? 0 : std::stoull(length);
        }
    });
    return total;
}

Status inlineExternalData(onnx::ModelProto &proto, ExternalReader &reader)
{
    Status status;
    forEachTensor(proto, [&](onnx::TensorProto &tensor) {
        if (!status.isOk() || !hasExternalData(tensor))
            return;
        auto bytes = reader.read(tensor);
        if (!bytes) {
            status = bytes.status();
            return;
        }
        tensor.set_raw_data(std::move(bytes.value()));
        tensor.clear_external_data();
        tensor.clear_data_location();
    });
    return status;
}

// Moves every large tensor's bytes into `dataPath` and points the tensor at them.
Status writeExternalData(onnx::ModelProto &proto, const std::string &dataPath,
                         const std::string &dataLocation, int64_t threshold, ExternalReader &reader)
{
    return writeFileAtomically(dataPath, [&](std::ostream &out) {
        uint64_t offset = 0;
        Status status;
        forEachTensor(proto, [&](onnx::TensorProto &tensor) {
            if (!status.isOk())
                return;
            std::string bytes;
            if (hasExternalData(tensor)) {
                auto read = reader.read(tensor);
                if (!read) {
                    status = read.status();
                    return;
                }
                bytes = std::move(read.value());
            } else if (static_cast<int64_t>(tensor.raw_data().size()) >= threshold) {
                bytes.swap(*tensor.mutable_raw_data());
            } else {
                return;
            }
            const uint64_t padding = (kDataAlignment - offset % kDataAlignment) % kDataAlignment;
            for (uint64_t i = 0; i < padding; ++i)
                out.put('\0');
            offset += padding;
            out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            tensor.clear_raw_data();
            tensor.clear_external_data();
            tensor.set_data_location(onnx::TensorProto::EXTERNAL);
            auto add = [&](const char *key, const std::string &value) {
                auto *entry = tensor.add_external_data();
                entry->set_key(key);
                entry->set_value(value);
            };
            add("location", dataLocation);
            add("offset", std::to_string(offset));
            add("length", std::to_string(bytes.size()));
            offset += bytes.size();
        });
        return status;
    });
}

} // namespace

Status saveModel(onnx::ModelProto proto, const std::string &path, const SaveOptions &options,
                 const std::string &sourceDir)
{
    ExternalReader reader(sourceDir.empty() ? "." : sourceDir);
    const uint64_t inlineSize = proto.ByteSizeLong() + externalBytes(proto);
    bool external = options.externalData == ExternalDataPolicy::Always;
    if (options.externalData == ExternalDataPolicy::Auto)
        external = inlineSize > kMaxInlineModelBytes;
    if (options.externalData == ExternalDataPolicy::Never && inlineSize > kMaxInlineModelBytes)
        return invalidArgument(path + ": the model needs " + std::to_string(inlineSize)
                               + " bytes, more than one protobuf file can hold (2 GB); save it "
                                 "with external data");

    const std::string dataLocation = std::filesystem::path(path).filename().string() + ".data";
    const std::string dataPath = path + ".data";
    const bool dataExisted = std::filesystem::exists(dataPath);
    if (external) {
        QS_RETURN_IF_ERROR(writeExternalData(proto, dataPath, dataLocation,
                                             options.externalThresholdBytes, reader));
    } else {
        QS_RETURN_IF_ERROR(inlineExternalData(proto, reader));
    }
    Status written = writeFileAtomically(path, [&](std::ostream &out) {
        if (!proto.SerializeToOstream(&out))
            return invalidArgument(path + ": protobuf could not serialize the model");
        return Status::ok();
    });
    if (!written.isOk() && external && !dataExisted)
        std::filesystem::remove(dataPath);
    return written;
}

} // namespace qs
