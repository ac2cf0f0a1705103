#pragma once
// Compares model variants with a reference: size on disk, latency, accuracy of every output over
// an evaluation set, and optionally the error of every float tensor both models compute
// ("per node": what tells a user which node to exclude). Results come back as one immutable
// Report (proto/quantscope.proto); report_io.h writes it as text, JSON or CSV. The report's
// diagnostics say where its figures mislead: outputs whose metric cannot see the error
// (output_sensitivity.h), latency too noisy to rank the variants (latency_noise.h).
#include "compare/external_runtime.h"
#include "compare/targets.h"
#include "quantscope.pb.h"
#include "util/progress.h"
#include "util/status.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

struct BenchSettings
{
    std::string reference;
    std::vector<std::string> variants;
    std::string dataDir; // empty: random inputs from the reference's signature
    quantscope::ImagePreprocessing preprocessing;
    int samples = 0; // 0: every sample of the folder, 4 random samples
    int warmup = 3;
    int iterations = 20;
    // The timed runs are split into this many rounds that visit the variants in turn; their
    // medians show how much the machine's load moved the figures (compare/latency_noise.h).
    int rounds = 5;
    int threads = 0;
    bool perNode = false;
    uint64_t seed = 0;
    // Sizes of symbolic input dims (`--dim SYMBOL=VALUE`), first in the samples' dims rule.
    std::map<std::string, int64_t> dimValues;
    // What each variant's verdict judges (`--target cosine>=0.99`); none: verdicts only summarise.
    std::vector<Target> targets;
    // Also time every variant in ONNX Runtime through this runner (compare/ort_comparison.h),
    // with the same threads, warm-up and iterations, on the first sample.
    std::optional<OrtRunner> ortRunner;
};

Result<quantscope::Report> runBenchmark(const BenchSettings &settings, Progress &progress);

// The phases runBenchmark announces (Progress::beginPhase), for a PhasedProgress.
struct BenchPhase
{
    static constexpr MessageId kLoading = MessageId::StepLoadingVariants;
    static constexpr MessageId kComparing = MessageId::StepComparingOutputs;
    static constexpr MessageId kTiming = MessageId::StepTiming;
    static constexpr MessageId kOrt = MessageId::StepTimingInOrt;
};
// The phases of runBenchmark(settings), weighted by the model runs each makes; `withOrt`: a runner
// will time the variants in ONNX Runtime too (settings.ortRunner may be found later).
std::vector<PhasedProgress::Phase> benchmarkPhases(const BenchSettings &settings, bool withOrt);

} // namespace qs
