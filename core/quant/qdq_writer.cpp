#include "quant/qdq_writer.h"

#include "model/attributes.h"
#include "model/graph_index.h"
#include "model/model.h"

#include <unordered_map>

namespace qs {

namespace {

// One graph's rewrite: the emitter's initializers and the node ids of the plan belong to it.
class QdqGraphWriter
{
public:
    QdqGraphWriter(Graph &graph, const StaticPlan &plan,
                   const std::map<std::string, TensorRange> &ranges,
                   const StaticWriteOptions &options)
        : m_graph(graph)
        , m_emitter(graph, plan, ranges, options)
    {
        for (const NodeId id : graph.nodeIds()) {
            if (graph.node(id).sourceId >= 0)
                m_bySource[graph.node(id).sourceId] = id;
        }
    }

    // Q/DQ pairs for the graph inputs in front of the first node.
    void quantizeInputs()
    {
        const std::vector<NodeId> ids = m_graph.nodeIds();
        NodeCursor cursor = NodeCursor::before(m_graph, ids.empty() ? kNoNode : ids.front());
        for (const GraphValue &input : m_graph.inputs())
            addActivationPair(input.name, input.name, cursor);
    }

    Status rewriteNode(NodeId id)
    {
        const NodeInfo *info = m_emitter.sourceNode(id);
        const StaticPlan &plan = m_emitter.plan();
        if (!info || plan.isFolded(info->id))
            return Status::ok(); // a folded Relu/Clip is gone: its producer absorbed it
        if (plan.quantizedNodes.count(info->id)) {
            const auto role = staticRole(info->opType);
            if (role == StaticRole::Weighted)
                QS_RETURN_IF_ERROR(quantizeWeights(id, *info));
            else if (role == StaticRole::Computing || role == StaticRole::Activation)
                QS_RETURN_IF_ERROR(quantizeConstantOperands(id, *info));
            // The producer writes the folded Relu/Clip's output: the quantized output saturates
            // where the activation would clip.
            if (const int folded = plan.foldedInto(info->id); folded >= 0) {
                m_graph.absorbInto(id, m_bySource.at(folded));
                m_modified = true;
            }
        }
        // Outputs: Q/DQ after the node, graph outputs keep their names.
        std::vector<std::pair<std::string, std::string>> pairs; // original output, written name
        const onnx::NodeProto &proto = m_graph.node(id).proto;
        for (int i = 0; i < proto.output_size(); ++i) {
            const std::string output = proto.output(i);
            if (output.empty() || !m_emitter.activationParams(output))
                continue;
            if (m_graph.isGraphOutput(output)) {
                const std::string renamed
                    = m_graph.uniqueValueName(output + "_QuantizeLinear_Input");
                m_graph.setOutput(id, i, renamed);
                m_modified = true;
                pairs.emplace_back(output, renamed);
            } else {
                pairs.emplace_back(output, output);
            }
        }
        NodeCursor cursor = NodeCursor::after(m_graph, id);
        for (const auto &[output, written] : pairs)
            addActivationPair(output, written, cursor);
        return Status::ok();
    }

    bool modified() const { return m_modified; }

private:
    // Q(written) -> DQ; the DQ writes `tensor` itself when it is a graph output, and every other
    // reader of `tensor` reads the DQ's output.
    void addActivationPair(const std::string &tensor, const std::string &written, NodeCursor &cursor)
    {
        if (!m_emitter.activationParams(tensor))
            return;
        const ScaleZeroPoint pair = m_emitter.activationScaleZeroPoint(tensor);
        const std::string quantizedName = m_graph.uniqueValueName(tensor + "_QuantizeLinear_Output");
        const std::string dequantizedName
            = written != tensor ? tensor
                                : m_graph.uniqueValueName(tensor + "_DequantizeLinear_Output");
        if (written == tensor)
            m_graph.replaceUses(tensor, dequantizedName);
        cursor.insert(m_emitter.quantizeNode(written, pair, quantizedName, tensor));
        cursor.insert(m_emitter.dequantizeNode(quantizedName, pair, dequantizedName, tensor));
        m_modified = true;
    }

    Status quantizeWeights(NodeId id, const NodeInfo &info)
    {
        const WeightLayout layout = weightLayout(*info.proto);
        const std::string &weightName = info.proto->input(layout.weightInput);
        if (!m_emitter.isConstant(weightName))
            return Status::ok(); // MatMul of two activations: both already Q/DQ
        auto weight = m_emitter.weight(info, true);
        if (!weight)
            return weight.status();
        const std::string dequantized
            = m_graph.uniqueValueName(weightName + "_DequantizeLinear_Output");
        NodeCursor cursor = NodeCursor::before(m_graph, id);
        cursor.insert(m_emitter.dequantizeNode(weight->values, weight->scaleZeroPoint, dequantized,
                                               weightName, weight->axis));
        m_graph.setInput(id, layout.weightInput, dequantized);
        m_modified = true;

        const auto inputParams = m_emitter.activationParams(info.proto->input(0));
        if (layout.biasInput < 0 || info.proto->input_size() <= layout.biasInput
            || info.proto->input(layout.biasInput).empty() || !inputParams)
            return Status::ok();
        const std::string &biasName = info.proto->input(layout.biasInput);
        if (!m_emitter.isConstant(biasName))
            return Status::ok();
        if (info.opType == "Gemm" && floatAttribute(*info.proto, "beta", 1.0f) != 1.0f)
            return Status::ok(); // beta scales C: keep it float rather than fold beta into it
        auto bias = m_emitter.bias(info, *weight, inputParams->scale);
        if (!bias)
            return bias.status();
        const std::string biasOut = m_graph.uniqueValueName(biasName + "_DequantizeLinear_Output");
        cursor.insert(m_emitter.dequantizeNode(bias->values, bias->scaleZeroPoint, biasOut,
                                               biasName, bias->axis >= 0 ? 0 : -1));
        m_graph.setInput(id, layout.biasInput, biasOut);
        return Status::ok();
    }

    Status quantizeConstantOperands(NodeId id, const NodeInfo &info)
    {
        if (info.opType == "Clip" || info.opType == "Relu")
            return Status::ok(); // Clip's bounds stay exact floats
        NodeCursor cursor = NodeCursor::before(m_graph, id);
        for (int i = 0; i < info.proto->input_size(); ++i) {
            const std::string &name = info.proto->input(i);
            const Tensor *constant = name.empty() ? nullptr : m_graph.constant(name);
            if (!constant || constant->dtype() != DType::Float32)
                continue;
            auto operand = m_emitter.constantOperand(info, i);
            if (!operand)
                return operand.status();
            const std::string dequantized
                = m_graph.uniqueValueName(name + "_DequantizeLinear_Output");
            cursor.insert(m_emitter.dequantizeNode(operand->values, operand->scaleZeroPoint,
                                                   dequantized, name));
            m_graph.setInput(id, i, dequantized);
            m_modified = true;
        }
        return Status::ok();
    }

    Graph &m_graph;
    QuantEmitter m_emitter;
    std::unordered_map<int, NodeId> m_bySource; // GraphIndex id -> node of this graph
    bool m_modified = false;
};

} // namespace

Result<bool> QdqWritePass::apply(Graph &graph, PassContext &context)
{
    QdqGraphWriter writer(graph, m_plan, m_ranges, m_options);
    writer.quantizeInputs();
    for (const NodeId id : graph.nodeIds()) {
        if (!graph.isAlive(id) || graph.node(id).sourceId < 0)
            continue; // absorbed, or a node this pass added
        QS_RETURN_IF_ERROR(m_progress.step(graph, context));
        QS_RETURN_IF_ERROR(writer.rewriteNode(id));
    }
    return writer.modified();
}

Result<onnx::ModelProto> writeQdqModel(std::shared_ptr<const Model> model, const StaticPlan &plan,
                                       const std::map<std::string, TensorRange> &ranges,
                                       const StaticWriteOptions &options, Progress &progress)
{
    QdqWritePass pass(plan, ranges, options);
    return runOnModel(pass, std::move(model), progress);
}

} // namespace qs
