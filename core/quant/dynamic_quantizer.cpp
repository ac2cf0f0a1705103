#include "quant/dynamic_quantizer.h"

#include "model/attributes.h"
#include "model/model.h"
#include "quant/quant_params.h"

#include <algorithm>
#include <unordered_map>

namespace qs {

std::vector<std::string> defaultDynamicOpTypes()
{
    return {"Conv", "MatMul", "Gemm", "Gather"};
}

namespace {

Tensor transposed2d(const Tensor &matrix)
{
    const int64_t rows = matrix.dim(0), cols = matrix.dim(1);
    Tensor result = Tensor::allocate(DType::Float32, {cols, rows});
    const float *source = matrix.data<float>();
    float *target = result.mutableData<float>();
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            target[c * rows + r] = source[r * cols + c];
    return result;
}

// What the writer did with one eligible node: rewritten, or left in float and why.
struct NodeRewrite
{
    bool rewritten = false;
    Message reason;
    Severity severity = Severity::Warning;

    static NodeRewrite done() { return {true, {}, Severity::Info}; }
    static NodeRewrite leftInFloat(Message reason, Severity severity = Severity::Warning)
    {
        return {false, std::move(reason), severity};
    }
};

// Where a Graph's values come from, for nonConstantReason.
ValueSources graphSources(Graph &graph)
{
    ValueSources sources;
    sources.isConstant = [&graph](const std::string &value) {
        return graph.constant(value) != nullptr;
    };
    sources.producer = [&graph](const std::string &value) -> std::optional<ValueProducer> {
        const NodeId id = graph.producer(value);
        if (id == kNoNode)
            return std::nullopt;
        const GraphNode &node = graph.node(id);
        ValueProducer producer{node.displayName,
                               node.opType(),
                               {node.proto.input().begin(), node.proto.input().end()}};
        producer.inputs.insert(producer.inputs.end(), node.implicitInputs.begin(),
                               node.implicitInputs.end());
        return producer;
    };
    return sources;
}

// One graph's rewrite: its DynamicQuantizeLinear nodes (one per activation) and the quantized
// weights it adds belong to it.
class DynamicGraphWriter
{
public:
    DynamicGraphWriter(Graph &graph, const DynamicOptions &options)
        : m_graph(graph)
        , m_options(options)
    {}

    // The node as its integer pattern, or why it stays float.
    Result<NodeRewrite> rewriteNode(NodeId id)
    {
        const std::string &op = m_graph.node(id).opType();
        if (op == "MatMul" || op == "Gemm")
            return rewriteMatMul(id);
        if (op == "Conv")
            return rewriteConv(id);
        if (op == "Gather")
            return rewriteGather(id);
        return NodeRewrite::leftInFloat(makeMessage(MessageId::NoDynamicIntegerForm, {op}));
    }

private:
    struct DynamicInput
    {
        std::string quantized, scale, zeroPoint;
    };

    // Input `input` of node `id` when it is a float32 constant (initializer or Constant node);
    // an empty tensor when it is anything else.
    Result<Tensor> floatConstant(NodeId id, int input)
    {
        const GraphNode &node = m_graph.node(id);
        if (input >= node.proto.input_size() || node.proto.input(input).empty())
            return Tensor();
        Result<const Tensor *> tensor = m_graph.constantValue(node.proto.input(input));
        if (!tensor)
            return tensor.status().withContext("node '" + node.displayName + "'");
        if (!*tensor || (*tensor)->dtype() != DType::Float32)
            return Tensor();
        return **tensor;
    }

    // Why input `input` of node `id`, called `role`, is not a float32 constant.
    Message notAFloatConstant(NodeId id, int input, std::string_view role)
    {
        const std::string &value = m_graph.node(id).proto.input(input);
        if (const Tensor *constant = m_graph.constant(value))
            return makeMessage(MessageId::WrongConstantType,
                               {std::string(role), std::string(dtypeName(constant->dtype()))});
        return nonConstantReason(role, value, graphSources(m_graph));
    }

    // A product of two activations (attention) or a selection from an activation is what
    // dynamic quantization leaves float by design; anything else was meant to be a weight.
    Severity severityWhenNotConstant(NodeId id, int input)
    {
        const std::string &value = m_graph.node(id).proto.input(input);
        return !m_graph.constant(value) && dependsOnRunTimeValues(value, graphSources(m_graph))
                   ? Severity::Info
                   : Severity::Warning;
    }

    const DynamicInput &dynamicInput(const std::string &activation, NodeCursor &cursor)
    {
        if (auto it = m_dynamicInputs.find(activation); it != m_dynamicInputs.end())
            return it->second;
        DynamicInput input{m_graph.uniqueValueName(activation + "_quantized"),
                           m_graph.uniqueValueName(activation + "_scale"),
                           m_graph.uniqueValueName(activation + "_zero_point")};
        cursor.insert(makeNode("DynamicQuantizeLinear", {activation},
                               {input.quantized, input.scale, input.zeroPoint},
                               m_graph.uniqueNodeName(activation + "_DynamicQuantizeLinear")));
        return m_dynamicInputs.emplace(activation, input).first->second;
    }

    // Quantized weight initializers; the zero point is a scalar when every channel shares it
    // (ORT's ConvInteger accepts nothing else).
    struct Weight
    {
        std::string values, zeroPoint;
        std::vector<float> scales;
    };
    Weight addWeight(const std::string &base, const Tensor &values, quantscope::QuantType type,
                     int64_t axis, bool symmetric)
    {
        WeightQuantOptions options;
        options.type = type;
        options.symmetric = symmetric;
        // 7-bit weights keep U8S8 kernels without VNNI from saturating their int16 pair sums;
        // uint8 weights (ConvInteger) run u8 x u8, which does not saturate, and keep 8 bits.
        options.reduceRange = m_options.reduceRange && type == quantscope::QUANT_TYPE_INT8;
        options.axis = m_options.perChannel ? axis : -1;
        const QuantizedTensor quantized = quantizeWeights(values, options);
        Weight weight;
        weight.scales = quantized.scales;
        weight.values = m_graph.addInitializer(base + "_quantized", quantized.values);
        const bool shared = std::all_of(quantized.zeroPoints.begin(), quantized.zeroPoints.end(),
                                        [&](int32_t z) { return z == quantized.zeroPoints[0]; });
        const DType zeroType = quantDType(type);
        Tensor zeroPoint;
        if (shared || quantized.zeroPoints.size() == 1) {
            zeroPoint = zeroType == DType::UInt8
                            ? Tensor::scalar<uint8_t>(uint8_t(quantized.zeroPoints[0]))
                            : Tensor::scalar<int8_t>(int8_t(quantized.zeroPoints[0]));
        } else {
            const Shape shape{int64_t(quantized.zeroPoints.size())};
            const auto &z = quantized.zeroPoints;
            zeroPoint = zeroType == DType::UInt8
                            ? Tensor::fromVector<uint8_t>(shape, {z.begin(), z.end()})
                            : Tensor::fromVector<int8_t>(shape, {z.begin(), z.end()});
        }
        weight.zeroPoint = m_graph.addInitializer(base + "_zero_point", std::move(zeroPoint));
        return weight;
    }

    // int32 result -> float: Cast, then Mul by (activation scale x weight scales).
    void rescale(const std::string &integer, const DynamicInput &input,
                 const std::string &weightScale, const std::string &nodeName,
                 const std::string &output, NodeCursor &cursor)
    {
        const std::string asFloat = m_graph.uniqueValueName(integer + "_cast");
        onnx::NodeProto cast = makeNode("Cast", {integer}, {asFloat},
                                        m_graph.uniqueNodeName(nodeName + "_cast"));
        setIntAttribute(cast, "to", onnx::TensorProto::FLOAT);
        cursor.insert(std::move(cast));
        const std::string scales = m_graph.uniqueValueName(nodeName + "_scales");
        cursor.insert(makeNode("Mul", {input.scale, weightScale}, {scales},
                               m_graph.uniqueNodeName(nodeName + "_scales_mul")));
        cursor.insert(makeNode("Mul", {asFloat, scales}, {output},
                               m_graph.uniqueNodeName(nodeName + "_output_mul")));
    }

    // The integer node takes the place (and the name) of node `id`; the rescaling nodes that
    // follow it end in the original output.
    void replaceWithInteger(NodeId id, onnx::NodeProto integer)
    {
        integer.set_name(m_graph.node(id).proto.name());
        m_graph.replaceProto(id, std::move(integer));
    }

    Result<NodeRewrite> rewriteMatMul(NodeId id)
    {
        const onnx::NodeProto node = m_graph.node(id).proto;
        const std::string nodeName = m_graph.node(id).displayName;
        const bool gemm = node.op_type() == "Gemm";
        if (gemm && intAttribute(node, "transA", 0) != 0)
            return NodeRewrite::leftInFloat(makeMessage(MessageId::MatMulTransposedA));
        auto b = floatConstant(id, 1);
        if (!b)
            return b.status();
        if (b->empty())
            return NodeRewrite::leftInFloat(notAFloatConstant(id, 1, "B"),
                                            severityWhenNotConstant(id, 1));
        if (b->rank() != 2)
            return NodeRewrite::leftInFloat(
                makeMessage(MessageId::BatchedMatMulWeight, {std::to_string(b->rank())}));
        Tensor weights = *b;
        if (gemm && intAttribute(node, "transB", 0) != 0)
            weights = transposed2d(weights);
        const float alpha = gemm ? floatAttribute(node, "alpha", 1.0f) : 1.0f;
        const float beta = gemm ? floatAttribute(node, "beta", 1.0f) : 1.0f;
        Tensor bias;
        if (gemm && node.input_size() > 2 && !node.input(2).empty()) {
            auto c = floatConstant(id, 2);
            if (!c)
                return c.status();
            if (c->empty())
                return NodeRewrite::leftInFloat(notAFloatConstant(id, 2, "C"));
            bias = beta == 1.0f ? *c : c->clone();
            if (beta != 1.0f)
                for (float &value : bias.mutableValues<float>())
                    value *= beta;
        }
        NodeCursor before = NodeCursor::before(m_graph, id);
        const DynamicInput &input = dynamicInput(node.input(0), before);
        const Weight weight = addWeight(node.input(1), weights, m_options.matMulWeightType, 1,
                                        m_options.symmetricWeights);
        std::vector<float> scales = weight.scales;
        for (float &scale : scales)
            scale *= alpha;
        const std::string weightScale
            = m_graph.addInitializer(node.input(1) + "_scale",
                                     scales.size() == 1
                                         ? Tensor::scalar<float>(scales[0])
                                         : Tensor::fromVector<float>({int64_t(scales.size())},
                                                                     scales));
        const std::string integer = m_graph.uniqueValueName(node.output(0) + "_int32");
        replaceWithInteger(id, makeNode("MatMulInteger",
                                        {input.quantized, weight.values, input.zeroPoint,
                                         weight.zeroPoint},
                                        {integer}, {}));
        NodeCursor after = NodeCursor::after(m_graph, id);
        if (bias.empty()) {
            rescale(integer, input, weightScale, nodeName, node.output(0), after);
            return NodeRewrite::done();
        }
        const std::string scaled = m_graph.uniqueValueName(node.output(0) + "_scaled");
        rescale(integer, input, weightScale, nodeName, scaled, after);
        const std::string biasName = m_graph.addInitializer(node.input(2) + "_scaled", bias);
        after.insert(makeNode("Add", {scaled, biasName}, {node.output(0)},
                              m_graph.uniqueNodeName(nodeName + "_bias_add")));
        return NodeRewrite::done();
    }

    Result<NodeRewrite> rewriteConv(NodeId id)
    {
        const onnx::NodeProto node = m_graph.node(id).proto;
        const std::string nodeName = m_graph.node(id).displayName;
        auto w = floatConstant(id, 1);
        if (!w)
            return w.status();
        if (w->empty())
            return NodeRewrite::leftInFloat(notAFloatConstant(id, 1, "weight"));
        if (w->rank() < 3)
            return NodeRewrite::leftInFloat(
                makeMessage(MessageId::ConvWeightRank, {std::to_string(w->rank())}));
        auto b = floatConstant(id, 2);
        if (!b)
            return b.status();
        if (node.input_size() > 2 && !node.input(2).empty() && b->empty())
            return NodeRewrite::leftInFloat(notAFloatConstant(id, 2, "bias"));
        // Per channel needs one shared zero point for ORT's ConvInteger: symmetric weights.
        const bool symmetric = m_options.symmetricWeights || m_options.perChannel;
        const Weight weight = addWeight(node.input(1), *w, m_options.convWeightType, 0, symmetric);
        const int64_t channels = w->dim(0);
        Shape broadcast(static_cast<size_t>(w->rank()), 1); // [1, M, 1, 1]
        broadcast[1] = weight.scales.size() == 1 ? 1 : channels;
        const std::string weightScale
            = m_graph.addInitializer(node.input(1) + "_scale",
                                     Tensor::fromVector<float>(broadcast, weight.scales));
        NodeCursor before = NodeCursor::before(m_graph, id);
        const DynamicInput &input = dynamicInput(node.input(0), before);
        const std::string integer = m_graph.uniqueValueName(node.output(0) + "_int32");
        onnx::NodeProto conv
            = makeNode("ConvInteger",
                       {input.quantized, weight.values, input.zeroPoint, weight.zeroPoint},
                       {integer}, {});
        *conv.mutable_attribute() = node.attribute();
        replaceWithInteger(id, std::move(conv));
        NodeCursor after = NodeCursor::after(m_graph, id);
        if (b->empty()) {
            rescale(integer, input, weightScale, nodeName, node.output(0), after);
            return NodeRewrite::done();
        }
        const std::string scaled = m_graph.uniqueValueName(node.output(0) + "_scaled");
        rescale(integer, input, weightScale, nodeName, scaled, after);
        Shape biasShape(static_cast<size_t>(w->rank() - 1), 1); // [M, 1, 1]
        biasShape[0] = channels;
        const std::string biasName = m_graph.addInitializer(node.input(2) + "_broadcast",
                                                            b->reshaped(biasShape));
        after.insert(makeNode("Add", {scaled, biasName}, {node.output(0)},
                              m_graph.uniqueNodeName(nodeName + "_bias_add")));
        return NodeRewrite::done();
    }

    Result<NodeRewrite> rewriteGather(NodeId id)
    {
        const onnx::NodeProto node = m_graph.node(id).proto;
        auto table = floatConstant(id, 0);
        if (!table)
            return table.status();
        if (table->empty())
            return NodeRewrite::leftInFloat(notAFloatConstant(id, 0, "data"),
                                            severityWhenNotConstant(id, 0));
        WeightQuantOptions options;
        options.type = m_options.matMulWeightType;
        options.symmetric = m_options.symmetricWeights;
        options.reduceRange = m_options.reduceRange;
        const QuantizedTensor quantized = quantizeWeights(*table, options);
        const std::string values = m_graph.addInitializer(node.input(0) + "_quantized",
                                                          quantized.values);
        const std::string scale = m_graph.addInitializer(node.input(0) + "_scale",
                                                         Tensor::scalar<float>(quantized.scales[0]));
        const int32_t zero = quantized.zeroPoints[0];
        const std::string zeroPoint
            = m_graph.addInitializer(node.input(0) + "_zero_point",
                                     quantized.values.dtype() == DType::UInt8
                                         ? Tensor::scalar<uint8_t>(uint8_t(zero))
                                         : Tensor::scalar<int8_t>(int8_t(zero)));
        const std::string gathered = m_graph.uniqueValueName(node.output(0) + "_quantized");
        m_graph.setInput(id, 0, values);
        m_graph.setOutput(id, 0, gathered);
        NodeCursor after = NodeCursor::after(m_graph, id);
        after.insert(
            makeNode("DequantizeLinear", {gathered, scale, zeroPoint}, {node.output(0)},
                     m_graph.uniqueNodeName(m_graph.node(id).displayName + "_DequantizeLinear")));
        return NodeRewrite::done();
    }

    Graph &m_graph;
    const DynamicOptions &m_options;
    std::unordered_map<std::string, DynamicInput> m_dynamicInputs; // by activation
};

} // namespace

DynamicQuantizePass::DynamicQuantizePass(NodeSelection selection, const DynamicOptions &options)
    : m_selection(std::move(selection))
    , m_options(options)
{}

Result<bool> DynamicQuantizePass::apply(Graph &graph, PassContext &context)
{
    DynamicGraphWriter writer(graph, m_options);
    bool modified = false;
    for (const NodeId id : graph.nodeIds()) {
        QS_RETURN_IF_ERROR(m_progress.step(graph, context));
        const GraphNode &node = graph.node(id);
        // Only float32 computations are candidates: a Gather of shape values is not one.
        if (!m_selection.selects(node) || node.proto.output_size() != 1
            || graph.elementType(node.proto.output(0)) != onnx::TensorProto::FLOAT)
            continue;
        const std::string displayName = node.displayName, opType = node.opType();
        Result<NodeRewrite> rewrite = writer.rewriteNode(id);
        if (!rewrite)
            return rewrite.status();
        if (rewrite->rewritten) {
            m_coverage.addQuantized(opType);
            modified = true;
        } else {
            m_coverage.addLeftInFloat(
                {displayName, opType, std::move(rewrite->reason), rewrite->severity});
        }
    }
    return modified;
}

Result<DynamicResult> quantizeDynamic(std::shared_ptr<const Model> model,
                                      const NodeSelection &selection, const DynamicOptions &options,
                                      Progress &progress)
{
    DynamicQuantizePass pass(selection, options);
    DynamicResult result;
    auto proto = runOnModel(pass, std::move(model), progress, &result.diagnostics);
    if (!proto)
        return proto.status();
    result.model = std::move(*proto);
    result.coverage = pass.coverage();
    return result;
}

} // namespace qs
