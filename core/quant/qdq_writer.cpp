#include "quant/qdq_writer.h"

#include "model/model.h"

#include <unordered_map>
#include <unordered_set>

namespace qs {

namespace {

class QdqRewrite : public NodeRewrite
{
public:
    explicit QdqRewrite(QuantEmitter &emitter)
        : m_emitter(emitter)
    {}

    Status beginGraph(const GraphInfo &info, onnx::GraphProto &graph,
                      std::vector<onnx::NodeProto> &out) override
    {
        // Subgraphs are rebuilt inside their owner's graph: keep a stack of output sets.
        m_graphOutputs.emplace_back();
        for (const auto &output : info.outputs)
            m_graphOutputs.back().insert(output.name);
        for (const auto &input : info.inputs)
            addActivationPair(graph, input.name, input.name, out);
        return Status::ok();
    }

    Status rewriteNode(const NodeInfo &info, onnx::NodeProto node, onnx::GraphProto &graph,
                       std::vector<onnx::NodeProto> &out) override
    {
        const StaticPlan &plan = m_emitter.plan();
        if (plan.isFolded(info.id))
            return Status::ok(); // its producer writes its output
        // Readers of a quantized activation read the dequantized copy.
        const bool quantized = plan.quantizedNodes.count(info.id) > 0;
        for (int i = 0; i < node.input_size(); ++i)
            if (auto it = m_dequantized.find(node.input(i)); it != m_dequantized.end())
                node.set_input(i, it->second);

        if (quantized) {
            const auto role = staticRole(info.opType);
            if (role == StaticRole::Weighted)
                QS_RETURN_IF_ERROR(quantizeWeights(info, node, graph, out));
            else if (role == StaticRole::Computing || role == StaticRole::Activation)
                QS_RETURN_IF_ERROR(quantizeConstantOperands(info, node, graph, out));
            if (const int folded = plan.foldedInto(info.id); folded >= 0) {
                const NodeInfo &activation = m_emitter.model().index().nodes()[size_t(folded)];
                node.set_output(0, activation.outputs[0].name);
            }
        }
        // Outputs: Q/DQ after the node, graph outputs keep their names.
        std::vector<std::pair<std::string, std::string>> pairs; // original output, written name
        for (int i = 0; i < node.output_size(); ++i) {
            const std::string output = node.output(i);
            if (output.empty() || !m_emitter.activationParams(output))
                continue;
            if (m_graphOutputs.back().count(output)) {
                const std::string renamed = m_emitter.names().uniqueValueName(
                    output + "_QuantizeLinear_Input");
                node.set_output(i, renamed);
                pairs.emplace_back(output, renamed);
            } else {
                pairs.emplace_back(output, output);
            }
        }
        out.push_back(std::move(node));
        for (const auto &[output, written] : pairs)
            addActivationPair(graph, output, written, out);
        return Status::ok();
    }

    Status endGraph(const GraphInfo &, onnx::GraphProto &graph,
                    std::vector<onnx::NodeProto> &) override
    {
        m_emitter.forgetGraph(graph);
        m_graphOutputs.pop_back();
        return Status::ok();
    }

private:
    // Q(written) -> DQ; the DQ writes `tensor` itself when it is a graph output.
    void addActivationPair(onnx::GraphProto &graph, const std::string &tensor,
                           const std::string &written, std::vector<onnx::NodeProto> &out)
    {
        if (!m_emitter.activationParams(tensor))
            return;
        const ScaleZeroPoint pair = m_emitter.activationScaleZeroPoint(graph, tensor);
        GraphRewriter &names = m_emitter.names();
        const std::string quantizedName = names.uniqueValueName(tensor + "_QuantizeLinear_Output");
        const std::string dequantizedName =
            written != tensor ? tensor : names.uniqueValueName(tensor + "_DequantizeLinear_Output");
        out.push_back(m_emitter.quantizeNode(written, pair, quantizedName, tensor));
        out.push_back(m_emitter.dequantizeNode(quantizedName, pair, dequantizedName, tensor));
        m_dequantized[tensor] = dequantizedName;
    }

    Status quantizeWeights(const NodeInfo &info, onnx::NodeProto &node, onnx::GraphProto &graph,
                           std::vector<onnx::NodeProto> &out)
    {
        const WeightLayout layout = weightLayout(info);
        const std::string &weightName = info.proto->input(layout.weightInput);
        if (!m_emitter.model().index().constantTensor(info.graph, weightName))
            return Status::ok(); // MatMul of two activations: both already Q/DQ
        auto weight = m_emitter.weight(graph, info, true);
        if (!weight)
            return weight.status();
        const std::string dequantized = m_emitter.names().uniqueValueName(
            weightName + "_DequantizeLinear_Output");
        out.push_back(m_emitter.dequantizeNode(weight->values, weight->scaleZeroPoint,
                                               dequantized, weightName, weight->axis));
        node.set_input(layout.weightInput, dequantized);

        const auto inputParams = m_emitter.activationParams(info.proto->input(0));
        if (layout.biasInput < 0 || node.input_size() <= layout.biasInput
            || node.input(layout.biasInput).empty() || !inputParams)
            return Status::ok();
        const std::string &biasName = info.proto->input(layout.biasInput);
        if (!m_emitter.model().index().constantTensor(info.graph, biasName))
            return Status::ok();
        if (info.opType == "Gemm" && !isUnitBeta(info))
            return Status::ok(); // beta scales C: keep it float rather than fold beta into it
        auto bias = m_emitter.bias(graph, info, *weight, inputParams->scale);
        if (!bias)
            return bias.status();
        const std::string biasOut = m_emitter.names().uniqueValueName(
            biasName + "_DequantizeLinear_Output");
        out.push_back(m_emitter.dequantizeNode(bias->values, bias->scaleZeroPoint, biasOut,
                                               biasName, bias->axis >= 0 ? 0 : -1));
        node.set_input(layout.biasInput, biasOut);
        return Status::ok();
    }

    Status quantizeConstantOperands(const NodeInfo &info, onnx::NodeProto &node,
                                    onnx::GraphProto &graph, std::vector<onnx::NodeProto> &out)
    {
        if (info.opType == "Clip" || info.opType == "Relu")
            return Status::ok(); // Clip's bounds stay exact floats
        for (int i = 0; i < info.proto->input_size(); ++i) {
            const std::string &name = info.proto->input(i);
            const onnx::TensorProto *constant =
                name.empty() ? nullptr : m_emitter.model().index().constantTensor(info.graph, name);
            if (!constant || constant->data_type() != onnx::TensorProto::FLOAT)
                continue;
            auto operand = m_emitter.constantOperand(graph, info, i);
            if (!operand)
                return operand.status();
            const std::string dequantized = m_emitter.names().uniqueValueName(
                name + "_DequantizeLinear_Output");
            out.push_back(m_emitter.dequantizeNode(operand->values, operand->scaleZeroPoint,
                                                   dequantized, name));
            node.set_input(i, dequantized);
        }
        return Status::ok();
    }

    static bool isUnitBeta(const NodeInfo &info)
    {
        for (const auto &attribute : info.proto->attribute())
            if (attribute.name() == "beta")
                return attribute.f() == 1.0f;
        return true;
    }

    QuantEmitter &m_emitter;
    std::vector<std::unordered_set<std::string>> m_graphOutputs;
    std::unordered_map<std::string, std::string> m_dequantized;
};

} // namespace

Result<onnx::ModelProto> writeQdqModel(std::shared_ptr<const Model> model, const StaticPlan &plan,
                                       const std::map<std::string, TensorRange> &ranges,
                                       const StaticWriteOptions &options, Progress &progress)
{
    GraphRewriter names(model->proto());
    QuantEmitter emitter(model, plan, ranges, options, names);
    QdqRewrite rewrite(emitter);
    return rewriteModel(*model, rewrite, progress, "writing QDQ model");
}

} // namespace qs
