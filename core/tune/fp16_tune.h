#pragma once
// `tune --mode fp16`: the FP16 block-list search (fp16_block_search.h) run as a tune, so the CLI
// and the TuneRun file treat it like the INT8 searches: each block list tried is a trial
// (TRIAL_KIND_FP16) with its accuracy, latency and size, the smallest list meeting the target is
// the best trial, and its model is converted once more at the end for the output.
#include "tune/tuner.h"

namespace qs {

class EvaluationSet;

// `evaluation`: the held-out samples and the FP32 reference's outputs (runTune loaded them);
// `header`: the run's settings as runTune wrote them, completed here.
// Targets: cosine and/or sqnr (the search measures those); others are refused by name.
Result<TuneOutcome> runFp16Tune(std::shared_ptr<const Model> model, const TuneSettings &settings,
                                const EvaluationSet &evaluation, const quantscope::TuneRun &header,
                                const TuneCallbacks &callbacks, Progress &progress);

} // namespace qs
