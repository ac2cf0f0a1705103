#pragma once
// Calibration and evaluation data: where the samples fed to a model come from. A source yields
// one sample (a tensor per model input) at a time, so calibration memory does not grow with the
// number of samples. Sources: a folder the user picks (images, .npy, TensorProto .pb, the
// backend tests' test_data_set_*/input_N.pb layout, a sub-folder per sample for multi-input
// models) and random tensors from the model's signature. openSampleSource picks one and sizes
// dynamic dims by the one rule written above it; the other openers are its parts.
#include "quantscope.pb.h"
#include "tensor/tensor.h"
#include "util/diagnostic.h"
#include "util/status.h"
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qs {

class Session;
struct ValueRef;

// One model input as the data must match it: dims of -1 are free (dynamic).
struct InputSpec
{
    std::string name;
    DType type = DType::Float32;
    Shape shape;
    // Per axis, the dim's name in the model ("batch", "height") when it is symbolic; empty
    // otherwise, or when the whole list is. Names let openSampleSource take the user's values
    // and say which value is missing.
    std::vector<std::string> symbols = {};
    bool hasShape = true; // false: the model declares no shape (rank unknown), any tensor fits
};

// The inputs of a session, with symbolic dims resolved from its dimValues where given.
std::vector<InputSpec> inputSpecs(const Session &session);
// The inputs as a model declares them (GraphIndex's main graph inputs): symbolic dims are -1.
std::vector<InputSpec> inputSpecs(const std::vector<ValueRef> &declared);

// The symbols that random data can size only from the user's values (--dim SYMBOL=VALUE): by
// openSampleSource's rule, those on no batch axis and on no image height/width axis (the image
// size gives those) of any input. In the order they first appear.
std::vector<std::string> symbolsNeedingDimValues(const std::vector<InputSpec> &inputs,
                                                 quantscope::TensorLayout layout);

// "input 'x' (float32[batch,3,h,w])": the input as the model declares it, symbol names and all.
std::string describeInput(const InputSpec &input);

struct Sample
{
    std::string origin; // the file or folder it came from, or "random #3"
    std::map<std::string, Tensor> inputs;
};

class SampleSource
{
public:
    virtual ~SampleSource() = default;
    // "120 images in /data/calib", for progress and reports: coded, so the GUI words it in
    // its language; describe() is the English.
    virtual Message description() const = 0;
    std::string describe() const { return englishText(description()); }
    // How many samples next() will try to yield (an upper bound: unusable items are skipped).
    virtual int64_t count() const = 0;
    // The next usable sample, std::nullopt after the last. Items that cannot be used but do not
    // stop the work (a corrupt image) are skipped and recorded in skipped(); an item that shows
    // the data does not fit the model (a .npy of the wrong shape) is an error naming the file and
    // the expected shape.
    virtual Result<std::optional<Sample>> next() = 0;
    // Back to the first sample (evaluation runs the same samples through every model variant).
    virtual void rewind() = 0;
    // One warning per skipped item, "FILE: why", for the first kMaxNamedSkips of them, then one
    // saying how many more: a folder of 100,000 broken files must not become 100,000 messages.
    std::vector<Diagnostic> skipped() const;
    // Every item skipped since the last rewind, named or not.
    int64_t skippedCount() const { return m_skippedCount; }

    static constexpr size_t kMaxNamedSkips = 20;

protected:
    // Records that `item` (a file or folder) is not used, and why.
    void skip(const std::string &item, Message reason);
    void clearSkipped();

private:
    std::vector<Diagnostic> m_skipped;
    int64_t m_skippedCount = 0;
};

// "3 files skipped" for summaries; empty when none was.
std::string skippedSummary(int64_t skippedCount);

// Where samples come from and what the user said about the inputs' sizes.
struct SampleSourceSettings
{
    std::string dataDir; // a folder of samples (openDataFolder); empty: random tensors
    // How images become tensors; its height/width also size random image inputs (below).
    quantscope::ImagePreprocessing preprocessing;
    // Folder: at most this many samples, 0 = all. Random: this many, 0 = the default count.
    int64_t maxSamples = 0;
    uint64_t seed = 0; // random tensors only: the same seed gives the same samples
    // The user's values for symbolic dims (`--dim SYMBOL=VALUE`), as SessionOptions::dimValues.
    std::map<std::string, int64_t> dimValues;
    // Whole shapes the user gave for named inputs (`run --shape NAME=D1xD2...`).
    std::map<std::string, Shape> inputShapes;
};

inline constexpr int64_t kDefaultRandomSampleCount = 4;

// The one way quantize (calibration), bench (evaluation) and run (its --random inputs) open
// their samples, and tune is to, so that all feed the same tensors for the same model and
// settings.
//
// The size of a dynamic dim (-1 in `inputs`; fixed dims are the model's and never change) comes
// from the first of these that gives one:
//   1. The user: an input named in settings.inputShapes takes that whole shape (it must keep
//      the model's rank and fixed dims); a dim whose symbol is in settings.dimValues takes that
//      value. Samples from a data folder must then match them.
//   2. A data folder's samples: a tensor file brings its own shape, batch included; an image is
//      one sample of batch 1 whose height and width are the model's or, when dynamic, those of
//      settings.preprocessing (ImageDecoder: an error naming the input when it has none).
//   3. For random data, the dim's symbol or position. A symbol has one size on every input
//      that uses it (a mask beside its image), the size the first dim named by it gets from its
//      position:
//      - dim 0 is the batch: 1, each sample is batch 1;
//      - the height and width of an image input (4-D float; axes 2, 3 in NCHW or 1, 2 in NHWC
//        as settings.preprocessing.layout says) are preprocessing.height and width, when set.
//      Random values follow random_inputs.h: non-float inputs (token ids) get integers in
//      [0, kRandomIntegerBound).
//   4. Nothing: an error naming the input, its shape with symbol names, the dim and its fixes:
//      a data folder, an image size (image height/width only), --dim SYMBOL=N (or, for a dim
//      without a name, --shape NAME=D1xD2...).
Result<std::unique_ptr<SampleSource>> openSampleSource(const std::vector<InputSpec> &inputs,
                                                       const SampleSourceSettings &settings);

// The most entries openDataFolder lists in a folder. The listing (names only, sorted so that
// every run picks the same samples) costs ~100 bytes an entry, 100 MB at this cap; nothing is
// read before next() asks for it, and next() stops at maxSamples.
inline constexpr size_t kMaxDataFolderEntries = 1'000'000;

// Opens `dir`. `maxSamples` 0 means every sample. Errors: the folder does not exist, is empty, or
// holds nothing usable for these inputs (message names the folder and what it expected).
// Images need `inputs` to have exactly one 4-D float input; its H and W come from the model or,
// when dynamic, from preprocessing.height/width (an error naming the input when neither is set).
Result<std::unique_ptr<SampleSource>> openDataFolder(const std::string &dir,
                                                     const std::vector<InputSpec> &inputs,
                                                     const quantscope::ImagePreprocessing &prep,
                                                     int64_t maxSamples);

// `count` samples of random tensors (as random_inputs.h makes them), reproducible from `seed`.
// Every dim must be known: openSampleSource resolves them; a -1 makes next() fail.
std::unique_ptr<SampleSource> randomSource(const std::vector<InputSpec> &inputs, int64_t count,
                                           uint64_t seed);

} // namespace qs
