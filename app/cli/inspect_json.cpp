#include "cli/inspect_report.h"

#include "model/element_type.h"
#include "model/model.h"
#include "model/model_summary.h"
#include "util/json_writer.h"

namespace qs::cli {

namespace {

void writeShape(JsonWriter &json, const TensorType &type)
{
    if (!type.hasShape) {
        json.null();
        return;
    }
    json.beginArray();
    for (const Dim &dim : type.dims) {
        if (dim.isKnown())
            json.value(dim.value);
        else
            json.value(dim.toString()); // symbolic dims by name, unknown ones as "?"
    }
    json.endArray();
}

void writeValues(JsonWriter &json, const std::vector<ValueRef> &values)
{
    json.beginArray();
    for (const ValueRef &value : values) {
        json.beginObject();
        json.member("name", value.name);
        json.member("dtype", elementTypeName(value.type.elementType));
        json.key("shape");
        writeShape(json, value.type);
        json.endObject();
    }
    json.endArray();
}

void writeNames(JsonWriter &json, const std::vector<ValueRef> &values)
{
    json.beginArray();
    for (const ValueRef &value : values)
        json.value(value.name);
    json.endArray();
}

void writeNode(JsonWriter &json, const Model &model, const NodeInfo &node)
{
    json.beginObject();
    json.member("index", node.id);
    json.member("name", node.displayName);
    json.member("op_type", node.opType);
    json.member("domain", node.domain);
    json.member("opset", node.opsetVersion);
    json.key("inputs");
    writeNames(json, node.inputs);
    json.key("outputs");
    writeNames(json, node.outputs);
    json.key("output_shapes").beginArray();
    for (const ValueRef &output : node.outputs)
        writeShape(json, output.type);
    json.endArray();
    json.member("params", node.paramCount);
    json.member("param_bytes", node.paramBytes);
    json.key("macs");
    if (node.macs)
        json.value(*node.macs);
    else
        json.null();
    json.member("graph", model.index().graphs()[node.graph].path);
    // The file's attributes, then apart the schema's defaults of those it leaves out.
    for (const bool defaults : {false, true}) {
        json.key(defaults ? "default_attributes" : "attributes").beginObject();
        for (const AttributeSummary &attribute : node.attributes)
            if (attribute.isDefault == defaults)
                json.member(attribute.name, attribute.value);
        json.endObject();
    }
    json.endObject();
}

} // namespace

void writeInspectJson(const Model &model, const ModelSummary &summary, std::ostream &out)
{
    JsonWriter json(out);
    json.beginObject();
    json.member("path", model.path());
    json.member("file_bytes", static_cast<uint64_t>(summary.fileBytes));
    json.member("ir_version", summary.irVersion);
    json.member("producer_name", summary.producerName);
    json.member("producer_version", summary.producerVersion);
    json.member("domain", summary.domain);
    json.member("model_version", summary.modelVersion);
    json.key("opset_import").beginArray();
    for (const auto &[domain, version] : summary.opsets) {
        json.beginObject();
        json.member("domain", domain);
        json.member("version", version);
        json.endObject();
    }
    json.endArray();
    json.key("metadata_props").beginObject();
    for (const auto &[key, value] : summary.metadata)
        json.member(key, value);
    json.endObject();
    json.key("inputs");
    writeValues(json, summary.inputs);
    json.key("outputs");
    writeValues(json, summary.outputs);
    json.member("node_count", summary.nodeCount);
    json.member("node_count_total", summary.nodeCountTotal);
    json.member("graph_count", summary.graphCount);
    json.member("initializer_count", summary.initializerCount);
    json.member("parameter_count", summary.parameterCount);
    json.member("initializer_bytes", summary.initializerBytes);
    json.member("constant_tensor_count", summary.constantTensorCount);
    json.member("constant_parameter_count", summary.constantParameterCount);
    json.member("constant_bytes", summary.constantBytes);
    json.member("macs", summary.totalMacs);
    // Keyed by op type; ops of other domains as "domain:OpType" so they never merge with ONNX's.
    json.key("op_histogram").beginObject();
    for (const OpTypeStats &stats : summary.opTypes)
        json.member(stats.domain.empty() ? stats.opType : stats.domain + ":" + stats.opType,
                    stats.count);
    json.endObject();
    json.key("op_types").beginArray();
    for (const OpTypeStats &stats : summary.opTypes) {
        json.beginObject();
        json.member("op_type", stats.opType);
        json.member("domain", stats.domain);
        json.member("count", stats.count);
        json.member("params", stats.params);
        json.member("macs", stats.macs);
        json.endObject();
    }
    json.endArray();
    json.key("nodes").beginArray();
    for (const NodeInfo &node : model.index().nodes())
        writeNode(json, model, node);
    json.endArray();
    json.key("diagnostics").beginArray();
    for (const Diagnostic &diagnostic : model.diagnostics()) {
        json.beginObject();
        json.member("severity", severityName(diagnostic.severity));
        json.member("message", diagnostic.message);
        json.member("node", diagnostic.node);
        json.endObject();
    }
    json.endArray();
    json.endObject();
}

} // namespace qs::cli
