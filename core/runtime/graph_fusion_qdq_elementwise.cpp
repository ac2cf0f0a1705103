// The elementwise QDQ passes (see graph_fusion_qdq.cpp for the whole list):
//  - fuseQdqLookupTables: DQ -> elementwise float steps (activations, arithmetic with a scalar
//    constant) -> Q becomes a 256-entry table lookup (every 8-bit input has one output; exact),
//    and a table read only by another table composes with it;
//  - fuseLookupIntoConv: a QLinearConv maps its uint8 result through the following table while
//    writing it, or computes a HardSwish in its epilogue (int8_conv.cpp);
//  - fuseQdqBinary: DQ(a), DQ(b) -> Add/Mul -> Q becomes one pass over the 8-bit inputs, and
//    DQ -> GlobalAveragePool -> Q an integer mean per channel;
//  - dropQdqAroundDataMovement: DQ -> Resize(nearest)/MaxPool/Reshape/... -> Q with the same
//    scale and zero point on both sides becomes the op on the 8-bit values (exact); a Concat of
//    inputs with other scales becomes QLinearConcat with a requantizing table per input (exact).
#include "runtime/graph_fusion_qdq_support.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace qs {

using namespace qdq;

namespace {

// y = Q(f(DQ(x))) for each of the 256 values of x, in y's type; index = x as uint8 (int8 x is
// offset by 128).
template<typename Transform>
Tensor lookupTable(const QuantParams &in, DType inType, const QuantParams &out,
                   const Transform &transform)
{
    float values[256];
    for (int i = 0; i < 256; ++i) {
        const int32_t q = inType == DType::Int8 ? i - 128 : i;
        values[i] = float(q - in.zeroPointAt(0)) * in.scaleAt(0);
    }
    transform(values);
    const DType outType = out.quantizedType();
    const float low = outType == DType::Int8 ? -128.0f : 0.0f;
    const float high = outType == DType::Int8 ? 127.0f : 255.0f;
    Tensor table = Tensor::allocate(outType, {256});
    for (int i = 0; i < 256; ++i) {
        // 0/0 from a Div by a constant zero has no 8-bit value; the zero point stands for it.
        const float scaled = std::isnan(values[i]) ? 0.0f : std::nearbyint(values[i] / out.scaleAt(0));
        const float q = std::clamp(scaled + float(out.zeroPointAt(0)), low, high);
        if (outType == DType::Int8)
            table.mutableData<int8_t>()[i] = int8_t(q);
        else
            table.mutableData<uint8_t>()[i] = uint8_t(q);
    }
    return table;
}

// One scale and zero point value each, equal on both sides.
bool sameParams(const QuantParams &a, const QuantParams &b)
{
    return a.quantizedType() == b.quantizedType() && a.scaleAt(0) == b.scaleAt(0)
           && a.zeroPointAt(0) == b.zeroPointAt(0);
}

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
std::optional<float> scalarConstant(std::vector<PlannedNode> &nodes, FusionContext &context,
                                    const std::string &value, std::optional<size_t> otherRank)
{
    auto fits = [&](const Tensor &tensor) {
        return tensor.elementCount() == 1
               && (tensor.rank() == 0 || (otherRank && size_t(tensor.rank()) <= *otherRank));
    };
    if (const Tensor *constant = context.constant(value)) {
        if (constant->dtype() != DType::Float32 || !fits(*constant))
            return std::nullopt;
        return float(constant->doubleAt(0));
    }
    PlannedNode *dq = producer(nodes, context, value);
    if (!isOp(dq, "DequantizeLinear"))
        return std::nullopt;
    std::optional<QuantParams> params = quantParams(*dq, context);
    const Tensor *quantized = context.constant(dq->proto.input(0));
    if (!params || !params->perTensor() || !quantized || !fits(*quantized))
        return std::nullopt;
    return float(quantized->intAt(0) - params->zeroPointAt(0)) * params->scaleAt(0);
}

std::optional<ScalarArithmetic> scalarArithmetic(std::vector<PlannedNode> &nodes,
                                                 FusionContext &context, const PlannedNode &node)
{
    static const std::pair<const char *, char> ops[] = {{"Add", '+'}, {"Sub", '-'}, {"Mul", '*'}, {"Div", '/'}};
    const onnx::NodeProto &proto = node.proto;
    if (!isDefault(proto) || proto.input_size() != 2 || proto.output_size() != 1)
        return std::nullopt;
    const auto found = std::find_if(std::begin(ops), std::end(ops),
                                    [&](const auto &entry) { return proto.op_type() == entry.first; });
    if (found == std::end(ops))
        return std::nullopt;
    // The variable side must keep the output's shape: a one-element constant broadcasts to it.
    for (int constantInput : {1, 0}) {
        const TensorType variable = context.valueType(proto.input(1 - constantInput));
        const std::optional<size_t> variableRank =
            variable.hasShape ? std::optional<size_t>(variable.dims.size()) : std::nullopt;
        if (std::optional<float> constant =
                scalarConstant(nodes, context, proto.input(constantInput), variableRank))
            return ScalarArithmetic{found->second, *constant, 1 - constantInput};
    }
    return std::nullopt;
}

// One elementwise float step a table can absorb: an activation, or arithmetic with a
// one-element constant.
struct TableStep
{
    PlannedNode *node = nullptr;
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

std::optional<TableStep> tableStep(std::vector<PlannedNode> &nodes, FusionContext &context,
                                   PlannedNode &node)
{
    if (node.removed || node.activation || node.proto.input_size() < 1 || node.proto.output_size() != 1)
        return std::nullopt;
    if (std::optional<FusedActivation> activation = fusableActivation(node, context))
        return TableStep{&node, activation, std::nullopt, 0};
    if (std::optional<ScalarArithmetic> arithmetic = scalarArithmetic(nodes, context, node))
        return TableStep{&node, std::nullopt, arithmetic, arithmetic->variableInput};
    return std::nullopt;
}

// A table whose input is the output of another table (read by nothing else) becomes their
// composition, read from the first table's input: one pass over the values instead of two.
void composeWithPrecedingLookup(std::vector<PlannedNode> &nodes, FusionContext &context,
                                PlannedNode &lookup)
{
    PlannedNode *first = producer(nodes, context, lookup.proto.input(0));
    if (!first || first->removed || first->proto.domain() != kFusedDomain
        || first->proto.op_type() != "QLinearLookup" || context.readers[first->proto.output(0)] != 1)
        return;
    const Tensor *firstTable = context.constant(first->proto.input(1));
    const Tensor *secondTable = context.constant(lookup.proto.input(1));
    if (!firstTable || !secondTable)
        return;
    Tensor composed = Tensor::allocate(secondTable->dtype(), {256});
    const auto *second = static_cast<const uint8_t *>(secondTable->rawData());
    auto *out = static_cast<uint8_t *>(composed.mutableRawData());
    for (int i = 0; i < 256; ++i) {
        // The first table's value indexes the second as every table is indexed: int8 shifted.
        const int index = firstTable->dtype() == DType::Int8
                              ? int(firstTable->data<int8_t>()[i]) + 128
                              : int(firstTable->data<uint8_t>()[i]);
        out[i] = second[index];
    }
    const std::string tableName = lookup.proto.output(0) + "::composed_table";
    context.addConstant(tableName, std::move(composed));
    context.readers[first->proto.output(0)] = 0;
    context.readers[lookup.proto.input(1)] -= 1;
    context.readers[tableName] += 1;
    lookup.proto.set_input(0, first->proto.input(0));
    lookup.proto.set_input(1, tableName);
    // The composition is no single activation any more: a Conv before it applies the table.
    lookup.activation.reset();
    lookup.fusedNames = fusedLabel(*first) + first->fusedNames + lookup.fusedNames;
    for (int i = 1; i < first->proto.input_size(); ++i)
        context.readers[first->proto.input(i)] = std::max(0, context.readers[first->proto.input(i)] - 1);
    first->removed = true;
}

} // namespace

Status fuseQdqLookupTables(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &node : nodes) {
        std::optional<TableStep> first = tableStep(nodes, context, node);
        if (!first)
            continue;
        std::optional<Dequantized> x = perTensorDequantize(nodes, context, node.proto.input(first->variableInput));
        if (!x)
            continue;
        // The float steps up to the QuantizeLinear: one in a QDQ model; in a QOperator model
        // (or a partly quantized QDQ one) QLinearConv -> DQ -> HardSwish -> Mul -> Add -> Q,
        // a float chain each of whose values has one reader.
        std::vector<TableStep> chain = {*first};
        std::string value = node.proto.output(0);
        std::optional<Dequantized> y;
        while (!(y = soleQuantizeReader(nodes, context, value)) && chain.size() < kMaxChainedSteps) {
            PlannedNode *next = soleReader(nodes, context, value);
            std::optional<TableStep> step = next ? tableStep(nodes, context, *next) : std::nullopt;
            if (!step || next->proto.input(step->variableInput) != value)
                break;
            chain.push_back(*step);
            value = next->proto.output(0);
        }
        if (!y)
            continue;
        const DType inType = static_cast<DType>(context.elementType(x->quantized()));
        const std::string tableName = node.proto.output(0) + "::lookup_table";
        context.addConstant(tableName, lookupTable(x->params, inType, y->params, [&](float *values) {
            for (const TableStep &step : chain)
                step.apply(values, 256);
        }));
        onnx::NodeProto fused;
        fused.set_name(node.proto.name());
        fused.set_domain(kFusedDomain);
        fused.set_op_type("QLinearLookup");
        // The output's scale and zero point and the activation ride along (the lookup kernel
        // ignores them) for fuseLookupIntoConv, which may compute the activation instead.
        for (const std::string &input : {x->quantized(), tableName, y->params.scaleName,
                                         zeroPointOrDefault(context, y->params)}) {
            fused.add_input(input);
            context.readers[input] += 1;
        }
        fused.add_output(node.proto.output(0));
        const std::vector<std::string> consumed(node.proto.input().begin(), node.proto.input().end());
        node.proto = std::move(fused);
        // A chain is no single activation: a Conv before it applies the table instead.
        node.activation = chain.size() == 1 ? first->activation : std::nullopt;
        for (const std::string &input : consumed) {
            if (!input.empty())
                releaseInput(nodes, context, input);
        }
        for (size_t i = 1; i < chain.size(); ++i) {
            PlannedNode &absorbed = *chain[i].node;
            const onnx::NodeProto &proto = absorbed.proto;
            context.readers[proto.input(chain[i].variableInput)] = 0; // the chain's float value
            for (int k = 0; k < proto.input_size(); ++k) {
                if (k != chain[i].variableInput && !proto.input(k).empty())
                    releaseInput(nodes, context, proto.input(k));
            }
            node.fusedNames += fusedLabel(absorbed);
            absorbed.removed = true;
        }
        takeOutput(nodes, context, node, *y->node);
        composeWithPrecedingLookup(nodes, context, node);
    }
    return Status::ok();
}

Status fuseLookupIntoConv(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &conv : nodes) {
        const bool transposed = conv.proto.domain() == kFusedDomain
                                && conv.proto.op_type() == "QLinearConvTranspose";
        if (conv.removed || !(isOp(&conv, "QLinearConv") || transposed)
            || conv.proto.input_size() > 9 || conv.proto.output_size() != 1)
            continue;
        // The table indexes uint8 values as they are (int8 ones shifted), so uint8 results only.
        if (context.elementType(conv.proto.output(0)) != static_cast<int32_t>(DType::UInt8))
            continue;
        PlannedNode *lookup = soleReader(nodes, context, conv.proto.output(0));
        if (!lookup || lookup->removed || lookup->proto.domain() != kFusedDomain
            || lookup->proto.op_type() != "QLinearLookup" || lookup->proto.input(0) != conv.proto.output(0))
            continue;
        while (conv.proto.input_size() < 9)
            conv.proto.add_input(""); // no bias
        // Inputs 9-11: the table, its output scale and zero point; attributes: the activation,
        // which the int8 kernel computes in its epilogue when oneDNN can (int8_conv.cpp).
        for (int i = 1; i <= 3; ++i) {
            conv.proto.add_input(lookup->proto.input(i));
            context.readers[lookup->proto.input(i)] += 1;
        }
        if (lookup->activation) {
            auto addAttribute = [&](const char *name, auto value) {
                onnx::AttributeProto &attribute = *conv.proto.add_attribute();
                attribute.set_name(name);
                if constexpr (std::is_same_v<decltype(value), float>) {
                    attribute.set_type(onnx::AttributeProto::FLOAT);
                    attribute.set_f(value);
                } else {
                    attribute.set_type(onnx::AttributeProto::INT);
                    attribute.set_i(value);
                }
            };
            addAttribute("lookup_activation", int64_t(lookup->activation->kind));
            addAttribute("lookup_alpha", lookup->activation->alpha);
            addAttribute("lookup_beta", lookup->activation->beta);
        }
        if (!transposed)
            conv.proto.set_domain(kFusedDomain); // QLinearConv with a 10th input is ours
        takeOutput(nodes, context, conv, *lookup);
    }
    return Status::ok();
}

namespace {
void fuseGlobalAveragePool(std::vector<PlannedNode> &nodes, FusionContext &context, PlannedNode &node);
} // namespace

Status fuseQdqBinary(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &node : nodes) {
        const std::string &op = node.proto.op_type();
        if (!node.removed && isDefault(node.proto) && op == "GlobalAveragePool") {
            fuseGlobalAveragePool(nodes, context, node);
            continue;
        }
        if (node.removed || !isDefault(node.proto) || (op != "Add" && op != "Mul")
            || node.proto.input_size() != 2 || node.proto.output_size() != 1)
            continue;
        std::optional<Dequantized> a = perTensorDequantize(nodes, context, node.proto.input(0));
        std::optional<Dequantized> b = perTensorDequantize(nodes, context, node.proto.input(1));
        if (!a || !b)
            continue;
        std::optional<Dequantized> y = soleQuantizeReader(nodes, context, node.proto.output(0));
        if (!y)
            continue;
        onnx::NodeProto fused;
        fused.set_name(node.proto.name());
        fused.set_domain(kFusedDomain);
        fused.set_op_type(op == "Add" ? "QLinearAdd" : "QLinearMul");
        for (const std::string &input :
             {a->quantized(), a->params.scaleName, zeroPointOrDefault(context, a->params),
              b->quantized(), b->params.scaleName, zeroPointOrDefault(context, b->params),
              y->params.scaleName, zeroPointOrDefault(context, y->params)}) {
            fused.add_input(input);
            context.readers[input] += 1;
        }
        fused.add_output(node.proto.output(0));
        const std::vector<std::string> consumed(node.proto.input().begin(), node.proto.input().end());
        node.proto = std::move(fused);
        for (const std::string &input : consumed)
            releaseInput(nodes, context, input);
        takeOutput(nodes, context, node, *y->node);
    }
    return Status::ok();
}

namespace {

// DQ(x) -> GlobalAveragePool -> Q becomes QLinearGlobalAveragePool (4-D input only).
void fuseGlobalAveragePool(std::vector<PlannedNode> &nodes, FusionContext &context, PlannedNode &node)
{
    if (node.proto.input_size() != 1 || node.proto.output_size() != 1)
        return;
    std::optional<Dequantized> x = perTensorDequantize(nodes, context, node.proto.input(0));
    std::optional<Dequantized> y = soleQuantizeReader(nodes, context, node.proto.output(0));
    const TensorType type = context.valueType(node.proto.input(0));
    if (!x || !y || !type.hasShape || type.dims.size() != 4)
        return;
    onnx::NodeProto fused;
    fused.set_name(node.proto.name());
    fused.set_domain(kFusedDomain);
    fused.set_op_type("QLinearGlobalAveragePool");
    for (const std::string &input :
         {x->quantized(), x->params.scaleName, zeroPointOrDefault(context, x->params),
          y->params.scaleName, zeroPointOrDefault(context, y->params)}) {
        fused.add_input(input);
        context.readers[input] += 1;
    }
    fused.add_output(node.proto.output(0));
    const std::string consumed = node.proto.input(0);
    node.proto = std::move(fused);
    releaseInput(nodes, context, consumed);
    takeOutput(nodes, context, node, *y->node);
}

// DQ inputs with other scales -> Concat -> Q: QLinearConcat with a requantizing table per input
// whose parameters differ from the output's.
void requantizingConcat(std::vector<PlannedNode> &nodes, FusionContext &context, PlannedNode &node,
                        const std::vector<Dequantized> &inputs, const Dequantized &y)
{
    onnx::NodeProto fused;
    fused.set_name(node.proto.name());
    fused.set_domain(kFusedDomain);
    fused.set_op_type("QLinearConcat");
    for (const auto &attr : node.proto.attribute())
        *fused.add_attribute() = attr;
    for (size_t i = 0; i < inputs.size(); ++i) {
        fused.add_input(inputs[i].quantized());
        context.readers[inputs[i].quantized()] += 1;
        if (sameParams(inputs[i].params, y.params)) {
            fused.add_input("");
            continue;
        }
        const DType inType = static_cast<DType>(context.elementType(inputs[i].quantized()));
        const std::string table = node.proto.output(0) + "::requantize_" + std::to_string(i);
        context.addConstant(table, lookupTable(inputs[i].params, inType, y.params,
                                               [](float *) {}));
        fused.add_input(table);
        context.readers[table] += 1;
    }
    fused.add_output(node.proto.output(0));
    const std::vector<std::string> consumed(node.proto.input().begin(), node.proto.input().end());
    node.proto = std::move(fused);
    for (const std::string &input : consumed)
        releaseInput(nodes, context, input);
    takeOutput(nodes, context, node, *y.node);
}

} // namespace

Status dropQdqAroundDataMovement(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &node : nodes) {
        const std::string &op = node.proto.op_type();
        if (node.removed || !isDefault(node.proto) || node.proto.output_size() != 1
            || node.proto.input_size() < 1)
            continue;
        const bool singleData = op == "MaxPool" || op == "Reshape" || op == "Transpose"
                                || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze"
                                || op == "Slice" || op == "Resize";
        if (!singleData && op != "Concat")
            continue;
        if (op == "Resize") {
            bool nearest = false;
            for (const auto &attr : node.proto.attribute())
                nearest |= attr.name() == "mode" && attr.s() == "nearest";
            if (!nearest)
                continue;
        }
        std::optional<Dequantized> y = soleQuantizeReader(nodes, context, node.proto.output(0));
        if (!y)
            continue;
        // The data inputs: the first one, or all of Concat's; the rest (shapes, axes) stay.
        const int dataInputs = singleData ? 1 : node.proto.input_size();
        std::vector<Dequantized> inputs;
        bool allSame = true;
        for (int i = 0; i < dataInputs; ++i) {
            std::optional<Dequantized> x = perTensorDequantize(nodes, context, node.proto.input(i));
            if (!x)
                break;
            allSame = allSame && sameParams(x->params, y->params);
            inputs.push_back(*x);
        }
        if (static_cast<int>(inputs.size()) != dataInputs)
            continue;
        if (!allSame && op == "Concat") {
            requantizingConcat(nodes, context, node, inputs, *y);
            continue;
        }
        if (!allSame)
            continue;
        for (int i = 0; i < dataInputs; ++i) {
            const std::string consumed = node.proto.input(i);
            node.proto.set_input(i, inputs[size_t(i)].quantized());
            context.readers[inputs[size_t(i)].quantized()] += 1;
            releaseInput(nodes, context, consumed);
        }
        takeOutput(nodes, context, node, *y->node);
    }
    return Status::ok();
}

} // namespace qs
