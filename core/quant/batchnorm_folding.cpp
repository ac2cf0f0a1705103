#include "quant/batchnorm_folding.h"

#include "model/graph_index.h"
#include "model/model.h"
#include "quant/graph_rewrite.h"
#include "runtime/tensor_io.h"

#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace qs {

namespace {

bool isConvLike(const NodeInfo &node)
{
    return (node.opType == "Conv" || node.opType == "ConvTranspose") && node.domain.empty();
}

float floatAttribute(const onnx::NodeProto &node, const std::string &name, float fallback)
{
    for (const auto &attribute : node.attribute())
        if (attribute.name() == name)
            return attribute.f();
    return fallback;
}

int64_t intAttribute(const onnx::NodeProto &node, const std::string &name, int64_t fallback)
{
    for (const auto &attribute : node.attribute())
        if (attribute.name() == name)
            return attribute.i();
    return fallback;
}

// The chain after a conv that can be folded: [Add(per-channel constant)] -> BatchNormalization.
struct FoldChain
{
    const NodeInfo *conv = nullptr;
    const NodeInfo *biasAdd = nullptr;
    const NodeInfo *batchNorm = nullptr;
};

class Folder : public NodeRewrite
{
public:
    explicit Folder(std::shared_ptr<const Model> model)
        : m_model(std::move(model))
        , m_names(m_model->proto())
    {}

    // Finds every foldable chain up front; rewriteNode then emits the folded conv and skips the
    // absorbed nodes.
    int plan()
    {
        const GraphIndex &index = m_model->index();
        for (const NodeInfo &node : index.nodes()) {
            if (!isConvLike(node) || node.outputs.size() != 1)
                continue;
            FoldChain chain;
            chain.conv = &node;
            const NodeInfo *next = soleReader(node);
            if (next && next->opType == "Add" && perChannelConstant(*next, node) >= 0) {
                chain.biasAdd = next;
                next = soleReader(*next);
            }
            if (!next || next->opType != "BatchNormalization" || next->outputs.size() != 1
                || next->proto->input_size() != 5)
                continue;
            bool constants = true;
            for (int i = 1; i < 5; ++i)
                constants &= index.constantTensor(next->graph, next->proto->input(i)) != nullptr;
            if (!constants || !index.constantTensor(node.graph, node.proto->input(1)))
                continue;
            chain.batchNorm = next;
            m_chains.emplace(node.id, chain);
            m_absorbed.insert(next->id);
            if (chain.biasAdd)
                m_absorbed.insert(chain.biasAdd->id);
        }
        return static_cast<int>(m_chains.size());
    }

    Status rewriteNode(const NodeInfo &info, onnx::NodeProto node, onnx::GraphProto &graph,
                       std::vector<onnx::NodeProto> &out) override
    {
        if (m_absorbed.count(info.id))
            return Status::ok();
        auto chain = m_chains.find(info.id);
        if (chain == m_chains.end()) {
            out.push_back(std::move(node));
            return Status::ok();
        }
        auto folded = fold(chain->second, node, graph);
        if (!folded)
            return folded;
        out.push_back(std::move(node));
        return Status::ok();
    }

private:
    // The only node reading `node`'s output, in the same graph, when that output is not a graph
    // output; null otherwise.
    const NodeInfo *soleReader(const NodeInfo &node) const
    {
        const GraphIndex &index = m_model->index();
        const std::string &out = node.outputs[0].name;
        for (const auto &output : index.graphs()[size_t(node.graph)].outputs)
            if (output.name == out)
                return nullptr;
        const auto readers = index.consumers(node.graph, out);
        if (readers.size() != 1 || readers[0]->graph != node.graph
            || readers[0]->proto->input(0) != out)
            return nullptr;
        return readers[0];
    }

    // Channel count of an Add's constant operand when it is per-channel for a conv output
    // ([1,C,1,..] or [C,1,..] against [N,C,spatial...]); -1 otherwise.
    int64_t perChannelConstant(const NodeInfo &add, const NodeInfo &conv) const
    {
        if (add.proto->input_size() != 2)
            return -1;
        const onnx::TensorProto *constant =
            m_model->index().constantTensor(add.graph, add.proto->input(1));
        const onnx::TensorProto *weight =
            m_model->index().constantTensor(conv.graph, conv.proto->input(1));
        if (!constant || !weight || constant->data_type() != onnx::TensorProto::FLOAT)
            return -1;
        const int rank = weight->dims_size(); // output rank equals weight rank
        std::vector<int64_t> dims(constant->dims().begin(), constant->dims().end());
        while (static_cast<int>(dims.size()) < rank)
            dims.insert(dims.begin(), 1);
        if (static_cast<int>(dims.size()) != rank || dims[0] != 1)
            return -1;
        for (int d = 2; d < rank; ++d)
            if (dims[size_t(d)] != 1)
                return -1;
        return dims[1];
    }

    Result<Tensor> constant(const NodeInfo &node, int input) const
    {
        const onnx::TensorProto *proto =
            m_model->index().constantTensor(node.graph, node.proto->input(input));
        auto tensor = tensorFromProto(*proto, m_model);
        if (!tensor)
            return tensor.status().withContext("node '" + node.displayName + "'");
        if (tensor->dtype() != DType::Float32)
            return unsupported("node '" + node.displayName + "': only float32 is folded");
        return tensor;
    }

    Status fold(const FoldChain &chain, onnx::NodeProto &conv, onnx::GraphProto &graph)
    {
        const NodeInfo &bn = *chain.batchNorm;
        auto weight = constant(*chain.conv, 1);
        auto scale = constant(bn, 1);
        auto shift = constant(bn, 2);
        auto mean = constant(bn, 3);
        auto variance = constant(bn, 4);
        for (const auto *r : {&weight, &scale, &shift, &mean, &variance})
            if (!*r)
                return r->status();
        const bool transposed = chain.conv->opType == "ConvTranspose";
        const Shape &wShape = weight->shape();
        const int64_t group = intAttribute(conv, "group", 1);
        const int64_t outputs = transposed ? wShape[1] * group : wShape[0];
        if (scale->elementCount() != outputs || shift->elementCount() != outputs
            || mean->elementCount() != outputs || variance->elementCount() != outputs)
            return Status::ok(); // shapes do not line up: leave the chain as it is
        const float epsilon = floatAttribute(*bn.proto, "epsilon", 1e-5f);

        std::vector<double> factor(static_cast<size_t>(outputs));
        for (int64_t c = 0; c < outputs; ++c)
            factor[size_t(c)] = double(scale->values<float>()[size_t(c)])
                                / std::sqrt(double(variance->values<float>()[size_t(c)]) + epsilon);

        Tensor folded = weight->clone();
        float *w = folded.mutableData<float>();
        int64_t inner = 1;
        for (size_t d = 2; d < wShape.size(); ++d)
            inner *= wShape[d];
        if (!transposed) {
            for (int64_t oc = 0; oc < outputs; ++oc)
                for (int64_t i = 0; i < wShape[1] * inner; ++i)
                    w[oc * wShape[1] * inner + i] *= float(factor[size_t(oc)]);
        } else {
            // W is [C_in, C_out / group, k...]; input channel ic belongs to group ic / (C_in/g).
            const int64_t inPerGroup = wShape[0] / group;
            for (int64_t ic = 0; ic < wShape[0]; ++ic)
                for (int64_t j = 0; j < wShape[1]; ++j) {
                    const int64_t oc = (ic / inPerGroup) * wShape[1] + j;
                    float *block = w + (ic * wShape[1] + j) * inner;
                    for (int64_t i = 0; i < inner; ++i)
                        block[i] *= float(factor[size_t(oc)]);
                }
        }

        std::vector<float> bias(static_cast<size_t>(outputs), 0.0f);
        if (conv.input_size() > 2 && !conv.input(2).empty()) {
            auto b = constant(*chain.conv, 2);
            if (!b)
                return b.status();
            for (int64_t c = 0; c < outputs; ++c)
                bias[size_t(c)] = b->values<float>()[size_t(c)];
        }
        if (chain.biasAdd) {
            auto added = constant(*chain.biasAdd, 1);
            if (!added)
                return added.status();
            for (int64_t c = 0; c < outputs; ++c)
                bias[size_t(c)] += added->values<float>()[size_t(c)];
        }
        for (int64_t c = 0; c < outputs; ++c) {
            const size_t i = size_t(c);
            bias[i] = float((double(bias[i]) - mean->values<float>()[i]) * factor[i]
                            + shift->values<float>()[i]);
        }
        const std::string weightName = m_names.addInitializer(graph, conv.input(1) + "_bn_folded",
                                                              folded);
        const std::string biasName = m_names.addInitializer(
            graph, chain.conv->displayName + "_bn_folded_bias",
            Tensor::fromVector<float>({outputs}, bias));
        conv.set_input(1, weightName);
        if (conv.input_size() > 2)
            conv.set_input(2, biasName);
        else
            conv.add_input(biasName);
        conv.set_output(0, bn.outputs[0].name);
        return Status::ok();
    }

    std::shared_ptr<const Model> m_model;
    GraphRewriter m_names;
    std::unordered_map<int, FoldChain> m_chains;
    std::unordered_set<int> m_absorbed;
};

} // namespace

Result<FoldResult> foldBatchNormalization(std::shared_ptr<const Model> model, Progress &progress)
{
    Folder folder(model);
    FoldResult result;
    result.folded = folder.plan();
    if (result.folded == 0)
        return result;
    auto proto = rewriteModel(*model, folder, progress, "folding BatchNormalization");
    if (!proto)
        return proto.status();
    result.model = std::move(*proto);
    return result;
}

} // namespace qs
