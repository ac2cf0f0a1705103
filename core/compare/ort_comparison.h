#pragma once
// A benchmarked variant run in ONNX Runtime too (compare/external_runtime.h): its latency there
// on the sample ours was timed on, and how far ORT's outputs are from our engine's. Kept apart
// from benchmark.cpp, which only calls it when the settings carry a runner.
#include "compare/benchmark.h"
#include "compare/external_runtime.h"
#include "quantscope.pb.h"
#include "runtime/session.h"
#include "tensor/tensor.h"

#include <map>
#include <string>

namespace qs {

struct OrtTiming
{
    int threads = 0;
    int warmup = 1;
    int iterations = 10;
};

// Runs `model` in `runner` on `inputs` and compares its outputs with `ours` (our engine's on the
// same inputs). A runner that fails on this model gives a measurement holding the error, so the
// other variants still get theirs; only a cancel is an error.
Result<quantscope::OrtMeasurement> measureInOrt(const OrtRunner &runner, const std::string &model,
                                                const std::map<std::string, Tensor> &inputs,
                                                const NamedTensors &ours, double ourMedianMs,
                                                const OrtTiming &timing, Progress &progress);

// runBenchmark with ONNX Runtime beside our engine when findOrtRunner(runnerPath) finds a runner
// (the GUI's Compare page); without one, the report's ort_unavailable says why and how to get one.
// `progress` sees one count over all of runBenchmark's phases (a PhasedProgress), for one ETA.
Result<quantscope::Report> runBenchmarkBesideOrt(BenchSettings settings,
                                                 const std::string &runnerPath, Progress &progress);

} // namespace qs
