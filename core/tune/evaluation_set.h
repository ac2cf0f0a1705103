#pragma once
// The evaluation side of a tuning run: the held-out samples (an evaluation folder, never the
// calibration one; random inputs with a warning when there is none), loaded once and kept, the
// FP32 reference's outputs on them computed once, and the reference's latency measured once in
// this process with the thread count every trial uses. evaluate() scores a candidate's session
// against those references.
#include "compare/accuracy.h"
#include "data/sample_source.h"
#include "quantscope.pb.h"
#include "runtime/session.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace qs {

class Model;

struct EvaluationSettings
{
    std::string dataDir; // empty: random inputs (a warning says so)
    quantscope::ImagePreprocessing preprocessing;
    int64_t maxSamples = 0; // 0: every sample of the folder, the default count of random ones
    std::map<std::string, int64_t> dimValues;
    int threads = 0;
    int latencyRuns = 5; // timed runs per model (median), after one warm-up
    // How a model's latency is measured, in ms; empty: the median wall time of latencyRuns runs
    // on the first sample. The tuning tests give a fixed figure: which of two trials that both
    // meet the targets is best must not depend on the machine's load while the tests run.
    std::function<double(const Session &)> latencyMeter;
};

class EvaluationSet
{
public:
    static Result<std::shared_ptr<const EvaluationSet>> load(std::shared_ptr<const Model> reference,
                                                             const EvaluationSettings &settings,
                                                             Progress &progress);

    // Every output of `session` against the reference's, over all samples, worst first in the
    // reference's output order; `requests`: the top-k and IoU figures the targets need.
    Result<std::vector<quantscope::OutputAccuracy>> evaluate(const Session &session,
                                                             const MetricRequests &requests,
                                                             Progress &progress) const;

    // Median wall time of `session` on the first sample (one warm-up run first).
    Result<double> medianLatencyMs(const Session &session, Progress &progress) const;

    size_t size() const { return m_samples.size(); }
    const std::vector<Sample> &samples() const { return m_samples; }
    // Per sample, the reference's outputs in its output order.
    const std::vector<NamedTensors> &referenceOutputs() const { return m_referenceOutputs; }
    const std::string &description() const { return m_description; }
    double referenceLatencyMs() const { return m_referenceLatencyMs; }
    int threads() const { return m_settings.threads; }
    const std::vector<Diagnostic> &diagnostics() const { return m_diagnostics; }

private:
    EvaluationSettings m_settings;
    std::vector<Sample> m_samples;
    std::vector<NamedTensors> m_referenceOutputs; // per sample, in the reference's output order
    std::string m_description;
    double m_referenceLatencyMs = 0;
    std::vector<Diagnostic> m_diagnostics;
};

} // namespace qs
