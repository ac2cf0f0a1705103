#pragma once
// The tune run this build has: FP16 mixed precision (core/tune/fp16_block_search.h). It takes
// the evaluation folder's samples (or random ones), the FP32 model's outputs on them, and
// searches the smallest node_block_list that keeps the target (output cosine or SQNR), every
// trial reported with its worst cosine/SQNR, latency and size. Other modes say that their
// search comes with core/tune's trial runner.

#include "tune_runner.h"

#include <QCoreApplication>

namespace qs::ui {

class Fp16TuneRunner : public TuneRunner
{
    Q_DECLARE_TR_FUNCTIONS(qs::ui::Fp16TuneRunner)

public:
    // Evaluation samples taken from the folder at most (the search runs each per trial).
    static constexpr int kMaxSamples = 16;

    TuneRunOutcome run(const TuneRequest &request, const TuneRunCallbacks &callbacks,
                       Progress &progress) const override;
};

} // namespace qs::ui
