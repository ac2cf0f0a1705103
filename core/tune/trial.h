#pragma once
// One tuning trial: a recipe quantized (from the shared calibration statistics in static mode:
// no trial recalibrates), loaded into an engine session, scored on the evaluation set against
// the targets, timed, sized. The result is an immutable value; the quantized model rides along
// so that the best trial can be written without quantizing it again.
#include "compare/targets.h"
#include "quant/quantizer.h"
#include "tune.pb.h"
#include "tune/evaluation_set.h"

#include <memory>
#include <string>
#include <vector>

namespace qs {

struct TrialResult
{
    quantscope::TuneTrial proto;
    // The accuracy targets' worst normalised margin (trialScore): >= 0 when they all hold;
    // higher is better. What the search ranks nodes and recipes by.
    double score = 0;
    bool accuracyMet = false; // every accuracy target holds (speed and size aside)
    std::shared_ptr<const QuantizeResult> quantized;
};

// The normalised margin of a figure over its target: for metrics that end at 1 (cosine, top-k,
// IoU) the shortfall over the allowed error (1 - threshold), for others over the threshold's
// size, so that "cosine 0.98 for >= 0.99" (-1.0) and "IoU 0.94 for >= 0.97" (-1.0) weigh alike.
double targetMargin(const Target &target, double figure);

// "cosine 0.99512, iou@0.3 0.9810, 2.10x faster, 3.9x smaller, 12 kept float": one line.
std::string trialLine(const TrialResult &trial);

struct TrialRequest
{
    quantscope::TrialKind kind = quantscope::TRIAL_KIND_BASELINE;
    quantscope::Recipe recipe;
    std::string node;                    // the node the trial is about (sensitivity, fallback...)
    std::vector<std::string> keptFloat;  // nodes the search keeps in float, added to the recipe
    std::vector<std::string> sixteenBit; // nodes given 16-bit activations (A16W8), likewise
    bool timed = true;                   // measure latency (sensitivity trials need not)
};

class TrialRunner
{
public:
    TrialRunner(std::shared_ptr<const Model> model, std::shared_ptr<const EvaluationSet> evaluation,
                std::vector<Target> targets, QuantizeSettings settings);

    // Trial `index`. An error is a failure of the run (a recipe that quantizes nothing is one);
    // the caller decides whether the search goes on.
    Result<TrialResult> run(int index, const TrialRequest &request, Progress &progress) const;
    // Trial `index` as `saved` measured it (a resumed run): its figures judged again, no model.
    TrialResult replay(int index, const quantscope::TuneTrial &saved) const;
    // The request's model, for a replayed trial that becomes the best.
    Result<QuantizeResult> quantize(const TrialRequest &request) const;

    const std::vector<Target> &targets() const { return m_targets; }
    const QuantizeSettings &settings() const { return m_settings; }
    int64_t referenceSizeBytes() const { return m_referenceSize; }

private:
    void judge(TrialResult &trial) const;

    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const EvaluationSet> m_evaluation;
    std::vector<Target> m_targets;
    MetricRequests m_requests;
    QuantizeSettings m_settings;
    int64_t m_referenceSize = 0;
};

} // namespace qs
