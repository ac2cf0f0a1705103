#include "model/model_checks.h"

#include "model/graph_index.h"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>

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

// "checker: <ONNX's reason>": the sentence is coded, the library's reason its argument.
Diagnostic diagnosticFromException(Severity severity, MessageId id, const std::string &what)
{
    return diagnosticOf(severity, makeMessage(id, {firstLine(what)}), nodeNameFromMessage(what));
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

int opsetOf(const onnx::ModelProto &model, const std::string &domain)
{
    for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
        const bool same = opset.domain() == domain
                          || (domain.empty() && opset.domain() == "ai.onnx")
                          || (domain == "ai.onnx" && opset.domain().empty());
        if (same)
            return static_cast<int>(opset.version());
    }
    return 0;
}

// Calls `visit` on every node of `graph` and of its subgraphs, with the declared ranks of the
// values visible there (graph inputs, outputs, value_info and initializers; -1 when unknown).
using NodeVisitor
    = std::function<Status(const onnx::NodeProto &, const std::unordered_map<std::string, int> &)>;

Status visitNodes(const onnx::GraphProto &graph, std::unordered_map<std::string, int> ranks,
                  const NodeVisitor &visit)
{
    auto declare = [&](const onnx::ValueInfoProto &value) {
        const bool known = value.type().has_tensor_type() && value.type().tensor_type().has_shape();
        ranks[value.name()] = known ? value.type().tensor_type().shape().dim_size() : -1;
    };
    for (const auto &value : graph.input())
        declare(value);
    for (const auto &value : graph.output())
        declare(value);
    for (const auto &value : graph.value_info())
        declare(value);
    for (const auto &tensor : graph.initializer())
        ranks[tensor.name()] = tensor.dims_size();
    for (const onnx::NodeProto &node : graph.node()) {
        QS_RETURN_IF_ERROR(visit(node, ranks));
        for (const onnx::AttributeProto &attribute : node.attribute()) {
            if (attribute.has_g())
                QS_RETURN_IF_ERROR(visitNodes(attribute.g(), ranks, visit));
            for (const onnx::GraphProto &body : attribute.graphs())
                QS_RETURN_IF_ERROR(visitNodes(body, ranks, visit));
        }
    }
    return Status::ok();
}

std::string nodeLabel(const onnx::NodeProto &node)
{
    return "node '" + (node.name().empty() ? node.op_type() : node.name()) + "' (" + node.op_type()
           + ")";
}

// Operands whose dims ONNX 1.12's inference functions index without checking their rank (each
// found by tests/fuzz/model_fuzzer.cpp as a SIGSEGV inside libonnx).
struct RequiredRank
{
    const char *op;
    int inputs; // the first this many inputs
    int rank;
};
constexpr RequiredRank kRequiredRanks[] = {
    {"Gemm", 2, 2}, // A and B; a scalar A
    {"STFT", 1, 3}, // signal [batch, length, 1 or 2]; a 1-D signal
};

// The ranks above, and the convolutions' weights: the rank of their input, and at least 3.
Status checkOperandRanks(const onnx::NodeProto &node,
                         const std::unordered_map<std::string, int> &ranks)
{
    const std::string &op = node.op_type();
    if (!node.domain().empty() && node.domain() != "ai.onnx")
        return Status::ok();
    const auto rankOf = [&](const std::string &name) {
        const auto it = ranks.find(name);
        return it == ranks.end() ? -1 : it->second;
    };
    for (const RequiredRank &required : kRequiredRanks) {
        if (op != required.op)
            continue;
        for (int i = 0; i < std::min(node.input_size(), required.inputs); ++i) {
            const int rank = rankOf(node.input(i));
            if (rank >= 0 && rank != required.rank)
                return invalidArgument(nodeLabel(node) + ": input '" + node.input(i) + "' has rank "
                                       + std::to_string(rank) + "; " + op + " needs rank "
                                       + std::to_string(required.rank));
        }
        return Status::ok();
    }
    // MaxUnpool's indices I have X's shape; ONNX reads I's dim 1 as the output's channels
    // (a 1-D I: SIGSEGV inside libonnx, found by the fuzzer).
    if (op == "MaxUnpool" && node.input_size() >= 2) {
        const int inputRank = rankOf(node.input(0)), indicesRank = rankOf(node.input(1));
        if (indicesRank >= 0 && (indicesRank < 2 || (inputRank >= 0 && indicesRank != inputRank)))
            return invalidArgument(
                nodeLabel(node) + ": indices '" + node.input(1) + "' have rank "
                + std::to_string(indicesRank) + "; they must have the rank of " + "input '"
                + node.input(0) + "'"
                + (inputRank >= 0 ? " (" + std::to_string(inputRank) + ")" : std::string()));
        return Status::ok();
    }
    const int weightIndex = op == "QLinearConv"                                            ? 3
                            : op == "Conv" || op == "ConvTranspose" || op == "ConvInteger" ? 1
                                                                                           : -1;
    if (weightIndex < 0 || node.input_size() <= weightIndex)
        return Status::ok();
    const int inputRank = rankOf(node.input(0)), weightRank = rankOf(node.input(weightIndex));
    if (weightRank >= 0 && weightRank < 3)
        return invalidArgument(nodeLabel(node) + ": weights '" + node.input(weightIndex)
                               + "' have rank " + std::to_string(weightRank)
                               + "; a convolution's weights have rank 3 or more");
    if (weightRank >= 0 && inputRank >= 0 && weightRank != inputRank)
        return invalidArgument(nodeLabel(node) + ": weights '" + node.input(weightIndex)
                               + "' have rank " + std::to_string(weightRank) + " but input '"
                               + node.input(0) + "' has rank " + std::to_string(inputRank));
    return Status::ok();
}

// ONNX's inference functions read required attributes without looking (Scan-8 with no
// num_scan_inputs: SIGSEGV inside libonnx, found by tests/fuzz/model_fuzzer.cpp) and trust the
// type of those present, so both are checked against the node's schema first.
Status checkAttributesAgainstSchema(const onnx::NodeProto &node, int opsetVersion)
{
    const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(node.op_type(), opsetVersion,
                                                                  node.domain());
    if (!schema)
        return Status::ok();
    for (const auto &entry : schema->attributes()) {
        const onnx::OpSchema::Attribute &expected = entry.second;
        const onnx::AttributeProto *found = nullptr;
        for (const onnx::AttributeProto &attribute : node.attribute()) {
            if (attribute.name() == entry.first)
                found = &attribute;
        }
        if (!found && expected.required)
            return invalidArgument(nodeLabel(node) + " lacks its required attribute '" + entry.first
                                   + "'");
        if (found && found->type() != expected.type)
            return invalidArgument(nodeLabel(node) + ": attribute '" + entry.first
                                   + "' has the wrong type");
    }
    return Status::ok();
}

// ONNX's convolution, pooling and depth/space inference divides by strides and block sizes and
// sizes outputs from kernel shapes without checking their signs (strides 0: SIGFPE inside
// libonnx), so these attributes are checked first, in the default domain, whatever the op.
Status checkWindowAttributes(const onnx::NodeProto &node)
{
    if (!node.domain().empty() && node.domain() != "ai.onnx")
        return Status::ok();
    for (const onnx::AttributeProto &attribute : node.attribute()) {
        const std::string &name = attribute.name();
        const bool positive = name == "strides" || name == "dilations" || name == "kernel_shape"
                              || name == "group" || name == "blocksize";
        // Pad-2's pads crop when negative; the convolutions' and pools' never do.
        const bool nonNegative = (name == "pads" && node.op_type() != "Pad")
                                 || name == "output_padding";
        if (!positive && !nonNegative)
            continue;
        std::vector<int64_t> values(attribute.ints().begin(), attribute.ints().end());
        if (attribute.has_i())
            values.push_back(attribute.i());
        for (const int64_t value : values) {
            if (value < (positive ? 1 : 0))
                return invalidArgument(nodeLabel(node) + ": attribute '" + name + "' is "
                                       + std::to_string(value) + "; it must be "
                                       + (positive ? "positive" : "zero or more"));
        }
    }
    return Status::ok();
}

// ONNX's shape inference, with data propagation, reads the type of every node input without
// looking: a Shape node whose input no graph input, initializer or earlier node defines ended in
// SIGSEGV inside libonnx (found by tests/fuzz/model_fuzzer.cpp). Nodes must come in the order
// ONNX requires, each input defined before it is read; subgraphs see what their owner sees.
Status checkInputsDefinedBeforeUse(const onnx::GraphProto &graph,
                                   std::unordered_set<std::string> visible)
{
    for (const auto &value : graph.input())
        visible.insert(value.name());
    for (const auto &tensor : graph.initializer())
        visible.insert(tensor.name());
    for (const onnx::NodeProto &node : graph.node()) {
        for (const std::string &input : node.input()) {
            if (!input.empty() && !visible.count(input))
                return invalidArgument(nodeLabel(node) + " reads '" + input
                                       + "', which no graph input, initializer or earlier node "
                                         "defines");
        }
        for (const onnx::AttributeProto &attribute : node.attribute()) {
            if (attribute.has_g())
                QS_RETURN_IF_ERROR(checkInputsDefinedBeforeUse(attribute.g(), visible));
            for (const onnx::GraphProto &body : attribute.graphs())
                QS_RETURN_IF_ERROR(checkInputsDefinedBeforeUse(body, visible));
        }
        for (const std::string &output : node.output())
            visible.insert(output);
    }
    return Status::ok();
}

// Declared types ONNX's inference functions dereference without looking (SIGSEGVs inside libonnx
// found by tests/fuzz/model_fuzzer.cpp): a main-graph input with no type at all, and a tensor
// type with no element type, in any graph.
Status checkDeclaredTypes(const onnx::GraphProto &graph, bool mainGraph)
{
    for (const auto *values : {&graph.input(), &graph.output(), &graph.value_info()}) {
        for (const onnx::ValueInfoProto &value : *values) {
            const onnx::TypeProto &type = value.type();
            if (mainGraph && values == &graph.input()
                && type.value_case() == onnx::TypeProto::VALUE_NOT_SET)
                return invalidArgument("graph input '" + value.name() + "' has no type");
            if (type.has_tensor_type() && type.tensor_type().elem_type() == 0)
                return invalidArgument("value '" + value.name()
                                       + "' is declared a tensor with no element type");
        }
    }
    for (const onnx::NodeProto &node : graph.node()) {
        for (const onnx::AttributeProto &attribute : node.attribute()) {
            if (attribute.has_g())
                QS_RETURN_IF_ERROR(checkDeclaredTypes(attribute.g(), false));
            for (const onnx::GraphProto &body : attribute.graphs())
                QS_RETURN_IF_ERROR(checkDeclaredTypes(body, false));
        }
    }
    return Status::ok();
}

// The order in which ONNX's inference may visit `graph`'s nodes: each after the producers of what
// it reads (its subgraphs' reads from this scope included). ONNX requires stored order to be such
// an order, but files that break it open everywhere else (the graph index sorts them), so the
// annotated copy is sorted for inference and put back afterwards. Nodes on a cycle stay last;
// checkInputsDefinedBeforeUse then refuses them.
std::vector<int> inferenceOrder(const onnx::GraphProto &graph)
{
    std::unordered_map<std::string, int> producer;
    for (int i = 0; i < graph.node_size(); ++i) {
        for (const std::string &output : graph.node(i).output())
            producer.emplace(output, i);
    }
    std::vector<std::vector<int>> readers(graph.node_size());
    std::vector<int> waitingFor(graph.node_size(), 0);
    for (int i = 0; i < graph.node_size(); ++i) {
        std::unordered_set<std::string> reads(graph.node(i).input().begin(),
                                              graph.node(i).input().end());
        collectSubgraphReads(graph.node(i), reads);
        for (const std::string &name : reads) {
            const auto it = producer.find(name);
            if (it != producer.end() && it->second != i) {
                readers[it->second].push_back(i);
                ++waitingFor[i];
            }
        }
    }
    std::vector<int> order;
    std::vector<bool> placed(graph.node_size(), false);
    for (int i = 0; i < graph.node_size(); ++i) {
        if (waitingFor[i] == 0)
            order.push_back(i);
    }
    for (size_t next = 0; next < order.size(); ++next) {
        placed[order[next]] = true;
        for (const int reader : readers[order[next]]) {
            if (--waitingFor[reader] == 0)
                order.push_back(reader);
        }
    }
    for (int i = 0; i < graph.node_size(); ++i) {
        if (!placed[i])
            order.push_back(i);
    }
    return order;
}

void reorderNodes(onnx::GraphProto &graph, const std::vector<int> &order, bool inverse)
{
    google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
    nodes.Swap(graph.mutable_node());
    std::vector<onnx::NodeProto *> slots(nodes.size(), nullptr);
    for (size_t k = 0; k < order.size(); ++k)
        slots[inverse ? order[k] : k] = &nodes[inverse ? int(k) : order[k]];
    for (onnx::NodeProto *node : slots)
        graph.add_node()->Swap(node);
}

// ONNX's graph import (onnx::graphProtoToGraph, which the version converter calls) dereferences
// the producer of every graph output without looking: an output that no node, graph input or
// initializer provides ends in SIGSEGV inside libonnx. Subgraphs see the names of their parents.
struct SubgraphPlace
{
    std::string attribute; // the attribute holding the subgraph ("then_branch")
    std::string node;      // its node, as nodeLabel() words it
};

void checkGraphOutputs(const onnx::GraphProto &graph, std::unordered_set<std::string> visible,
                       const std::optional<SubgraphPlace> &where, std::vector<Diagnostic> &findings)
{
    for (const auto &value : graph.input())
        visible.insert(value.name());
    for (const auto &tensor : graph.initializer())
        visible.insert(tensor.name());
    for (const auto &node : graph.node()) {
        for (const std::string &output : node.output())
            visible.insert(output);
    }
    for (const auto &output : graph.output()) {
        if (!visible.count(output.name())) {
            findings.push_back(
                diagnosticOf(Severity::Error,
                             where
                                 ? makeMessage(MessageId::SubgraphOutputUnproduced,
                                               {output.name(), where->attribute, where->node})
                                 : makeMessage(MessageId::GraphOutputUnproduced, {output.name()})));
        }
    }
    for (const auto &node : graph.node()) {
        for (const onnx::AttributeProto &attribute : node.attribute()) {
            const SubgraphPlace inner{attribute.name(), nodeLabel(node)};
            if (attribute.has_g())
                checkGraphOutputs(attribute.g(), visible, inner, findings);
            for (const onnx::GraphProto &body : attribute.graphs())
                checkGraphOutputs(body, visible, inner, findings);
        }
    }
}

// Shape inference on the annotated copy, its nodes already in inference order; what ONNX's
// code could not survive is refused first and left uninferred.
void inferSortedCopy(const onnx::ModelProto &model, onnx::ModelProto &annotated,
                     std::vector<Diagnostic> &findings)
{
    Status safe = checkInputsDefinedBeforeUse(annotated.graph(), {});
    if (safe.isOk())
        safe = checkDeclaredTypes(annotated.graph(), true);
    if (safe.isOk())
        safe = visitNodes(model.graph(), {},
                          [&](const onnx::NodeProto &node,
                              const std::unordered_map<std::string, int> &ranks) {
                              const int opset = opsetOf(model, node.domain());
                              if (opset > 0) {
                                  QS_RETURN_IF_ERROR(checkNodeArity(node, opset, nodeLabel(node)));
                                  QS_RETURN_IF_ERROR(checkAttributesAgainstSchema(node, opset));
                              }
                              QS_RETURN_IF_ERROR(checkWindowAttributes(node));
                              return checkOperandRanks(node, ranks);
                          });
    if (!safe.isOk()) {
        findings.push_back(
            diagnosticOf(Severity::Error,
                         makeMessage(MessageId::ShapeInferenceSkipped, {safe.message()})));
        return;
    }
    try {
        onnx::ShapeInferenceOptions strict(false, 1, true);
        onnx::shape_inference::InferShapes(annotated, onnx::OpSchemaRegistry::Instance(), strict);
        return;
    } catch (const std::exception &error) {
        findings.push_back(diagnosticFromException(Severity::Warning,
                                                   MessageId::ShapeInferenceFinding, error.what()));
    }
    // Strict mode stops at the first node it cannot infer; lenient mode still annotates the rest.
    try {
        onnx::ShapeInferenceOptions lenient(false, 0, false);
        onnx::shape_inference::InferShapes(annotated, onnx::OpSchemaRegistry::Instance(), lenient);
    } catch (const std::exception &error) {
        findings.push_back(diagnosticFromException(Severity::Warning,
                                                   MessageId::ShapeInferenceFinding, error.what()));
    }
}

} // namespace

bool makesModelInvalid(const Diagnostic &finding)
{
    return finding.severity == Severity::Error
           && (finding.message.starts_with("checker: ")
               || finding.message.starts_with(kGraphOutputPrefix)
               || finding.message == kNoOpsetMessage);
}

Status checkNodeArity(const onnx::NodeProto &node, int opsetVersion, const std::string &label,
                      NewerOpsets newer)
{
    const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(node.op_type(), opsetVersion,
                                                                  node.domain());
    if (!schema)
        return Status::ok();
    const auto &known = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    const auto range = known.find(node.domain() == "ai.onnx" ? std::string() : node.domain());
    const bool beyondKnown = range != known.end() && opsetVersion > range->second.second;
    const bool minimumOnly = beyondKnown && newer == NewerOpsets::MinimumOnly;
    const auto outside = [minimumOnly](int count, int min, int max) {
        return count < min || (!minimumOnly && count > max);
    };
    if (outside(node.input_size(), schema->min_input(), schema->max_input())) {
        const std::string range = schema->min_input() == schema->max_input()
                                      ? std::to_string(schema->min_input())
                                      : std::to_string(schema->min_input()) + " to "
                                            + std::to_string(schema->max_input());
        return invalidArgument(label + " has " + std::to_string(node.input_size()) + " inputs; "
                               + node.op_type() + " takes " + range);
    }
    if (outside(node.output_size(), schema->min_output(), schema->max_output())) {
        const std::string range = schema->min_output() == schema->max_output()
                                      ? std::to_string(schema->min_output())
                                      : std::to_string(schema->min_output()) + " to "
                                            + std::to_string(schema->max_output());
        return invalidArgument(label + " has " + std::to_string(node.output_size()) + " outputs; "
                               + node.op_type() + " gives " + range);
    }
    return Status::ok();
}

std::vector<Diagnostic> checkModel(const onnx::ModelProto &model, const std::string &baseDir)
{
    std::vector<Diagnostic> findings;
    if (model.ir_version() > onnx::IR_VERSION) {
        findings.push_back(
            diagnosticOf(Severity::Warning, makeMessage(MessageId::IrVersionNewer,
                                                        {std::to_string(model.ir_version()),
                                                         std::to_string(onnx::IR_VERSION)})));
    }
    if (model.ir_version() >= 3 && model.opset_import_size() == 0) {
        findings.push_back(diagnosticOf(Severity::Error, makeMessage(MessageId::NoOpsetImported)));
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
        findings.push_back(
            diagnosticFromException(Severity::Error, MessageId::CheckerFinding, error.what()));
    }
    checkGraphOutputs(model.graph(), {}, std::nullopt, findings);
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

    // Sorted for inference (see inferenceOrder), stored order again afterwards: the graph index
    // pairs the annotated nodes with the model's by position.
    const std::vector<int> order = inferenceOrder(graph);
    reorderNodes(graph, order, false);
    inferSortedCopy(model, annotated, findings);
    reorderNodes(graph, order, true);
    return findings;
}

} // namespace qs
