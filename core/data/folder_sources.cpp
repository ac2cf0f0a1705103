#include "data/folder_sources.h"

#include "data/image_decoder.h"
#include "tensor/tensor_io.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace qs {

namespace fs = std::filesystem;

namespace {

std::string inputLabel(const InputSpec &input)
{
    return "input '" + input.name + "' " + shapeToString(input.shape);
}

// The reader's messages start with the path, which the skip names already.
std::string withoutPrefix(const std::string &message, const std::string &path)
{
    const std::string prefix = path + ": ";
    return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

// Why `path` cannot be read as a file, or nothing. Checked before opening: a FIFO named
// x.png would block the reader forever, and a file removed since the listing, or a broken
// link, says so more plainly than the decoder would.
std::optional<Message> notAFile(const std::string &path)
{
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (status.type() == fs::file_type::not_found)
        return makeMessage(fs::is_symlink(fs::symlink_status(path, error)) ? MessageId::BrokenLink
                                                                           : MessageId::FileGone);
    if (error)
        return makeMessage(MessageId::CannotStatFile, {error.message()});
    if (status.type() != fs::file_type::regular)
        return makeMessage(MessageId::NotRegularFile);
    return std::nullopt;
}

// A list of items (files or folders) read one per next(); maxSamples caps the samples yielded.
class ListSource : public SampleSource
{
public:
    ListSource(std::string dir, std::vector<std::string> items, int64_t maxSamples, MessageId kind)
        : m_dir(std::move(dir))
        , m_items(std::move(items))
        , m_maxSamples(maxSamples)
        , m_kind(kind)
    {}

    Message description() const override
    {
        const std::string found = std::to_string(m_items.size());
        if (count() < int64_t(m_items.size()))
            return makeMessage(MessageId::DataSomeItemsIn, {std::to_string(count()), found, m_dir},
                               makeMessage(m_kind));
        return makeMessage(MessageId::DataItemsIn, {found, m_dir}, makeMessage(m_kind));
    }

    int64_t count() const override
    {
        const int64_t size = int64_t(m_items.size());
        return m_maxSamples > 0 ? std::min(size, m_maxSamples) : size;
    }

    void rewind() override
    {
        m_next = 0;
        m_yielded = 0;
        // A second pass skips the same items again; keeping the first pass's warnings would
        // list each of them twice.
        clearSkipped();
    }

protected:
    bool done() const
    {
        return m_next >= m_items.size() || (m_maxSamples > 0 && m_yielded >= m_maxSamples);
    }

    // The end of the items: nothing more, or an error when every item was skipped (calibrating
    // on nothing would only fail later, less clearly).
    Result<std::optional<Sample>> end(const std::string &usable) const
    {
        if (m_yielded == 0 && skippedCount() > 0)
            return invalidArgument("no usable " + usable + " in " + m_dir + " ("
                                   + skippedSummary(skippedCount())
                                   + ", the first: " + skipped().front().message + ")");
        return std::optional<Sample>();
    }

    std::string m_dir;
    std::vector<std::string> m_items;
    int64_t m_maxSamples = 0;
    MessageId m_kind;
    size_t m_next = 0;
    int64_t m_yielded = 0;
};

class ImageFolderSource : public ListSource
{
public:
    ImageFolderSource(std::string dir, std::vector<std::string> files, int64_t maxSamples,
                      std::string inputName, ImageDecoder decoder)
        : ListSource(std::move(dir), std::move(files), maxSamples, MessageId::DataKindImages)
        , m_inputName(std::move(inputName))
        , m_decoder(std::move(decoder))
    {}

    Result<std::optional<Sample>> next() override
    {
        while (!done()) {
            const std::string &path = m_items[m_next++];
            if (const auto reason = notAFile(path)) {
                skip(path, *reason);
                continue;
            }
            Result<Tensor> tensor = m_decoder.decode(path);
            if (!tensor) {
                skip(path, makeMessage(MessageId::CannotDecodeImage, {tensor.status().message()}));
                continue;
            }
            ++m_yielded;
            Sample sample;
            sample.origin = path;
            sample.inputs.emplace(m_inputName, std::move(tensor).value());
            return std::optional<Sample>(std::move(sample));
        }
        return end("image");
    }

private:
    std::string m_inputName;
    ImageDecoder m_decoder;
};

class TensorFileSource : public ListSource
{
public:
    TensorFileSource(std::string dir, std::vector<std::string> files, int64_t maxSamples,
                     InputSpec input)
        : ListSource(std::move(dir), std::move(files), maxSamples, MessageId::DataKindTensorFiles)
        , m_input(std::move(input))
    {}

    // A file that cannot be read (removed meanwhile, truncated, not a tensor) is skipped like a
    // corrupt image; one that reads but does not fit the input says the data is not for this
    // model, and is an error.
    Result<std::optional<Sample>> next() override
    {
        while (!done()) {
            const std::string &path = m_items[m_next++];
            if (const auto reason = notAFile(path)) {
                skip(path, *reason);
                continue;
            }
            Result<Tensor> tensor = readTensorFile(path);
            if (!tensor) {
                skip(path, makeMessage(MessageId::CannotReadTensorFile,
                                       {withoutPrefix(tensor.status().message(), path)}));
                continue;
            }
            QS_RETURN_IF_ERROR(checkTensorFits(path, *tensor, m_input));
            ++m_yielded;
            Sample sample;
            sample.origin = path;
            sample.inputs.emplace(m_input.name, std::move(tensor).value());
            return std::optional<Sample>(std::move(sample));
        }
        return end("tensor file");
    }

private:
    InputSpec m_input;
};

class SampleFolderSource : public ListSource
{
public:
    SampleFolderSource(std::string dir, std::vector<std::string> folders, int64_t maxSamples,
                       std::vector<InputSpec> inputs)
        : ListSource(std::move(dir), std::move(folders), maxSamples, MessageId::DataKindFolders)
        , m_inputs(std::move(inputs))
    {}

    Result<std::optional<Sample>> next() override
    {
        if (done())
            return std::optional<Sample>();
        const std::string &folder = m_items[m_next++];
        auto inputs = readSampleFolder(folder, m_inputs);
        if (!inputs)
            return inputs.status();
        ++m_yielded;
        Sample sample;
        sample.origin = folder;
        sample.inputs = std::move(inputs).value();
        return std::optional<Sample>(std::move(sample));
    }

private:
    std::vector<InputSpec> m_inputs;
};

struct NamedTensor
{
    std::string name; // the TensorProto's name field; empty for .npy
    Tensor tensor;
};

Result<NamedTensor> readNamedTensorFile(const std::string &path)
{
    if (fs::path(path).extension() != ".pb") {
        auto tensor = readTensorFile(path);
        if (!tensor)
            return tensor.status();
        return NamedTensor{{}, std::move(tensor).value()};
    }
    // Parsed here rather than through readTensorProtoFile, which drops the name field.
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return notFound(path + ": cannot open the file");
    onnx::TensorProto proto;
    if (!proto.ParseFromIstream(&in))
        return invalidArgument(path + ": not a serialized ONNX TensorProto");
    auto tensor = tensorFromProto(proto);
    if (!tensor)
        return tensor.status().withContext(path);
    // The tensor may view the proto's raw_data, which dies with this function.
    return NamedTensor{proto.name(), tensor->clone()};
}

// input_<N>.pb / input_<N>.npy in `folder`, sorted by N.
std::vector<std::pair<size_t, std::string>> indexedInputFiles(const std::string &folder)
{
    std::vector<std::pair<size_t, std::string>> files;
    std::error_code error;
    for (const auto &entry : fs::directory_iterator(folder, error)) {
        const auto index = backendTestIndex(entry.path().filename().string(), "input_");
        if (index && entry.is_regular_file(error))
            files.emplace_back(*index, entry.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

std::string inputNames(const std::vector<InputSpec> &inputs)
{
    std::string names;
    for (const InputSpec &input : inputs)
        names += (names.empty() ? "" : ", ") + input.name;
    return names;
}

std::optional<size_t> backendTestIndex(const std::string &fileName, std::string_view prefix)
{
    const std::string_view name = fileName;
    if (!name.starts_with(prefix))
        return std::nullopt;
    const size_t dot = name.find('.', prefix.size());
    if (dot == std::string_view::npos || dot == prefix.size())
        return std::nullopt;
    const std::string_view extension = name.substr(dot);
    if (extension != ".pb" && extension != ".npy")
        return std::nullopt;
    size_t index = 0;
    for (char digit : name.substr(prefix.size(), dot - prefix.size())) {
        if (digit < '0' || digit > '9' || index > 1'000'000)
            return std::nullopt;
        index = index * 10 + size_t(digit - '0');
    }
    return index;
}

Status checkTensorFits(const std::string &file, const Tensor &tensor, const InputSpec &input)
{
    if (input.type != DType::Undefined && tensor.dtype() != input.type)
        return invalidArgument(file + ": type " + dtypeName(tensor.dtype())
                               + " does not match input '" + input.name + "' "
                               + dtypeName(input.type));
    if (!input.hasShape)
        return Status::ok();
    bool fits = tensor.rank() == int64_t(input.shape.size());
    for (size_t axis = 0; fits && axis < input.shape.size(); ++axis)
        fits = input.shape[axis] < 0 || input.shape[axis] == tensor.shape()[axis];
    if (!fits)
        return invalidArgument(file + ": shape " + shapeToString(tensor.shape())
                               + " does not match " + inputLabel(input));
    return Status::ok();
}

Result<std::map<std::string, Tensor>> readSampleFolder(const std::string &folder,
                                                       const std::vector<InputSpec> &inputs)
{
    std::map<std::string, Tensor> found;
    std::error_code error;
    for (const InputSpec &input : inputs) {
        for (const char *extension : {".npy", ".pb"}) {
            const std::string path = (fs::path(folder) / (input.name + extension)).string();
            if (!fs::is_regular_file(path, error))
                continue;
            auto tensor = readTensorFile(path);
            if (!tensor)
                return tensor.status();
            QS_RETURN_IF_ERROR(checkTensorFits(path, *tensor, input));
            found.emplace(input.name, std::move(tensor).value());
            break;
        }
    }
    if (found.size() < inputs.size()) {
        for (const auto &[index, path] : indexedInputFiles(folder)) {
            auto named = readNamedTensorFile(path);
            if (!named)
                return named.status();
            // The name field is more reliable than the position when the exporter wrote it.
            auto input = std::find_if(inputs.begin(), inputs.end(), [&](const InputSpec &spec) {
                return spec.name == named->name;
            });
            if (input == inputs.end() && index < inputs.size())
                input = inputs.begin() + std::ptrdiff_t(index);
            if (input == inputs.end() || found.count(input->name))
                continue; // a file named after the input wins over input_N
            QS_RETURN_IF_ERROR(checkTensorFits(path, named->tensor, *input));
            found.emplace(input->name, std::move(named->tensor));
        }
    }
    for (size_t index = 0; index < inputs.size(); ++index) {
        const std::string &name = inputs[index].name;
        if (!found.count(name))
            return invalidArgument(folder + ": no data for input '" + name + "' (expected " + name
                                   + ".npy, " + name + ".pb or input_" + std::to_string(index)
                                   + ".pb)");
    }
    return found;
}

Result<std::unique_ptr<SampleSource>> openImageFolder(const std::string &dir,
                                                      std::vector<std::string> files,
                                                      const std::vector<InputSpec> &inputs,
                                                      const quantscope::ImagePreprocessing &prep,
                                                      int64_t maxSamples)
{
    if (inputs.size() != 1)
        return invalidArgument(dir
                               + " holds images, which feed a model with exactly one 4-D "
                                 "float input; this model has "
                               + std::to_string(inputs.size()) + " (" + inputNames(inputs) + ")");
    auto decoder = ImageDecoder::create(inputs.front(), prep);
    if (!decoder)
        return decoder.status().withContext(dir + " holds images");
    return std::unique_ptr<SampleSource>(
        std::make_unique<ImageFolderSource>(dir, std::move(files), maxSamples, inputs.front().name,
                                            std::move(decoder).value()));
}

Result<std::unique_ptr<SampleSource>> openTensorFileFolder(const std::string &dir,
                                                           std::vector<std::string> files,
                                                           const std::vector<InputSpec> &inputs,
                                                           int64_t maxSamples)
{
    if (inputs.size() != 1)
        return invalidArgument(dir
                               + ": .npy/.pb files directly in the folder feed a single-input "
                                 "model; this model has "
                               + std::to_string(inputs.size()) + " inputs (" + inputNames(inputs)
                               + "): put each sample's files in a sub-folder, named after the "
                                 "inputs");
    return std::unique_ptr<SampleSource>(
        std::make_unique<TensorFileSource>(dir, std::move(files), maxSamples, inputs.front()));
}

Result<std::unique_ptr<SampleSource>> openSampleFolders(const std::string &dir,
                                                        std::vector<std::string> folders,
                                                        const std::vector<InputSpec> &inputs,
                                                        int64_t maxSamples)
{
    return std::unique_ptr<SampleSource>(
        std::make_unique<SampleFolderSource>(dir, std::move(folders), maxSamples, inputs));
}

} // namespace qs
