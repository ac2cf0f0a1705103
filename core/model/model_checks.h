#pragma once
// ONNX's own validation, wrapped so that its exceptions become diagnostics: the checker
// (onnx::checker) and shape inference (onnx::shape_inference). Neither stops a model from
// opening: users inspect broken models precisely to find out what is wrong with them.

#include "util/diagnostic.h"

#include <string>
#include <vector>

namespace onnx {
class ModelProto;
}

namespace qs {

// Runs ONNX's checker over the whole model, resolving external data against `baseDir`.
std::vector<Diagnostic> checkModel(const onnx::ModelProto &model, const std::string &baseDir);

// Fills `annotated` with a copy of `model` in which large tensor data is left out, then runs
// ONNX shape inference on it (with data propagation), so its value_info holds inferred types.
std::vector<Diagnostic> inferShapesInto(const onnx::ModelProto &model, onnx::ModelProto &annotated);

} // namespace qs
