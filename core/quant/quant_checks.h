#pragma once
// What the quantizer checks before and after its work: an input ONNX's checker refused when it
// was loaded is refused up front (the user needs to hear that the input is at fault), and the
// output goes through ONNX's checker again.
#include "util/diagnostic.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <vector>

namespace qs {

class Model;

Status checkQuantizerInput(const Model &model);
// A finding is an Internal error (a bug of ours), except for a model newer than the linked
// ONNX's checker knows, where it is a warning in `diagnostics`.
Status checkQuantizerOutput(const onnx::ModelProto &proto, std::vector<Diagnostic> &diagnostics);

} // namespace qs
