// Runs one model in Quantscope's engine and prints its latency and peak memory as one JSON line,
// the same shape scripts/ort-peer.js prints for ONNX Runtime; bench/engine_vs_ort.py runs both
// on the same files in the same run and prints the ratios.
//
//   engine_bench MODEL --input NAME=FILE.npy... [--threads N] [--warmup N] [--iterations N]
//                [--profile 1]     also prints ms per op type (slowest first) on stderr
//   engine_bench --write-bert PATH      writes the BERT-style encoder (bench/bert_encoder.h)
#include "bench/bert_encoder.h"
#include "model/model.h"
#include "model/model_writer.h"
#include "runtime/profile.h"
#include "runtime/session.h"
#include "tensor/tensor_io.h"
#include "util/latency_stats.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <sys/resource.h>

namespace {

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int fail(const std::string &message)
{
    std::fprintf(stderr, "engine_bench: %s\n", message.c_str());
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    using namespace qs;
    if (argc == 3 && std::string(argv[1]) == "--write-bert") {
        const Status saved = saveModel(bench::makeBertEncoder({}), argv[2], {}, /*sourceDir=*/"");
        return saved ? 0 : fail(saved.message());
    }
    if (argc < 2)
        return fail("usage: engine_bench MODEL --input NAME=FILE.npy... [--threads N] "
                    "[--warmup N] [--iterations N]");
    std::map<std::string, Tensor> inputs;
    int threads = 2, warmup = 3, iterations = 20;
    bool profile = false; // --profile 1: time per op type (runtime/profile.h), on stderr
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc)
            return fail(arg + " needs a value");
        const std::string value = argv[++i];
        if (arg == "--input") {
            const size_t equals = value.find('=');
            auto tensor = readTensorFile(value.substr(equals + 1));
            if (equals == std::string::npos || !tensor)
                return fail("--input " + value + ": "
                            + (tensor ? "expects NAME=FILE" : tensor.status().message()));
            inputs[value.substr(0, equals)] = std::move(tensor).value();
        } else if (arg == "--threads") {
            threads = std::stoi(value);
        } else if (arg == "--warmup") {
            warmup = std::stoi(value);
        } else if (arg == "--profile") {
            profile = value == "1";
        } else if (arg == "--iterations") {
            iterations = std::stoi(value);
        } else {
            return fail("unknown option " + arg);
        }
    }

    const auto createStart = std::chrono::steady_clock::now();
    auto model = Model::load(argv[1]);
    if (!model)
        return fail(model.status().message());
    auto session = Session::create(model.value(), sessionOptions(threads));
    if (!session)
        return fail(session.status().message());
    const double createMs
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - createStart)
              .count();
    std::vector<double> samples;
    for (int run = 0; run < warmup + iterations; ++run) {
        const auto start = std::chrono::steady_clock::now();
        auto outputs = (*session)->run(inputs);
        const auto stop = std::chrono::steady_clock::now();
        if (!outputs)
            return fail(outputs.status().message());
        if (run >= warmup)
            samples.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    if (profile) {
        // Fused nodes are charged to the op that absorbed them. The timed runs above warmed up.
        auto profiled = profileSession(**session, inputs, /*warmup=*/0, iterations);
        if (!profiled)
            return fail("profiled run failed: " + profiled.status().message());
        for (const OpTypeTime &op : profiled->opTypes)
            std::fprintf(stderr, "%-24s %8.3f ms\n", op.opType.c_str(), op.ms);
    }
    const LatencyStats stats = summarizeLatencies(samples);
    std::printf("{\"latency_ms\":{\"median\":%.3f,\"min\":%.3f,\"max\":%.3f,\"p90\":%.3f},"
                "\"peak_rss_mb\":%.1f,\"session_create_ms\":%.1f}\n",
                stats.medianMs, stats.minMs, stats.maxMs, stats.p90Ms, peakRssMb(), createMs);
    return 0;
}
