#include "quant/qoperator_writer.h"

#include "model/model.h"

#include <unordered_map>
#include <unordered_set>

namespace qs {

namespace {

// Ops ONNX defines on int8/uint8 tensors with the same meaning as on the dequantized values.
bool runsOnQuantized(const std::string &opType)
{
    static const std::unordered_set<std::string> kOps = {
        "MaxPool", "GlobalMaxPool", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten",
        "DepthToSpace", "SpaceToDepth", "Slice", "Split", "Gather", "Resize"};
    return kOps.count(opType) > 0;
}

class QOperatorRewrite : public NodeRewrite
{
public:
    explicit QOperatorRewrite(QuantEmitter &emitter)
        : m_emitter(emitter)
    {}

    Status rewriteNode(const NodeInfo &info, onnx::NodeProto node, onnx::GraphProto &graph,
                       std::vector<onnx::NodeProto> &out) override
    {
        const StaticPlan &plan = m_emitter.plan();
        if (auto folded = plan.foldedActivations.find(info.id);
            folded != plan.foldedActivations.end() && m_converted.count(folded->second))
            return Status::ok(); // saturation of its producer's quantized output
        const bool planned = plan.quantizedNodes.count(info.id) > 0;
        if (planned && (info.opType == "Conv" || info.opType == "MatMul")) {
            auto converted = convertToQLinear(info, node, graph, out);
            if (!converted)
                return converted.status();
            if (*converted)
                return Status::ok();
        }
        if (planned && runsOnQuantized(info.opType) && !node.input(0).empty()
            && m_quantized.count(node.input(0)))
            return runOnQuantized(std::move(node), graph, out);
        // A float node: every input in float form.
        for (int i = 0; i < node.input_size(); ++i)
            node.set_input(i, floatForm(graph, node.input(i), out));
        for (const auto &output : node.output())
            m_float.insert(output);
        out.push_back(std::move(node));
        return Status::ok();
    }

    Status endGraph(const GraphInfo &info, onnx::GraphProto &graph,
                    std::vector<onnx::NodeProto> &out) override
    {
        for (const auto &output : info.outputs)
            floatForm(graph, output.name, out);
        m_emitter.forgetGraph(graph);
        return Status::ok();
    }

private:
    struct QuantizedValue
    {
        std::string name;
        ScaleZeroPoint pair;
    };

    std::optional<QuantizedValue> quantizedForm(onnx::GraphProto &graph, const std::string &tensor,
                                                std::vector<onnx::NodeProto> &out)
    {
        if (auto it = m_quantized.find(tensor); it != m_quantized.end())
            return it->second;
        if (tensor.empty() || !m_emitter.activationParams(tensor))
            return std::nullopt;
        QuantizedValue value{m_emitter.names().uniqueValueName(tensor + "_quantized"),
                             m_emitter.activationScaleZeroPoint(graph, tensor)};
        out.push_back(m_emitter.quantizeNode(tensor, value.pair, value.name, tensor));
        m_float.insert(tensor);
        m_quantized.emplace(tensor, value);
        return value;
    }

    std::string floatForm(onnx::GraphProto &, const std::string &tensor,
                          std::vector<onnx::NodeProto> &out)
    {
        if (tensor.empty() || m_float.count(tensor))
            return tensor;
        auto it = m_quantized.find(tensor);
        if (it == m_quantized.end())
            return tensor; // an initializer, graph input or outer-scope value
        out.push_back(m_emitter.dequantizeNode(it->second.name, it->second.pair, tensor, tensor));
        m_float.insert(tensor);
        return tensor;
    }

    // The quantized output of a converted node: its own tensor, or the folded Relu/Clip's.
    std::string producedTensor(const NodeInfo &info) const
    {
        if (const int folded = m_emitter.plan().foldedInto(info.id); folded >= 0)
            return m_emitter.model().index().nodes()[size_t(folded)].outputs[0].name;
        return info.outputs[0].name;
    }

    // QLinearConv / QLinearMatMul; false (nothing emitted) when an input or the output has no
    // calibrated range, so the node stays float.
    Result<bool> convertToQLinear(const NodeInfo &info, onnx::NodeProto &node,
                                  onnx::GraphProto &graph, std::vector<onnx::NodeProto> &out)
    {
        const std::string output = producedTensor(info);
        if (!m_emitter.activationParams(output) || !m_emitter.activationParams(node.input(0)))
            return false;
        const bool constantB = m_emitter.model().index().constantTensor(info.graph,
                                                                         node.input(1));
        if (!constantB && !m_emitter.activationParams(node.input(1)))
            return false;
        const auto a = quantizedForm(graph, node.input(0), out);
        const ScaleZeroPoint outputPair = m_emitter.activationScaleZeroPoint(graph, output);
        QuantizedValue result{m_emitter.names().uniqueValueName(output + "_quantized"),
                              outputPair};

        onnx::NodeProto converted;
        converted.set_name(node.name());
        *converted.mutable_attribute() = node.attribute();
        converted.add_input(a->name);
        converted.add_input(a->pair.scale);
        converted.add_input(a->pair.zeroPoint);
        std::optional<QuantizedInitializer> weight;
        if (constantB) {
            // QLinearMatMul takes per-column scales only in recent runtimes: per tensor there.
            auto w = m_emitter.weight(graph, info, info.opType == "Conv");
            if (!w)
                return w.status();
            weight = *w;
            converted.add_input(w->values);
            converted.add_input(w->scaleZeroPoint.scale);
            converted.add_input(w->scaleZeroPoint.zeroPoint);
        } else {
            const auto b = quantizedForm(graph, node.input(1), out);
            converted.add_input(b->name);
            converted.add_input(b->pair.scale);
            converted.add_input(b->pair.zeroPoint);
        }
        converted.add_input(outputPair.scale);
        converted.add_input(outputPair.zeroPoint);
        if (info.opType == "Conv") {
            converted.set_op_type("QLinearConv");
            if (node.input_size() > 2 && !node.input(2).empty()) {
                auto bias = m_emitter.bias(graph, info, *weight, a->pair.params.scale);
                if (!bias)
                    return bias.status();
                converted.add_input(bias->values);
            }
        } else {
            converted.set_op_type("QLinearMatMul");
            converted.clear_attribute();
        }
        converted.add_output(result.name);
        out.push_back(std::move(converted));
        m_quantized.emplace(output, result);
        m_converted.insert(info.id);
        return true;
    }

    Status runOnQuantized(onnx::NodeProto node, onnx::GraphProto &graph,
                          std::vector<onnx::NodeProto> &out)
    {
        const QuantizedValue input = m_quantized.at(node.input(0));
        node.set_input(0, input.name);
        for (int i = 1; i < node.input_size(); ++i)
            node.set_input(i, floatForm(graph, node.input(i), out));
        for (int i = 0; i < node.output_size(); ++i) {
            const std::string output = node.output(i);
            if (output.empty())
                continue;
            QuantizedValue value{m_emitter.names().uniqueValueName(output + "_quantized"),
                                 input.pair};
            node.set_output(i, value.name);
            m_quantized.emplace(output, value);
        }
        out.push_back(std::move(node));
        return Status::ok();
    }

    QuantEmitter &m_emitter;
    std::unordered_map<std::string, QuantizedValue> m_quantized;
    std::unordered_set<std::string> m_float;
    std::unordered_set<int> m_converted;
};

} // namespace

Result<onnx::ModelProto> writeQOperatorModel(std::shared_ptr<const Model> model,
                                             const StaticPlan &plan,
                                             const std::map<std::string, TensorRange> &ranges,
                                             const StaticWriteOptions &options,
                                             Progress &progress)
{
    GraphRewriter names(model->proto());
    QuantEmitter emitter(model, plan, ranges, options, names);
    QOperatorRewrite rewrite(emitter);
    return rewriteModel(*model, rewrite, progress, "writing QOperator model");
}

} // namespace qs
