#pragma once
// Empirical bias correction (Nagel et al. 2019, section 4.2; AIMET's empirical variant), in its
// weight-error form: quantizing W to W_q shifts a layer's expected output per channel by
//     E[W_q x] - E[W x] = (W_q - W) E[x],
// so each quantized Conv / Gemm gets b' = b - (W_q - W) E[x], with E[x] the mean of the layer's
// input per input channel over the calibration samples (and every spatial position, every row).
// W_q is quantized exactly as the static writer will quantize it (type, symmetry, reduce range,
// per channel or per tensor), so the shift cancels the mean error that writer's weights add.
//
// What it leaves out, and why: the error of the quantized input (E[x_q] - E[x] is small beside
// the weight error once ranges are calibrated, and would need a second, quantized run); and
// padding: E[x] counts every position, while a padded Conv's border windows read zeros, so the
// shift is slightly too large at the border. A Conv without a bias gets one; MatMul has no bias
// to shift and is left alone. Only the main graph's layers are corrected.
#include "data/sample_source.h"
#include "quant/quant_emitter.h"
#include "quant/static_plan.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace qs {

class Model;
class Session;

// Mean of each value over every axis but 1 (channels of [N, C, ...]; features of [M, K]), over
// all samples of `source` run through `session` (built with fusion off).
Result<std::map<std::string, std::vector<double>>> channelMeans(const Session &session,
                                                                SampleSource &source,
                                                                const std::set<std::string> &values,
                                                                Progress &progress);

// The bias shift of one layer, given its weight, the mean of its input per channel and the
// writer's options: -(W_q - W) E[x] per output channel. `node` is a Conv or a Gemm.
std::vector<double> biasShift(const onnx::NodeProto &node, const Tensor &weight,
                              const std::vector<double> &inputMeans,
                              const StaticWriteOptions &options);

struct BiasCorrectionResult
{
    std::shared_ptr<const Model> model; // the input model when nothing was corrected
    int corrected = 0;                  // layers whose bias moved
    double meanAbsShift = 0;            // over every corrected bias value
    Message note() const;               // "bias correction: 52 Conv/Gemm biases shifted (...)"
    std::string summary() const { return englishText(note()); }
};

// Corrects the planned Conv / Gemm layers of `model` with means measured on `samples` (the
// calibration samples).
Result<BiasCorrectionResult> correctBiases(std::shared_ptr<const Model> model,
                                           const StaticPlan &plan,
                                           const StaticWriteOptions &options,
                                           const SampleSourceSettings &samples, int threads,
                                           Progress &progress);

} // namespace qs
