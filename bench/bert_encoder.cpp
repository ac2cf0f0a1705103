#include "bench/bert_encoder.h"
#include "tests/support/model_builder.h"

#include <cmath>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

namespace qs::bench {

namespace {

using test::setIntAttribute;

class EncoderBuilder
{
public:
    EncoderBuilder(onnx::GraphProto &graph, uint64_t seed)
        : m_graph(graph)
        , m_random(seed)
    {}

    // A float initializer of normal(0, 0.02) values, or `fill` when given.
    std::string weight(const std::string &name, std::vector<int64_t> dims, float fill = NAN)
    {
        std::normal_distribution<float> normal(0.0f, 0.02f);
        test::addFloatInitializer(m_graph, name, dims,
                                  [&] { return std::isnan(fill) ? normal(m_random) : fill; });
        return name;
    }

    std::string int64s(const std::string &name, const std::vector<int64_t> &values)
    {
        test::addInt64Initializer(m_graph, name, values);
        return name;
    }

    std::string scalar(const std::string &name, float value) { return weight(name, {}, value); }

    onnx::NodeProto &node(const std::string &opType, std::initializer_list<std::string> inputs,
                          const std::string &output)
    {
        return test::addNode(m_graph, opType, inputs, {output}, output);
    }

    std::string op(const std::string &opType, std::initializer_list<std::string> inputs,
                   const std::string &output)
    {
        node(opType, inputs, output);
        return output;
    }

    std::string linear(const std::string &input, const std::string &prefix, int in, int out)
    {
        const std::string product = op("MatMul", {input, weight(prefix + ".weight", {in, out})},
                                       prefix + "/MatMul");
        return op("Add", {product, weight(prefix + ".bias", {out})}, prefix + "/Add");
    }

    std::string layerNorm(const std::string &input, const std::string &prefix, int hidden)
    {
        onnx::NodeProto &norm = node("LayerNormalization",
                                     {input, weight(prefix + ".gamma", {hidden}, 1.0f),
                                      weight(prefix + ".beta", {hidden}, 0.0f)},
                                     prefix + "/LayerNorm");
        setIntAttribute(norm, "axis", -1);
        test::setFloatAttribute(norm, "epsilon", 1e-12f);
        return norm.output(0);
    }

    std::string transpose(const std::string &input, std::vector<int64_t> perm,
                          const std::string &output)
    {
        test::setIntsAttribute(node("Transpose", {input}, output), "perm", std::move(perm));
        return output;
    }

private:
    onnx::GraphProto &m_graph;
    std::mt19937_64 m_random;
};

} // namespace

onnx::ModelProto makeBertEncoder(const BertShape &shape, uint64_t seed)
{
    onnx::ModelProto model = test::makeModel(17);
    model.set_producer_name("quantscope-bench");
    onnx::GraphProto &graph = *model.mutable_graph();
    graph.set_name("bert_encoder");
    const int64_t s = shape.sequence, h = shape.hidden, heads = shape.heads;
    const int64_t headSize = h / heads;
    test::addInput(graph, "input_ids", {1, s}, onnx::TensorProto::INT64);
    test::addInput(graph, "attention_mask", {1, s}, onnx::TensorProto::INT64);
    test::addOutput(graph, "last_hidden_state", {1, s, h});

    EncoderBuilder b(graph, seed);
    // Embeddings.
    std::string hidden = b.op("Gather",
                              {b.weight("embeddings.word", {shape.vocabulary, h}), "input_ids"},
                              "embeddings/Gather");
    hidden = b.op("Add", {hidden, b.weight("embeddings.position", {1, s, h})}, "embeddings/Add");
    hidden = b.layerNorm(hidden, "embeddings", static_cast<int>(h));

    // Mask: 0 where attended, -10000 where padded, broadcast over heads and query positions.
    std::string mask = b.op("Cast", {"attention_mask"}, "mask/Cast");
    setIntAttribute(*graph.mutable_node(graph.node_size() - 1), "to", onnx::TensorProto::FLOAT);
    mask = b.op("Sub", {b.scalar("mask.one", 1.0f), mask}, "mask/Sub");
    mask = b.op("Mul", {mask, b.scalar("mask.scale", -10000.0f)}, "mask/Mul");
    mask = b.op("Unsqueeze", {mask, b.int64s("mask.axes", {1, 2})}, "mask/Unsqueeze");

    const std::string splitShape = b.int64s("shape.split_heads", {1, s, heads, headSize});
    const std::string mergeShape = b.int64s("shape.merge_heads", {1, s, h});
    const std::string attentionScale = b.scalar("attention.scale",
                                                1.0f / std::sqrt(float(headSize)));
    const std::string sqrt2 = b.scalar("gelu.sqrt2", std::sqrt(2.0f));
    const std::string one = b.scalar("gelu.one", 1.0f);
    const std::string half = b.scalar("gelu.half", 0.5f);
    for (int layer = 0; layer < shape.layers; ++layer) {
        const std::string p = "layer" + std::to_string(layer);
        auto heads4d = [&](const std::string &name, std::vector<int64_t> perm) {
            const std::string projected = b.linear(hidden, p + ".attention." + name, int(h), int(h));
            const std::string split = b.op("Reshape", {projected, splitShape},
                                           p + "/" + name + "/Reshape");
            return b.transpose(split, std::move(perm), p + "/" + name + "/Transpose");
        };
        const std::string query = heads4d("query", {0, 2, 1, 3});
        const std::string keyT = heads4d("key", {0, 2, 3, 1});
        const std::string value = heads4d("value", {0, 2, 1, 3});
        std::string scores = b.op("MatMul", {query, keyT}, p + "/scores/MatMul");
        scores = b.op("Mul", {scores, attentionScale}, p + "/scores/Mul");
        scores = b.op("Add", {scores, mask}, p + "/scores/Add");
        onnx::NodeProto &softmax = b.node("Softmax", {scores}, p + "/Softmax");
        setIntAttribute(softmax, "axis", -1);
        std::string context = b.op("MatMul", {softmax.output(0), value}, p + "/context/MatMul");
        context = b.transpose(context, {0, 2, 1, 3}, p + "/context/Transpose");
        context = b.op("Reshape", {context, mergeShape}, p + "/context/Reshape");
        std::string attention = b.linear(context, p + ".attention.output", int(h), int(h));
        attention = b.op("Add", {attention, hidden}, p + "/attention/residual");
        hidden = b.layerNorm(attention, p + ".attention", int(h));

        // GELU, erf form: x * 0.5 * (1 + erf(x / sqrt(2))).
        const std::string inner = b.linear(hidden, p + ".intermediate", int(h), shape.feedForward);
        std::string gelu = b.op("Div", {inner, sqrt2}, p + "/gelu/Div");
        gelu = b.op("Erf", {gelu}, p + "/gelu/Erf");
        gelu = b.op("Add", {gelu, one}, p + "/gelu/Add");
        gelu = b.op("Mul", {inner, gelu}, p + "/gelu/Mul");
        gelu = b.op("Mul", {gelu, half}, p + "/gelu/Mul_half");
        std::string output = b.linear(gelu, p + ".output", shape.feedForward, int(h));
        output = b.op("Add", {output, hidden}, p + "/output/residual");
        hidden = b.layerNorm(output, p + ".output", int(h));
    }
    graph.mutable_node(graph.node_size() - 1)->set_output(0, "last_hidden_state");
    return model;
}

} // namespace qs::bench
