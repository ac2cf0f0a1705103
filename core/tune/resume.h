#pragma once
// Resuming a search from its saved TuneRun (OUT.tune.textproto, `tune --resume`). The search is
// deterministic given its trials' figures, so a resumed run asks for the same trials in the same
// order; each one the saved run measured is read back (its figures judged again against the
// targets) instead of being quantized, evaluated and timed, and the search goes on past them.
// A saved trial is found by a digest of the request it answered. The model, the starting recipe,
// the evaluation samples, the targets and the thread count must be the saved run's: figures
// measured on anything else would steer the search wrongly, so a mismatch is refused by name.
#include "tune.pb.h"
#include "tune/trial.h"
#include "util/status.h"

#include <map>
#include <string>

namespace qs {

class Model;
class EvaluationSet;

Result<quantscope::TuneRun> loadTuneRun(const std::string &path);

// 64-bit digests in hex: of the model's bytes, of the evaluation samples' input tensors, and of
// what a trial asks for (its kind, node, kept nodes, recipe, whether it is timed).
std::string modelDigest(const Model &model);
std::string evaluationDigest(const EvaluationSet &evaluation);
std::string requestDigest(const TrialRequest &request);

// Ok when `saved` was made on what `header` describes (model, start recipe, evaluation data and
// samples, targets, threads, mode); else InvalidArgument naming the first difference.
Status checkResumable(const quantscope::TuneRun &saved, const quantscope::TuneRun &header);

// The saved trials by request digest; the latest wins when one was asked twice.
class SavedTrials
{
public:
    SavedTrials() = default;
    explicit SavedTrials(const quantscope::TuneRun &saved);
    const quantscope::TuneTrial *find(const std::string &request) const;
    double seconds() const { return m_seconds; }
    bool empty() const { return m_byRequest.empty(); }

private:
    std::map<std::string, quantscope::TuneTrial> m_byRequest;
    double m_seconds = 0;
};

} // namespace qs
