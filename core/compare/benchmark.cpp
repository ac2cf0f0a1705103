#include "compare/benchmark.h"

#include "compare/accuracy.h"
#include "compare/latency_noise.h"
#include "compare/ort_comparison.h"
#include "compare/output_sensitivity.h"
#include "data/sample_source.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "runtime/session.h"
#include "util/latency_stats.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string_view>

namespace qs {

namespace {

constexpr std::string_view kDequantizedSuffix = "_DequantizeLinear_Output";

DType declaredType(const GraphProgram::Value &value)
{
    return static_cast<DType>(value.type.elementType);
}

struct Variant
{
    std::string path;
    std::shared_ptr<const Model> model;
    std::shared_ptr<const Session> session;         // fused: latency and outputs
    std::shared_ptr<const Session> observedSession; // unfused: per-node values
    std::map<std::string, AccuracyAccumulator> outputs;
    std::map<std::string, AccuracyAccumulator> tensors;
    std::set<std::string> viaDequantize; // tensors already compared through their DQ output
};

Status checkCompatible(const Session &reference, const Variant &variant)
{
    for (const auto &input : reference.inputs()) {
        auto it = std::find_if(variant.session->inputs().begin(), variant.session->inputs().end(),
                               [&](const auto &v) { return v.name == input.name; });
        if (it == variant.session->inputs().end())
            return invalidArgument(variant.path + ": has no input '" + input.name
                                   + "' (the reference has)");
        const DType theirs = declaredType(*it), ours = declaredType(input);
        const bool bothFloat = isFloatingDType(theirs) && isFloatingDType(ours);
        if (theirs != ours && !bothFloat)
            return invalidArgument(variant.path + ": input '" + input.name + "' is "
                                   + dtypeName(theirs) + ", the reference's is " + dtypeName(ours));
    }
    if (variant.session->inputs().size() != reference.inputs().size())
        return invalidArgument(
            variant.path + ": has " + std::to_string(variant.session->inputs().size())
            + " inputs, the reference " + std::to_string(reference.inputs().size()));
    for (const auto &output : reference.outputs()) {
        const auto &outs = variant.session->outputs();
        if (std::none_of(outs.begin(), outs.end(),
                         [&](const auto &v) { return v.name == output.name; }))
            return invalidArgument(variant.path + ": has no output '" + output.name
                                   + "' (the reference has)");
    }
    return Status::ok();
}

// The sample's inputs in the dtypes the variant declares (an FP16 model without
// keep_io_types takes float16).
std::map<std::string, Tensor> inputsFor(const Session &session,
                                        const std::map<std::string, Tensor> &inputs)
{
    std::map<std::string, Tensor> converted = inputs;
    for (const auto &declared : session.inputs()) {
        auto it = converted.find(declared.name);
        const DType type = declaredType(declared);
        if (it == converted.end() || it->second.dtype() == type || !isFloatingDType(type))
            continue;
        const Tensor &source = it->second;
        Tensor target = Tensor::allocate(type, source.shape());
        dispatchNumeric(type, [&](auto tag) {
            using T = decltype(tag);
            T *out = target.mutableData<T>();
            for (int64_t i = 0; i < source.elementCount(); ++i)
                out[i] = static_cast<T>(static_cast<float>(source.doubleAt(i)));
        });
        it->second = std::move(target);
    }
    return converted;
}

// Evaluation samples as data/sample_source.h's rule opens them, the same as calibration's.
SampleSourceSettings evaluationSamples(const BenchSettings &settings)
{
    SampleSourceSettings samples;
    samples.dataDir = settings.dataDir;
    samples.preprocessing = settings.preprocessing;
    samples.maxSamples = settings.samples;
    samples.seed = settings.seed;
    samples.dimValues = settings.dimValues;
    return samples;
}

bool isFloat(const Tensor &tensor)
{
    return tensor.dtype() == DType::Float32 || tensor.dtype() == DType::Float16
           || tensor.dtype() == DType::Float64;
}

// Every float value the reference computes for one sample, kept while the variants are compared
// against it.
Result<std::map<std::string, Tensor>> referenceValues(const Session &referenceObserved,
                                                      const std::map<std::string, Tensor> &inputs,
                                                      Progress &progress)
{
    std::map<std::string, Tensor> values;
    RunOptions collect;
    collect.progress = &progress;
    collect.observer = [&](const std::string &name, const Tensor &value) {
        if (isFloat(value))
            values[name] = value;
    };
    auto ran = referenceObserved.runValues(inputs, collect);
    if (!ran)
        return ran.status().withContext("reference");
    return values;
}

Status comparePerNode(const std::map<std::string, Tensor> &referenceValues, Variant &variant,
                      const std::map<std::string, Tensor> &inputs, Progress &progress)
{
    RunOptions compare;
    compare.progress = &progress;
    compare.observer = [&](const std::string &name, const Tensor &value) {
        if (!isFloat(value))
            return;
        std::string referenceName = name;
        const bool dequantized = name.size() > kDequantizedSuffix.size()
                                 && name.ends_with(kDequantizedSuffix);
        if (dequantized)
            referenceName = name.substr(0, name.size() - kDequantizedSuffix.size());
        auto it = referenceValues.find(referenceName);
        if (it == referenceValues.end() || it->second.elementCount() != value.elementCount())
            return;
        if (dequantized) {
            // A quantized activation is judged after its Q/DQ round trip, which replaces any
            // comparison of the pre-quantization float value made earlier.
            if (variant.viaDequantize.insert(referenceName).second)
                variant.tensors.erase(referenceName);
        } else if (variant.viaDequantize.count(referenceName)) {
            return;
        }
        variant.tensors[referenceName].add(it->second, value, false);
    };
    auto result = variant.observedSession->runValues(inputsFor(*variant.observedSession, inputs),
                                                     compare);
    if (!result)
        return result.status().withContext(variant.path);
    return Status::ok();
}

struct VariantTimings
{
    LatencyStats stats;
    std::vector<double> roundMediansMs;
};

// Times every variant on the same inputs. The timed runs are split into rounds that visit the
// variants in turn, so a burst of load on the machine lands on all of them rather than on one,
// and each round's median per variant shows how far the load moved the figures.
Result<std::vector<VariantTimings>> measureLatencies(const std::vector<Variant> &variants,
                                                     const std::map<std::string, Tensor> &inputs,
                                                     const BenchSettings &settings,
                                                     Progress &progress)
{
    std::vector<std::map<std::string, Tensor>> converted;
    for (const Variant &variant : variants)
        converted.push_back(inputsFor(*variant.session, inputs));
    RunOptions options;
    options.progress = &progress;
    auto runOnce = [&](size_t v) -> Result<double> {
        const auto start = std::chrono::steady_clock::now();
        auto outputs = variants[v].session->runValues(converted[v], options);
        const auto stop = std::chrono::steady_clock::now();
        if (!outputs)
            return outputs.status().withContext(variants[v].path);
        return std::chrono::duration<double, std::milli>(stop - start).count();
    };
    const int64_t total = int64_t(variants.size()) * (settings.warmup + settings.iterations);
    int64_t done = 0;
    for (size_t v = 0; v < variants.size(); ++v)
        for (int run = 0; run < settings.warmup; ++run) {
            auto time = runOnce(v);
            if (!time)
                return time.status();
            progress.reportStep(++done, total, makeMessage(MessageId::StepWarmingUp));
        }
    std::vector<std::vector<double>> times(variants.size());
    std::vector<VariantTimings> timings(variants.size());
    const int rounds = std::max(1, std::min(settings.rounds, settings.iterations));
    for (int round = 0; round < rounds; ++round) {
        const int runs = settings.iterations / rounds + (round < settings.iterations % rounds);
        for (size_t v = 0; v < variants.size(); ++v) {
            std::vector<double> roundTimes;
            for (int run = 0; run < runs; ++run) {
                if (progress.cancelled())
                    return cancelled();
                auto time = runOnce(v);
                if (!time)
                    return time.status();
                roundTimes.push_back(*time);
                progress.reportStep(++done, total, makeMessage(MessageId::StepTiming));
            }
            times[v].insert(times[v].end(), roundTimes.begin(), roundTimes.end());
            timings[v].roundMediansMs.push_back(summarizeLatencies(roundTimes).medianMs);
        }
    }
    for (size_t v = 0; v < variants.size(); ++v)
        timings[v].stats = summarizeLatencies(std::move(times[v]));
    return timings;
}

// Each variant in ONNX Runtime on the sample ours was timed on, beside our figures.
Status addOrtMeasurements(const OrtRunner &runner, const std::vector<Variant> &variants,
                          const std::map<std::string, Tensor> &sample,
                          const BenchSettings &settings, quantscope::Report &report,
                          Progress &progress)
{
    report.set_ort_runtime(runner.runtime + " " + runner.version);
    const OrtTiming timing{report.threads(), settings.warmup, settings.iterations};
    RunOptions options;
    options.progress = &progress;
    for (size_t v = 0; v < variants.size(); ++v) {
        const auto inputs = inputsFor(*variants[v].session, sample);
        auto ours = variants[v].session->run(inputs, options);
        if (!ours)
            return ours.status().withContext(variants[v].path);
        auto measured = measureInOrt(runner, variants[v].path, inputs, *ours,
                                     report.variants(int(v)).latency().median_ms(), timing,
                                     progress);
        if (!measured)
            return measured.status();
        *report.mutable_variants(int(v))->mutable_ort() = std::move(*measured);
    }
    return Status::ok();
}

} // namespace

std::vector<PhasedProgress::Phase> benchmarkPhases(const BenchSettings &settings, bool withOrt)
{
    // In model runs: building a session costs about as much as a few runs; each sample runs
    // every variant once (three times with the per-node observation); timing makes warm-up +
    // iterations runs of each; ONNX Runtime as many again, plus starting its process.
    const double variants = double(settings.variants.size() + 1);
    const double samples = settings.samples > 0 ? settings.samples : 4;
    const double timedRuns = double(settings.warmup + settings.iterations);
    return {{BenchPhase::kLoading, variants * (settings.perNode ? 6 : 3)},
            {BenchPhase::kComparing, samples * variants * (settings.perNode ? 3 : 1)},
            {BenchPhase::kTiming, variants * timedRuns},
            {BenchPhase::kOrt, withOrt ? variants * (timedRuns + 5) : 0.0}};
}

Result<quantscope::Report> runBenchmark(const BenchSettings &settings, Progress &progress)
{
    progress.beginPhase(BenchPhase::kLoading);
    std::vector<Variant> variants;
    std::vector<std::string> paths = {settings.reference};
    paths.insert(paths.end(), settings.variants.begin(), settings.variants.end());
    for (const auto &path : paths) {
        Variant variant;
        variant.path = path;
        auto model = Model::load(path, progress);
        if (!model)
            return model.status();
        variant.model = *model;
        auto session = Session::create(variant.model, sessionOptions(settings.threads), progress);
        if (!session)
            return session.status().withContext(path);
        variant.session = *session;
        if (settings.perNode) {
            auto observed = Session::create(variant.model,
                                            sessionOptions(settings.threads, {}, false), progress);
            if (!observed)
                return observed.status().withContext(path);
            variant.observedSession = *observed;
        }
        if (!variants.empty())
            QS_RETURN_IF_ERROR(checkCompatible(*variants.front().session, variant));
        variants.push_back(std::move(variant));
    }
    const Session &reference = *variants.front().session;
    auto source = openSampleSource(inputSpecs(reference), evaluationSamples(settings));
    if (!source)
        return source.status();

    // The reference's values of every output, to tell whether cosine and SQNR can see an error
    // there at all (a constant or saturated output hides it).
    std::vector<std::pair<std::string, ValueSpread>> outputSpreads;
    for (const auto &output : reference.outputs())
        outputSpreads.emplace_back(output.name,
                                   ValueSpread(saturatingBounds(variants.front().model->index(),
                                                                output.name)));

    progress.beginPhase(BenchPhase::kComparing);
    std::map<std::string, Tensor> firstSample;
    int samples = 0;
    const int64_t expected = (*source)->count();
    const Message what = makeMessage(MessageId::StepComparingOn, {}, (*source)->description());
    const MetricRequests requests = metricRequests(settings.targets);
    while (true) {
        if (progress.cancelled())
            return cancelled();
        auto sample = (*source)->next();
        if (!sample)
            return sample.status();
        if (!sample->has_value())
            break;
        const auto &inputs = (*sample)->inputs;
        if (samples == 0)
            firstSample = inputs;
        RunOptions options;
        options.progress = &progress;
        auto expectedOutputs = reference.runValues(inputs, options);
        if (!expectedOutputs)
            return expectedOutputs.status().withContext((*sample)->origin + " (reference)");
        for (auto &[name, spread] : outputSpreads)
            for (const auto &[produced, value] : *expectedOutputs)
                if (produced == name && value.isTensor())
                    spread.add(value.tensor());
        Result<std::map<std::string, Tensor>> nodeValues = std::map<std::string, Tensor>{};
        if (settings.perNode && variants.size() > 1)
            nodeValues = referenceValues(*variants.front().observedSession, inputs, progress);
        if (!nodeValues)
            return nodeValues.status();
        for (Variant &variant : variants) {
            auto actual = variant.session->runValues(inputsFor(*variant.session, inputs), options);
            if (!actual)
                return actual.status().withContext(variant.path);
            for (const auto &[name, wantValue] : *expectedOutputs) {
                // Accuracy is measured on tensors; a sequence or optional output is not scored.
                if (!wantValue.isTensor())
                    continue;
                const Tensor &want = wantValue.tensor();
                auto it
                    = std::find_if(actual->begin(), actual->end(),
                                   [&wanted = name](const auto &o) { return o.first == wanted; });
                const Tensor &got = it->second.tensor();
                if (got.elementCount() != want.elementCount())
                    return invalidArgument(variant.path + ": output '" + name + "' is "
                                           + it->second.describe() + ", the reference's is "
                                           + want.describe());
                variant.outputs[name].add(want, got, looksLikeScores(want.shape()), requests);
            }
            if (settings.perNode && &variant != &variants.front())
                QS_RETURN_IF_ERROR(comparePerNode(*nodeValues, variant, inputs, progress));
        }
        ++samples;
        progress.reportStep(samples, expected, what);
    }
    if (samples == 0)
        return invalidArgument((*source)->describe() + ": no usable sample");

    quantscope::Report report;
    report.set_reference(settings.reference);
    report.set_data(settings.dataDir.empty() ? "random" : settings.dataDir);
    report.set_samples(samples);
    report.set_warmup(settings.warmup);
    report.set_iterations(settings.iterations);
    report.set_threads(reference.threads());
    report.set_rounds(std::max(1, std::min(settings.rounds, settings.iterations)));
    const double referenceBytes = double(variants.front().model->fileBytes());
    progress.beginPhase(BenchPhase::kTiming);
    auto latencies = measureLatencies(variants, firstSample, settings, progress);
    if (!latencies)
        return latencies.status();
    for (size_t v = 0; v < variants.size(); ++v) {
        Variant &variant = variants[v];
        const LatencyStats *latency = &(*latencies)[v].stats;
        const std::vector<double> &roundMedians = (*latencies)[v].roundMediansMs;
        quantscope::VariantReport &entry = *report.add_variants();
        entry.set_path(variant.path);
        entry.set_size_bytes(int64_t(variant.model->fileBytes()));
        entry.set_size_ratio(
            referenceBytes > 0 ? double(variant.model->fileBytes()) / referenceBytes : 1.0);
        auto &l = *entry.mutable_latency();
        l.set_iterations(latency->iterations);
        l.set_median_ms(latency->medianMs);
        l.set_p90_ms(latency->p90Ms);
        l.set_p99_ms(latency->p99Ms);
        l.set_min_ms(latency->minMs);
        l.set_mean_ms(latency->meanMs);
        for (const double median : roundMedians)
            l.add_round_median_ms(median);
        l.set_round_variation(roundVariation(roundMedians));
        l.set_p90_over_median(latency->medianMs > 0 ? latency->p90Ms / latency->medianMs : 1.0);
        entry.set_throughput_per_s(latency->medianMs > 0 ? 1000.0 / latency->medianMs : 0.0);
        for (const auto &output : reference.outputs()) {
            const AccuracyAccumulator &accuracy = variant.outputs[output.name];
            *entry.add_outputs() = accuracy.toProto(output.name);
            if (accuracy.nanCount() > 0)
                entry.set_has_nan(true);
        }
        std::vector<quantscope::NodeError> errors;
        for (const auto &[tensor, accuracy] : variant.tensors) {
            quantscope::NodeError error;
            const NodeInfo *producer = variants.front().model->index().producer(0, tensor);
            error.set_node(producer ? producer->displayName : std::string("(input)"));
            error.set_tensor(tensor);
            error.set_sqnr_db(accuracy.sqnrDb());
            error.set_cosine(accuracy.cosine());
            errors.push_back(std::move(error));
        }
        std::stable_sort(errors.begin(), errors.end(),
                         [](const auto &a, const auto &b) { return a.sqnr_db() < b.sqnr_db(); });
        for (auto &error : errors)
            *entry.add_per_node() = std::move(error);
    }
    if (settings.ortRunner) {
        progress.beginPhase(BenchPhase::kOrt);
        QS_RETURN_IF_ERROR(addOrtMeasurements(*settings.ortRunner, variants, firstSample, settings,
                                              report, progress));
    }
    for (auto &diagnostic : outputSensitivityDiagnostics(outputSpreads, report))
        *report.add_diagnostics() = std::move(diagnostic);
    for (auto &diagnostic : latencyNoiseDiagnostics(report))
        *report.add_diagnostics() = std::move(diagnostic);
    // The data files that were not used: the samples count above is without them. args[0] is
    // the English line; the coded message follows (messageToStrings), so that a front end
    // words the line in its own language.
    for (const Diagnostic &skipped : (*source)->skipped()) {
        quantscope::BenchDiagnostic diagnostic;
        diagnostic.set_severity(std::string(severityName(skipped.severity)));
        diagnostic.set_code("skipped_sample");
        diagnostic.add_args(skipped.message);
        for (std::string &part : messageToStrings(skipped.coded))
            diagnostic.add_args(std::move(part));
        diagnostic.set_message(skipped.message);
        *report.add_diagnostics() = std::move(diagnostic);
    }
    addVerdicts(report, settings.targets);
    return report;
}

} // namespace qs
