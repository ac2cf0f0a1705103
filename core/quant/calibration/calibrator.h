#pragma once
// Calibration: runs the FP32 model over the samples of a source and keeps, for each requested
// activation, streaming statistics (range_collector.h) fed by the session's value observer. Only
// the requested tensors are kept, each in constant memory, and each sample's tensors are
// dropped as soon as the observer has seen them.
#include "data/sample_source.h"
#include "quant/calibration/range_collector.h"
#include "quantscope.pb.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace qs {

class Session;

struct CalibrationSettings
{
    quantscope::CalibrationMethod method = quantscope::CALIBRATION_METHOD_MINMAX;
    bool movingAverage = false;
    float averagingConstant = 0.01f;
    double percentile = 99.999;
    int bins = 2048;
    int quantizedBins = 128;
    bool symmetric = false; // symmetric activations: percentile cuts |x|
};

// Settings from a recipe's Calibration message, with the defaults above for unset fields.
CalibrationSettings calibrationSettings(const quantscope::Calibration &calibration,
                                        bool symmetricActivations);

struct CalibrationResult
{
    std::map<std::string, TensorRange> ranges;
    int64_t samples = 0;
    int64_t skippedFiles = 0;            // unusable items of the data folder (named in diagnostics)
    std::vector<Diagnostic> diagnostics; // skipped samples, tensors never seen
};

// The sample loop calibration and its relatives (calibration statistics, bias correction's
// input means) share: every sample of `source` runs through `session` (fusion off), each graph
// input and each produced tensor named in `names` goes to `observe` (one call at a time: kernels
// may run subgraphs on worker threads). Returns how many samples ran; none is an error naming
// the source. Progress: one unit per sample as `step`; cancellation per sample and per node.
using TensorObserver = std::function<void(const std::string &name, const Tensor &value)>;
Result<int64_t> observeSamples(const Session &session, SampleSource &source,
                               const std::set<std::string> &names, const TensorObserver &observe,
                               const Message &step, Progress &progress);

// `session` must be built with fusion off (SessionOptions::fuse = false) so that every value is
// observable. Progress: one unit per sample; cancellation is checked per sample and per node.
Result<CalibrationResult> calibrate(const Session &session, SampleSource &source,
                                    const std::set<std::string> &tensors,
                                    const CalibrationSettings &settings, Progress &progress);

} // namespace qs
