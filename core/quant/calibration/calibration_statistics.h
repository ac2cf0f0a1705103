#pragma once
// Calibration once, ranges for any method (issue 17: a tuning trial must not recalibrate). One
// pass over the calibration samples keeps, per tensor, each sample's finite min/max (MinMax, with
// or without a moving average, is replayed from them exactly) and a histogram (Percentile at any
// percentile, symmetric or not, and Entropy at any number of quantized bins). rangesFor then gives
// what calibrate() would have given for those settings, without running the model again.
//
// quantizeModel takes the statistics through QuantizeSettings; they also keep the prepared model
// they were collected on, so every trial quantizes the same graph (tensor names stay stable).
#include "data/sample_source.h"
#include "quant/calibration/calibrator.h"
#include "quant/calibration/range_collector.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace qs {

class Model;
class Session;

class CalibrationStatistics
{
public:
    struct TensorStatistics
    {
        std::vector<TensorRange> perSample; // finite extremes of each sample that had any
        HistogramCollector histogram;
    };

    // Runs `session` (fusion off) over `source` once, observing `tensors`. Histograms use `bins`
    // (the only setting fixed at collection). Progress: one unit per sample, labelled
    // "calibrating on ..." as calibrate() does.
    static Result<std::shared_ptr<CalibrationStatistics>> collect(
        const Session &session, SampleSource &source, const std::set<std::string> &tensors,
        int bins, Progress &progress);

    // The ranges calibrate() gives for `settings` over the same samples, for `tensors`. A tensor
    // that was not observed is an error naming it (the statistics were collected for another
    // plan); one never computed is left out with a warning, as calibrate() does.
    Result<CalibrationResult> rangesFor(const std::set<std::string> &tensors,
                                        const CalibrationSettings &settings) const;

    int64_t samples() const { return m_samples; }
    int bins() const { return m_bins; }
    bool observes(const std::string &tensor) const { return m_tensors.count(tensor) > 0; }
    size_t tensorCount() const { return m_tensors.size(); }

    // The model as quantizeModel prepared it (opset, folds) for the static mode, and the model it
    // was prepared from: quantizeModel reuses it when given that same source model.
    std::shared_ptr<const Model> preparedModel;
    const Model *sourceModel = nullptr;
    // What every quantizeModel run on them reports: the preparation, the calibration data.
    std::vector<Diagnostic> diagnostics;
    // The recipe whose calibration settings (folder, preprocessing, samples) were used.
    std::string dataDir;

private:
    std::map<std::string, TensorStatistics> m_tensors;
    std::vector<Diagnostic> m_diagnostics; // skipped samples
    int64_t m_skippedFiles = 0;
    int64_t m_samples = 0;
    int m_bins = 2048;
};

} // namespace qs
