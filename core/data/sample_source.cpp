#include "data/sample_source.h"

#include "data/folder_sources.h"
#include "data/image_decoder.h"
#include "data/random_inputs.h"
#include "model/graph_index.h"
#include "runtime/session.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <random>
#include <set>
#include <utility>

namespace qs {

namespace fs = std::filesystem;

std::vector<Diagnostic> SampleSource::skipped() const
{
    std::vector<Diagnostic> all = m_skipped;
    const int64_t unnamed = m_skippedCount - int64_t(m_skipped.size());
    if (unnamed > 0)
        all.push_back(
            diagnosticOf(Severity::Warning,
                         makeMessage(MessageId::MoreSkipped,
                                     {std::to_string(unnamed), std::to_string(m_skippedCount)})));
    return all;
}

void SampleSource::skip(const std::string &item, Message reason)
{
    ++m_skippedCount;
    if (m_skipped.size() < kMaxNamedSkips)
        m_skipped.push_back(diagnosticOf(Severity::Warning, makeMessage(MessageId::SampleSkipped,
                                                                        {item}, std::move(reason))));
}

void SampleSource::clearSkipped()
{
    m_skipped.clear();
    m_skippedCount = 0;
}

std::string skippedSummary(int64_t skippedCount)
{
    if (skippedCount <= 0)
        return {};
    return std::to_string(skippedCount) + (skippedCount == 1 ? " file" : " files") + " skipped";
}

namespace {

class RandomSource : public SampleSource
{
public:
    RandomSource(std::vector<InputSpec> inputs, int64_t count, uint64_t seed)
        : m_inputs(std::move(inputs))
        , m_count(count)
        , m_seed(seed)
    {}

    Message description() const override
    {
        return makeMessage(MessageId::DataRandomSamples,
                           {std::to_string(m_count), std::to_string(m_seed)});
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
        if (++listing.entries > kMaxDataFolderEntries)
            return invalidArgument(dir + ": holds more than " + std::to_string(kMaxDataFolderEntries)
                                   + " entries; calibration and evaluation read a sample of the "
                                     "data: copy the files to use to a folder of their own");
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

const std::string &symbolOf(const InputSpec &input, size_t axis)
{
    static const std::string unnamed;
    return axis < input.symbols.size() ? input.symbols[axis] : unnamed;
}

// A shape the user gave must be one the model accepts: same rank, same fixed dims.
Status checkGivenShape(const InputSpec &input, const Shape &given)
{
    bool fits = std::all_of(given.begin(), given.end(), [](int64_t dim) { return dim >= 0; });
    if (input.hasShape) {
        fits = fits && given.size() == input.shape.size();
        for (size_t axis = 0; fits && axis < given.size(); ++axis)
            fits = input.shape[axis] < 0 || input.shape[axis] == given[axis];
    }
    if (!fits)
        return invalidArgument(describeInput(input) + ": the given shape " + shapeToString(given)
                               + " does not fit it");
    return Status::ok();
}

// Rule 1 of openSampleSource: the user's shapes and symbol values.
Status applyUserSizes(std::vector<InputSpec> &inputs, const SampleSourceSettings &settings)
{
    for (const auto &[name, shape] : settings.inputShapes) {
        auto input
            = std::find_if(inputs.begin(), inputs.end(),
                           [&wanted = name](const InputSpec &spec) { return spec.name == wanted; });
        if (input == inputs.end())
            return invalidArgument("a shape is given for input '" + name
                                   + "', but the model has no such input (it has "
                                   + inputNames(inputs) + ")");
        QS_RETURN_IF_ERROR(checkGivenShape(*input, shape));
        input->shape = shape;
        input->hasShape = true;
    }
    for (InputSpec &input : inputs) {
        for (size_t axis = 0; axis < input.shape.size(); ++axis) {
            const std::string &symbol = symbolOf(input, axis);
            const auto given = settings.dimValues.find(symbol);
            if (input.shape[axis] < 0 && !symbol.empty() && given != settings.dimValues.end())
                input.shape[axis] = given->second;
        }
    }
    return Status::ok();
}

// The height and width axes of an image input (4-D float) in the preprocessing's layout.
std::optional<std::pair<size_t, size_t>> imageSizeAxes(const InputSpec &input,
                                                       const quantscope::ImagePreprocessing &prep)
{
    if (input.shape.size() != 4 || !isFloatingDType(input.type))
        return std::nullopt;
    if (prep.layout() == quantscope::TENSOR_LAYOUT_NHWC)
        return std::pair<size_t, size_t>(1, 2);
    return std::pair<size_t, size_t>(2, 3);
}

// Rule 3's size for `axis` by its position alone, -1 when the position says nothing.
int64_t sizeByPosition(const InputSpec &input, size_t axis,
                       const quantscope::ImagePreprocessing &prep)
{
    if (axis == 0)
        return 1;
    const auto image = imageSizeAxes(input, prep);
    if (image && axis == image->first && prep.height() > 0)
        return prep.height();
    if (image && axis == image->second && prep.width() > 0)
        return prep.width();
    return -1;
}

// Rule 4: names the input, the dim and the fixes that apply to it.
Status unresolvedDim(const InputSpec &input, size_t axis, const quantscope::ImagePreprocessing &prep)
{
    const std::string &symbol = symbolOf(input, axis);
    std::string advice = "give a data folder";
    const auto image = imageSizeAxes(input, prep);
    if (image && (axis == image->first || axis == image->second))
        advice += ", an image size (--image-size HxW),";
    // --dim needs a name; a dim without one can only come with the whole shape.
    advice += symbol.empty() ? " or the input's shape (--shape " + input.name + "=D1xD2...)"
                             : " or --dim " + symbol + "=N";
    return invalidArgument(describeInput(input) + ": dim " + std::to_string(axis)
                           + (symbol.empty() ? "" : " ('" + symbol + "')")
                           + " is dynamic and random data has no size for it; " + advice);
}

// Rule 3 of openSampleSource: every dim known, or the error of rule 4.
Status resolveRandomSizes(std::vector<InputSpec> &inputs, const quantscope::ImagePreprocessing &prep)
{
    // A symbol's size from the first place whose position gives one, so that inputs sharing a
    // symbol (a mask beside its image) get the same size.
    std::map<std::string, int64_t> symbolSizes;
    for (const InputSpec &input : inputs) {
        for (size_t axis = 0; axis < input.shape.size(); ++axis) {
            const std::string &symbol = symbolOf(input, axis);
            const int64_t size = sizeByPosition(input, axis, prep);
            if (input.shape[axis] < 0 && !symbol.empty() && size >= 0)
                symbolSizes.emplace(symbol, size);
        }
    }
    for (InputSpec &input : inputs) {
        if (!input.hasShape)
            return invalidArgument(describeInput(input)
                                   + ": random data needs the rank; give a data folder or the "
                                     "input's shape (--shape "
                                   + input.name + "=D1xD2...)");
        Shape shape = input.shape;
        for (size_t axis = 0; axis < shape.size(); ++axis) {
            if (shape[axis] >= 0)
                continue;
            const auto shared = symbolSizes.find(symbolOf(input, axis));
            shape[axis] = shared != symbolSizes.end() ? shared->second
                                                      : sizeByPosition(input, axis, prep);
            if (shape[axis] < 0)
                return unresolvedDim(input, axis, prep);
        }
        input.shape = std::move(shape);
    }
    return Status::ok();
}

} // namespace

namespace {

InputSpec specOf(const std::string &name, const TensorType &type, Shape shape)
{
    InputSpec spec{name, static_cast<DType>(type.elementType), std::move(shape)};
    for (const Dim &dim : type.dims)
        spec.symbols.push_back(dim.isKnown() ? std::string() : dim.symbol);
    spec.hasShape = type.hasShape;
    return spec;
}

} // namespace

std::vector<InputSpec> inputSpecs(const std::vector<ValueRef> &declared)
{
    std::vector<InputSpec> specs;
    for (const ValueRef &input : declared) {
        Shape shape;
        for (const Dim &dim : input.type.dims)
            shape.push_back(dim.isKnown() ? dim.value : -1);
        specs.push_back(specOf(input.name, input.type, std::move(shape)));
    }
    return specs;
}

std::vector<std::string> symbolsNeedingDimValues(const std::vector<InputSpec> &inputs,
                                                 quantscope::TensorLayout layout)
{
    // Rule 3 with an image size given: what it still cannot size needs --dim.
    quantscope::ImagePreprocessing prep;
    prep.set_layout(layout);
    prep.set_height(1);
    prep.set_width(1);
    std::set<std::string> sized;
    for (const InputSpec &input : inputs) {
        for (size_t axis = 0; axis < input.shape.size(); ++axis) {
            if (sizeByPosition(input, axis, prep) >= 0)
                sized.insert(symbolOf(input, axis));
        }
    }
    std::vector<std::string> needed;
    for (const InputSpec &input : inputs) {
        for (size_t axis = 0; axis < input.shape.size(); ++axis) {
            const std::string &symbol = symbolOf(input, axis);
            if (input.shape[axis] < 0 && !symbol.empty() && !sized.count(symbol)
                && std::find(needed.begin(), needed.end(), symbol) == needed.end())
                needed.push_back(symbol);
        }
    }
    return needed;
}

std::vector<InputSpec> inputSpecs(const Session &session)
{
    std::vector<InputSpec> specs;
    for (size_t index = 0; index < session.inputs().size(); ++index) {
        const GraphProgram::Value &value = session.inputs()[index];
        specs.push_back(specOf(value.name, value.type, session.concreteInputShape(index)));
    }
    return specs;
}

std::string describeInput(const InputSpec &input)
{
    std::string shape;
    for (size_t axis = 0; axis < input.shape.size(); ++axis) {
        const std::string &symbol = symbolOf(input, axis);
        const int64_t dim = input.shape[axis];
        shape += (axis ? "," : "")
                 + (!symbol.empty() ? symbol
                    : dim >= 0      ? std::to_string(dim)
                                    : std::string("?"));
    }
    return "input '" + input.name + "' (" + dtypeName(input.type)
           + (input.hasShape ? "[" + shape + "]" : ", shape unknown") + ")";
}

Result<std::unique_ptr<SampleSource>> openSampleSource(const std::vector<InputSpec> &inputs,
                                                       const SampleSourceSettings &settings)
{
    std::vector<InputSpec> resolved = inputs;
    QS_RETURN_IF_ERROR(applyUserSizes(resolved, settings));
    if (!settings.dataDir.empty())
        return openDataFolder(settings.dataDir, resolved, settings.preprocessing,
                              settings.maxSamples);
    QS_RETURN_IF_ERROR(resolveRandomSizes(resolved, settings.preprocessing));
    return randomSource(resolved,
                        settings.maxSamples > 0 ? settings.maxSamples : kDefaultRandomSampleCount,
                        settings.seed);
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
    return invalidArgument(dir + ": holds no images (" + extensions
                           + "), .npy/.pb tensor files or sample sub-folders");
}

std::unique_ptr<SampleSource> randomSource(const std::vector<InputSpec> &inputs, int64_t count,
                                           uint64_t seed)
{
    return std::make_unique<RandomSource>(inputs, count, seed);
}

} // namespace qs
