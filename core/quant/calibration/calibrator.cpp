#include "quant/calibration/calibrator.h"

#include "runtime/session.h"

#include <mutex>
#include <variant>

namespace qs {

CalibrationSettings calibrationSettings(const quantscope::Calibration &calibration,
                                        bool symmetricActivations)
{
    CalibrationSettings settings;
    if (calibration.method() != quantscope::CALIBRATION_METHOD_UNSPECIFIED)
        settings.method = calibration.method();
    settings.movingAverage = calibration.moving_average();
    if (calibration.averaging_constant() > 0)
        settings.averagingConstant = calibration.averaging_constant();
    if (calibration.percentile() > 0)
        settings.percentile = calibration.percentile();
    if (calibration.num_bins() > 0)
        settings.bins = calibration.num_bins();
    if (calibration.num_quantized_bins() > 0)
        settings.quantizedBins = calibration.num_quantized_bins();
    settings.symmetric = symmetricActivations;
    return settings;
}

namespace {

using Collector = std::variant<MinMaxCollector, HistogramCollector>;

Collector makeCollector(const CalibrationSettings &settings)
{
    if (settings.method == quantscope::CALIBRATION_METHOD_PERCENTILE
        || settings.method == quantscope::CALIBRATION_METHOD_ENTROPY
        || settings.method == quantscope::CALIBRATION_METHOD_MSE)
        return HistogramCollector(settings.bins);
    return MinMaxCollector(settings.movingAverage, settings.averagingConstant);
}

void addValues(Collector &collector, const Tensor &value)
{
    if (value.dtype() != DType::Float32)
        return;
    std::visit([&](auto &c) { c.add(value.data<float>(), value.elementCount()); }, collector);
}

std::optional<TensorRange> finalRange(const Collector &collector,
                                      const CalibrationSettings &settings)
{
    if (const auto *minMax = std::get_if<MinMaxCollector>(&collector)) {
        if (minMax->empty())
            return std::nullopt;
        return minMax->range();
    }
    const auto &histogram = std::get<HistogramCollector>(collector);
    if (histogram.empty())
        return std::nullopt;
    if (settings.method == quantscope::CALIBRATION_METHOD_ENTROPY)
        return histogram.entropyRange(settings.quantizedBins);
    if (settings.method == quantscope::CALIBRATION_METHOD_MSE)
        return histogram.mseRange(settings.symmetric);
    return histogram.percentileRange(settings.percentile, settings.symmetric);
}

} // namespace

Result<int64_t> observeSamples(const Session &session, SampleSource &source,
                               const std::set<std::string> &names, const TensorObserver &observe,
                               const Message &step, Progress &progress)
{
    // Kernels may run subgraphs on worker threads; the observer is the one shared writer.
    std::mutex mutex;
    RunOptions runOptions;
    runOptions.progress = &progress;
    runOptions.observer = [&](const std::string &name, const Tensor &value) {
        if (!names.count(name))
            return;
        std::lock_guard lock(mutex);
        observe(name, value);
    };
    int64_t samples = 0;
    const int64_t total = source.count();
    progress.reportStep(0, total, step);
    while (true) {
        if (progress.cancelled())
            return cancelled(englishText(step) + ": cancelled after " + std::to_string(samples)
                             + " samples");
        auto sample = source.next();
        if (!sample)
            return sample.status();
        if (!sample->has_value())
            break;
        // Graph inputs are not produced by a node, so the observer never sees them.
        for (const auto &[name, tensor] : (*sample)->inputs)
            if (names.count(name))
                observe(name, tensor);
        // runValues: a model whose outputs include a sequence runs too (the observer only sees
        // tensors).
        auto outputs = session.runValues((*sample)->inputs, runOptions);
        if (!outputs)
            return outputs.status().withContext((*sample)->origin);
        progress.reportStep(++samples, total, step);
    }
    if (samples == 0)
        return invalidArgument(source.describe() + ": no usable sample for calibration");
    return samples;
}

Result<CalibrationResult> calibrate(const Session &session, SampleSource &source,
                                    const std::set<std::string> &tensors,
                                    const CalibrationSettings &settings, Progress &progress)
{
    std::map<std::string, Collector> collectors;
    for (const auto &name : tensors)
        collectors.emplace(name, makeCollector(settings));

    CalibrationResult result;
    auto samples = observeSamples(
        session, source, tensors,
        [&](const std::string &name, const Tensor &value) { addValues(collectors.at(name), value); },
        makeMessage(MessageId::StepCalibratingOn, {}, source.description()), progress);
    if (!samples)
        return samples.status();
    result.samples = *samples;
    result.skippedFiles = source.skippedCount();
    result.diagnostics = source.skipped();

    for (const auto &[name, collector] : collectors) {
        if (auto range = finalRange(collector, settings))
            result.ranges.emplace(name, *range);
        else
            result.diagnostics.push_back(
                diagnosticOf(Severity::Warning,
                             makeMessage(MessageId::TensorNeverCalibrated, {name})));
    }
    return result;
}

} // namespace qs
