#include "quant/graph_rewrite.h"

#include "tensor/tensor_io.h"

#include <functional>

namespace qs {

namespace {

void collectNames(const onnx::GraphProto &graph, std::unordered_set<std::string> &values,
                  std::unordered_set<std::string> &nodes)
{
    for (const auto &input : graph.input())
        values.insert(input.name());
    for (const auto &output : graph.output())
        values.insert(output.name());
    for (const auto &info : graph.value_info())
        values.insert(info.name());
    for (const auto &initializer : graph.initializer())
        values.insert(initializer.name());
    for (const auto &node : graph.node()) {
        nodes.insert(node.name());
        for (const auto &name : node.input())
            values.insert(name);
        for (const auto &name : node.output())
            values.insert(name);
        for (const auto &attribute : node.attribute()) {
            if (attribute.has_g())
                collectNames(attribute.g(), values, nodes);
            for (const auto &subgraph : attribute.graphs())
                collectNames(subgraph, values, nodes);
        }
    }
}

std::string firstFree(const std::string &base, std::unordered_set<std::string> &taken)
{
    std::string name = base;
    for (int suffix = 1; taken.count(name); ++suffix)
        name = base + "_" + std::to_string(suffix);
    taken.insert(name);
    return name;
}

bool definesName(const onnx::GraphProto &graph, const std::string &name)
{
    for (const auto &input : graph.input())
        if (input.name() == name)
            return true;
    for (const auto &initializer : graph.initializer())
        if (initializer.name() == name)
            return true;
    for (const auto &node : graph.node())
        for (const auto &output : node.output())
            if (output == name)
                return true;
    return false;
}

void forEachSubgraph(onnx::NodeProto &node, const std::function<void(onnx::GraphProto &)> &visit)
{
    for (auto &attribute : *node.mutable_attribute()) {
        if (attribute.has_g())
            visit(*attribute.mutable_g());
        for (auto &subgraph : *attribute.mutable_graphs())
            visit(subgraph);
    }
}

void collectReads(const onnx::GraphProto &graph, std::unordered_set<std::string> &reads)
{
    for (const auto &node : graph.node()) {
        for (const auto &input : node.input())
            reads.insert(input);
        for (const auto &attribute : node.attribute()) {
            if (attribute.has_g())
                collectReads(attribute.g(), reads);
            for (const auto &subgraph : attribute.graphs())
                collectReads(subgraph, reads);
        }
    }
    for (const auto &output : graph.output())
        reads.insert(output.name());
}

} // namespace

GraphRewriter::GraphRewriter(const onnx::ModelProto &model)
{
    collectNames(model.graph(), m_values, m_nodes);
}

std::string GraphRewriter::uniqueValueName(const std::string &base)
{
    return firstFree(base, m_values);
}

std::string GraphRewriter::uniqueNodeName(const std::string &base)
{
    return firstFree(base, m_nodes);
}

std::string GraphRewriter::addInitializer(onnx::GraphProto &graph, const std::string &base,
                                          const Tensor &tensor)
{
    const std::string name = uniqueValueName(base);
    onnx::TensorProto &proto = *graph.add_initializer();
    tensorToProto(tensor, proto);
    proto.set_name(name);
    return name;
}

onnx::NodeProto GraphRewriter::makeNode(const std::string &opType,
                                        std::initializer_list<std::string> inputs,
                                        std::initializer_list<std::string> outputs,
                                        const std::string &name)
{
    onnx::NodeProto node;
    node.set_op_type(opType);
    node.set_name(name);
    for (const auto &input : inputs)
        node.add_input(input);
    for (const auto &output : outputs)
        node.add_output(output);
    return node;
}

void renameReaders(onnx::GraphProto &graph, const std::string &from, const std::string &to)
{
    for (auto &node : *graph.mutable_node()) {
        for (auto &input : *node.mutable_input())
            if (input == from)
                input = to;
        forEachSubgraph(node, [&](onnx::GraphProto &subgraph) {
            if (!definesName(subgraph, from))
                renameReaders(subgraph, from, to);
        });
    }
}

void removeUnusedConstants(onnx::GraphProto &graph)
{
    // Removing a Constant can make nothing else unused (Constants have no inputs), so one
    // sweep suffices; subgraphs first, since their reads keep outer constants alive.
    for (auto &node : *graph.mutable_node())
        forEachSubgraph(node, [](onnx::GraphProto &subgraph) { removeUnusedConstants(subgraph); });
    std::unordered_set<std::string> reads;
    collectReads(graph, reads);
    // Old models list initializers among the inputs too; those stay (removing one would turn
    // an optional input into a required one).
    for (const auto &input : graph.input())
        reads.insert(input.name());
    auto *nodes = graph.mutable_node();
    for (int i = nodes->size() - 1; i >= 0; --i) {
        const auto &node = nodes->Get(i);
        if (node.op_type() == "Constant" && node.output_size() == 1
            && !reads.count(node.output(0)))
            nodes->DeleteSubrange(i, 1);
    }
    auto *initializers = graph.mutable_initializer();
    for (int i = initializers->size() - 1; i >= 0; --i)
        if (!reads.count(initializers->Get(i).name()))
            initializers->DeleteSubrange(i, 1);
}

void requireOpset(onnx::ModelProto &model, const std::string &domain, int64_t version)
{
    for (auto &opset : *model.mutable_opset_import()) {
        const bool same = opset.domain() == domain
                          || (domain.empty() && opset.domain() == "ai.onnx")
                          || (domain == "ai.onnx" && opset.domain().empty());
        if (same) {
            if (opset.version() < version)
                opset.set_version(version);
            return;
        }
    }
    auto *opset = model.add_opset_import();
    opset->set_domain(domain);
    opset->set_version(version);
}

void setIntAttribute(onnx::NodeProto &node, const std::string &name, int64_t value)
{
    for (auto &attribute : *node.mutable_attribute())
        if (attribute.name() == name) {
            attribute.set_i(value);
            return;
        }
    auto *attribute = node.add_attribute();
    attribute->set_name(name);
    attribute->set_type(onnx::AttributeProto::INT);
    attribute->set_i(value);
}

int64_t intAttribute(const onnx::NodeProto &node, const std::string &name, int64_t fallback)
{
    for (const auto &attribute : node.attribute())
        if (attribute.name() == name)
            return attribute.i();
    return fallback;
}

float floatAttribute(const onnx::NodeProto &node, const std::string &name, float fallback)
{
    for (const auto &attribute : node.attribute())
        if (attribute.name() == name)
            return attribute.f();
    return fallback;
}

} // namespace qs

#include "model/graph_index.h"
#include "model/model.h"

namespace qs {

namespace {

class ModelRewriter
{
public:
    ModelRewriter(const Model &model, NodeRewrite &rewrite, Progress &progress,
                  const std::string &what)
        : m_model(model)
        , m_rewrite(rewrite)
        , m_progress(progress)
        , m_what(what)
        , m_total(static_cast<int64_t>(model.index().nodes().size()))
    {}

    Result<onnx::GraphProto> rebuild(int graphId)
    {
        const GraphIndex &index = m_model.index();
        const GraphInfo &info = index.graphs()[static_cast<size_t>(graphId)];
        const onnx::GraphProto &source = *info.proto;
        onnx::GraphProto graph;
        graph.set_name(source.name());
        graph.set_doc_string(source.doc_string());
        *graph.mutable_input() = source.input();
        *graph.mutable_output() = source.output();
        *graph.mutable_value_info() = source.value_info();
        *graph.mutable_initializer() = source.initializer();
        *graph.mutable_sparse_initializer() = source.sparse_initializer();
        std::vector<onnx::NodeProto> out;
        QS_RETURN_IF_ERROR(m_rewrite.beginGraph(info, graph, out));
        for (const int nodeId : info.nodes) {
            if (m_progress.cancelled())
                return cancelled();
            const NodeInfo &node = index.nodes()[static_cast<size_t>(nodeId)];
            onnx::NodeProto copy = *node.proto;
            for (int a = 0; a < copy.attribute_size(); ++a) {
                const onnx::AttributeProto &original = node.proto->attribute(a);
                onnx::AttributeProto &attribute = *copy.mutable_attribute(a);
                if (original.has_g()) {
                    auto sub = rebuildSubgraph(node, original.g());
                    if (!sub)
                        return sub.status();
                    *attribute.mutable_g() = std::move(*sub);
                }
                for (int g = 0; g < original.graphs_size(); ++g) {
                    auto sub = rebuildSubgraph(node, original.graphs(g));
                    if (!sub)
                        return sub.status();
                    *attribute.mutable_graphs(g) = std::move(*sub);
                }
            }
            QS_RETURN_IF_ERROR(m_rewrite.rewriteNode(node, std::move(copy), graph, out));
            m_progress.report(++m_done, m_total, m_what);
        }
        QS_RETURN_IF_ERROR(m_rewrite.endGraph(info, graph, out));
        for (auto &node : out)
            *graph.add_node() = std::move(node);
        return graph;
    }

private:
    Result<onnx::GraphProto> rebuildSubgraph(const NodeInfo &node, const onnx::GraphProto &original)
    {
        const GraphIndex &index = m_model.index();
        for (const int sub : node.subgraphs)
            if (index.graphs()[static_cast<size_t>(sub)].proto == &original)
                return rebuild(sub);
        return internalError("node '" + node.displayName + "': subgraph '" + original.name()
                             + "' is not indexed");
    }

    const Model &m_model;
    NodeRewrite &m_rewrite;
    Progress &m_progress;
    std::string m_what;
    int64_t m_total;
    int64_t m_done = 0;
};

} // namespace

Result<Tensor> floatConstantInput(const std::shared_ptr<const Model> &model, const NodeInfo &node,
                                  int input)
{
    if (input >= node.proto->input_size() || node.proto->input(input).empty())
        return Tensor();
    const onnx::TensorProto *proto =
        model->index().constantTensor(node.graph, node.proto->input(input));
    if (!proto || proto->data_type() != onnx::TensorProto::FLOAT)
        return Tensor();
    auto tensor = tensorFromProto(*proto, model);
    if (!tensor)
        return tensor.status().withContext("node '" + node.displayName + "'");
    return tensor;
}

Result<onnx::ModelProto> rewriteModel(const Model &model, NodeRewrite &rewrite,
                                      Progress &progress, const std::string &what)
{
    ModelRewriter rewriter(model, rewrite, progress, what);
    auto graph = rewriter.rebuild(0);
    if (!graph)
        return graph.status();
    const onnx::ModelProto &source = model.proto();
    onnx::ModelProto result;
    result.set_ir_version(source.ir_version());
    *result.mutable_opset_import() = source.opset_import();
    result.set_producer_name(source.producer_name());
    result.set_producer_version(source.producer_version());
    result.set_domain(source.domain());
    result.set_model_version(source.model_version());
    result.set_doc_string(source.doc_string());
    *result.mutable_metadata_props() = source.metadata_props();
    *result.mutable_functions() = source.functions();
    *result.mutable_graph() = std::move(*graph);
    removeUnusedConstants(*result.mutable_graph());
    return result;
}

} // namespace qs
