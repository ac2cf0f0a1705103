// The QDQ table passes (see qdq_conv_matmul.cpp for why QDQ groups are fused at all):
//  - FuseQdqLookupTables: DQ -> elementwise float steps (activations, arithmetic with a scalar
//    constant) -> Q becomes a 256-entry table lookup (every 8-bit input has one output; exact),
//    and a table read only by another table composes with it;
//  - FuseLookupIntoConv: a QLinearConv maps its uint8 result through the following table while
//    writing it, or computes a HardSwish in its epilogue (int8_conv.cpp);
//  - FuseGatedTables: QLinearMul / QLinearAdd of a value and a table of that same value (x *
//    HardSigmoid(x), x * Sigmoid(x) as a QDQ model spells HardSwish and SiLU below opset 14) is
//    a function of the one 8-bit value, so one table too.
#include "runtime/fusion/fusion_passes.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"
#include "runtime/fusion/fused_activation.h"
#include "runtime/fusion/qdq_lookup_table.h"
#include "runtime/fusion/qdq_support.h"

#include <algorithm>

namespace qs {

using namespace qdq;

namespace {

// One-element constant operand of an Add/Sub/Mul/Div: PP-LCNet's "learnable affine blocks"
// scale and shift every activation by learned scalars, which a QDQ model spells as
// DQ(x) -> Mul(DQ(w)) -> Q -> DQ -> Add(DQ(b)) -> Q. Each such step maps every 8-bit x to one
// 8-bit y, so it is a lookup table like an activation, and a chain of them is one table.
struct ScalarArithmetic
{
    char op = '+';
    float constant = 0.0f;
    int variableInput = 0; // the other input is the constant
    // The same float operation, in the same operand order, as the node.
    void apply(float *values, int count) const
    {
        const bool constantFirst = variableInput == 1;
        for (int i = 0; i < count; ++i) {
            const float v = values[i];
            switch (op) {
            case '+': values[i] = constantFirst ? constant + v : v + constant; break;
            case '-': values[i] = constantFirst ? constant - v : v - constant; break;
            case '*': values[i] = constantFirst ? constant * v : v * constant; break;
            default: values[i] = constantFirst ? constant / v : v / constant; break;
            }
        }
    }
};

// The float value of a one-element constant that cannot change the shape of a value of rank
// `otherRank` by broadcasting: a float32 initializer, or a per-tensor DequantizeLinear of a
// constant (computed as DequantizeLinear computes it).
std::optional<float> scalarOperand(Graph &graph, const std::string &value,
                                   std::optional<size_t> otherRank)
{
    auto fits = [&](const Tensor &tensor) {
        return tensor.elementCount() == 1
               && (tensor.rank() == 0 || (otherRank && size_t(tensor.rank()) <= *otherRank));
    };
    if (const Tensor *constant = graph.constant(value)) {
        if (constant->dtype() != DType::Float32 || !fits(*constant))
            return std::nullopt;
        return float(constant->doubleAt(0));
    }
    const NodeId dq = graph.producer(value);
    if (!isOp(graph, dq, "DequantizeLinear"))
        return std::nullopt;
    std::optional<QdqParams> params = qdqParams(graph, dq);
    const Tensor *quantized = graph.constant(graph.node(dq).proto.input(0));
    if (!params || !params->perTensor() || !quantized || !fits(*quantized))
        return std::nullopt;
    return float(quantized->intAt(0) - params->zeroPointAt(0)) * params->scaleAt(0);
}

std::optional<ScalarArithmetic> scalarArithmetic(Graph &graph, NodeId node)
{
    static const std::pair<const char *, char> ops[]
        = {{"Add", '+'}, {"Sub", '-'}, {"Mul", '*'}, {"Div", '/'}};
    const onnx::NodeProto &proto = graph.node(node).proto;
    if (!isDefaultDomain(proto.domain()) || proto.input_size() != 2 || proto.output_size() != 1)
        return std::nullopt;
    const auto found = std::find_if(std::begin(ops), std::end(ops), [&](const auto &entry) {
        return proto.op_type() == entry.first;
    });
    if (found == std::end(ops))
        return std::nullopt;
    // The variable side must keep the output's shape: a one-element constant broadcasts to it.
    for (int constantInput : {1, 0}) {
        const TensorType variable = graph.valueType(proto.input(1 - constantInput));
        const std::optional<size_t> variableRank
            = variable.hasShape ? std::optional<size_t>(variable.dims.size()) : std::nullopt;
        if (std::optional<float> constant = scalarOperand(graph, proto.input(constantInput),
                                                          variableRank))
            return ScalarArithmetic{found->second, *constant, 1 - constantInput};
    }
    return std::nullopt;
}

// One elementwise float step a table can absorb: an activation, or arithmetic with a
// one-element constant.
struct TableStep
{
    NodeId node = kNoNode;
    std::optional<FusedActivation> activation;
    std::optional<ScalarArithmetic> arithmetic;
    int variableInput = 0;

    void apply(float *values, int count) const
    {
        if (activation)
            applyFusedActivation(*activation, values, count);
        else
            arithmetic->apply(values, count);
    }
};

// Longer chains do occur (Mul -> Add -> HardSwish -> Mul); the bound only keeps a
// pathological graph from making the pass quadratic.
constexpr size_t kMaxChainedSteps = 8;

std::optional<TableStep> tableStep(Graph &graph, NodeId node)
{
    if (!graph.isAlive(node))
        return std::nullopt;
    const onnx::NodeProto &proto = graph.node(node).proto;
    if (hasFusedActivation(proto) || proto.input_size() < 1 || proto.output_size() != 1)
        return std::nullopt;
    if (std::optional<FusedActivation> activation = fusableActivation(graph, node))
        return TableStep{node, activation, std::nullopt, 0};
    if (std::optional<ScalarArithmetic> arithmetic = scalarArithmetic(graph, node))
        return TableStep{node, std::nullopt, arithmetic, arithmetic->variableInput};
    return std::nullopt;
}

bool isLookup(const Graph &graph, NodeId node)
{
    return graph.isAlive(node) && graph.node(node).domain() == kFusedDomain
           && graph.node(node).opType() == "QLinearLookup";
}

// A table whose input is the output of another table (read by nothing else) becomes their
// composition, read from the first table's input: one pass over the values instead of two.
void composeWithPrecedingLookup(Graph &graph, NodeId lookup)
{
    const onnx::NodeProto &second = graph.node(lookup).proto;
    const NodeId first = graph.producer(second.input(0));
    if (!isLookup(graph, first) || graph.useCount(graph.node(first).proto.output(0)) != 1)
        return;
    const Tensor *firstTable = graph.constant(graph.node(first).proto.input(1));
    const Tensor *secondTable = graph.constant(second.input(1));
    if (!firstTable || !secondTable)
        return;
    Tensor composed = Tensor::allocate(secondTable->dtype(), {256});
    const auto *secondValues = static_cast<const uint8_t *>(secondTable->rawData());
    auto *out = static_cast<uint8_t *>(composed.mutableRawData());
    for (int i = 0; i < 256; ++i) {
        // The first table's value indexes the second as every table is indexed: int8 shifted.
        const int index = firstTable->dtype() == DType::Int8
                              ? int(firstTable->data<int8_t>()[i]) + 128
                              : int(firstTable->data<uint8_t>()[i]);
        out[i] = secondValues[index];
    }
    const std::string tableName = second.output(0) + "::composed_table";
    graph.setInitializer(tableName, std::move(composed));
    const std::string firstInput = graph.node(first).proto.input(0);
    graph.setInput(lookup, 0, firstInput);
    graph.setInput(lookup, 1, tableName);
    // The composition is no single activation any more: a Conv before it applies the table.
    GraphNode &node = graph.node(lookup);
    clearFusedActivation(node.proto);
    std::vector<std::string> labels{graph.fusionLabel(first)};
    const auto &firstLabels = graph.node(first).absorbed;
    labels.insert(labels.end(), firstLabels.begin(), firstLabels.end());
    node.absorbed.insert(node.absorbed.begin(), labels.begin(), labels.end());
    graph.removeNode(first);
}

} // namespace

Result<bool> FuseQdqLookupTables::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        std::optional<TableStep> first = tableStep(graph, id);
        if (!first)
            continue;
        const onnx::NodeProto &proto = graph.node(id).proto;
        std::optional<Dequantized> x = perTensorDequantize(graph, proto.input(first->variableInput));
        if (!x)
            continue;
        // The float steps up to the QuantizeLinear: one in a QDQ model; in a QOperator model
        // (or a partly quantized QDQ one) QLinearConv -> DQ -> HardSwish -> Mul -> Add -> Q,
        // a float chain each of whose values has one reader.
        std::vector<TableStep> chain = {*first};
        std::string value = proto.output(0);
        std::optional<Dequantized> y;
        while (!(y = soleQuantizeReader(graph, value)) && chain.size() < kMaxChainedSteps) {
            const NodeId next = graph.soleReader(value);
            std::optional<TableStep> step = tableStep(graph, next);
            if (!step || graph.node(next).proto.input(step->variableInput) != value)
                break;
            chain.push_back(*step);
            value = graph.node(next).proto.output(0);
        }
        if (!y)
            continue;
        const DType inType = static_cast<DType>(graph.elementType(x->quantized));
        const std::string tableName = proto.output(0) + "::lookup_table";
        graph.setInitializer(tableName,
                             lookupTable(x->params, inType, y->params, [&](float *values) {
                                 for (const TableStep &step : chain)
                                     step.apply(values, 256);
                             }));
        onnx::NodeProto fused;
        fused.set_domain(kFusedDomain);
        fused.set_op_type("QLinearLookup");
        // The output's scale and zero point and the activation ride along (the lookup kernel
        // ignores them) for FuseLookupIntoConv, which may compute the activation instead.
        for (const std::string &input :
             {x->quantized, tableName, y->params.scaleName, zeroPointOrDefault(graph, y->params)})
            fused.add_input(input);
        fused.add_output(proto.output(0));
        const std::vector<std::string> consumed(proto.input().begin(), proto.input().end());
        graph.replaceProto(id, std::move(fused));
        // A chain is no single activation: a Conv before it applies the table instead.
        if (chain.size() == 1 && first->activation)
            setFusedActivation(graph.node(id).proto, *first->activation);
        for (const std::string &input : consumed)
            removeUnreadDequantize(graph, input);
        for (size_t i = 1; i < chain.size(); ++i) {
            const onnx::NodeProto &absorbed = graph.node(chain[i].node).proto;
            const std::vector<std::string> inputs(absorbed.input().begin(), absorbed.input().end());
            graph.node(id).absorbed.push_back(graph.fusionLabel(chain[i].node));
            graph.removeNode(chain[i].node);
            for (int k = 0; k < int(inputs.size()); ++k) {
                if (k != chain[i].variableInput)
                    removeUnreadDequantize(graph, inputs[size_t(k)]);
            }
        }
        graph.absorbInto(id, y->node);
        composeWithPrecedingLookup(graph, id);
        modified = true;
    }
    return modified;
}

namespace {

// A constant scalar input of a node, as float (scales) or as the float of an 8-bit zero point.
// FuseQdqBinary names every zero point (zeroPointOrDefault), so an empty one is not expected.
std::optional<float> scalarInput(Graph &graph, const onnx::NodeProto &node, int index)
{
    const Tensor *t = graph.constant(node.input(index));
    if (!t || t->elementCount() != 1)
        return std::nullopt;
    return float(t->doubleAt(0));
}

} // namespace

Result<bool> FuseGatedTables::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (!graph.isAlive(id) || graph.node(id).domain() != kFusedDomain)
            continue;
        const std::string op = graph.node(id).opType();
        const onnx::NodeProto &node = graph.node(id).proto;
        if ((op != "QLinearMul" && op != "QLinearAdd") || node.input_size() != 8
            || intAttribute(node, "channels_last", 0) != 0)
            continue;
        // Which data input (0 or 3) is the table of the other.
        int tableInput = -1;
        for (const int i : {0, 3}) {
            const NodeId producer = graph.producer(node.input(i));
            if (isLookup(graph, producer)
                && graph.node(producer).proto.input(0) == node.input(i == 0 ? 3 : 0)
                && graph.useCount(node.input(i)) == 1)
                tableInput = i;
        }
        if (tableInput < 0)
            continue;
        const NodeId lookup = graph.producer(node.input(tableInput));
        const Tensor *table = graph.constant(graph.node(lookup).proto.input(1));
        const std::string value = node.input(tableInput == 0 ? 3 : 0);
        const DType inType = static_cast<DType>(graph.elementType(value));
        const DType outType = static_cast<DType>(graph.elementType(node.input(7)));
        std::optional<float> params[8];
        for (const int i : {1, 2, 4, 5, 6, 7})
            params[i] = scalarInput(graph, node, i);
        const bool constants = params[1] && params[2] && params[4] && params[5] && params[6]
                               && params[7];
        if (!table || !constants || table->dtype() != inType
            || (inType != DType::UInt8 && inType != DType::Int8)
            || (outType != DType::UInt8 && outType != DType::Int8))
            continue;
        // The same float steps, in the same operand order, as QLinearBinaryKernel.
        const float low = outType == DType::Int8 ? -128.0f : 0.0f;
        const float high = outType == DType::Int8 ? 127.0f : 255.0f;
        Tensor gated = Tensor::allocate(outType, {256});
        for (int i = 0; i < 256; ++i) {
            const float x = float(inType == DType::Int8 ? i - 128 : i);
            const float t = inType == DType::Int8 ? float(table->data<int8_t>()[i])
                                                  : float(table->data<uint8_t>()[i]);
            const float a = tableInput == 0 ? t : x, b = tableInput == 0 ? x : t;
            const float da = (a - *params[2]) * *params[1], db = (b - *params[5]) * *params[4];
            const float result = op == "QLinearMul" ? da * db : da + db;
            const float q = std::clamp(std::nearbyint(result / *params[6]) + *params[7], low, high);
            if (outType == DType::Int8)
                gated.mutableData<int8_t>()[i] = int8_t(q);
            else
                gated.mutableData<uint8_t>()[i] = uint8_t(q);
        }
        const std::string tableName = node.output(0) + "::gated_table";
        graph.setInitializer(tableName, std::move(gated));
        onnx::NodeProto fused;
        fused.set_domain(kFusedDomain);
        fused.set_op_type("QLinearLookup");
        for (const std::string &input : {value, tableName, node.input(6), node.input(7)})
            fused.add_input(input);
        fused.add_output(node.output(0));
        graph.replaceProto(id, std::move(fused));
        graph.node(id).absorbed.insert(graph.node(id).absorbed.begin(), graph.fusionLabel(lookup));
        graph.removeNode(lookup);
        composeWithPrecedingLookup(graph, id);
        modified = true;
    }
    return modified;
}

Result<bool> FuseLookupIntoConv::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        if (!graph.isAlive(id))
            continue;
        const onnx::NodeProto &conv = graph.node(id).proto;
        const bool transposed = conv.domain() == kFusedDomain
                                && conv.op_type() == "QLinearConvTranspose";
        if (!(isDefaultOp(conv, "QLinearConv") || transposed) || conv.input_size() > 9
            || conv.output_size() != 1)
            continue;
        // The table indexes uint8 values as they are (int8 ones shifted), so uint8 results only.
        if (graph.elementType(conv.output(0)) != static_cast<int32_t>(DType::UInt8))
            continue;
        const NodeId lookup = graph.soleReader(conv.output(0));
        if (!isLookup(graph, lookup) || graph.node(lookup).proto.input(0) != conv.output(0))
            continue;
        while (graph.node(id).proto.input_size() < 9)
            graph.addInput(id, ""); // no bias
        // Inputs 9-11: the table, its output scale and zero point; attributes: the activation,
        // which the int8 kernel computes in its epilogue when oneDNN can (int8_conv.cpp).
        const onnx::NodeProto &table = graph.node(lookup).proto;
        for (int i = 1; i <= 3; ++i)
            graph.addInput(id, table.input(i));
        onnx::NodeProto &proto = graph.node(id).proto;
        if (const std::optional<FusedActivation> activation = fusedActivationOf(table)) {
            setIntAttribute(proto, "lookup_activation", int64_t(activation->kind));
            setFloatAttribute(proto, "lookup_alpha", activation->alpha);
            setFloatAttribute(proto, "lookup_beta", activation->beta);
        }
        if (!transposed)
            proto.set_domain(kFusedDomain); // QLinearConv with a 10th input is ours
        graph.absorbInto(id, lookup);
        modified = true;
    }
    return modified;
}

} // namespace qs
