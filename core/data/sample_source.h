#pragma once
// Calibration and evaluation data: where the samples fed to a model come from. A source yields
// one sample (a tensor per model input) at a time, so calibration memory does not grow with the
// number of samples. Sources: a folder the user picks (images, .npy, TensorProto .pb, the
// backend tests' test_data_set_*/input_N.pb layout, a sub-folder per sample for multi-input
// models) and random tensors from the model's signature.
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

// One model input as the data must match it: dims of -1 are free (dynamic).
struct InputSpec
{
    std::string name;
    DType type = DType::Float32;
    Shape shape;
};

// The inputs of a session, with symbolic dims resolved from its dimValues where given.
std::vector<InputSpec> inputSpecs(const Session &session);

struct Sample
{
    std::string origin; // the file or folder it came from, or "random #3"
    std::map<std::string, Tensor> inputs;
};

class SampleSource
{
public:
    virtual ~SampleSource() = default;
    // "120 images in /data/calib", for progress and reports.
    virtual std::string describe() const = 0;
    // How many samples next() will try to yield (an upper bound: unusable items are skipped).
    virtual int64_t count() const = 0;
    // The next usable sample, std::nullopt after the last. Items that cannot be used but do not
    // stop the work (a corrupt image) are skipped and recorded in skipped(); an item that shows
    // the data does not fit the model (a .npy of the wrong shape) is an error naming the file and
    // the expected shape.
    virtual Result<std::optional<Sample>> next() = 0;
    // Back to the first sample (evaluation runs the same samples through every model variant).
    virtual void rewind() = 0;
    const std::vector<Diagnostic> &skipped() const { return m_skipped; }

protected:
    std::vector<Diagnostic> m_skipped;
};

// Opens `dir`. `maxSamples` 0 means every sample. Errors: the folder does not exist, is empty, or
// holds nothing usable for these inputs (message names the folder and what it expected).
// Images need `inputs` to have exactly one 4-D float input; its H and W come from the model or,
// when dynamic, from preprocessing.height/width (an error naming the input when neither is set).
Result<std::unique_ptr<SampleSource>> openDataFolder(const std::string &dir,
                                                     const std::vector<InputSpec> &inputs,
                                                     const quantscope::ImagePreprocessing &prep,
                                                     int64_t maxSamples);

// `count` samples of random tensors (as random_inputs.h makes them), reproducible from `seed`.
// Dims still -1 become 1: resolve them in `inputs` first for another size.
std::unique_ptr<SampleSource> randomSource(const std::vector<InputSpec> &inputs, int64_t count,
                                           uint64_t seed);

} // namespace qs
