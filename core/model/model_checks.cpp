#include "model/model_checks.h"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <unordered_map>

namespace qs {

namespace {

// Tensors up to this size keep their data in the annotated copy: shape inference reads small
// constant inputs (Reshape's shape, Slice's starts) but never weights.
constexpr size_t kMaxInlineBytesForInference = 4096;

std::string firstLine(const std::string &text)
{
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

// ONNX's messages end with "==> Context: Bad node spec for node. Name: conv1 OpType: Conv".
std::string nodeNameFromMessage(const std::string &message)
{
    const std::string marker = "Name: ";
    const auto start = message.find(marker);
    if (start == std::string::npos)
        return {};
    const auto begin = start + marker.size();
    const auto end = message.find(" OpType", begin);
    if (end == std::string::npos)
        return {};
    return message.substr(begin, end - begin);
}

Diagnostic diagnosticFromException(Severity severity, const std::string &prefix,
                                   const std::string &what)
{
    return Diagnostic{severity, prefix + firstLine(what), nodeNameFromMessage(what)};
}

void copyWithoutLargeData(const onnx::TensorProto &tensor, onnx::TensorProto &copy)
{
    if (static_cast<size_t>(tensor.ByteSizeLong()) <= kMaxInlineBytesForInference) {
        copy.CopyFrom(tensor);
        return;
    }
    copy.set_name(tensor.name());
    copy.set_data_type(tensor.data_type());
    copy.mutable_dims()->CopyFrom(tensor.dims());
}

} // namespace

std::vector<Diagnostic> checkModel(const onnx::ModelProto &model, const std::string &baseDir)
{
    std::vector<Diagnostic> findings;
    if (model.ir_version() > onnx::IR_VERSION) {
        findings.push_back({Severity::Warning,
                            "IR version " + std::to_string(model.ir_version())
                                + " is newer than this build of ONNX knows ("
                                + std::to_string(onnx::IR_VERSION) + ")",
                            {}});
    }
    if (model.ir_version() >= 3 && model.opset_import_size() == 0) {
        findings.push_back({Severity::Error, "the model imports no opset", {}});
        return findings;
    }
    // check_model(path) would re-read the whole file just to learn its folder; the context
    // below is what it sets up, with our folder for external data.
    onnx::checker::CheckerContext context;
    context.set_ir_version(static_cast<int>(model.ir_version()));
    std::unordered_map<std::string, int> opsets;
    for (const onnx::OperatorSetIdProto &opset : model.opset_import())
        opsets[opset.domain()] = static_cast<int>(opset.version());
    context.set_opset_imports(opsets);
    context.set_model_dir(baseDir);
    context.set_schema_registry(onnx::OpSchemaRegistry::Instance());
    try {
        onnx::checker::LexicalScopeContext scope;
        onnx::checker::check_graph(model.graph(), context, scope);
        onnx::checker::check_model_local_functions(model, context, scope);
    } catch (const std::exception &error) {
        findings.push_back(diagnosticFromException(Severity::Error, "checker: ", error.what()));
    }
    return findings;
}

std::vector<Diagnostic> inferShapesInto(const onnx::ModelProto &model, onnx::ModelProto &annotated)
{
    std::vector<Diagnostic> findings;
    // Copy everything but the top graph's initializers, which hold nearly all the bytes.
    annotated.Clear();
    annotated.set_ir_version(model.ir_version());
    annotated.mutable_opset_import()->CopyFrom(model.opset_import());
    annotated.mutable_functions()->CopyFrom(model.functions());
    onnx::GraphProto &graph = *annotated.mutable_graph();
    const onnx::GraphProto &source = model.graph();
    graph.set_name(source.name());
    graph.mutable_node()->CopyFrom(source.node());
    graph.mutable_input()->CopyFrom(source.input());
    graph.mutable_output()->CopyFrom(source.output());
    graph.mutable_value_info()->CopyFrom(source.value_info());
    for (const onnx::TensorProto &tensor : source.initializer())
        copyWithoutLargeData(tensor, *graph.add_initializer());

    try {
        onnx::ShapeInferenceOptions strict(false, 1, true);
        onnx::shape_inference::InferShapes(annotated, onnx::OpSchemaRegistry::Instance(), strict);
        return findings;
    } catch (const std::exception &error) {
        findings.push_back(
            diagnosticFromException(Severity::Warning, "shape inference: ", error.what()));
    }
    // Strict mode stops at the first node it cannot infer; lenient mode still annotates the rest.
    try {
        onnx::ShapeInferenceOptions lenient(false, 0, false);
        onnx::shape_inference::InferShapes(annotated, onnx::OpSchemaRegistry::Instance(), lenient);
    } catch (const std::exception &error) {
        findings.push_back(
            diagnosticFromException(Severity::Warning, "shape inference: ", error.what()));
    }
    return findings;
}

} // namespace qs
