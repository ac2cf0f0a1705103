#include "tune/trial_log.h"

#include <algorithm>
#include <cmath>

namespace qs {

TrialLog::TrialLog(const TrialRunner &runner, const TuneSettings &settings,
                   const TuneCallbacks &callbacks, Progress &progress)
    : m_runner(runner)
    , m_settings(settings)
    , m_callbacks(callbacks)
    , m_progress(progress)
    , m_saved(settings.resumeFrom ? SavedTrials(*settings.resumeFrom) : SavedTrials())
    , m_start(std::chrono::steady_clock::now())
{}

double TrialLog::elapsedSeconds() const
{
    return m_saved.seconds()
           + std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

bool TrialLog::stopped() const
{
    return m_budgetExhausted || m_progress.cancelled();
}

bool TrialLog::better(const TrialResult &candidate, const TrialResult &incumbent) const
{
    // An untimed trial (sensitivity) is a measurement, not a result: a timed one beats it, so
    // that the best trial always has a latency (the baseline is timed).
    const bool candidateTimed = candidate.proto.latency_ms() > 0;
    if (candidateTimed != (incumbent.proto.latency_ms() > 0))
        return candidateTimed;
    const bool candidateMeets = candidate.proto.meets_targets();
    if (candidateMeets != incumbent.proto.meets_targets())
        return candidateMeets;
    const double a = candidate.proto.latency_ms(), b = incumbent.proto.latency_ms();
    if (candidateMeets) {
        // Both meet: the fastest; within timing noise (5%, or 0.05 ms on tiny models) the one
        // keeping fewer nodes float.
        if (std::abs(a - b) > std::max(0.05 * std::max(a, b), 0.05))
            return a < b;
        const int nodesA = candidate.proto.nodes_kept_float_size();
        const int nodesB = incumbent.proto.nodes_kept_float_size();
        return nodesA != nodesB ? nodesA < nodesB : a < b;
    }
    if (candidate.score != incumbent.score)
        return candidate.score > incumbent.score;
    // Equal in everything: the earlier trial (the incumbent) stays, so that the same figures
    // always give the same best.
    return a < b;
}

Result<std::optional<TrialResult>> TrialLog::run(const TrialRequest &request)
{
    if (m_progress.cancelled())
        return std::optional<TrialResult>();
    const bool outOfTrials = m_settings.maxTrials > 0
                             && int(m_trials.size()) >= m_settings.maxTrials;
    const bool outOfTime = m_settings.maxSeconds > 0 && elapsedSeconds() >= m_settings.maxSeconds;
    if (outOfTrials || outOfTime) {
        m_budgetExhausted = true;
        return std::optional<TrialResult>();
    }
    const int index = int(m_trials.size());
    const int64_t total = m_settings.maxTrials > 0 ? m_settings.maxTrials : 0;
    m_progress.reportStep(index, total,
                          makeMessage(MessageId::StepTrial,
                                      {std::to_string(index + 1),
                                       quantscope::TrialKind_Name(request.kind).substr(11)}));
    auto trial = measureOrReplay(index, request);
    if (!trial)
        return trial.status();
    m_trials.push_back(*trial);
    TrialResult &stored = m_trials.back();
    if (m_best < 0 || better(stored, m_trials[size_t(m_best)])) {
        if (!stored.quantized) {
            // A replayed trial has figures only; the best one's model is written at the end and
            // the fallback search starts from it.
            auto quantized = m_runner.quantize(request);
            if (!quantized)
                return quantized.status().withContext("trial " + std::to_string(index + 1)
                                                      + " of the saved run");
            stored.quantized = std::make_shared<const QuantizeResult>(std::move(*quantized));
            trial->quantized = stored.quantized;
        }
        if (m_best >= 0)
            m_trials[size_t(m_best)].quantized.reset();
        m_best = index;
    } else {
        stored.quantized.reset();
    }
    if (m_callbacks.onTrial)
        m_callbacks.onTrial(stored);
    return std::optional<TrialResult>(std::move(*trial));
}

Result<TrialResult> TrialLog::measureOrReplay(int index, const TrialRequest &request)
{
    const std::string digest = requestDigest(request);
    if (const quantscope::TuneTrial *saved = m_saved.find(digest)) {
        ++m_resumed;
        return m_runner.replay(index, *saved);
    }
    auto trial = m_runner.run(index, request, m_progress);
    if (trial)
        trial->proto.set_request(digest);
    return trial;
}

} // namespace qs
