#pragma once
// The trials of one search, in order, with the budget that stops it (trials, wall seconds), the
// user's cancel, the callbacks that stream each result, and the best trial so far: the fastest
// one meeting every target, else the most accurate (highest score). Only the best trial keeps its
// quantized model; the others keep their figures. A resumed run (resume.h) reads each trial the
// saved run measured instead of running it; the budget counts the saved run's trials and
// seconds too, so that a resumed run stops where one uninterrupted run would have.
#include "tune/resume.h"
#include "tune/trial.h"
#include "tune/tuner.h"

#include <chrono>
#include <optional>
#include <vector>

namespace qs {

class TrialLog
{
public:
    TrialLog(const TrialRunner &runner, const TuneSettings &settings,
             const TuneCallbacks &callbacks, Progress &progress);

    // Runs the next trial (or reads it from the saved run), or returns nullopt without running
    // it when the budget is spent or the user cancelled (stopped() then says true).
    Result<std::optional<TrialResult>> run(const TrialRequest &request);
    bool stopped() const;
    bool budgetExhausted() const { return m_budgetExhausted; }
    bool cancelled() const { return m_progress.cancelled(); }

    const std::vector<TrialResult> &trials() const { return m_trials; }
    int bestIndex() const { return m_best; } // -1 before the first trial
    const TrialResult *best() const { return m_best < 0 ? nullptr : &m_trials[size_t(m_best)]; }
    const TrialRunner &runner() const { return m_runner; }
    const TuneCallbacks &callbacks() const { return m_callbacks; }
    double elapsedSeconds() const; // the saved run's seconds included
    int resumedTrials() const { return m_resumed; }

private:
    bool better(const TrialResult &candidate, const TrialResult &incumbent) const;
    Result<TrialResult> measureOrReplay(int index, const TrialRequest &request);

    const TrialRunner &m_runner;
    const TuneSettings &m_settings;
    // A copy: callers pass `{}` for no callbacks, a temporary a reference would outlive (ASan's
    // stack-use-after-scope in the pruning test).
    const TuneCallbacks m_callbacks;
    Progress &m_progress;
    const SavedTrials m_saved;
    std::chrono::steady_clock::time_point m_start;
    std::vector<TrialResult> m_trials;
    int m_best = -1;
    bool m_budgetExhausted = false;
    int m_resumed = 0;
};

} // namespace qs
