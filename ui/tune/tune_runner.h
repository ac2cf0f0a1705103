#pragma once
// What the Tune page asks of a tune run, as an interface so that the page does not depend on
// how a run searches: the request (model, starting recipe, target, evaluation folder, budget),
// callbacks the run makes on its worker thread as each trial or sensitivity figure is measured,
// and the outcome. The page moves every callback to the GUI thread itself.
//
// The owner gives the page its runner (the main window: Fp16TuneRunner; tests: synthetic ones);
// core/tune's runTune (INT8 fallback and recipe search) plugs in as another implementation,
// its TrialResult / NodeSensitivity callbacks turned into TrialPoint / SensitivityPoint. The
// names carry "Run" so they do not read like core's qs::TuneCallbacks / qs::TuneOutcome.
// Without a runner, Start stays disabled and says why.

#include "quantscope.pb.h"
#include "tune_trials.h"
#include "util/progress.h"

#include <QString>

#include <functional>
#include <memory>

namespace qs {
class Model;
}

namespace qs::ui {

struct TuneRequest
{
    std::shared_ptr<const Model> model;
    QString modelPath;
    quantscope::Recipe start; // the Quantize page's recipe: the search starts from it
    QString evaluationFolder; // empty: random inputs (the run warns)
    QString metric;           // "cosine", "sqnr", "top1", "iou@0.3"
    double threshold = 0.99;
    int budgetTrials = 0;                        // 0: no limit
    int budgetSeconds = 0;                       // 0: no limit
    QString search = QStringLiteral("fallback"); // INT8: "fallback", "recipes", "both"
};

// Called on the worker thread, in the order the figures are measured.
struct TuneRunCallbacks
{
    std::function<void(const TrialPoint &)> trial;
    std::function<void(const SensitivityPoint &)> sensitivity;
};

struct TuneRunOutcome
{
    bool met = false;
    int bestTrial = -1;    // index among the reported trials; -1 when none meets the target
    QString summary;       // one sentence for the status line
    QString error;         // non-empty when the run failed
    QString bestModelPath; // the best trial's model, when the run saved it
    bool cancelled = false;
};

class TuneRunner
{
public:
    virtual ~TuneRunner() = default;
    virtual TuneRunOutcome run(const TuneRequest &request, const TuneRunCallbacks &callbacks,
                               Progress &progress) const = 0;
};

} // namespace qs::ui
