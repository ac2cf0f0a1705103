#include "compare/ort_comparison.h"

#include "compare/accuracy.h"
#include "tensor/tensor_io.h"

#include <cstdlib>
#include <filesystem>

namespace qs {

namespace {

// A private scratch folder for one runner call's .npy files, removed however the call ends.
class ScratchDir
{
public:
    ScratchDir()
    {
        std::string pattern
            = (std::filesystem::temp_directory_path() / "quantscope-ort-XXXXXX").string();
        if (::mkdtemp(pattern.data()))
            m_path = pattern;
    }
    ~ScratchDir()
    {
        std::error_code ignored;
        if (!m_path.empty())
            std::filesystem::remove_all(m_path, ignored);
    }
    bool ok() const { return !m_path.empty(); }
    std::filesystem::path path() const { return m_path; }

private:
    std::string m_path;
};

quantscope::OrtMeasurement failed(const Status &status)
{
    quantscope::OrtMeasurement measurement;
    measurement.set_error(status.message());
    return measurement;
}

} // namespace

Result<quantscope::OrtMeasurement> measureInOrt(const OrtRunner &runner, const std::string &model,
                                                const std::map<std::string, Tensor> &inputs,
                                                const NamedTensors &ours, double ourMedianMs,
                                                const OrtTiming &timing, Progress &progress)
{
    ScratchDir scratch;
    if (!scratch.ok())
        return failed(internalError("cannot create a temporary folder for ONNX Runtime's files"));
    OrtRunRequest request;
    request.model = std::filesystem::absolute(model).string();
    request.threads = timing.threads;
    request.warmup = timing.warmup;
    request.iterations = timing.iterations;
    request.outputDir = (scratch.path() / "outputs").string();
    int index = 0;
    for (const auto &[name, tensor] : inputs) {
        // Numbered files: an input's name may hold characters no file name can.
        const std::string file
            = (scratch.path() / ("input_" + std::to_string(index++) + ".npy")).string();
        if (Status written = writeNpyFile(tensor, file); !written)
            return failed(written);
        request.inputs[name] = file;
    }
    progress.reportStep(0, 1, makeMessage(MessageId::StepTimingModelInOrt, {model}));
    auto ran = runOrtRunner(runner, request, progress);
    if (!ran && ran.status().code() == StatusCode::Cancelled)
        return ran.status();
    if (!ran)
        return failed(ran.status());

    quantscope::OrtMeasurement measurement;
    measurement.set_median_ms(ran->medianMs);
    measurement.set_p90_ms(ran->p90Ms);
    measurement.set_min_ms(ran->minMs);
    measurement.set_max_ms(ran->maxMs);
    for (const double run : ran->runsMs)
        measurement.add_run_ms(run);
    measurement.set_ours_over_ort(ran->medianMs > 0 ? ourMedianMs / ran->medianMs : 0.0);
    for (const auto &[name, mine] : ours) {
        auto file = ran->outputs.find(name);
        if (file == ran->outputs.end())
            return failed(invalidArgument("ONNX Runtime gave no output '" + name + "'"));
        auto theirs = readNpyFile(file->second);
        if (!theirs)
            return failed(theirs.status());
        if (theirs->elementCount() != mine.elementCount())
            return failed(invalidArgument("ONNX Runtime's output '" + name + "' is "
                                          + theirs->describe() + ", ours is " + mine.describe()));
        AccuracyAccumulator agreement;
        agreement.add(mine, *theirs, false);
        quantscope::OrtAgreement &entry = *measurement.add_outputs();
        entry.set_name(name);
        entry.set_cosine(agreement.cosine());
        entry.set_max_abs(agreement.maxAbs());
    }
    progress.reportStep(1, 1, makeMessage(MessageId::StepTimingModelInOrt, {model}));
    return measurement;
}

Result<quantscope::Report> runBenchmarkBesideOrt(BenchSettings settings,
                                                 const std::string &runnerPath, Progress &progress)
{
    auto runner = findOrtRunner(runnerPath, progress);
    if (!runner && runner.status().code() == StatusCode::Cancelled)
        return runner.status();
    if (runner)
        settings.ortRunner = *runner;
    // Weighted once the runner is known, so that the bar reaches its end with or without ORT.
    PhasedProgress phased(progress, benchmarkPhases(settings, runner.isOk()));
    auto report = runBenchmark(settings, phased);
    if (report && !runner)
        report->set_ort_unavailable(runner.status().message());
    return report;
}

} // namespace qs
