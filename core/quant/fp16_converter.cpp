#include "quant/fp16_converter.h"

#include "model/attributes.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "quant/fp16_plan.h"
#include "quant/fp16_tensors.h"
#include "tensor/tensor_io.h"

#include <sstream>
#include <utility>

namespace qs {

namespace {

using fp16::Fp16Plan;
using fp16::kFloat;
using fp16::kHalf;
using fp16::Source;
using fp16::ValuePlan;

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

void setElementType(Graph &graph, const std::string &value, int32_t type)
{
    TensorType retyped = graph.valueType(value);
    retyped.elementType = type;
    graph.setValueType(value, std::move(retyped));
}

} // namespace

Fp16ConvertPass::Fp16ConvertPass(const quantscope::Fp16Options &options)
    : m_options(options)
{}

Fp16ConvertPass::~Fp16ConvertPass() = default;

Status Fp16ConvertPass::plan(Graph &graph, PassContext &context)
{
    const Fp16Range range = fp16Range(m_options);
    if (range.minPositive >= range.maxFinite) {
        return invalidArgument("fp16 min_positive_val (" + std::to_string(range.minPositive)
                               + ") must be below max_finite_val ("
                               + std::to_string(range.maxFinite) + ")");
    }
    m_model = graph.model();
    for (const GraphInfo &info : m_model->index().graphs())
        m_graphIds.emplace(info.path, info.id);
    m_plan = std::make_unique<Fp16Plan>(*m_model, m_options);
    return m_plan->build(context.progress ? *context.progress : silentProgress(), graph);
}

int Fp16ConvertPass::graphId(const Graph &graph) const
{
    auto it = m_graphIds.find(graph.path());
    return it == m_graphIds.end() ? -1 : it->second;
}

Result<bool> Fp16ConvertPass::apply(Graph &graph, PassContext &context)
{
    if (!m_plan)
        QS_RETURN_IF_ERROR(plan(graph, context));
    if (graph.model() != m_model)
        return internalError("Fp16ConvertPass planned for another model");
    const int id = graphId(graph);
    if (id < 0)
        return internalError("graph '" + graph.path() + "' is missing from the graph index");
    const GraphIndex &index = m_model->index();
    QS_RETURN_IF_ERROR(convertInitializers(graph, id));

    // Values that exist before any node runs get their casts first.
    const std::vector<NodeId> ids = graph.nodeIds();
    NodeCursor start = NodeCursor::before(graph, ids.empty() ? kNoNode : ids.front());
    for (const auto &[name, value] : m_plan->values(id)) {
        if (value.source == Source::GraphInput || value.source == Source::FixedFloat)
            QS_RETURN_IF_ERROR(emitVariants(graph, value, {}, start));
    }
    for (const NodeId node : ids) {
        QS_RETURN_IF_ERROR(m_progress.step(graph, context));
        const int source = graph.node(node).sourceId;
        if (source < 0)
            continue;
        const NodeInfo &info = index.nodes()[size_t(source)];
        QS_RETURN_IF_ERROR(rewriteNode(graph, node, info));
        const onnx::NodeProto &proto = graph.node(node).proto;
        const std::string firstInput = proto.input_size() > 0 ? proto.input(0) : std::string();
        NodeCursor after = NodeCursor::after(graph, node);
        for (const ValueRef &output : info.outputs) {
            if (const ValuePlan *value = m_plan->findLocal(id, output.name))
                QS_RETURN_IF_ERROR(emitVariants(graph, *value, firstInput, after));
        }
        bool subgraphsChanged = false;
        for (auto &subgraph : graph.node(node).subgraphs)
            subgraphsChanged |= pointReadsAtVariants(*subgraph.graph, id);
        if (subgraphsChanged)
            graph.refreshImplicitInputs(node);
    }
    retypeSignature(graph, id);
    if (!graph.parent()) {
        addDiagnostics(context.diagnostics);
        collectNodeOutcomes();
    }
    // Conservatively: a graph with float32 values had them retyped, renamed or cast.
    return !m_plan->values(id).empty();
}

Status Fp16ConvertPass::convertInitializers(Graph &graph, int graphId)
{
    const Fp16Range range = fp16Range(m_options);
    const onnx::GraphProto &original = *m_model->index().graphs()[size_t(graphId)].proto;
    for (const onnx::TensorProto &stored : original.initializer()) {
        const ValuePlan *value = m_plan->findLocal(graphId, stored.name());
        if (!value || stored.data_type() != kFloat
            || (value->source != Source::Initializer && value->source != Source::GraphInput)) {
            continue;
        }
        Result<const Tensor *> decoded = graph.constantValue(stored.name());
        if (!decoded || !*decoded)
            return decoded ? internalError("initializer '" + stored.name() + "' has no value")
                           : decoded.status();
        const Tensor values = **decoded; // a handle: stays valid when the name is replaced
        if (value->natural == kHalf) {
            graph.setInitializer(stored.name(), toFloat16(values, range, m_counts.clampedValues));
            ++m_counts.convertedTensors;
        }
        if (value->source != Source::Initializer)
            continue; // an overridable input: its other types come from Casts
        for (const auto &[type, name] : value->names) {
            if (type == value->natural)
                continue;
            if (type == kHalf) {
                graph.setInitializer(name, toFloat16(values, range, m_counts.clampedValues));
                ++m_counts.convertedTensors;
            } else {
                graph.setInitializer(name, values);
            }
        }
    }
    return Status::ok();
}

Status Fp16ConvertPass::rewriteNode(Graph &graph, NodeId id, const NodeInfo &info)
{
    const fp16::NodePlan &plan = m_plan->node(info.id);
    for (size_t i = 0; i < info.inputs.size(); ++i) {
        const int32_t demand = plan.inputDemands[i];
        if (demand == 0)
            continue;
        // Values of enclosing graphs: their own graph's pass points this read at its variant.
        const ValuePlan *value = m_plan->find(info.graph, info.inputs[i].name);
        if (value->graph != info.graph)
            continue;
        const std::string &name = Fp16Plan::nameFor(*value, demand);
        if (graph.node(id).proto.input(int(i)) != name)
            graph.setInput(id, int(i), name);
    }
    int32_t outputType = 0;
    for (size_t k = 0; k < info.outputs.size(); ++k) {
        if (const ValuePlan *value = m_plan->findLocal(info.graph, info.outputs[k].name)) {
            const std::string &name = value->names.at(value->natural);
            if (graph.node(id).proto.output(int(k)) != name)
                graph.setOutput(id, int(k), name);
            outputType = value->natural;
        }
    }
    if (outputType == kHalf)
        return retypeProducer(graph, id, info);
    return Status::ok();
}

Result<onnx::TensorProto> Fp16ConvertPass::convertedConstant(const onnx::TensorProto &source,
                                                             int32_t type)
{
    Result<Tensor> values = readFloat32(*m_model, source);
    if (!values)
        return values.status().withContext("tensor '" + source.name() + "'");
    onnx::TensorProto converted;
    if (type == kHalf) {
        tensorToProto(toFloat16(*values, fp16Range(m_options), m_counts.clampedValues), converted);
    } else {
        tensorToProto(*values, converted);
    }
    return converted;
}

// Ops whose float output type is an attribute (or the type of a value attribute) write float16
// once that attribute says so.
Status Fp16ConvertPass::retypeProducer(Graph &graph, NodeId id, const NodeInfo &info)
{
    if (!isDefaultDomain(info.domain))
        return Status::ok();
    onnx::NodeProto &node = graph.node(id).proto;
    const std::string &op = info.opType;
    if (op == "Cast") {
        // The plan picked the type the consumers want: an existing Cast(to=FLOAT) in the
        // converted region becomes Cast(to=FLOAT16) instead of gaining a second Cast.
        setIntAttribute(node, "to", kHalf);
        return Status::ok();
    }
    if (op == "Constant") {
        onnx::TensorProto scratch;
        const onnx::TensorProto *source = constantValue(*info.proto, scratch);
        if (!source)
            return internalError("Constant node '" + info.displayName + "' has no float value");
        auto converted = convertedConstant(*source, kHalf);
        if (!converted)
            return converted.status();
        converted->set_name(source->name());
        removeAttribute(node, "value_float");
        removeAttribute(node, "value_floats");
        setTensorAttribute(node, "value", std::move(*converted));
        ++m_counts.convertedTensors;
        return Status::ok();
    }
    if (op == "ConstantOfShape") {
        if (const onnx::AttributeProto *original = findAttribute(*info.proto, "value")) {
            auto converted = convertedConstant(original->t(), kHalf);
            if (!converted)
                return converted.status();
            converted->set_name(original->t().name());
            setTensorAttribute(node, "value", std::move(*converted));
        } else {
            // The default value is float32 zero; say float16 zero explicitly.
            onnx::TensorProto zero;
            zero.set_data_type(kHalf);
            zero.add_dims(1);
            zero.set_raw_data(std::string(2, '\0'));
            setTensorAttribute(node, "value", std::move(zero));
        }
        return Status::ok();
    }
    if (hasAttribute(*info.proto, "dtype")) {
        if (intAttribute(*info.proto, "dtype", 0) == kFloat)
            setIntAttribute(node, "dtype", kHalf);
    } else if (op == "RandomNormal" || op == "RandomUniform") {
        setIntAttribute(node, "dtype", kHalf); // their default dtype is float32
    }
    return Status::ok();
}

onnx::NodeProto Fp16ConvertPass::makeCast(Graph &graph, const std::string &input,
                                          const std::string &output, int32_t to)
{
    onnx::NodeProto node = makeNode("Cast", {input}, {output},
                                    graph.uniqueNodeName("Cast_" + output));
    setIntAttribute(node, "to", to);
    ++m_counts.insertedCasts;
    return node;
}

// Makes the value available under each of its variant names, right after its producer.
// `producerInput` is the producer's (rewritten) first input: what a Cast variant casts again.
Status Fp16ConvertPass::emitVariants(Graph &graph, const ValuePlan &value,
                                     const std::string &producerInput, NodeCursor &cursor)
{
    for (const auto &[type, variant] : value.names) {
        if (type == value.natural)
            continue;
        switch (value.source) {
        case Source::Initializer: break; // new initializers, made by convertInitializers
        case Source::ConstantNode: {
            const NodeInfo &info = m_model->index().nodes()[size_t(value.producer)];
            onnx::TensorProto scratch;
            const onnx::TensorProto *source = constantValue(*info.proto, scratch);
            if (!source)
                return internalError("Constant node '" + info.displayName + "' has no value");
            auto converted = convertedConstant(*source, type);
            if (!converted)
                return converted.status();
            if (type == kHalf)
                ++m_counts.convertedTensors;
            onnx::NodeProto copy = makeNode("Constant", {}, {variant},
                                            graph.uniqueNodeName("Constant_" + variant));
            setTensorAttribute(copy, "value", std::move(*converted));
            cursor.insert(std::move(copy));
            break;
        }
        case Source::CastOutput:
            // A second Cast from the same input, never a Cast of the Cast.
            cursor.insert(makeCast(graph, producerInput, variant, type));
            break;
        default:
            cursor.insert(makeCast(graph, value.names.at(value.natural), variant, type));
            break;
        }
    }
    return Status::ok();
}

// `subgraph` (below a node of graph `definingGraph`, at any depth) reads values of that graph
// under their original names: each read takes the variant its node demands, and an output
// bound to such a value takes its float32 variant. True when anything changed.
bool Fp16ConvertPass::pointReadsAtVariants(Graph &subgraph, int definingGraph)
{
    const int id = graphId(subgraph);
    const GraphIndex &index = m_model->index();
    bool changed = false;
    for (const NodeId node : subgraph.nodeIds()) {
        const int source = subgraph.node(node).sourceId;
        if (source < 0)
            continue; // a Cast this pass made reads this graph's own values
        const NodeInfo &info = index.nodes()[size_t(source)];
        const fp16::NodePlan &plan = m_plan->node(info.id);
        for (size_t i = 0; i < info.inputs.size(); ++i) {
            const ValuePlan *value = plan.inputDemands[i] == 0
                                         ? nullptr
                                         : m_plan->find(info.graph, info.inputs[i].name);
            if (!value || value->graph != definingGraph)
                continue;
            const std::string &name = Fp16Plan::nameFor(*value, plan.inputDemands[i]);
            if (subgraph.node(node).proto.input(int(i)) != name) {
                subgraph.setInput(node, int(i), name);
                changed = true;
            }
        }
        bool inner = false;
        for (auto &nested : subgraph.node(node).subgraphs)
            inner |= pointReadsAtVariants(*nested.graph, definingGraph);
        if (inner) {
            subgraph.refreshImplicitInputs(node);
            changed = true;
        }
    }
    const std::vector<ValueRef> &outputs = index.graphs()[size_t(id)].outputs;
    for (size_t k = 0; k < outputs.size(); ++k) {
        const ValuePlan *value = m_plan->find(id, outputs[k].name);
        if (value && value->graph == definingGraph) {
            subgraph.setGraphOutput(k, Fp16Plan::nameFor(*value, kFloat));
            changed = true;
        }
    }
    return changed;
}

void Fp16ConvertPass::retypeSignature(Graph &graph, int graphId)
{
    const GraphInfo &info = m_model->index().graphs()[size_t(graphId)];
    for (const onnx::ValueInfoProto &input : info.proto->input()) {
        if (const ValuePlan *value = m_plan->findLocal(graphId, input.name()))
            setElementType(graph, input.name(), value->natural);
    }
    for (size_t k = 0; k < info.outputs.size(); ++k) {
        const std::string &output = info.outputs[k].name;
        const ValuePlan *value = m_plan->find(graphId, output);
        if (!value)
            continue;
        if (info.parent < 0) {
            setElementType(graph, output, value->outputDemand);
        } else if (value->graph == graphId) {
            // Subgraph outputs bind by position, so they may name the float32 variant (outer
            // values: the defining graph's pass does it).
            graph.setGraphOutput(k, Fp16Plan::nameFor(*value, kFloat));
        }
    }
    // value_info keeps describing the names it lists, now with their new element types.
    for (const onnx::ValueInfoProto &entry : info.proto->value_info()) {
        const ValuePlan *value = m_plan->find(graphId, entry.name());
        if (!value)
            continue;
        for (const auto &[type, variant] : value->names) {
            if (variant == entry.name())
                setElementType(graph, entry.name(), type);
        }
    }
}

void Fp16ConvertPass::addDiagnostics(std::vector<Diagnostic> &diagnostics) const
{
    if (m_counts.clampedValues > 0) {
        const Fp16Range range = fp16Range(m_options);
        auto number = [](auto value) {
            std::ostringstream text;
            text << value;
            return text.str();
        };
        diagnostics.push_back(
            diagnosticOf(Severity::Warning,
                         makeMessage(MessageId::ClampedToFloat16,
                                     {number(m_counts.clampedValues), number(range.minPositive),
                                      number(range.maxFinite)})));
    }
}

void Fp16ConvertPass::collectNodeOutcomes()
{
    m_nodeOutcomes.clear();
    for (const NodeInfo &info : m_model->index().nodes()) {
        const fp16::NodePlan &plan = m_plan->node(info.id);
        if (!plan.touchesFloat || plan.controlFlow)
            continue;
        m_nodeOutcomes.push_back({info.displayName, info.opType, !plan.blocked, plan.reason});
    }
}

Result<Fp16Result> convertToFloat16(std::shared_ptr<const Model> model,
                                    const quantscope::Fp16Options &options, Progress &progress)
{
    Fp16ConvertPass pass(options);
    Fp16Result result;
    auto proto = runOnModel(pass, std::move(model), progress, &result.diagnostics);
    if (!proto)
        return proto.status();
    result.model = std::move(*proto);
    result.convertedTensors = pass.counts().convertedTensors;
    result.clampedValues = pass.counts().clampedValues;
    result.insertedCasts = pass.counts().insertedCasts;
    result.nodes = pass.nodeOutcomes();
    return result;
}

Result<Fp16Result> convertToFloat16(const Model &model, const quantscope::Fp16Options &options,
                                    Progress &progress)
{
    // Not owned: the Graph built inside lives only as long as this call.
    return convertToFloat16(std::shared_ptr<const Model>(&model, [](const Model *) {}), options,
                            progress);
}

std::vector<std::string> defaultFp16OpBlockList()
{
    return {"ArrayFeatureExtractor",
            "Binarizer",
            "CastMap",
            "CategoryMapper",
            "DictVectorizer",
            "FeatureVectorizer",
            "Imputer",
            "LabelEncoder",
            "LinearClassifier",
            "LinearRegressor",
            "Normalizer",
            "OneHotEncoder",
            "RandomUniformLike",
            "SVMClassifier",
            "SVMRegressor",
            "Scaler",
            "TreeEnsembleClassifier",
            "TreeEnsembleRegressor",
            "ZipMap",
            "NonMaxSuppression",
            "TopK",
            "RoiAlign",
            "Resize",
            "Range",
            "CumSum",
            "Min",
            "Max",
            "Upsample"};
}

} // namespace qs
