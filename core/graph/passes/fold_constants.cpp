#include "graph/passes/fold_constants.h"

#include "graph/passes/constant_evaluation.h"
#include "model/attributes.h"

#include <algorithm>

namespace qs {

namespace {

// A fold may produce a few more elements than its inputs hold (a Shape of an activation, a
// ConstantOfShape for a small mask); beyond that it would make the file grow.
constexpr int64_t kFoldAllowance = 4096;

// Shape (with opset 15's start/end) or Size of a value whose every dim the model fixes.
std::optional<Tensor> shapeOf(const Graph &graph, const onnx::NodeProto &node)
{
    const TensorType type = graph.valueType(node.input(0));
    if (!type.hasShape)
        return std::nullopt;
    Shape dims;
    for (const auto &dim : type.dims) {
        if (!dim.isKnown())
            return std::nullopt;
        dims.push_back(dim.value);
    }
    if (node.op_type() == "Size")
        return Tensor::scalar<int64_t>(shapeElementCount(dims));
    const auto rank = int64_t(dims.size());
    auto clamped = [rank](int64_t position) {
        return std::clamp(position < 0 ? position + rank : position, int64_t(0), rank);
    };
    const int64_t start = clamped(intAttribute(node, "start", 0));
    const int64_t end = clamped(intAttribute(node, "end", rank));
    std::vector<int64_t> slice(dims.begin() + start, dims.begin() + std::max(start, end));
    return Tensor::fromVector<int64_t>({int64_t(slice.size())}, slice);
}

// The values of every non-empty input when all are constants; nullopt otherwise.
std::optional<std::vector<const Tensor *>> constantInputs(Graph &graph, const onnx::NodeProto &node)
{
    std::vector<const Tensor *> values;
    for (const auto &input : node.input()) {
        if (input.empty()) {
            values.push_back(nullptr);
            continue;
        }
        const Tensor *value = graph.constant(input);
        if (!value)
            return std::nullopt;
        values.push_back(value);
    }
    return values;
}

// The folded value of node `id`, or nullopt when it does not fold.
std::optional<Tensor> foldedValue(Graph &graph, NodeId id)
{
    const GraphNode &node = graph.node(id);
    const onnx::NodeProto &proto = node.proto;
    if (proto.op_type() == "Constant")
        return constantAttributeValue(proto);
    if ((proto.op_type() == "Shape" || proto.op_type() == "Size") && proto.input_size() == 1) {
        if (const Tensor *value = graph.constant(proto.input(0))) {
            Shape dims = value->shape();
            return proto.op_type() == "Size"
                       ? Tensor::scalar<int64_t>(value->elementCount())
                       : Tensor::fromVector<int64_t>({int64_t(dims.size())}, dims);
        }
        return shapeOf(graph, proto);
    }
    if (!isEvaluatedConstantOp(proto.op_type()))
        return std::nullopt;
    const auto inputs = constantInputs(graph, proto);
    if (!inputs)
        return std::nullopt;
    int64_t inputElements = 0;
    for (const Tensor *input : *inputs)
        inputElements += input ? input->elementCount() : 0;
    std::optional<Tensor> value = evaluateConstantNode(proto, node.opsetVersion, *inputs);
    if (value && value->elementCount() > inputElements + kFoldAllowance)
        return std::nullopt;
    return value;
}

} // namespace

Result<bool> FoldConstants::apply(Graph &graph, PassContext &context)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (context.cancelled())
            return cancelled("cancelled while folding constants");
        const GraphNode &node = graph.node(id);
        const onnx::NodeProto &proto = node.proto;
        if (!isDefaultDomain(proto.domain()) || !node.subgraphs.empty() || proto.output_size() != 1
            || proto.output(0).empty() || graph.isGraphOutput(proto.output(0)))
            continue;
        const std::string output = proto.output(0);
        if (proto.op_type() == "Identity") {
            // Readers read the constant itself: a parameter torch shares through Identity nodes
            // stays one tensor instead of becoming one copy per reader.
            if (proto.input_size() != 1 || !graph.constant(proto.input(0)))
                continue;
            const std::string input = proto.input(0);
            graph.replaceUses(output, input);
            graph.removeNode(id);
            modified = true;
            continue;
        }
        std::optional<Tensor> value = foldedValue(graph, id);
        if (!value)
            continue;
        graph.removeNode(id);
        graph.setInitializer(output, std::move(*value));
        modified = true;
    }
    return modified;
}

} // namespace qs
