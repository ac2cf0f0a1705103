#include "tune/trial.h"

#include "model/model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

namespace qs {

namespace {

bool endsAtOne(TargetMetric metric)
{
    return metric == TargetMetric::Cosine || metric == TargetMetric::Top1
           || metric == TargetMetric::TopK || metric == TargetMetric::MaskIou;
}

std::string formatted(const char *pattern, double value)
{
    char text[48];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

} // namespace

double targetMargin(const Target &target, double figure)
{
    if (std::isnan(figure))
        return -std::numeric_limits<double>::infinity();
    const double over = target.atLeast ? figure - target.value : target.value - figure;
    double scale = std::fabs(target.value);
    if (endsAtOne(target.metric) && target.atLeast)
        scale = 1.0 - target.value;
    return over / std::max(scale, 1e-9);
}

TrialRunner::TrialRunner(std::shared_ptr<const Model> model,
                         std::shared_ptr<const EvaluationSet> evaluation,
                         std::vector<Target> targets, QuantizeSettings settings)
    : m_model(std::move(model))
    , m_evaluation(std::move(evaluation))
    , m_targets(std::move(targets))
    , m_requests(metricRequests(m_targets))
    , m_settings(std::move(settings))
    , m_referenceSize(int64_t(m_model->proto().ByteSizeLong()))
{}

Result<QuantizeResult> TrialRunner::quantize(const TrialRequest &request) const
{
    quantscope::Recipe recipe = request.recipe;
    std::set<std::string> excluded(recipe.nodes_to_exclude().begin(),
                                   recipe.nodes_to_exclude().end());
    for (const std::string &node : request.keptFloat)
        if (excluded.insert(node).second)
            recipe.add_nodes_to_exclude(node);
    std::set<std::string> sixteenBit(recipe.nodes_with_16bit_activations().begin(),
                                     recipe.nodes_with_16bit_activations().end());
    for (const std::string &node : request.sixteenBit)
        if (!excluded.count(node) && sixteenBit.insert(node).second)
            recipe.add_nodes_with_16bit_activations(node);
    // The trial's own steps report nowhere: the search reports trials. Cancellation is checked
    // between trials.
    return quantizeModel(m_model, recipe, m_settings, silentProgress());
}

Result<TrialResult> TrialRunner::run(int index, const TrialRequest &request,
                                     Progress &progress) const
{
    const auto start = std::chrono::steady_clock::now();
    auto quantized = quantize(request);
    if (!quantized)
        return quantized.status();
    TrialResult trial;
    trial.proto.set_size_bytes(int64_t(quantized->model.ByteSizeLong()));
    auto model = Model::fromProto(quantized->model, m_model->baseDir());
    if (!model)
        return model.status().withContext("the quantized model");
    auto session = Session::create(*model, sessionOptions(m_evaluation->threads()));
    if (!session)
        return session.status().withContext("the quantized model");
    auto outputs = m_evaluation->evaluate(**session, m_requests, progress);
    if (!outputs)
        return outputs.status();
    for (auto &output : *outputs)
        *trial.proto.add_outputs() = std::move(output);
    if (request.timed) {
        auto latency = m_evaluation->medianLatencyMs(**session, progress);
        if (!latency)
            return latency.status();
        trial.proto.set_latency_ms(*latency);
    }
    trial.proto.set_index(index);
    trial.proto.set_kind(request.kind);
    trial.proto.set_node(request.node);
    for (const std::string &node : request.keptFloat)
        trial.proto.add_nodes_kept_float(node);
    for (const std::string &node : request.sixteenBit)
        trial.proto.add_nodes_16bit(node);
    *trial.proto.mutable_recipe() = quantized->recipe;
    judge(trial);
    trial.quantized = std::make_shared<const QuantizeResult>(std::move(*quantized));
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    trial.proto.set_seconds(elapsed.count());
    return trial;
}

TrialResult TrialRunner::replay(int index, const quantscope::TuneTrial &saved) const
{
    TrialResult trial;
    trial.proto = saved;
    trial.proto.set_index(index);
    trial.proto.set_resumed(true);
    trial.proto.set_pareto(false);
    trial.proto.clear_metrics();
    trial.proto.clear_missed();
    judge(trial);
    return trial;
}

void TrialRunner::judge(TrialResult &trial) const
{
    auto &proto = trial.proto;
    trial.score = std::numeric_limits<double>::infinity();
    trial.accuracyMet = true;
    bool allMet = true;
    for (const Target &target : m_targets) {
        std::optional<double> figure;
        if (isAccuracyTarget(target.metric))
            figure = accuracyFigure(proto.outputs(), target);
        else if (target.metric == TargetMetric::Speedup && proto.latency_ms() > 0)
            figure = m_evaluation->referenceLatencyMs() / proto.latency_ms();
        else if (target.metric == TargetMetric::Smaller && proto.size_bytes() > 0)
            figure = double(m_referenceSize) / double(proto.size_bytes());
        const bool met = figure && target.metBy(*figure);
        if (figure) {
            auto &metric = *proto.add_metrics();
            metric.set_name(target.metricName());
            metric.set_value(*figure);
        }
        if (!met)
            proto.add_missed(target.text + " ("
                             + (figure ? figureText(target.metric, *figure) : "not measured") + ")");
        allMet = allMet && met;
        if (isAccuracyTarget(target.metric)) {
            trial.accuracyMet = trial.accuracyMet && met;
            trial.score = std::min(trial.score, figure ? targetMargin(target, *figure)
                                                       : -std::numeric_limits<double>::infinity());
        }
    }
    proto.set_meets_targets(allMet);
}

std::string trialLine(const TrialResult &trial)
{
    const auto &proto = trial.proto;
    std::string line;
    for (const auto &metric : proto.metrics()) {
        if (metric.name() == "speedup" || metric.name() == "smaller")
            continue;
        line += (line.empty() ? "" : ", ") + metric.name() + " "
                + formatted(metric.name() == "sqnr" ? "%.2f" : "%.5f", metric.value());
    }
    if (proto.latency_ms() > 0)
        line += formatted(", %.1f ms", proto.latency_ms());
    line += formatted(", %.2f MB", double(proto.size_bytes()) / 1e6);
    if (proto.nodes_kept_float_size() > 0)
        line += ", " + std::to_string(proto.nodes_kept_float_size()) + " kept float";
    if (proto.nodes_16bit_size() > 0)
        line += ", " + std::to_string(proto.nodes_16bit_size()) + " in 16 bits";
    line += proto.meets_targets() ? ": meets targets" : ": misses";
    if (!proto.meets_targets())
        for (int i = 0; i < proto.missed_size(); ++i)
            line += (i ? ", " : " ") + proto.missed(i);
    line += proto.resumed() ? " (saved)" : formatted(" (%.1f s)", proto.seconds());
    return line;
}

} // namespace qs
