#include "quant/fp16_converter.h"

#include "model/graph_index.h"
#include "model/model.h"
#include "quant/fp16_plan.h"
#include "quant/fp16_tensors.h"
#include "quant/graph_rewrite.h"

#include <map>
#include <sstream>
#include <unordered_set>
#include <utility>

namespace qs {

namespace {

using fp16::Fp16Plan;
using fp16::kFloat;
using fp16::kHalf;
using fp16::Source;
using fp16::ValuePlan;

void reserveNames(const onnx::GraphProto &graph, std::unordered_set<std::string> &names)
{
    for (const auto &value : graph.input())
        names.insert(value.name());
    for (const auto &value : graph.output())
        names.insert(value.name());
    for (const auto &value : graph.value_info())
        names.insert(value.name());
    for (const auto &tensor : graph.initializer())
        names.insert(tensor.name());
    for (const auto &sparse : graph.sparse_initializer())
        names.insert(sparse.values().name());
    for (const onnx::NodeProto &node : graph.node()) {
        names.insert(node.name());
        names.insert(node.input().begin(), node.input().end());
        names.insert(node.output().begin(), node.output().end());
        for (const onnx::AttributeProto &attribute : node.attribute()) {
            if (attribute.has_g())
                reserveNames(attribute.g(), names);
            for (const onnx::GraphProto &subgraph : attribute.graphs())
                reserveNames(subgraph, names);
        }
    }
}

// The copy has the same structure as the original: pair up their graphs, subgraphs included.
void mapGraphs(const onnx::GraphProto &source, onnx::GraphProto &target,
               std::map<const onnx::GraphProto *, onnx::GraphProto *> &graphs)
{
    graphs[&source] = &target;
    for (int n = 0; n < source.node_size(); ++n) {
        const onnx::NodeProto &node = source.node(n);
        onnx::NodeProto &copy = *target.mutable_node(n);
        for (int a = 0; a < node.attribute_size(); ++a) {
            const onnx::AttributeProto &attribute = node.attribute(a);
            onnx::AttributeProto &attributeCopy = *copy.mutable_attribute(a);
            if (attribute.has_g())
                mapGraphs(attribute.g(), *attributeCopy.mutable_g(), graphs);
            for (int g = 0; g < attribute.graphs_size(); ++g)
                mapGraphs(attribute.graphs(g), *attributeCopy.mutable_graphs(g), graphs);
        }
    }
}

onnx::AttributeProto *findAttribute(onnx::NodeProto &node, const std::string &name)
{
    for (onnx::AttributeProto &attribute : *node.mutable_attribute()) {
        if (attribute.name() == name)
            return &attribute;
    }
    return nullptr;
}

const onnx::AttributeProto *findAttribute(const onnx::NodeProto &node, const std::string &name)
{
    return findAttribute(const_cast<onnx::NodeProto &>(node), name);
}

void removeAttribute(onnx::NodeProto &node, const std::string &name)
{
    auto *attributes = node.mutable_attribute();
    for (int a = attributes->size() - 1; a >= 0; --a) {
        if (attributes->Get(a).name() == name)
            attributes->DeleteSubrange(a, 1);
    }
}

onnx::TensorProto &setTensorAttribute(onnx::NodeProto &node, const std::string &name)
{
    onnx::AttributeProto *attribute = findAttribute(node, name);
    if (!attribute) {
        attribute = node.add_attribute();
        attribute->set_name(name);
        attribute->set_type(onnx::AttributeProto::TENSOR);
    }
    return *attribute->mutable_t();
}

// A Constant node's float32 value as stored in the original model: its `value` tensor (maybe
// external data, so it must be the original object) or `value_float(s)` put into `scratch`.
const onnx::TensorProto *constantValue(const onnx::NodeProto &node, onnx::TensorProto &scratch)
{
    if (const onnx::AttributeProto *value = findAttribute(node, "value"))
        return &value->t();
    scratch.set_data_type(onnx::TensorProto::FLOAT);
    if (const onnx::AttributeProto *value = findAttribute(node, "value_float")) {
        scratch.add_float_data(value->f());
        return &scratch;
    }
    if (const onnx::AttributeProto *values = findAttribute(node, "value_floats")) {
        scratch.add_dims(values->floats_size());
        for (const float value : values->floats())
            scratch.add_float_data(value);
        return &scratch;
    }
    return nullptr;
}

void setElementType(onnx::ValueInfoProto &value, int32_t type)
{
    if (value.type().has_tensor_type())
        value.mutable_type()->mutable_tensor_type()->set_elem_type(type);
}

class Converter
{
public:
    Converter(const Model &model, const quantscope::Fp16Options &options, Progress &progress)
        : m_model(model)
        , m_progress(progress)
        , m_plan(model, options)
        , m_range(fp16Range(options))
    {}

    Result<Fp16Result> run()
    {
        if (m_range.minPositive >= m_range.maxFinite) {
            return invalidArgument("fp16 min_positive_val (" + std::to_string(m_range.minPositive)
                                   + ") must be below max_finite_val ("
                                   + std::to_string(m_range.maxFinite) + ")");
        }
        m_result.model = m_model.proto();
        mapGraphs(m_model.proto().graph(), *m_result.model.mutable_graph(), m_outGraphs);
        reserveNames(m_result.model.graph(), m_reserved);
        QS_RETURN_IF_ERROR(m_plan.build(m_progress, m_reserved));

        // Subgraphs first (they come after their owner in the index): rewriting a graph moves
        // its nodes, and nothing in a subgraph's rewrite needs its parent's new node list.
        const auto &graphs = m_model.index().graphs();
        for (auto graph = graphs.rbegin(); graph != graphs.rend(); ++graph)
            QS_RETURN_IF_ERROR(rewriteGraph(*graph));

        addDiagnostics();
        const auto total = static_cast<int64_t>(m_model.index().nodes().size());
        m_progress.report(total, total, "Converting to float16");
        return std::move(m_result);
    }

private:
    Status rewriteGraph(const GraphInfo &graph);
    Status convertInitializers(const GraphInfo &graph, onnx::GraphProto &out);
    Status rewriteNode(const NodeInfo &info, onnx::NodeProto &node);
    Status retypeProducer(const NodeInfo &info, onnx::NodeProto &node, int32_t outputType);
    Status emitVariants(const ValuePlan &value, const std::string &producerInput,
                        std::vector<onnx::NodeProto> &nodes);
    void retypeSignature(const GraphInfo &graph, onnx::GraphProto &out) const;
    void addDiagnostics();

    // Converts a float32 tensor of the original model into `target`, counting clamped values.
    Status toHalf(const onnx::TensorProto &source, onnx::TensorProto &target)
    {
        Result<int64_t> clamped = writeFloat16Tensor(m_model, source, m_range, target);
        if (!clamped)
            return clamped.status().withContext("tensor '" + source.name() + "'");
        m_result.clampedValues += *clamped;
        return Status::ok();
    }

    onnx::NodeProto makeCast(const std::string &input, const std::string &output, int32_t to)
    {
        onnx::NodeProto node;
        node.set_op_type("Cast");
        node.set_name(fp16::uniqueName("Cast_" + output, m_reserved));
        node.add_input(input);
        node.add_output(output);
        setIntAttribute(node, "to", to);
        ++m_result.insertedCasts;
        return node;
    }

    const Model &m_model;
    Progress &m_progress;
    Fp16Plan m_plan;
    Fp16Range m_range;
    Fp16Result m_result;
    std::unordered_set<std::string> m_reserved;
    std::map<const onnx::GraphProto *, onnx::GraphProto *> m_outGraphs;
    int64_t m_nodesDone = 0;
};

Status Converter::rewriteGraph(const GraphInfo &graph)
{
    onnx::GraphProto &out = *m_outGraphs.at(graph.proto);
    QS_RETURN_IF_ERROR(convertInitializers(graph, out));

    std::vector<onnx::NodeProto> nodes;
    nodes.reserve(static_cast<size_t>(out.node_size()));
    // Values that exist before any node runs get their casts first.
    for (const auto &entry : m_plan.values(graph.id)) {
        const ValuePlan &value = entry.second;
        if (value.source == Source::GraphInput || value.source == Source::FixedFloat)
            QS_RETURN_IF_ERROR(emitVariants(value, {}, nodes));
    }

    std::vector<const NodeInfo *> byFileIndex(static_cast<size_t>(out.node_size()), nullptr);
    for (const int nodeId : graph.nodes) {
        const NodeInfo &info = m_model.index().nodes()[static_cast<size_t>(nodeId)];
        byFileIndex[static_cast<size_t>(info.fileIndex)] = &info;
    }
    const auto total = static_cast<int64_t>(m_model.index().nodes().size());
    for (int n = 0; n < out.node_size(); ++n) {
        if (++m_nodesDone % 64 == 0) {
            if (m_progress.cancelled())
                return cancelled();
            m_progress.report(m_nodesDone, total, "Converting to float16");
        }
        const NodeInfo *info = byFileIndex[static_cast<size_t>(n)];
        if (!info)
            return internalError("node #" + std::to_string(n) + " of graph '" + graph.path
                                 + "' is missing from the graph index");
        onnx::NodeProto node = std::move(*out.mutable_node(n));
        QS_RETURN_IF_ERROR(rewriteNode(*info, node));
        const std::string firstInput = node.input_size() > 0 ? node.input(0) : std::string();
        nodes.push_back(std::move(node));
        for (const ValueRef &output : info->outputs) {
            if (const ValuePlan *value = m_plan.findLocal(graph.id, output.name))
                QS_RETURN_IF_ERROR(emitVariants(*value, firstInput, nodes));
        }
    }
    out.clear_node();
    for (onnx::NodeProto &node : nodes)
        *out.add_node() = std::move(node);
    retypeSignature(graph, out);
    return Status::ok();
}

Status Converter::convertInitializers(const GraphInfo &graph, onnx::GraphProto &out)
{
    const onnx::GraphProto &original = *graph.proto;
    for (int i = 0; i < original.initializer_size(); ++i) {
        const onnx::TensorProto &source = original.initializer(i);
        const ValuePlan *value = m_plan.findLocal(graph.id, source.name());
        if (!value || source.data_type() != kFloat
            || (value->source != Source::Initializer && value->source != Source::GraphInput)) {
            continue;
        }
        if (value->natural == kHalf) {
            QS_RETURN_IF_ERROR(toHalf(source, *out.mutable_initializer(i)));
            ++m_result.convertedTensors;
        }
        if (value->source != Source::Initializer)
            continue; // an overridable input: its other types come from Casts
        for (const auto &[type, name] : value->names) {
            if (type == value->natural)
                continue;
            onnx::TensorProto &copy = *out.add_initializer();
            if (type == kHalf) {
                QS_RETURN_IF_ERROR(toHalf(source, copy));
                ++m_result.convertedTensors;
            } else {
                QS_RETURN_IF_ERROR(writeFloat32Tensor(m_model, source, copy));
            }
            copy.set_name(name);
        }
    }
    return Status::ok();
}

Status Converter::rewriteNode(const NodeInfo &info, onnx::NodeProto &node)
{
    const fp16::NodePlan &plan = m_plan.node(info.id);
    for (size_t i = 0; i < info.inputs.size(); ++i) {
        const int32_t demand = plan.inputDemands[i];
        if (demand == 0)
            continue;
        const ValuePlan *value = m_plan.find(info.graph, info.inputs[i].name);
        node.set_input(static_cast<int>(i), Fp16Plan::nameFor(*value, demand));
    }
    int32_t outputType = 0;
    for (size_t k = 0; k < info.outputs.size(); ++k) {
        if (const ValuePlan *value = m_plan.findLocal(info.graph, info.outputs[k].name)) {
            node.set_output(static_cast<int>(k), value->names.at(value->natural));
            outputType = value->natural;
        }
    }
    if (outputType == kHalf)
        return retypeProducer(info, node, outputType);
    return Status::ok();
}

// Ops whose float output type is an attribute (or the type of a value attribute) write float16
// once that attribute says so.
Status Converter::retypeProducer(const NodeInfo &info, onnx::NodeProto &node, int32_t outputType)
{
    if (!info.domain.empty())
        return Status::ok();
    const std::string &op = info.opType;
    if (op == "Cast") {
        // The plan picked the type the consumers want: an existing Cast(to=FLOAT) in the
        // converted region becomes Cast(to=FLOAT16) instead of gaining a second Cast.
        setIntAttribute(node, "to", outputType);
        return Status::ok();
    }
    if (op == "Constant") {
        onnx::TensorProto scratch;
        const onnx::TensorProto *source = constantValue(*info.proto, scratch);
        if (!source)
            return internalError("Constant node '" + info.displayName + "' has no float value");
        const onnx::TensorProto original = *source; // the attributes below are replaced
        onnx::TensorProto converted;
        QS_RETURN_IF_ERROR(toHalf(*source, converted));
        converted.set_name(original.name());
        removeAttribute(node, "value_float");
        removeAttribute(node, "value_floats");
        setTensorAttribute(node, "value") = std::move(converted);
        ++m_result.convertedTensors;
        return Status::ok();
    }
    if (op == "ConstantOfShape") {
        onnx::TensorProto &value = setTensorAttribute(node, "value");
        if (const onnx::AttributeProto *original = findAttribute(*info.proto, "value")) {
            QS_RETURN_IF_ERROR(toHalf(original->t(), value));
        } else {
            // The default value is float32 zero; say float16 zero explicitly.
            value.set_data_type(kHalf);
            value.add_dims(1);
            value.set_raw_data(std::string(2, '\0'));
        }
        return Status::ok();
    }
    if (const onnx::AttributeProto *dtype = findAttribute(*info.proto, "dtype");
        dtype && dtype->i() == kFloat) {
        setIntAttribute(node, "dtype", kHalf);
    } else if (!dtype && (op == "RandomNormal" || op == "RandomUniform")) {
        setIntAttribute(node, "dtype", kHalf); // their default dtype is float32
    }
    return Status::ok();
}

// Makes the value available under each of its variant names, right after its producer.
// `producerInput` is the producer's (rewritten) first input: what a Cast variant casts again.
Status Converter::emitVariants(const ValuePlan &value, const std::string &producerInput,
                               std::vector<onnx::NodeProto> &nodes)
{
    for (const auto &[type, variant] : value.names) {
        if (type == value.natural)
            continue;
        switch (value.source) {
        case Source::Initializer:
            break; // new initializers, made by convertInitializers
        case Source::ConstantNode: {
            const NodeInfo &info = m_model.index().nodes()[static_cast<size_t>(value.producer)];
            onnx::TensorProto scratch;
            const onnx::TensorProto *source = constantValue(*info.proto, scratch);
            if (!source)
                return internalError("Constant node '" + info.displayName + "' has no value");
            onnx::NodeProto copy;
            copy.set_op_type("Constant");
            copy.set_name(fp16::uniqueName("Constant_" + variant, m_reserved));
            copy.add_output(variant);
            onnx::TensorProto &tensor = setTensorAttribute(copy, "value");
            if (type == kHalf) {
                QS_RETURN_IF_ERROR(toHalf(*source, tensor));
                ++m_result.convertedTensors;
            } else {
                QS_RETURN_IF_ERROR(writeFloat32Tensor(m_model, *source, tensor));
            }
            nodes.push_back(std::move(copy));
            break;
        }
        case Source::CastOutput:
            // A second Cast from the same input, never a Cast of the Cast.
            nodes.push_back(makeCast(producerInput, variant, type));
            break;
        default:
            nodes.push_back(makeCast(value.names.at(value.natural), variant, type));
            break;
        }
    }
    return Status::ok();
}

void Converter::retypeSignature(const GraphInfo &graph, onnx::GraphProto &out) const
{
    for (onnx::ValueInfoProto &input : *out.mutable_input()) {
        if (const ValuePlan *value = m_plan.findLocal(graph.id, input.name()))
            setElementType(input, value->natural);
    }
    for (onnx::ValueInfoProto &output : *out.mutable_output()) {
        const ValuePlan *value = m_plan.find(graph.id, output.name());
        if (!value)
            continue;
        if (graph.parent < 0) {
            setElementType(output, value->outputDemand);
        } else {
            // Subgraph outputs bind by position, so they may name the float32 variant.
            output.set_name(Fp16Plan::nameFor(*value, kFloat));
        }
    }
    // value_info keeps describing the names it lists, now with their new element types.
    auto *valueInfo = out.mutable_value_info();
    for (int v = valueInfo->size() - 1; v >= 0; --v) {
        onnx::ValueInfoProto &entry = *valueInfo->Mutable(v);
        const ValuePlan *value = m_plan.find(graph.id, entry.name());
        if (!value)
            continue;
        int32_t type = 0;
        for (const auto &[variantType, variant] : value->names) {
            if (variant == entry.name())
                type = variantType;
        }
        if (type)
            setElementType(entry, type);
        else
            valueInfo->DeleteSubrange(v, 1);
    }
}

void Converter::addDiagnostics()
{
    if (m_result.clampedValues > 0) {
        std::ostringstream message;
        message << m_result.clampedValues << " weights clamped into float16 range ["
                << m_range.minPositive << ", " << m_range.maxFinite << "]";
        m_result.diagnostics.push_back({Severity::Warning, message.str(), {}});
    }
    for (const NodeInfo &info : m_model.index().nodes()) {
        const fp16::NodePlan &plan = m_plan.node(info.id);
        if (plan.blocked && plan.touchesFloat && !plan.controlFlow) {
            m_result.diagnostics.push_back(
                {Severity::Info, "stays float32: " + plan.reason, info.displayName});
        }
    }
}

} // namespace

Result<Fp16Result> convertToFloat16(const Model &model, const quantscope::Fp16Options &options,
                                    Progress &progress)
{
    return Converter(model, options, progress).run();
}

std::vector<std::string> defaultFp16OpBlockList()
{
    return {"ArrayFeatureExtractor", "Binarizer", "CastMap", "CategoryMapper", "DictVectorizer",
            "FeatureVectorizer", "Imputer", "LabelEncoder", "LinearClassifier", "LinearRegressor",
            "Normalizer", "OneHotEncoder", "RandomUniformLike", "SVMClassifier", "SVMRegressor",
            "Scaler", "TreeEnsembleClassifier", "TreeEnsembleRegressor", "ZipMap",
            "NonMaxSuppression", "TopK", "RoiAlign", "Resize", "Range", "CumSum", "Min", "Max",
            "Upsample"};
}

} // namespace qs
