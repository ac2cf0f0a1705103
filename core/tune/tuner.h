#pragma once
// Accuracy-aware quantization (issue 17): from a starting recipe, find the nodes to keep in float
// and / or the recipe that meets the user's targets on held-out data, and the fastest such
// result. The pieces, in the order data flows:
//   evaluation_set  held-out samples and the FP32 reference's outputs and latency, once;
//   quant's collectCalibrationStatistics  one calibration pass for every trial (static mode);
//   trial           recipe -> quantized model -> session -> metrics, latency, size (a value);
//   trial_log       the budget (trials, seconds), cancellation, streaming, the best so far;
//   fallback_search leave-one-out sensitivity, greedy fallback from the worst node (16-bit
//                   activations before float when asked), pruning;
//   resume          a saved run's trials read back instead of measured again;
//   recipe_search   calibration method x per-channel x symmetric activations x op-type sets.
// Depends on quant, compare, data, runtime; nothing in core depends on it.
#include "compare/targets.h"
#include "quant/quantizer.h"
#include "tune.pb.h"
#include "tune/evaluation_set.h"
#include "tune/trial.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace qs {

class Model;

struct TuneSettings
{
    // The starting point: mode, calibration data and preprocessing, op types, exclusions.
    quantscope::Recipe startRecipe;
    std::vector<Target> targets; // a conjunction; at least one accuracy target
    quantscope::TuneSearch search = quantscope::TUNE_SEARCH_FALLBACK;
    int maxTrials = 0;             // 0: no limit
    double maxSeconds = 0;         // 0: no limit
    EvaluationSettings evaluation; // threads: every session of the run, the reference's too
    bool prune = true;
    // Static QDQ: the fallback tries a node with 16-bit activations (A16W8, opset 21) before
    // keeping it float, so that the model stays integer where that is enough.
    bool sixteenBitFallback = false;
    // Resume this saved run (loadTuneRun): its trials are read back instead of measured again.
    // It must have been made on the same model, starting recipe, evaluation samples, targets and
    // thread count (checkResumable); the budget counts its trials and seconds.
    std::shared_ptr<const quantscope::TuneRun> resumeFrom;
};

// Called on the tuning thread as soon as a result is measured.
struct TuneCallbacks
{
    std::function<void(const TrialResult &)> onTrial;
    std::function<void(const quantscope::NodeSensitivity &)> onSensitivity;
};

struct TuneOutcome
{
    quantscope::TuneRun run; // every trial, the sensitivity, the best trial, targets_met
    // The best trial's quantized model and effective recipe (kept float nodes included); null
    // when no trial ran.
    std::shared_ptr<const QuantizeResult> best;
    std::vector<Diagnostic> diagnostics; // evaluation data, calibration, skipped recipes
};

// FP16 mode runs the block-list search (fp16_tune.h) instead of fallback and recipe search.
// Errors: bad settings (no accuracy target), data that cannot be opened, a baseline
// that fails. Cancellation and an exhausted budget are not errors: the outcome says so and holds
// the best so far.
Result<TuneOutcome> runTune(std::shared_ptr<const Model> model, const TuneSettings &settings,
                            const TuneCallbacks &callbacks, Progress &progress);

// "<output without .onnx>.tune.textproto"
std::string tuneRunPathFor(const std::string &outputPath);
// Atomic (temporary file + rename), protobuf text format.
Status saveTuneRun(const quantscope::TuneRun &run, const std::string &path);

} // namespace qs
