// Quantization figures, printed (never asserted in tests):
//   quant_bench speed MODEL            load, then dynamic INT8 and FP16 quantization + save,
//                                      each timed (best of 3); MODEL is written first when
//                                      missing (a BERT-style encoder of ~165 MB).
//   quant_bench calibrate MODEL N HxW  static calibration on N random samples of 1x3xHxW and
//                                      the process's peak RSS: run with two N to see that
//                                      memory does not grow with the sample count.
#include "bert_encoder.h"
#include "data/sample_source.h"
#include "model/model.h"
#include "model/model_writer.h"
#include "quant/calibration/calibrator.h"
#include "quant/quantizer.h"
#include "quant/static_plan.h"
#include "runtime/session.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

using namespace qs;

namespace {

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int fail(const Status &status)
{
    std::fprintf(stderr, "quant_bench: %s\n", status.message().c_str());
    return 1;
}

int speed(const std::string &path)
{
    if (!std::filesystem::exists(path)) {
        bench::BertShape shape;
        shape.layers = 5;
        shape.hidden = 768;
        shape.heads = 12;
        shape.feedForward = 3072;
        shape.vocabulary = 8000;
        const Status saved = saveModel(bench::makeBertEncoder(shape), path, SaveOptions{}, "");
        if (!saved)
            return fail(saved);
    }
    const double sizeMb = double(std::filesystem::file_size(path)) / 1e6;
    auto start = std::chrono::steady_clock::now();
    auto model = Model::load(path);
    if (!model)
        return fail(model.status());
    std::printf("model %s: %.1f MB, load %.3f s\n", path.c_str(), sizeMb, secondsSince(start));
    for (const auto mode : {quantscope::QUANT_MODE_DYNAMIC, quantscope::QUANT_MODE_FP16}) {
        quantscope::Recipe recipe;
        recipe.set_mode(mode);
        const std::string out
            = path + (mode == quantscope::QUANT_MODE_DYNAMIC ? ".int8.onnx" : ".fp16.onnx");
        double best = 1e30, bestQuantize = 0;
        for (int round = 0; round < 3; ++round) {
            start = std::chrono::steady_clock::now();
            auto result = quantizeModel(*model, recipe, QuantizeSettings{}, silentProgress());
            if (!result)
                return fail(result.status());
            const double quantized = secondsSince(start);
            const Status saved = saveQuantizeResult(*result, out, (*model)->baseDir());
            if (!saved)
                return fail(saved);
            const double total = secondsSince(start);
            if (total < best) {
                best = total;
                bestQuantize = quantized;
            }
        }
        std::printf("%-8s quantize %.3f s + save = %.3f s, output %.1f MB\n",
                    mode == quantscope::QUANT_MODE_DYNAMIC ? "dynamic" : "fp16", bestQuantize, best,
                    double(std::filesystem::file_size(out)) / 1e6);
        std::filesystem::remove(out);
        std::filesystem::remove(recipePathFor(out));
    }
    return 0;
}

int calibrateRandom(const std::string &path, int samples, int height, int width)
{
    auto model = Model::load(path);
    if (!model)
        return fail(model.status());
    auto session = Session::create(*model, sessionOptions(0, {}, false));
    if (!session)
        return fail(session.status());
    std::vector<InputSpec> inputs = inputSpecs(**session);
    for (auto &input : inputs)
        input.shape = {1, 3, height, width};
    auto source = randomSource(inputs, samples, 1);
    std::vector<std::string> types = defaultStaticOpTypes();
    const StaticPlan plan
        = planStaticQuantization(**model, NodeSelection({types.begin(), types.end()}, {}, {}, {}),
                                 false);
    CalibrationSettings settings;
    settings.method = quantscope::CALIBRATION_METHOD_ENTROPY; // histograms: the larger state
    const auto start = std::chrono::steady_clock::now();
    auto result = calibrate(**session, *source, plan.tensorsToCalibrate(), settings,
                            silentProgress());
    if (!result)
        return fail(result.status());
    std::printf("calibrated %lld tensors on %d samples of 1x3x%dx%d in %.2f s, peak RSS %.1f MB\n",
                static_cast<long long>(result->ranges.size()), samples, height, width,
                secondsSince(start), peakRssMb());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const std::string usage = "usage: quant_bench speed MODEL | calibrate MODEL N HxW\n";
    if (argc >= 3 && std::string(argv[1]) == "speed")
        return speed(argv[2]);
    if (argc >= 5 && std::string(argv[1]) == "calibrate") {
        int h = 0, w = 0;
        if (std::sscanf(argv[4], "%dx%d", &h, &w) != 2)
            return std::fputs(usage.c_str(), stderr), 2;
        return calibrateRandom(argv[2], std::atoi(argv[3]), h, w);
    }
    std::fputs(usage.c_str(), stderr);
    return 2;
}
