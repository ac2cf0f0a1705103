#include "quantize_job.h"

#include "model/model.h"
#include "quant/quantizer.h"

#include <QCoreApplication>

namespace qs::ui {

namespace {

struct QuantizeJob
{
    Q_DECLARE_TR_FUNCTIONS(QuantizeJob)
};

} // namespace

QuantizeOutcome runQuantizeJob(const std::shared_ptr<const Model> &model,
                               const quantscope::Recipe &recipe, const std::string &outputPath,
                               int threads, Progress &progress)
{
    QuantizeOutcome outcome;
    QuantizeSettings settings;
    settings.threads = threads;
    // One count from preparing to saving, so that the bar moves once and the ETA is the whole
    // job's, not the current phase's (issue 16).
    PhasedProgress phased(progress, quantizeJobPhases(recipe, settings));
    auto result = quantizeModel(model, recipe, settings, phased);
    if (!result) {
        outcome.status = result.status();
        return outcome;
    }
    // A cancel that arrives after the last calibration batch must still leave no file behind.
    if (progress.cancelled()) {
        outcome.status = cancelled();
        return outcome;
    }
    phased.beginPhase(QuantizePhase::kSaving);
    outcome.status = saveQuantizeResult(*result, outputPath, model->baseDir());
    phased.reportStep(1, 1, makeMessage(QuantizePhase::kSaving));
    outcome.recipe = std::move(result->recipe);
    outcome.diagnostics = std::move(result->diagnostics);
    outcome.summary = std::move(result->summary);
    return outcome;
}

QString variantKind(const quantscope::Recipe &recipe)
{
    switch (recipe.mode()) {
    case quantscope::QUANT_MODE_DYNAMIC: return QuantizeJob::tr("INT8 dynamic");
    case quantscope::QUANT_MODE_STATIC:
        return recipe.format() == quantscope::QUANT_FORMAT_QOPERATOR
                   ? QuantizeJob::tr("INT8 static QOperator")
                   : QuantizeJob::tr("INT8 static QDQ");
    case quantscope::QUANT_MODE_FP16: return QuantizeJob::tr("FP16");
    default: return QuantizeJob::tr("quantized");
    }
}

QString modeFileSuffix(quantscope::QuantMode mode)
{
    switch (mode) {
    case quantscope::QUANT_MODE_STATIC: return QStringLiteral("int8_static");
    case quantscope::QUANT_MODE_FP16: return QStringLiteral("fp16");
    default: return QStringLiteral("int8_dynamic");
    }
}

} // namespace qs::ui
