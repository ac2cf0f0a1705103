#pragma once
// ONNX's own validation, wrapped so that its exceptions become diagnostics: the checker
// (onnx::checker) and shape inference (onnx::shape_inference). Neither stops a model from
// opening: users inspect broken models precisely to find out what is wrong with them.

#include "util/diagnostic.h"
#include "util/status.h"

#include <string>
#include <vector>

namespace onnx {
class ModelProto;
class NodeProto;
} // namespace onnx

namespace qs {

// The error checkModel reports for a model that imports no opset (checker findings carry the
// prefix "checker: "), so that callers can recognise both as the model being invalid.
inline constexpr const char *kNoOpsetMessage = "the model imports no opset";

// The prefix of the findings of checkGraphOutputs: the model is invalid, though ONNX's checker
// (version 1.12) lets it pass.
inline constexpr const char *kGraphOutputPrefix = "graph output: ";

// Runs ONNX's checker over the whole model, resolving external data against `baseDir`, then
// checks that every graph output has a producer.
std::vector<Diagnostic> checkModel(const onnx::ModelProto &model, const std::string &baseDir);

// Does this finding of checkModel make the model invalid (as opposed to a warning)? Work that
// writes a model (quantize) refuses such input rather than producing a file that fails the same
// check, and ONNX's own graph import (the version converter) must never see it.
bool makesModelInvalid(const Diagnostic &finding);

// How checkNodeArity treats a model whose opset is newer than the ONNX linked here knows (1.12:
// up to 17), where the schema found is the op's last known version and may be outdated.
enum class NewerOpsets {
    // The outdated schema's bounds hold: what ONNX's own shape inference needs, since it runs
    // that schema's inference function on the node.
    Exact,
    // Only its minimum counts: later versions may take more inputs (ReduceMean-18 takes its axes
    // as an input, Pad-18 its axes), which the engine's kernels read themselves.
    MinimumOnly,
};

// An error naming the node unless its input and output counts are within its ONNX schema's
// bounds at `opsetVersion` (nodes of domains without schemas pass). Passes and kernels index a
// node's inputs by position; a MaxPool with no input would otherwise end in protobuf's fatal
// CHECK instead of a message.
Status checkNodeArity(const onnx::NodeProto &node, int opsetVersion, const std::string &label,
                      NewerOpsets newer = NewerOpsets::Exact);

// Fills `annotated` with a copy of `model` in which large tensor data is left out, then runs
// ONNX shape inference on it (with data propagation), so its value_info holds inferred types.
// ONNX's inference functions trust node arity, the convolutions' weight ranks (a ConvTranspose
// with 2-D weights reads past its kernel shape and dies with SIGSEGV) and the signs of window
// attributes (strides 0: SIGFPE), so a model that breaks any is refused with an error finding
// and left without inferred shapes.
std::vector<Diagnostic> inferShapesInto(const onnx::ModelProto &model, onnx::ModelProto &annotated);

} // namespace qs
