// The engine side of the FP16 block list search: candidates and their FP32 ranges, and the
// oracle that converts with a block list and measures the float16 model.
#include "compare/accuracy.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "quant/fp16_converter.h"
#include "runtime/float16_lowering.h"
#include "tune/fp16_block_search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace qs {

namespace {

struct Range
{
    double maxAbs = 0.0;
    bool observed = false;
};

// Largest magnitude of a float tensor; infinity and NaN count as beyond any range.
double maxMagnitude(const Tensor &tensor)
{
    double largest = 0.0;
    if (tensor.dtype() == DType::Float32) {
        for (const float value : tensor.values<float>()) {
            const double magnitude = std::isnan(value) ? INFINITY : std::fabs(value);
            largest = std::max(largest, magnitude);
        }
        return largest;
    }
    for (int64_t i = 0; i < tensor.elementCount(); ++i) {
        const double value = tensor.doubleAt(i);
        largest = std::max(largest, std::isnan(value) ? INFINITY : std::fabs(value));
    }
    return largest;
}

// A sample with every float input in the type the session declares (float16 when the converted
// model's signature is float16, i.e. keep_io_types off).
std::map<std::string, Tensor> inSessionTypes(const Session &session, const Sample &sample)
{
    std::map<std::string, Tensor> inputs = sample.inputs;
    for (const GraphProgram::Value &declared : session.inputs()) {
        auto it = inputs.find(declared.name);
        if (it == inputs.end())
            continue;
        if (declared.type.elementType == static_cast<int32_t>(DType::Float16))
            it->second = convertFloat32ToFloat16(it->second);
        else if (declared.type.elementType == static_cast<int32_t>(DType::Float32))
            it->second = convertFloat16ToFloat32(it->second);
    }
    return inputs;
}

} // namespace

Result<std::vector<Fp16Candidate>> fp16Candidates(std::shared_ptr<const Model> model,
                                                  const quantscope::Fp16Options &start,
                                                  const std::vector<Sample> &samples,
                                                  Progress &progress)
{
    auto converted = convertToFloat16(model, start, silentProgress());
    if (!converted)
        return converted.status().withContext("FP16 candidates");
    std::vector<Fp16Candidate> candidates;
    std::unordered_map<std::string, size_t> byOutput; // value name -> candidate
    for (const Fp16NodeOutcome &outcome : converted->nodes) {
        // A Constant is a value, not a computation: blocking it changes nothing worth a trial.
        if (!outcome.converted || outcome.opType == "Constant")
            continue;
        const NodeInfo *info = model->index().findByDisplayName(outcome.node);
        if (!info)
            return internalError("FP16 candidates: no node '" + outcome.node + "'");
        for (const ValueRef &output : info->outputs) {
            if (!output.name.empty())
                byOutput.emplace(output.name, candidates.size());
        }
        candidates.push_back({outcome.node, outcome.opType});
    }

    auto session = Session::create(model, sessionOptions(0, {}, /*fuse=*/false));
    if (!session)
        return session.status().withContext("FP16 candidates");
    std::vector<bool> nonzero(candidates.size(), false);
    RunOptions runOptions;
    runOptions.progress = &progress;
    runOptions.observer = [&](const std::string &name, const Tensor &value) {
        auto it = byOutput.find(name);
        if (it == byOutput.end() || !isFloatingDType(value.dtype()))
            return;
        Fp16Candidate &candidate = candidates[it->second];
        const double magnitude = maxMagnitude(value);
        candidate.maxAbs = std::max(candidate.maxAbs, magnitude);
        candidate.observed = true;
        nonzero[it->second] = nonzero[it->second] || magnitude > 0.0;
    };
    for (size_t i = 0; i < samples.size(); ++i) {
        progress.reportStep(int64_t(i), int64_t(samples.size()),
                            makeMessage(MessageId::StepFp32ActivationRanges));
        auto outputs = (*session)->run(inSessionTypes(**session, samples[i]), runOptions);
        if (!outputs)
            return outputs.status().withContext("FP16 candidates, sample " + std::to_string(i));
    }
    for (size_t i = 0; i < candidates.size(); ++i)
        candidates[i].underflow = nonzero[i] && candidates[i].maxAbs < kFloat16MinNormal;
    return candidates;
}

namespace {

// Median wall time of three runs of `inputs` (after one warm-up) in a session as the engine runs
// an FP16 model for a user: lowered to float32.
Result<double> medianLatencyMs(const std::shared_ptr<const Model> &model, const Sample &sample,
                               Progress &progress)
{
    auto session = Session::create(model, SessionOptions{});
    if (!session)
        return session.status();
    const std::map<std::string, Tensor> inputs = inSessionTypes(**session, sample);
    RunOptions runOptions;
    runOptions.progress = &progress;
    std::vector<double> times;
    for (int run = 0; run < 4; ++run) {
        const auto begin = std::chrono::steady_clock::now();
        auto outputs = (*session)->run(inputs, runOptions);
        if (!outputs)
            return outputs.status();
        const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now()
                                                               - begin;
        if (run > 0)
            times.push_back(took.count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

struct Converted
{
    std::shared_ptr<const Model> model;
    int64_t bytes = 0;
};

Result<Converted> convert(const std::shared_ptr<const Model> &model,
                          const quantscope::Fp16Options &options)
{
    auto converted = convertToFloat16(model, options, silentProgress());
    if (!converted)
        return converted.status();
    const int64_t bytes = static_cast<int64_t>(converted->model.ByteSizeLong());
    auto fp16Model = Model::fromProto(std::move(converted->model), model->baseDir());
    if (!fp16Model)
        return fp16Model.status().withContext("FP16 target: the converted model");
    return Converted{*fp16Model, bytes};
}

// Runs every sample through `model` with float16 kernels and scores the outputs.
Result<Fp16Measurement> score(const std::shared_ptr<const Model> &model,
                              const std::vector<Sample> &samples,
                              const std::vector<NamedTensors> &references, const Fp16Target &target,
                              Progress &progress)
{
    SessionOptions sessionOptions;
    sessionOptions.float16InFloat32 = false; // real float16 arithmetic: overflow must show
    auto session = Session::create(model, sessionOptions);
    if (!session)
        return session.status().withContext("FP16 target");
    std::vector<AccuracyAccumulator> accuracy;
    RunOptions runOptions;
    runOptions.progress = &progress;
    Fp16Measurement measurement;
    for (size_t i = 0; i < samples.size(); ++i) {
        auto outputs = (*session)->run(inSessionTypes(**session, samples[i]), runOptions);
        if (!outputs)
            return outputs.status().withContext("FP16 target, sample " + std::to_string(i));
        const NamedTensors &reference = references[i];
        if (outputs->size() != reference.size())
            return invalidArgument("FP16 target: sample " + std::to_string(i) + " has "
                                   + std::to_string(reference.size()) + " reference outputs, the "
                                   + "model " + std::to_string(outputs->size()));
        accuracy.resize(outputs->size());
        for (size_t o = 0; o < outputs->size(); ++o) {
            const Tensor &actual = (*outputs)[o].second;
            if (actual.elementCount() != reference[o].second.elementCount())
                return invalidArgument("FP16 target: output '" + (*outputs)[o].first + "' has "
                                       + actual.describe() + ", its reference "
                                       + reference[o].second.describe());
            measurement.finite = measurement.finite && std::isfinite(maxMagnitude(actual));
            accuracy[o].add(reference[o].second, actual, false);
        }
    }
    measurement.worstCosine = std::numeric_limits<double>::infinity();
    measurement.worstSqnrDb = std::numeric_limits<double>::infinity();
    for (const AccuracyAccumulator &output : accuracy) {
        // A NaN metric (an overflowed output) must fail: min() would keep the other value.
        const double cosine = std::isnan(output.cosine()) ? -1.0 : output.cosine();
        const double sqnr = std::isnan(output.sqnrDb()) ? -1e300 : output.sqnrDb();
        measurement.worstCosine = std::min(measurement.worstCosine, cosine);
        measurement.worstSqnrDb = std::min(measurement.worstSqnrDb, sqnr);
        measurement.finite = measurement.finite && output.nanCount() == 0;
    }
    measurement.met = measurement.finite && measurement.worstCosine >= target.minCosine
                      && measurement.worstSqnrDb >= target.minSqnrDb;
    return measurement;
}

Status checkSampleCount(const std::vector<Sample> &samples,
                        const std::vector<NamedTensors> &references)
{
    if (samples.size() != references.size())
        return invalidArgument("FP16 target: " + std::to_string(samples.size()) + " samples but "
                               + std::to_string(references.size()) + " reference outputs");
    if (samples.empty())
        return invalidArgument("FP16 target: no evaluation samples");
    return Status::ok();
}

} // namespace

Result<Fp16Measurement> measureFp16(std::shared_ptr<const Model> model,
                                    const quantscope::Fp16Options &options,
                                    const std::vector<Sample> &samples,
                                    const std::vector<NamedTensors> &references,
                                    const Fp16Target &target, Progress &progress)
{
    QS_RETURN_IF_ERROR(checkSampleCount(samples, references));
    auto converted = convert(model, options);
    if (!converted)
        return converted.status();
    auto measurement = score(converted->model, samples, references, target, progress);
    if (!measurement)
        return measurement.status();
    measurement->modelBytes = converted->bytes;
    auto latency = medianLatencyMs(converted->model, samples.front(), progress);
    if (!latency)
        return latency.status().withContext("FP16 latency");
    measurement->latencyMs = *latency;
    return measurement;
}

Result<bool> meetsFp16Target(std::shared_ptr<const Model> model,
                             const quantscope::Fp16Options &options,
                             const std::vector<Sample> &samples,
                             const std::vector<NamedTensors> &references, const Fp16Target &target,
                             Progress &progress)
{
    QS_RETURN_IF_ERROR(checkSampleCount(samples, references));
    auto converted = convert(model, options);
    if (!converted)
        return converted.status();
    auto measurement = score(converted->model, samples, references, target, progress);
    if (!measurement)
        return measurement.status();
    return measurement->met;
}

Result<Fp16BlockSearchResult> searchFp16BlockList(
    std::shared_ptr<const Model> model, const quantscope::Fp16Options &start,
    const std::vector<Sample> &samples, const std::vector<NamedTensors> &references,
    const Fp16Target &target, const Fp16BlockSearchOptions &options, Progress &progress)
{
    if (!model)
        return invalidArgument("FP16 block list search: no model");
    QS_RETURN_IF_ERROR(checkSampleCount(samples, references));
    auto candidates = fp16Candidates(model, start, samples, progress);
    if (!candidates)
        return candidates.status();
    // The algorithm knows verdicts only; each trial gets the measurement made for its list.
    std::map<std::vector<std::string>, Fp16Measurement> measured;
    const Fp16Oracle oracle = [&](const std::vector<std::string> &blockList) -> Result<bool> {
        quantscope::Fp16Options trial = start;
        for (const std::string &node : blockList)
            trial.add_node_block_list(node);
        auto measurement = measureFp16(model, trial, samples, references, target, progress);
        if (!measurement)
            return measurement.status();
        measured[blockList] = *measurement;
        return measurement->met;
    };
    Fp16BlockSearchOptions withMeasurements = options;
    withMeasurements.onTrial = [&](const Fp16Trial &trial) {
        if (!options.onTrial)
            return;
        Fp16Trial measuredTrial = trial;
        measuredTrial.measurement = measured[trial.blockList];
        options.onTrial(measuredTrial);
    };
    auto result = searchFp16BlockList(*candidates, oracle, withMeasurements, progress);
    if (result) {
        for (Fp16Trial &trial : result->trials)
            trial.measurement = measured[trial.blockList];
    }
    return result;
}

} // namespace qs
