#pragma once
// The one entry point for quantization: a recipe in, a quantized model (not yet saved) and the
// effective recipe out. Dispatches to the dynamic quantizer, calibration + the QDQ / QOperator
// writers, or the FP16 converter, after the steps they share:
//   1. the effective recipe: the chosen mode's options with every default written out, names
//      and types validated (effective_recipe.h);
//   2. unnamed nodes get their display names, so exclude lists keep meaning the same nodes;
//   3. the opset raised where the quantized ops need it (opset_upgrade.h), the graph prepared
//      (quant_preprocess.h) and, when the recipe asks, accuracy recovered: cross-layer
//      equalization, then bias correction on the calibration samples (an extra FP32 pass);
//   4. the output checked with ONNX's checker (a failure is our bug, reported as such).
#include "quant/coverage.h"
#include "quant/effective_recipe.h"
#include "quantscope.pb.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

class CalibrationStatistics;
class Model;

struct QuantizeResult
{
    onnx::ModelProto model;
    // The effective recipe: what ran, defaults included, and in left_in_float the eligible nodes
    // the run left in float with why (the saved recipe carries them).
    quantscope::Recipe recipe;
    // Every node left in float is also a diagnostic naming it.
    std::vector<Diagnostic> diagnostics;
    // Eligible nodes quantized (INT8) or converted (FP16) per op type, and those left in float.
    QuantCoverage coverage;
    int64_t quantizedNodes = 0; // nodes rewritten (INT8); tensors converted (FP16)
    int64_t calibrationSamples = 0;
    int64_t calibrationSkipped = 0; // unusable files of the calibration folder, each a diagnostic
    // One line for the CLI / GUI: "21 of 21 eligible nodes quantized (Conv 20, Gemm 1)".
    std::string summary;
};

struct QuantizeSettings
{
    int threads = 0; // calibration runs; 0 = all cores
    // Static mode: ranges come from these (collected once by collectCalibrationStatistics for
    // this same model) instead of a calibration run, and the model they were prepared on is
    // quantized; the recipe's calibration method and its parameters still choose the ranges.
    std::shared_ptr<const CalibrationStatistics> calibrationStatistics;
};

Result<QuantizeResult> quantizeModel(std::shared_ptr<const Model> model,
                                     const quantscope::Recipe &recipe,
                                     const QuantizeSettings &settings, Progress &progress);

// The phases quantizeModel announces (Progress::beginPhase), and the one saveQuantizeResult's
// caller announces, so that a PhasedProgress shows one bar and one ETA for the whole job.
struct QuantizePhase
{
    static constexpr MessageId kPreparing = MessageId::StepPreparingModel;
    static constexpr MessageId kCalibrating = MessageId::StepCalibrating;
    static constexpr MessageId kWriting = MessageId::StepWritingQuantizedGraph;
    static constexpr MessageId kSaving = MessageId::StepSavingModel;
};
// The phases of quantizing with `recipe` and `settings`, then saving, weighted by what they
// usually cost: a static calibration runs the model on every sample, so it weighs most; a mode
// or settings without one give it no weight.
std::vector<PhasedProgress::Phase> quantizeJobPhases(const quantscope::Recipe &recipe,
                                                     const QuantizeSettings &settings);

// Static mode: prepares `model` as quantizeModel does and calibrates it once on the first
// recipe's calibration data, observing every value of the main graph and every tensor any of
// `recipes` plans to calibrate, with both min/max and a histogram, so that each of those recipes
// (any calibration method) quantizes from them without running the model again.
Result<std::shared_ptr<const CalibrationStatistics>> collectCalibrationStatistics(
    std::shared_ptr<const Model> model, const std::vector<quantscope::Recipe> &recipes, int threads,
    Progress &progress);

// The nodes `recipe` quantizes that a user could keep in float one by one (display names, graph
// order): the planned nodes in static mode but pass-through ops and folded activations (they
// follow their neighbours), the matched nodes in dynamic mode, minus those `result`
// left in float.
Result<std::vector<std::string>> fallbackCandidates(std::shared_ptr<const Model> model,
                                                    const QuantizeResult &result,
                                                    const QuantizeSettings &settings);

// Writes the model atomically (external data beside it when it would pass 2 GB) and the
// effective recipe as "<output without .onnx>.recipe.textproto". `sourceDir` resolves external
// data of tensors copied unchanged from the input model.
Status saveQuantizeResult(const QuantizeResult &result, const std::string &outputPath,
                          const std::string &sourceDir);

std::string recipePathFor(const std::string &outputPath);

} // namespace qs
