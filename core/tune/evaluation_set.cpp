#include "tune/evaluation_set.h"

#include "model/model.h"
#include "util/latency_stats.h"

#include <chrono>

namespace qs {

namespace {

// Evaluation data must not be the calibration data; a different seed keeps random inputs apart.
constexpr uint64_t kEvaluationSeed = 1;

} // namespace

Result<std::shared_ptr<const EvaluationSet>> EvaluationSet::load(
    std::shared_ptr<const Model> reference, const EvaluationSettings &settings, Progress &progress)
{
    auto set = std::make_shared<EvaluationSet>();
    set->m_settings = settings;
    auto session = Session::create(reference, sessionOptions(settings.threads, settings.dimValues),
                                   progress);
    if (!session)
        return session.status();
    SampleSourceSettings samples;
    samples.dataDir = settings.dataDir;
    samples.preprocessing = settings.preprocessing;
    samples.maxSamples = settings.maxSamples;
    samples.dimValues = settings.dimValues;
    samples.seed = kEvaluationSeed;
    auto source = openSampleSource(inputSpecs(**session), samples);
    if (!source)
        return source.status().withContext("evaluation data");
    set->m_description = (*source)->describe();
    if (settings.dataDir.empty())
        set->m_diagnostics.push_back(
            diagnosticOf(Severity::Warning,
                         makeMessage(MessageId::NoEvaluationFolder, {}, (*source)->description())));
    const Message what = makeMessage(MessageId::StepReferenceOutputsOn, {},
                                     (*source)->description());
    while (true) {
        if (progress.cancelled())
            return cancelled();
        auto sample = (*source)->next();
        if (!sample)
            return sample.status().withContext("evaluation data");
        if (!sample->has_value())
            break;
        auto outputs = (*session)->run((*sample)->inputs);
        if (!outputs)
            return outputs.status().withContext((*sample)->origin);
        set->m_samples.push_back(std::move(**sample));
        set->m_referenceOutputs.push_back(std::move(*outputs));
        progress.reportStep(int64_t(set->m_samples.size()), (*source)->count(), what);
    }
    if (set->m_samples.empty())
        return invalidArgument(set->m_description + ": no usable evaluation sample");
    for (const Diagnostic &skipped : (*source)->skipped())
        set->m_diagnostics.push_back(skipped);
    auto latency = set->medianLatencyMs(**session, progress);
    if (!latency)
        return latency.status();
    set->m_referenceLatencyMs = *latency;
    return std::shared_ptr<const EvaluationSet>(std::move(set));
}

Result<std::vector<quantscope::OutputAccuracy>> EvaluationSet::evaluate(
    const Session &session, const MetricRequests &requests, Progress &progress) const
{
    std::vector<AccuracyAccumulator> accumulators(m_referenceOutputs.front().size());
    RunOptions options;
    options.progress = &progress;
    for (size_t s = 0; s < m_samples.size(); ++s) {
        auto outputs = session.run(m_samples[s].inputs, options);
        if (!outputs)
            return outputs.status().withContext(m_samples[s].origin);
        const NamedTensors &expected = m_referenceOutputs[s];
        for (size_t o = 0; o < expected.size(); ++o) {
            const auto &[name, want] = expected[o];
            auto it = std::find_if(outputs->begin(), outputs->end(),
                                   [&wanted = name](const auto &output) {
                                       return output.first == wanted;
                                   });
            if (it == outputs->end())
                return invalidArgument("the quantized model has no output '" + name + "'");
            if (it->second.elementCount() != want.elementCount())
                return invalidArgument("output '" + name + "' is " + it->second.describe()
                                       + ", the reference's is " + want.describe());
            accumulators[o].add(want, it->second, looksLikeScores(want.shape()), requests);
        }
    }
    std::vector<quantscope::OutputAccuracy> result;
    for (size_t o = 0; o < accumulators.size(); ++o)
        result.push_back(accumulators[o].toProto(m_referenceOutputs.front()[o].first));
    return result;
}

Result<double> EvaluationSet::medianLatencyMs(const Session &session, Progress &progress) const
{
    if (m_settings.latencyMeter)
        return m_settings.latencyMeter(session);
    RunOptions options;
    options.progress = &progress;
    std::vector<double> times;
    for (int run = 0; run <= m_settings.latencyRuns; ++run) {
        const auto start = std::chrono::steady_clock::now();
        auto outputs = session.run(m_samples.front().inputs, options);
        if (!outputs)
            return outputs.status();
        const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now()
                                                                  - start;
        if (run > 0) // the first run warms caches and oneDNN's primitive cache
            times.push_back(elapsed.count());
    }
    return summarizeLatencies(std::move(times)).medianMs;
}

} // namespace qs
