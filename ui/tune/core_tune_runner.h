#pragma once
// The INT8 tune run: core/tune's runTune (leave-one-out sensitivity, greedy fallback and
// pruning, and / or the recipe grid) behind the page's TuneRunner interface. Each TrialResult
// becomes a TrialPoint (the target metric's value, the engine's median latency, the model's
// size, the effective recipe Apply loads), each NodeSensitivity a bar (its gain: what keeping
// that node float buys). The best trial's model is saved beside the input as
// "<model>_tuned.onnx", so Apply can add it as a variant for Compare.
//
// TuneRouter picks the run by the starting recipe's mode: FP16 -> Fp16TuneRunner, INT8 -> this.

#include "tune_runner.h"

#include <QCoreApplication>

namespace qs::ui {

class CoreTuneRunner : public TuneRunner
{
    Q_DECLARE_TR_FUNCTIONS(qs::ui::CoreTuneRunner)

public:
    TuneRunOutcome run(const TuneRequest &request, const TuneRunCallbacks &callbacks,
                       Progress &progress) const override;

    // "<dir>/<model base name>_tuned.onnx"
    static QString tunedModelPath(const QString &modelPath);
};

class TuneRouter : public TuneRunner
{
public:
    TuneRunOutcome run(const TuneRequest &request, const TuneRunCallbacks &callbacks,
                       Progress &progress) const override;
};

} // namespace qs::ui
