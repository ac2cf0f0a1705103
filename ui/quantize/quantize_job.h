#pragma once
// The worker half of the Quantize button: quantizeModel() then saveQuantizeResult(), run on the
// thread pool by the page's JobController. Only this value crosses back to the GUI thread; the
// quantized ModelProto stays on the worker and is gone once written.

#include "quantscope.pb.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace qs {
class Model;
}

namespace qs::ui {

struct QuantizeOutcome
{
    Status status;             // Cancelled when the user stopped it; then no file was written
    quantscope::Recipe recipe; // the effective recipe, when it ran
    std::vector<Diagnostic> diagnostics;
    std::string summary;
};

QuantizeOutcome runQuantizeJob(const std::shared_ptr<const Model> &model,
                               const quantscope::Recipe &recipe, const std::string &outputPath,
                               int threads, Progress &progress);

// The variant's kind for the Workbench: "INT8 dynamic", "INT8 static QDQ", "FP16", ...
QString variantKind(const quantscope::Recipe &effectiveRecipe);

// "int8_dynamic", "int8_static", "fp16": the suffix of the default output file name.
QString modeFileSuffix(quantscope::QuantMode mode);

} // namespace qs::ui
