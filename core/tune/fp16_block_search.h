#pragma once
// FP16 mixed precision: the smallest node_block_list that keeps a float16 model within the
// user's accuracy target (issue 17). The search itself is a pure algorithm over an oracle
// ("does converting with this block list meet the target?"), so it is tested with synthetic
// oracles; searchFp16BlockList builds the real oracle from convertToFloat16 and the engine.
//
// How it searches, cheapest certainty first:
//   1. Nodes whose FP32 outputs cannot be held in float16 (max |x| > 65504, or every nonzero
//      value below float16's smallest normal) are blocked up front: no trial is needed to know.
//   2. If the target still fails, bisection over contiguous node ranges in graph order, as
//      onnxconverter-common's auto_mixed_precision does: the largest undecided segment is tried
//      in float16 (with every segment already known good); a failing segment is split, a failing
//      single node stays blocked. Ranges guide it: nodes close to float16's limits start as
//      segments of their own (one trial each instead of failing every segment around them), and
//      of two halves or two equal segments the one with the smaller activations goes first.
//   3. Minimality: each entry of the list is removed in turn and the removal kept when the target
//      still holds, repeated until a pass removes nothing, so that removing any single entry of
//      the result breaks the target (for the oracle's samples).
// Oracle answers are cached per block list, so no list is converted twice.

#include "data/sample_source.h"
#include "quantscope.pb.h"
#include "runtime/session.h"
#include "util/progress.h"
#include "util/status.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qs {

class Model;

// A node the conversion would put in float16, with the largest magnitude its outputs reached in
// the FP32 run over the evaluation samples.
struct Fp16Candidate
{
    std::string node; // display name
    std::string opType;
    double maxAbs = 0.0;    // over all its float outputs and samples; 0 when never observed
    bool observed = false;  // some output was seen (subgraph values may not be)
    bool underflow = false; // nonzero values, all below float16's smallest normal
};

// Float16's limits as the search uses them.
constexpr double kFloat16Max = 65504.0;
constexpr double kFloat16MinNormal = 6.103515625e-05;

// Outputs that float16 cannot hold at all: blocked before any trial.
bool exceedsFloat16(const Fp16Candidate &candidate);

// What the engine's oracle measured for one block list (worst output over the samples).
struct Fp16Measurement
{
    bool met = false;
    bool finite = true; // false: an output overflowed (the metrics are then meaningless)
    double worstCosine = 0.0;
    double worstSqnrDb = 0.0;
    int64_t modelBytes = 0; // the converted model's serialized size
    double latencyMs = 0.0; // median of 3 runs of sample 0 as the engine deploys FP16 (lowered)
};

struct Fp16Trial
{
    std::vector<std::string> blockList; // in graph order
    bool met = false;
    std::string stage; // "overflow", "all blocked", "bisection", "minimality"
    std::optional<Fp16Measurement> measurement; // from the engine's oracle only
};

struct Fp16BlockSearchOptions
{
    int maxTrials = 0;     // 0: no limit; when reached, the best list known so far is returned
    double maxSeconds = 0; // the same for wall time, checked before each trial
    // Nodes whose max |x| exceeds this fraction of float16's range start as their own segment.
    double riskyFraction = 1.0 / 16.0;
    std::function<void(const Fp16Trial &)> onTrial; // called after each oracle call
};

struct Fp16BlockSearchResult
{
    std::vector<std::string> blockList; // in graph order; meets the target when `met`
    bool met = false;                   // false: not even blocking every candidate met it
    bool complete = true;               // false: the trial budget ended the search early
    int oracleCalls = 0;
    std::vector<std::string> overflowBlocked; // step 1's nodes
    std::vector<Fp16Trial> trials;            // every oracle call, in order
};

using Fp16Oracle = std::function<Result<bool>(const std::vector<std::string> &blockList)>;

// The search over `candidates` (graph order). Errors: the oracle's, or cancelled.
Result<Fp16BlockSearchResult> searchFp16BlockList(const std::vector<Fp16Candidate> &candidates,
                                                  const Fp16Oracle &meetsTarget,
                                                  const Fp16BlockSearchOptions &options,
                                                  Progress &progress);

// The nodes that converting `model` with `start` puts in float16 (start's block lists and the
// converter's own rules decide), in graph order, with their ranges from one FP32 run per sample
// (fusion off, so every value is observed).
Result<std::vector<Fp16Candidate>> fp16Candidates(std::shared_ptr<const Model> model,
                                                  const quantscope::Fp16Options &start,
                                                  const std::vector<Sample> &samples,
                                                  Progress &progress);

// Met when every output reaches both bounds over all samples and no output has NaN or infinity.
struct Fp16Target
{
    double minCosine = 0.99;
    double minSqnrDb = -1e300; // unused by default
};

// The converted model's accuracy against `references` (one NamedTensors per sample, the FP32
// model's outputs) on `samples`, in real float16 arithmetic: the session's kernels take float16
// operands (SessionOptions::float16InFloat32 off), because a lowered session computes in float32
// and would never see an intermediate value overflow.
Result<Fp16Measurement> measureFp16(std::shared_ptr<const Model> model,
                                    const quantscope::Fp16Options &options,
                                    const std::vector<Sample> &samples,
                                    const std::vector<NamedTensors> &references,
                                    const Fp16Target &target, Progress &progress);
// measureFp16's verdict alone, without the latency runs.
Result<bool> meetsFp16Target(std::shared_ptr<const Model> model,
                             const quantscope::Fp16Options &options,
                             const std::vector<Sample> &samples,
                             const std::vector<NamedTensors> &references, const Fp16Target &target,
                             Progress &progress);

// The whole search on a model: candidates, an oracle that converts with `start` plus the trial's
// block list and checks `target` (measureFp16: each trial carries its measurement). The result's blockList is what to add to start's
// node_block_list (a Recipe's fp16.node_block_list).
Result<Fp16BlockSearchResult> searchFp16BlockList(
    std::shared_ptr<const Model> model, const quantscope::Fp16Options &start,
    const std::vector<Sample> &samples, const std::vector<NamedTensors> &references,
    const Fp16Target &target, const Fp16BlockSearchOptions &options, Progress &progress);

} // namespace qs
