#include "data/sample_source.h"

#include "data/folder_sources.h"
#include "data/image_decoder.h"
#include "data/random_inputs.h"
#include "runtime/session.h"

#include <algorithm>
#include <filesystem>
#include <random>

namespace qs {

namespace fs = std::filesystem;

namespace {

class RandomSource : public SampleSource
{
public:
    RandomSource(std::vector<InputSpec> inputs, int64_t count, uint64_t seed)
        : m_inputs(std::move(inputs))
        , m_count(count)
        , m_seed(seed)
    {
        for (InputSpec &input : m_inputs)
            std::replace(input.shape.begin(), input.shape.end(), int64_t(-1), int64_t(1));
    }

    std::string describe() const override
    {
        return std::to_string(m_count) + " random samples (seed " + std::to_string(m_seed) + ")";
    }
    int64_t count() const override { return m_count; }
    void rewind() override { m_next = 0; }

    Result<std::optional<Sample>> next() override
    {
        if (m_next >= m_count)
            return std::optional<Sample>();
        // A generator per sample, seeded from its index: sample k is the same whether it is
        // reached in the first pass or after a rewind.
        std::mt19937_64 generator(m_seed + uint64_t(m_next));
        Sample sample;
        sample.origin = "random #" + std::to_string(m_next);
        for (const InputSpec &input : m_inputs) {
            auto tensor = randomTensor(input.type, input.shape, generator);
            if (!tensor)
                return tensor.status().withContext("input '" + input.name + "'");
            sample.inputs.emplace(input.name, std::move(tensor).value());
        }
        ++m_next;
        return std::optional<Sample>(std::move(sample));
    }

private:
    std::vector<InputSpec> m_inputs;
    int64_t m_count = 0;
    uint64_t m_seed = 0;
    int64_t m_next = 0;
};

bool isTensorFile(const fs::path &path)
{
    return path.extension() == ".npy" || path.extension() == ".pb";
}

// Backend-test folders keep the expected outputs beside the inputs; they are not samples.
bool isExpectedOutputFile(const fs::path &path)
{
    return backendTestIndex(path.filename().string(), "output_").has_value();
}

struct FolderListing
{
    std::vector<std::string> images;
    std::vector<std::string> tensorFiles;
    std::vector<std::string> subFolders;
    size_t entries = 0; // everything but hidden entries, usable or not
};

Result<FolderListing> listFolder(const std::string &dir)
{
    std::error_code error;
    if (!fs::exists(dir, error))
        return notFound(dir + ": no such folder");
    if (!fs::is_directory(dir, error))
        return invalidArgument(dir + ": not a folder");
    FolderListing listing;
    fs::directory_iterator it(dir, error);
    for (; !error && it != fs::directory_iterator(); it.increment(error)) {
        const fs::path &path = it->path();
        // Hidden entries are editor, OS or VCS bookkeeping (.DS_Store, .git), never data.
        if (path.filename().string().starts_with("."))
            continue;
        ++listing.entries;
        std::error_code typeError;
        if (it->is_directory(typeError))
            listing.subFolders.push_back(path.string());
        else if (isImageFile(path.string()))
            listing.images.push_back(path.string());
        else if (isTensorFile(path) && !isExpectedOutputFile(path))
            listing.tensorFiles.push_back(path.string());
    }
    if (error)
        return invalidArgument(dir + ": cannot list the folder (" + error.message() + ")");
    // Sorted by name so that runs, maxSamples and reports pick the same samples everywhere.
    std::sort(listing.images.begin(), listing.images.end());
    std::sort(listing.tensorFiles.begin(), listing.tensorFiles.end());
    std::sort(listing.subFolders.begin(), listing.subFolders.end());
    return listing;
}

} // namespace

std::vector<InputSpec> inputSpecs(const Session &session)
{
    std::vector<InputSpec> specs;
    for (size_t index = 0; index < session.inputs().size(); ++index) {
        const GraphProgram::Value &value = session.inputs()[index];
        specs.push_back({value.name, static_cast<DType>(value.type.elementType),
                         session.concreteInputShape(index)});
    }
    return specs;
}

Result<std::unique_ptr<SampleSource>> openDataFolder(const std::string &dir,
                                                     const std::vector<InputSpec> &inputs,
                                                     const quantscope::ImagePreprocessing &prep,
                                                     int64_t maxSamples)
{
    auto listing = listFolder(dir);
    if (!listing)
        return listing.status();
    if (listing->entries == 0)
        return invalidArgument(dir + ": the folder is empty");
    if (inputs.empty())
        return invalidArgument(dir + ": the model has no inputs to feed");
    // Images win over tensor files so that a folder of photos with a stray labels.npy still
    // reads as images; sub-folders count only when nothing else is at the top level.
    if (!listing->images.empty())
        return openImageFolder(dir, std::move(listing->images), inputs, prep, maxSamples);
    if (!listing->tensorFiles.empty())
        return openTensorFileFolder(dir, std::move(listing->tensorFiles), inputs, maxSamples);
    if (!listing->subFolders.empty())
        return openSampleFolders(dir, std::move(listing->subFolders), inputs, maxSamples);
    std::string extensions;
    for (const std::string &extension : imageExtensions())
        extensions += (extensions.empty() ? "" : ", ") + extension;
    return invalidArgument(dir + ": holds no images (" + extensions +
                           "), .npy/.pb tensor files or sample sub-folders");
}

std::unique_ptr<SampleSource> randomSource(const std::vector<InputSpec> &inputs, int64_t count,
                                           uint64_t seed)
{
    return std::make_unique<RandomSource>(inputs, count, seed);
}

} // namespace qs
