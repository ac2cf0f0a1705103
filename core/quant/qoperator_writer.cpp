#include "quant/qoperator_writer.h"

#include "model/graph_index.h"
#include "model/model.h"

#include <unordered_map>
#include <unordered_set>

namespace qs {

namespace {

// Ops ONNX defines on int8/uint8 tensors with the same meaning as on the dequantized values.
bool runsOnQuantized(const std::string &opType)
{
    static const std::unordered_set<std::string> kOps
        = {"MaxPool",   "GlobalMaxPool", "Reshape",      "Transpose",    "Squeeze",
           "Unsqueeze", "Flatten",       "DepthToSpace", "SpaceToDepth", "Slice",
           "Split",     "Gather",        "Resize"};
    return kOps.count(opType) > 0;
}

// One graph's rewrite. A value is in float form (its original name), in quantized form
// ("<name>_quantized" with its scale and zero point), or both; each form is made once, where the
// first reader that needs it sits.
class QOperatorGraphWriter
{
public:
    QOperatorGraphWriter(Graph &graph, const StaticPlan &plan,
                         const std::map<std::string, TensorRange> &ranges,
                         const StaticWriteOptions &options,
                         std::vector<NodeLeftInFloat> &leftInFloat)
        : m_graph(graph)
        , m_emitter(graph, plan, ranges, options)
        , m_leftInFloat(leftInFloat)
    {}

    Status rewriteNode(NodeId id)
    {
        const NodeInfo *info = m_emitter.sourceNode(id);
        if (!info)
            return Status::ok();
        const StaticPlan &plan = m_emitter.plan();
        if (auto folded = plan.foldedActivations.find(info->id);
            folded != plan.foldedActivations.end()) {
            if (m_converted.count(folded->second)) {
                m_graph.removeNode(id); // saturation of its producer's quantized output
                m_modified = true;
                return Status::ok();
            }
            const NodeInfo &producer = m_graph.model()->index().nodes()[size_t(folded->second)];
            leaveInFloat(*info, makeMessage(MessageId::QOperatorFloatProducer,
                                            {producer.opType, producer.displayName}));
        }
        const bool planned = plan.quantizedNodes.count(info->id) > 0;
        if (planned && (info->opType == "Conv" || info->opType == "MatMul")) {
            auto converted = convertToQLinear(id, *info);
            if (!converted)
                return converted.status();
            if (*converted)
                return Status::ok();
            leaveInFloat(*info, makeMessage(MessageId::NoCalibratedRange));
        } else if (planned && runsOnQuantized(info->opType)) {
            const onnx::NodeProto &proto = m_graph.node(id).proto;
            if (!proto.input(0).empty() && m_quantized.count(proto.input(0))) {
                runOnQuantized(id);
                return Status::ok();
            }
            leaveInFloat(*info, makeMessage(MessageId::QOperatorFloatInput, {proto.input(0)}));
        } else if (planned) {
            leaveInFloat(*info, makeMessage(MessageId::NoQOperatorForm, {info->opType}));
        }
        // A float node: every input in float form, the values its subgraphs read too.
        NodeCursor cursor = NodeCursor::before(m_graph, id);
        for (const auto &input : m_graph.node(id).proto.input())
            floatForm(input, cursor);
        for (const auto &input : m_graph.node(id).implicitInputs)
            floatForm(input, cursor);
        for (const auto &output : m_graph.node(id).proto.output())
            m_float.insert(output);
        return Status::ok();
    }

    // Graph outputs in float form, at the end.
    void dequantizeOutputs()
    {
        NodeCursor cursor = NodeCursor::before(m_graph, kNoNode);
        for (const GraphValue &output : m_graph.outputs())
            floatForm(output.name, cursor);
    }

    bool modified() const { return m_modified; }

private:
    struct QuantizedValue
    {
        std::string name;
        ScaleZeroPoint pair;
    };

    std::optional<QuantizedValue> quantizedForm(const std::string &tensor, NodeCursor &cursor)
    {
        if (auto it = m_quantized.find(tensor); it != m_quantized.end())
            return it->second;
        if (tensor.empty() || !m_emitter.activationParams(tensor))
            return std::nullopt;
        QuantizedValue value{m_graph.uniqueValueName(tensor + "_quantized"),
                             m_emitter.activationScaleZeroPoint(tensor)};
        cursor.insert(m_emitter.quantizeNode(tensor, value.pair, value.name, tensor));
        m_modified = true;
        m_float.insert(tensor);
        m_quantized.emplace(tensor, value);
        return value;
    }

    void floatForm(const std::string &tensor, NodeCursor &cursor)
    {
        if (tensor.empty() || m_float.count(tensor))
            return;
        auto it = m_quantized.find(tensor);
        if (it == m_quantized.end())
            return; // an initializer, graph input or outer-scope value
        cursor.insert(m_emitter.dequantizeNode(it->second.name, it->second.pair, tensor, tensor));
        m_modified = true;
        m_float.insert(tensor);
    }

    // The quantized output of a converted node: its own tensor, or the folded Relu/Clip's.
    std::string producedTensor(const NodeInfo &info) const
    {
        const int folded = m_emitter.plan().foldedInto(info.id);
        const auto &nodes = m_graph.model()->index().nodes();
        return folded >= 0 ? nodes[size_t(folded)].outputs[0].name : info.outputs[0].name;
    }

    // QLinearConv / QLinearMatMul; false (nothing emitted) when an input or the output has no
    // calibrated range, so the node stays float.
    Result<bool> convertToQLinear(NodeId id, const NodeInfo &info)
    {
        const onnx::NodeProto &node = *info.proto;
        const std::string output = producedTensor(info);
        if (!m_emitter.activationParams(output) || !m_emitter.activationParams(node.input(0)))
            return false;
        const bool constantB = m_emitter.isConstant(node.input(1));
        if (!constantB && !m_emitter.activationParams(node.input(1)))
            return false;
        NodeCursor cursor = NodeCursor::before(m_graph, id);
        const auto a = quantizedForm(node.input(0), cursor);
        const ScaleZeroPoint outputPair = m_emitter.activationScaleZeroPoint(output);
        QuantizedValue result{m_graph.uniqueValueName(output + "_quantized"), outputPair};

        onnx::NodeProto converted;
        converted.set_name(node.name());
        *converted.mutable_attribute() = node.attribute();
        converted.add_input(a->name);
        converted.add_input(a->pair.scale);
        converted.add_input(a->pair.zeroPoint);
        std::optional<QuantizedInitializer> weight;
        if (constantB) {
            // QLinearMatMul takes per-column scales only in recent runtimes: per tensor there.
            auto w = m_emitter.weight(info, info.opType == "Conv");
            if (!w)
                return w.status();
            weight = *w;
            converted.add_input(w->values);
            converted.add_input(w->scaleZeroPoint.scale);
            converted.add_input(w->scaleZeroPoint.zeroPoint);
        } else {
            const auto b = quantizedForm(node.input(1), cursor);
            converted.add_input(b->name);
            converted.add_input(b->pair.scale);
            converted.add_input(b->pair.zeroPoint);
        }
        converted.add_input(outputPair.scale);
        converted.add_input(outputPair.zeroPoint);
        if (info.opType == "Conv") {
            converted.set_op_type("QLinearConv");
            if (node.input_size() > 2 && !node.input(2).empty()) {
                auto bias = m_emitter.bias(info, *weight, a->pair.params.scale);
                if (!bias)
                    return bias.status();
                converted.add_input(bias->values);
            }
        } else {
            converted.set_op_type("QLinearMatMul");
            converted.clear_attribute();
        }
        converted.add_output(result.name);
        m_graph.replaceProto(id, std::move(converted));
        m_modified = true;
        m_quantized.emplace(output, result);
        m_converted.insert(info.id);
        return true;
    }

    // Planned as quantized, but this format leaves it float: by design, so Info.
    void leaveInFloat(const NodeInfo &info, Message reason)
    {
        m_leftInFloat.push_back({info.displayName, info.opType, std::move(reason), Severity::Info});
    }

    void runOnQuantized(NodeId id)
    {
        const onnx::NodeProto &node = m_graph.node(id).proto;
        const QuantizedValue input = m_quantized.at(node.input(0));
        m_graph.setInput(id, 0, input.name);
        NodeCursor cursor = NodeCursor::before(m_graph, id);
        for (int i = 1; i < node.input_size(); ++i)
            floatForm(node.input(i), cursor);
        for (int i = 0; i < node.output_size(); ++i) {
            const std::string output = node.output(i);
            if (output.empty())
                continue;
            QuantizedValue value{m_graph.uniqueValueName(output + "_quantized"), input.pair};
            m_graph.setOutput(id, i, value.name);
            m_quantized.emplace(output, value);
        }
        m_modified = true;
    }

    Graph &m_graph;
    QuantEmitter m_emitter;
    std::unordered_map<std::string, QuantizedValue> m_quantized;
    std::unordered_set<std::string> m_float;
    std::unordered_set<int> m_converted; // GraphIndex ids
    std::vector<NodeLeftInFloat> &m_leftInFloat;
    bool m_modified = false;
};

} // namespace

Result<bool> QOperatorWritePass::apply(Graph &graph, PassContext &context)
{
    QOperatorGraphWriter writer(graph, m_plan, m_ranges, m_options, m_leftInFloat);
    for (const NodeId id : graph.nodeIds()) {
        if (graph.node(id).sourceId < 0)
            continue;
        QS_RETURN_IF_ERROR(m_progress.step(graph, context));
        QS_RETURN_IF_ERROR(writer.rewriteNode(id));
    }
    writer.dequantizeOutputs();
    return writer.modified();
}

Result<onnx::ModelProto> writeQOperatorModel(std::shared_ptr<const Model> model,
                                             const StaticPlan &plan,
                                             const std::map<std::string, TensorRange> &ranges,
                                             const StaticWriteOptions &options, Progress &progress,
                                             std::vector<NodeLeftInFloat> *leftInFloat)
{
    QOperatorWritePass pass(plan, ranges, options);
    auto written = runOnModel(pass, std::move(model), progress);
    if (leftInFloat)
        *leftInFloat = pass.leftInFloat();
    return written;
}

} // namespace qs
