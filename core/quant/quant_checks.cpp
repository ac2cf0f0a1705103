#include "quant/quant_checks.h"

#include "model/model.h"
#include "model/model_checks.h"

#include <onnx/checker.h>
#include <onnx/common/version.h>

namespace qs {

Status checkQuantizerOutput(const onnx::ModelProto &proto, std::vector<Diagnostic> &diagnostics)
{
    // The checker refuses protos beyond 2 GB in memory; those are checked only when saved.
    if (proto.ByteSizeLong() > (size_t(1) << 31) - 1)
        return Status::ok();
    // The ONNX linked here (1.12) knows IR versions up to 8 and opsets up to 17. A model beyond
    // (A16W8's opset 21, IR 10) is checked with its IR version lowered, and what the checker then
    // finds is a warning: its schemas predate the newer types and inputs. ONNX Runtime checks
    // such a model fully when it loads it (tests/tune/check_tuned_vs_ort.py).
    const bool beyondChecker = proto.ir_version() > onnx::IR_VERSION;
    try {
        if (beyondChecker) {
            onnx::ModelProto lowered = proto;
            lowered.set_ir_version(onnx::IR_VERSION);
            onnx::checker::check_model(lowered);
        } else {
            onnx::checker::check_model(proto);
        }
    } catch (const std::exception &error) {
        if (beyondChecker) {
            diagnostics.push_back(
                diagnosticOf(Severity::Warning,
                             makeMessage(MessageId::CheckerPredatesIrVersion,
                                         {onnx::LAST_RELEASE_VERSION,
                                          std::to_string(proto.ir_version()), error.what()})));
            return Status::ok();
        }
        return Status(StatusCode::Internal,
                      makeMessage(MessageId::QuantizedModelFailsCheck, {error.what()}));
    }
    return Status::ok();
}

// ONNX's checker ran when the model was loaded (its findings are the model's diagnostics). A
// model it refuses is refused here too, before any work: the output would fail the same check,
// and the user needs to hear that the input is at fault, not the quantizer.
Status checkQuantizerInput(const Model &model)
{
    const std::string prefix = "checker: ";
    for (const Diagnostic &finding : model.diagnostics()) {
        if (!makesModelInvalid(finding))
            continue;
        const std::string reason = finding.message.starts_with(prefix)
                                       ? finding.message.substr(prefix.size())
                                       : finding.message;
        return Status(StatusCode::InvalidArgument,
                      makeMessage(MessageId::InvalidInputModel, {reason}));
    }
    return Status::ok();
}

} // namespace qs
