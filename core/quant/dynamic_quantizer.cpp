#include "quant/dynamic_quantizer.h"

#include "model/graph_index.h"
#include "model/model.h"
#include "quant/graph_rewrite.h"
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

class DynamicRewrite : public NodeRewrite
{
public:
    DynamicRewrite(std::shared_ptr<const Model> model, const NodeSelection &selection,
                   const DynamicOptions &options)
        : m_model(std::move(model))
        , m_selection(selection)
        , m_options(options)
        , m_names(m_model->proto())
    {}

    Status rewriteNode(const NodeInfo &info, onnx::NodeProto node, onnx::GraphProto &graph,
                       std::vector<onnx::NodeProto> &out) override
    {
        if (m_selection.selects(info) && info.outputs.size() == 1
            && info.outputs[0].type.elementType == onnx::TensorProto::FLOAT) {
            Result<bool> done = false;
            if (info.opType == "MatMul" || info.opType == "Gemm")
                done = rewriteMatMul(info, node, graph, out);
            else if (info.opType == "Conv")
                done = rewriteConv(info, node, graph, out);
            else if (info.opType == "Gather")
                done = rewriteGather(info, node, graph, out);
            if (!done)
                return done.status();
            if (*done) {
                ++m_quantizedNodes;
                return Status::ok();
            }
        }
        out.push_back(std::move(node));
        return Status::ok();
    }

    // One DynamicQuantizeLinear per activation and graph; subgraphs nest, hence a stack.
    Status beginGraph(const GraphInfo &, onnx::GraphProto &, std::vector<onnx::NodeProto> &) override
    {
        m_dynamicInputs.emplace_back();
        return Status::ok();
    }
    Status endGraph(const GraphInfo &, onnx::GraphProto &, std::vector<onnx::NodeProto> &) override
    {
        m_dynamicInputs.pop_back();
        return Status::ok();
    }

    int64_t quantizedNodes() const { return m_quantizedNodes; }
    std::vector<Diagnostic> takeDiagnostics() { return std::move(m_diagnostics); }

private:
    struct DynamicInput
    {
        std::string quantized, scale, zeroPoint;
    };

    Result<Tensor> floatConstant(const NodeInfo &info, int input) const
    {
        return floatConstantInput(m_model, info, input);
    }

    const DynamicInput &dynamicInput(const std::string &activation,
                                     std::vector<onnx::NodeProto> &out)
    {
        auto &inputs = m_dynamicInputs.back();
        if (auto it = inputs.find(activation); it != inputs.end())
            return it->second;
        DynamicInput input{m_names.uniqueValueName(activation + "_quantized"),
                           m_names.uniqueValueName(activation + "_scale"),
                           m_names.uniqueValueName(activation + "_zero_point")};
        onnx::NodeProto node;
        node.set_op_type("DynamicQuantizeLinear");
        node.set_name(m_names.uniqueNodeName(activation + "_DynamicQuantizeLinear"));
        node.add_input(activation);
        node.add_output(input.quantized);
        node.add_output(input.scale);
        node.add_output(input.zeroPoint);
        out.push_back(std::move(node));
        return inputs.emplace(activation, input).first->second;
    }

    // Quantized weight initializers; the zero point is a scalar when every channel shares it
    // (ORT's ConvInteger accepts nothing else).
    struct Weight
    {
        std::string values, zeroPoint;
        std::vector<float> scales;
    };
    Weight addWeight(onnx::GraphProto &graph, const std::string &base, const Tensor &values,
                     quantscope::QuantType type, int64_t axis, bool symmetric)
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
        weight.values = m_names.addInitializer(graph, base + "_quantized", quantized.values);
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
        weight.zeroPoint = m_names.addInitializer(graph, base + "_zero_point", zeroPoint);
        return weight;
    }

    // int32 result -> float: Cast, then Mul by (activation scale x weight scales).
    std::string rescale(const std::string &integer, const DynamicInput &input,
                        const std::string &weightScale, const std::string &nodeName,
                        const std::string &output, std::vector<onnx::NodeProto> &out)
    {
        const std::string asFloat = m_names.uniqueValueName(integer + "_cast");
        onnx::NodeProto cast = GraphRewriter::makeNode("Cast", {integer}, {asFloat},
                                                       m_names.uniqueNodeName(nodeName + "_cast"));
        setIntAttribute(cast, "to", onnx::TensorProto::FLOAT);
        out.push_back(std::move(cast));
        const std::string scales = m_names.uniqueValueName(nodeName + "_scales");
        out.push_back(GraphRewriter::makeNode("Mul", {input.scale, weightScale}, {scales},
                                              m_names.uniqueNodeName(nodeName + "_scales_mul")));
        out.push_back(GraphRewriter::makeNode("Mul", {asFloat, scales}, {output},
                                              m_names.uniqueNodeName(nodeName + "_output_mul")));
        return output;
    }

    Result<bool> rewriteMatMul(const NodeInfo &info, const onnx::NodeProto &node,
                               onnx::GraphProto &graph, std::vector<onnx::NodeProto> &out)
    {
        const bool gemm = info.opType == "Gemm";
        if (gemm && intAttribute(node, "transA", 0) != 0)
            return false;
        auto b = floatConstant(info, 1);
        if (!b)
            return b.status();
        if (b->empty() || b->rank() != 2)
            return false; // batched or activation weights stay float
        Tensor weights = *b;
        if (gemm && intAttribute(node, "transB", 0) != 0)
            weights = transposed2d(weights);
        const float alpha = gemm ? floatAttribute(node, "alpha", 1.0f) : 1.0f;
        const float beta = gemm ? floatAttribute(node, "beta", 1.0f) : 1.0f;
        Tensor bias;
        if (gemm && node.input_size() > 2 && !node.input(2).empty()) {
            auto c = floatConstant(info, 2);
            if (!c)
                return c.status();
            if (c->empty())
                return false; // a computed C stays with a float Gemm
            bias = beta == 1.0f ? *c : c->clone();
            if (beta != 1.0f)
                for (float &value : bias.mutableValues<float>())
                    value *= beta;
        }
        const std::string &a = node.input(0);
        const DynamicInput &input = dynamicInput(a, out);
        const Weight weight = addWeight(graph, node.input(1), weights,
                                        m_options.matMulWeightType, 1,
                                        m_options.symmetricWeights);
        std::vector<float> scales = weight.scales;
        for (float &scale : scales)
            scale *= alpha;
        const std::string weightScale = m_names.addInitializer(
            graph, node.input(1) + "_scale",
            scales.size() == 1 ? Tensor::scalar<float>(scales[0])
                               : Tensor::fromVector<float>({int64_t(scales.size())}, scales));
        const std::string nodeName = info.displayName;
        const std::string integer = m_names.uniqueValueName(node.output(0) + "_int32");
        out.push_back(GraphRewriter::makeNode(
            "MatMulInteger", {input.quantized, weight.values, input.zeroPoint, weight.zeroPoint},
            {integer}, node.name()));
        if (bias.empty()) {
            rescale(integer, input, weightScale, nodeName, node.output(0), out);
            return true;
        }
        const std::string scaled = m_names.uniqueValueName(node.output(0) + "_scaled");
        rescale(integer, input, weightScale, nodeName, scaled, out);
        const std::string biasName = m_names.addInitializer(graph, node.input(2) + "_scaled",
                                                            bias);
        out.push_back(GraphRewriter::makeNode("Add", {scaled, biasName}, {node.output(0)},
                                              m_names.uniqueNodeName(nodeName + "_bias_add")));
        return true;
    }

    Result<bool> rewriteConv(const NodeInfo &info, const onnx::NodeProto &node,
                             onnx::GraphProto &graph, std::vector<onnx::NodeProto> &out)
    {
        auto w = floatConstant(info, 1);
        if (!w)
            return w.status();
        if (w->empty() || w->rank() < 3)
            return false;
        auto b = floatConstant(info, 2);
        if (!b)
            return b.status();
        if (node.input_size() > 2 && !node.input(2).empty() && b->empty())
            return false; // a computed bias stays with a float Conv
        // Per channel needs one shared zero point for ORT's ConvInteger: symmetric weights.
        const bool symmetric = m_options.symmetricWeights || m_options.perChannel;
        const Weight weight = addWeight(graph, node.input(1), *w, m_options.convWeightType, 0,
                                        symmetric);
        const int64_t channels = w->dim(0);
        Shape broadcast(static_cast<size_t>(w->rank()), 1); // [1, M, 1, 1]
        broadcast[1] = weight.scales.size() == 1 ? 1 : channels;
        const std::string weightScale = m_names.addInitializer(
            graph, node.input(1) + "_scale", Tensor::fromVector<float>(broadcast, weight.scales));
        const DynamicInput &input = dynamicInput(node.input(0), out);
        const std::string integer = m_names.uniqueValueName(node.output(0) + "_int32");
        onnx::NodeProto conv = GraphRewriter::makeNode(
            "ConvInteger", {input.quantized, weight.values, input.zeroPoint, weight.zeroPoint},
            {integer}, node.name());
        *conv.mutable_attribute() = node.attribute();
        out.push_back(std::move(conv));
        const std::string nodeName = info.displayName;
        if (b->empty()) {
            rescale(integer, input, weightScale, nodeName, node.output(0), out);
            return true;
        }
        const std::string scaled = m_names.uniqueValueName(node.output(0) + "_scaled");
        rescale(integer, input, weightScale, nodeName, scaled, out);
        Shape biasShape(static_cast<size_t>(w->rank() - 1), 1); // [M, 1, 1]
        biasShape[0] = channels;
        const std::string biasName = m_names.addInitializer(graph, node.input(2) + "_broadcast",
                                                            b->reshaped(biasShape));
        out.push_back(GraphRewriter::makeNode("Add", {scaled, biasName}, {node.output(0)},
                                              m_names.uniqueNodeName(nodeName + "_bias_add")));
        return true;
    }

    Result<bool> rewriteGather(const NodeInfo &info, const onnx::NodeProto &node,
                               onnx::GraphProto &graph, std::vector<onnx::NodeProto> &out)
    {
        auto table = floatConstant(info, 0);
        if (!table)
            return table.status();
        if (table->empty())
            return false;
        WeightQuantOptions options;
        options.type = m_options.matMulWeightType;
        options.symmetric = m_options.symmetricWeights;
        options.reduceRange = m_options.reduceRange;
        const QuantizedTensor quantized = quantizeWeights(*table, options);
        const std::string values = m_names.addInitializer(graph, node.input(0) + "_quantized",
                                                          quantized.values);
        const std::string scale = m_names.addInitializer(
            graph, node.input(0) + "_scale", Tensor::scalar<float>(quantized.scales[0]));
        const int32_t zero = quantized.zeroPoints[0];
        const std::string zeroPoint = m_names.addInitializer(
            graph, node.input(0) + "_zero_point",
            quantized.values.dtype() == DType::UInt8 ? Tensor::scalar<uint8_t>(uint8_t(zero))
                                                     : Tensor::scalar<int8_t>(int8_t(zero)));
        const std::string gathered = m_names.uniqueValueName(node.output(0) + "_quantized");
        onnx::NodeProto gather = node;
        gather.set_input(0, values);
        gather.set_output(0, gathered);
        out.push_back(std::move(gather));
        out.push_back(GraphRewriter::makeNode(
            "DequantizeLinear", {gathered, scale, zeroPoint}, {node.output(0)},
            m_names.uniqueNodeName(info.displayName + "_DequantizeLinear")));
        return true;
    }

    std::shared_ptr<const Model> m_model;
    const NodeSelection &m_selection;
    DynamicOptions m_options;
    GraphRewriter m_names;
    std::vector<std::unordered_map<std::string, DynamicInput>> m_dynamicInputs;
    int64_t m_quantizedNodes = 0;
    std::vector<Diagnostic> m_diagnostics;
};

} // namespace

Result<DynamicResult> quantizeDynamic(std::shared_ptr<const Model> model,
                                      const NodeSelection &selection,
                                      const DynamicOptions &options, Progress &progress)
{
    DynamicRewrite rewrite(model, selection, options);
    auto proto = rewriteModel(*model, rewrite, progress, "quantizing (dynamic)");
    if (!proto)
        return proto.status();
    DynamicResult result;
    result.model = std::move(*proto);
    result.quantizedNodes = rewrite.quantizedNodes();
    result.diagnostics = rewrite.takeDiagnostics();
    return result;
}

} // namespace qs
