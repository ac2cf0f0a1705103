#include "quant/calibration/calibration_statistics.h"
#include "quant/calibration/calibrator.h"

#include "runtime/session.h"

#include <cmath>
#include <limits>
#include <mutex>

namespace qs {

namespace {

bool finiteExtremes(const Tensor &value, TensorRange &range)
{
    float low = std::numeric_limits<float>::infinity(), high = -low;
    const float *data = value.data<float>();
    for (int64_t i = 0; i < value.elementCount(); ++i) {
        if (std::isfinite(data[i])) {
            low = std::min(low, data[i]);
            high = std::max(high, data[i]);
        }
    }
    range = {low, high};
    return low <= high;
}

void addValues(CalibrationStatistics::TensorStatistics &statistics, const Tensor &value)
{
    if (value.dtype() != DType::Float32)
        return;
    TensorRange extremes;
    if (finiteExtremes(value, extremes))
        statistics.perSample.push_back(extremes);
    statistics.histogram.add(value.data<float>(), value.elementCount());
}

// What MinMaxCollector would have produced from the same samples, replayed.
TensorRange replayMinMax(const std::vector<TensorRange> &perSample,
                         const CalibrationSettings &settings)
{
    MinMaxCollector collector(settings.movingAverage, settings.averagingConstant);
    for (const TensorRange &range : perSample) {
        const float values[2] = {range.min, range.max};
        collector.add(values, 2);
    }
    return collector.range();
}

} // namespace

Result<std::shared_ptr<CalibrationStatistics>> CalibrationStatistics::collect(
    const Session &session, SampleSource &source, const std::set<std::string> &tensors, int bins,
    Progress &progress)
{
    auto statistics = std::make_shared<CalibrationStatistics>();
    statistics->m_bins = bins;
    for (const auto &name : tensors)
        statistics->m_tensors.emplace(name, TensorStatistics{{}, HistogramCollector(bins)});
    auto &collectors = statistics->m_tensors;

    auto samples = observeSamples(
        session, source, tensors,
        [&](const std::string &name, const Tensor &value) { addValues(collectors.at(name), value); },
        makeMessage(MessageId::StepCalibratingOn, {}, source.description()), progress);
    if (!samples)
        return samples.status();
    statistics->m_samples = *samples;
    statistics->m_diagnostics = source.skipped();
    statistics->m_skippedFiles = source.skippedCount();
    return statistics;
}

Result<CalibrationResult> CalibrationStatistics::rangesFor(const std::set<std::string> &tensors,
                                                           const CalibrationSettings &settings) const
{
    const bool histogram = settings.method == quantscope::CALIBRATION_METHOD_PERCENTILE
                           || settings.method == quantscope::CALIBRATION_METHOD_ENTROPY
                           || settings.method == quantscope::CALIBRATION_METHOD_MSE;
    if (histogram && settings.bins != m_bins)
        return invalidArgument("the shared calibration statistics have " + std::to_string(m_bins)
                               + " histogram bins, the recipe asks for "
                               + std::to_string(settings.bins));
    if (settings.method != quantscope::CALIBRATION_METHOD_MINMAX && !histogram)
        return unsupported("the shared calibration statistics cannot give ranges for calibration "
                           "method "
                           + std::to_string(int(settings.method)));
    CalibrationResult result;
    result.samples = m_samples;
    result.skippedFiles = m_skippedFiles;
    result.diagnostics = m_diagnostics;
    for (const std::string &name : tensors) {
        const auto it = m_tensors.find(name);
        if (it == m_tensors.end())
            return internalError("tensor '" + name
                                 + "' is not in the shared calibration statistics (they were "
                                   "collected on another plan of the model)");
        const TensorStatistics &statistics = it->second;
        if (statistics.perSample.empty()) {
            result.diagnostics.push_back(
                diagnosticOf(Severity::Warning,
                             makeMessage(MessageId::TensorNeverCalibrated, {name})));
            continue;
        }
        if (!histogram)
            result.ranges.emplace(name, replayMinMax(statistics.perSample, settings));
        else if (settings.method == quantscope::CALIBRATION_METHOD_ENTROPY)
            result.ranges.emplace(name, statistics.histogram.entropyRange(settings.quantizedBins));
        else if (settings.method == quantscope::CALIBRATION_METHOD_MSE)
            result.ranges.emplace(name, statistics.histogram.mseRange(settings.symmetric));
        else
            result.ranges.emplace(name, statistics.histogram.percentileRange(settings.percentile,
                                                                             settings.symmetric));
    }
    return result;
}

} // namespace qs
