#include "model/model.h"

#include "model/element_type.h"
#include "model/graph_index.h"
#include "model/model_checks.h"
#include "model/tensor_type.h"
#include "util/checked_math.h"

#include <onnx/onnx_pb.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace qs {

namespace {

void forEachTensorInGraph(onnx::GraphProto &graph,
                          const std::function<void(onnx::TensorProto &)> &visit)
{
    for (onnx::TensorProto &tensor : *graph.mutable_initializer())
        visit(tensor);
    for (onnx::NodeProto &node : *graph.mutable_node()) {
        for (onnx::AttributeProto &attribute : *node.mutable_attribute()) {
            if (attribute.has_t())
                visit(*attribute.mutable_t());
            for (onnx::TensorProto &tensor : *attribute.mutable_tensors())
                visit(tensor);
            if (attribute.has_g())
                forEachTensorInGraph(*attribute.mutable_g(), visit);
            for (onnx::GraphProto &subgraph : *attribute.mutable_graphs())
                forEachTensorInGraph(subgraph, visit);
        }
    }
}

// Parses a decimal field of external_data ("offset", "length").
bool parseSize(const std::string &text, size_t &out)
{
    const char *end = text.data() + text.size();
    auto [ptr, error] = std::from_chars(text.data(), end, out);
    return error == std::errc() && ptr == end;
}

// A location must stay inside the model's folder: ONNX defines it as relative, and honouring
// "../../etc/passwd" would let a model file read anything on the machine.
bool isSafeRelativeLocation(const std::string &location)
{
    const std::filesystem::path path(location);
    if (location.empty() || path.is_absolute())
        return false;
    for (const auto &part : path) {
        if (part == "..")
            return false;
    }
    return true;
}

// A symlink inside the folder can still point anywhere ("weights.bin -> /etc/shadow"), so the
// location, all links resolved, must also lie inside the folder, all links resolved. A file that
// does not exist passes here; opening it reports that.
bool resolvesInsideFolder(const std::string &baseDir, const std::string &location)
{
    std::error_code error;
    const auto folder = std::filesystem::canonical(baseDir, error);
    if (error)
        return false;
    const auto target = std::filesystem::weakly_canonical(folder / location, error);
    if (error)
        return false;
    auto [folderEnd, targetAt] = std::mismatch(folder.begin(), folder.end(), target.begin(),
                                               target.end());
    return folderEnd == folder.end() && targetAt != target.end();
}

Status checkParsed(const std::string &what, bool parsed, const onnx::ModelProto &proto)
{
    auto refused = [&what](MessageId why) {
        return Status(StatusCode::InvalidArgument, makeMessage(why)).withContext(what);
    };
    if (!parsed)
        return refused(MessageId::CorruptModel);
    if (!proto.has_graph())
        return refused(MessageId::ModelWithoutGraph);
    if (proto.ir_version() <= 0)
        return refused(MessageId::ModelWithoutIrVersion);
    return Status::ok();
}

Status parseModelFile(const std::string &path, onnx::ModelProto &proto, uint64_t &fileBytes)
{
    struct stat info
    {};
    if (::stat(path.c_str(), &info) != 0) {
        if (errno == ENOENT)
            return Status(StatusCode::NotFound, makeMessage(MessageId::NoSuchFile)).withContext(path);
        return invalidArgument(path + ": cannot read: " + std::strerror(errno));
    }
    auto refused = [&path](MessageId why) {
        return Status(StatusCode::InvalidArgument, makeMessage(why)).withContext(path);
    };
    if (S_ISDIR(info.st_mode))
        return refused(MessageId::DirectoryNotModel);
    if (!S_ISREG(info.st_mode))
        return refused(MessageId::NotRegularFile);
    if (info.st_size == 0)
        return refused(MessageId::EmptyModelFile);
    fileBytes = static_cast<uint64_t>(info.st_size);

    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return invalidArgument(path + ": cannot open: " + std::strerror(errno));
    // Parse from a small streaming buffer rather than a whole-file copy: peak memory stays near
    // the size of the parsed message itself.
    bool parsed = false;
    {
        google::protobuf::io::FileInputStream fileStream(fd, 1 << 20);
        google::protobuf::io::CodedInputStream coded(&fileStream);
        coded.SetTotalBytesLimit(INT_MAX);
        parsed = proto.ParseFromCodedStream(&coded) && coded.ConsumedEntireMessage();
    }
    ::close(fd);
    return checkParsed(path, parsed, proto);
}

} // namespace

void forEachTensor(onnx::ModelProto &model, const std::function<void(onnx::TensorProto &)> &visit)
{
    forEachTensorInGraph(*model.mutable_graph(), visit);
}

void forEachTensor(const onnx::ModelProto &model,
                   const std::function<void(const onnx::TensorProto &)> &visit)
{
    if (!model.has_graph())
        return;
    // The walk never modifies anything; sharing one traversal beats keeping two in step.
    forEachTensorInGraph(*const_cast<onnx::ModelProto &>(model).mutable_graph(),
                         [&](onnx::TensorProto &tensor) { visit(tensor); });
}

bool hasExternalData(const onnx::TensorProto &tensor)
{
    return tensor.data_location() == onnx::TensorProto::EXTERNAL;
}

Model::Model()
    : m_proto(std::make_unique<onnx::ModelProto>())
{}

Model::~Model() = default;

Result<std::shared_ptr<const Model>> Model::load(const std::string &path, Progress &progress)
{
    progress.reportStep(0, 4, makeMessage(MessageId::StepReadingFile, {path}));
    std::shared_ptr<Model> model(new Model);
    QS_RETURN_IF_ERROR(parseModelFile(path, *model->m_proto, model->m_fileBytes));
    model->m_path = path;
    model->m_baseDir = std::filesystem::path(path).parent_path().string();
    if (model->m_baseDir.empty())
        model->m_baseDir = ".";
    if (progress.cancelled())
        return cancelled();

    Status resolved = model->resolveExternalData();
    if (!resolved.isOk())
        return resolved.withContext(path);
    progress.reportStep(1, 4, makeMessage(MessageId::StepCheckingModel));
    model->runChecker();
    if (progress.cancelled())
        return cancelled();
    progress.reportStep(2, 4, makeMessage(MessageId::StepInferringShapes));
    model->inferShapes();
    if (progress.cancelled())
        return cancelled();
    progress.reportStep(3, 4, makeMessage(MessageId::StepIndexing));
    model->m_index = std::make_unique<GraphIndex>(
        GraphIndex::build(*model->m_proto, *model->m_annotated, model->m_diagnostics));
    progress.reportStep(4, 4, makeMessage(MessageId::StepLoaded));
    return std::shared_ptr<const Model>(std::move(model));
}

Result<std::shared_ptr<const Model>> Model::fromBytes(std::string_view bytes,
                                                      const std::string &baseDir,
                                                      Progress &progress)
{
    onnx::ModelProto proto;
    google::protobuf::io::CodedInputStream coded(reinterpret_cast<const uint8_t *>(bytes.data()),
                                                 static_cast<int>(
                                                     std::min<size_t>(bytes.size(), INT_MAX)));
    coded.SetTotalBytesLimit(INT_MAX);
    const bool parsed = bytes.size() <= INT_MAX && proto.ParseFromCodedStream(&coded)
                        && coded.ConsumedEntireMessage();
    QS_RETURN_IF_ERROR(checkParsed("model bytes", parsed, proto));
    return fromProto(std::move(proto), baseDir, progress);
}

Result<std::shared_ptr<const Model>> Model::fromProto(onnx::ModelProto proto,
                                                      const std::string &baseDir,
                                                      Progress &progress)
{
    std::shared_ptr<Model> model(new Model);
    *model->m_proto = std::move(proto);
    model->m_baseDir = baseDir.empty() ? "." : baseDir;
    if (!model->m_proto->has_graph())
        return Status(StatusCode::InvalidArgument, makeMessage(MessageId::ModelWithoutGraph));
    QS_RETURN_IF_ERROR(model->resolveExternalData());
    model->runChecker();
    model->inferShapes();
    if (progress.cancelled())
        return cancelled();
    model->m_index = std::make_unique<GraphIndex>(
        GraphIndex::build(*model->m_proto, *model->m_annotated, model->m_diagnostics));
    return std::shared_ptr<const Model>(std::move(model));
}

Status Model::resolveExternalData()
{
    std::map<std::string, std::shared_ptr<const MappedFile>> files;
    Status status;
    forEachTensor(std::as_const(*m_proto), [&](const onnx::TensorProto &tensor) {
        if (!status.isOk() || !hasExternalData(tensor))
            return;
        const std::string what = "tensor '" + tensor.name() + "'";
        std::string location;
        size_t offset = 0;
        std::optional<size_t> length;
        for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
            if (entry.key() == "location") {
                location = entry.value();
            } else if (entry.key() == "offset") {
                if (!parseSize(entry.value(), offset)) {
                    status = invalidArgument(what + ": external data offset '" + entry.value()
                                             + "' is not a number");
                    return;
                }
            } else if (entry.key() == "length") {
                size_t value = 0;
                if (!parseSize(entry.value(), value)) {
                    status = invalidArgument(what + ": external data length '" + entry.value()
                                             + "' is not a number");
                    return;
                }
                length = value;
            }
        }
        if (!isSafeRelativeLocation(location)) {
            status = invalidArgument(what + ": external data location '" + location
                                     + "' must be a relative path inside the model's folder");
            return;
        }
        if (!resolvesInsideFolder(m_baseDir, location)) {
            status = invalidArgument(what + ": external data location '" + location
                                     + "' leads outside the model's folder (through a symlink)");
            return;
        }
        auto &file = files[location];
        if (!file) {
            auto opened = MappedFile::open(m_baseDir + "/" + location);
            if (!opened) {
                status = Status(opened.status().code(), what + ": external data file '" + location
                                                            + "' cannot be read ("
                                                            + opened.status().message() + ")");
                return;
            }
            file = opened.value();
            m_fileBytes += file->size();
        }
        if (offset > file->size() || (length && *length > file->size() - offset)) {
            status = invalidArgument(what + ": external data at offset " + std::to_string(offset)
                                     + (length ? " + length " + std::to_string(*length) : "")
                                     + " is past the end of '" + location + "' ("
                                     + std::to_string(file->size()) + " bytes)");
            return;
        }
        const size_t sliceLength = length ? *length : file->size() - offset;
        const auto elements = TensorType::fromTensor(tensor).elementCount();
        const int64_t elementSize = elementByteSize(tensor.data_type());
        const int64_t needed = elements ? saturatingMultiply(*elements, elementSize) : 0;
        if (elements && elementSize > 0 && static_cast<uint64_t>(needed) != sliceLength) {
            status = invalidArgument(what + ": external data holds " + std::to_string(sliceLength)
                                     + " bytes but "
                                     + std::string(elementTypeName(tensor.data_type()))
                                     + TensorType::fromTensor(tensor).shapeString() + " needs "
                                     + std::to_string(needed));
            return;
        }
        m_externalSlices[&tensor] = ExternalSlice{file, offset, sliceLength};
    });
    return status;
}

void Model::runChecker()
{
    for (Diagnostic &finding : checkModel(*m_proto, m_baseDir))
        m_diagnostics.push_back(std::move(finding));
}

void Model::inferShapes()
{
    m_annotated = std::make_unique<onnx::ModelProto>();
    for (Diagnostic &finding : inferShapesInto(*m_proto, *m_annotated))
        m_diagnostics.push_back(std::move(finding));
}

int Model::opsetVersion(const std::string &domain) const
{
    const bool isDefault = domain.empty() || domain == "ai.onnx";
    for (const onnx::OperatorSetIdProto &opset : m_proto->opset_import()) {
        const bool matches = isDefault ? (opset.domain().empty() || opset.domain() == "ai.onnx")
                                       : opset.domain() == domain;
        if (matches)
            return static_cast<int>(opset.version());
    }
    return 0;
}

std::span<const std::byte> Model::rawBytes(const onnx::TensorProto &tensor) const
{
    if (hasExternalData(tensor)) {
        auto it = m_externalSlices.find(&tensor);
        if (it == m_externalSlices.end())
            return {};
        return it->second.file->bytes().subspan(it->second.offset, it->second.length);
    }
    const std::string &raw = tensor.raw_data();
    return {reinterpret_cast<const std::byte *>(raw.data()), raw.size()};
}

} // namespace qs
