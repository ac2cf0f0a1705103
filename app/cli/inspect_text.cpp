#include "cli/inspect_report.h"

#include "cli/text_table.h"
#include "model/element_type.h"
#include "model/model.h"
#include "model/model_summary.h"

#include <ostream>

namespace qs::cli {

namespace {

// A leading dim that is not a number: MACs were counted with it as 1 (node_cost.h).
bool hasSymbolicBatch(const std::vector<ValueRef> &inputs)
{
    for (const ValueRef &input : inputs)
        if (input.type.hasShape && input.type.dims.size() >= 2 && !input.type.dims[0].isKnown())
            return true;
    return false;
}

using Align = TextTable::Align;

std::string describeValue(const ValueRef &value)
{
    return value.name + "  " + std::string(elementTypeName(value.type.elementType))
           + value.type.shapeString();
}

std::string joinNames(const std::vector<ValueRef> &values)
{
    std::string text;
    for (size_t i = 0; i < values.size(); ++i)
        text += (i ? ", " : "") + (values[i].name.empty() ? std::string("-") : values[i].name);
    return text;
}

void writeSummary(const Model &model, const ModelSummary &summary, std::ostream &out)
{
    out << "Model       " << (model.path().empty() ? std::string("(in memory)") : model.path())
        << " (" << humanBytes(summary.fileBytes) << ")\n";
    out << "IR version  " << summary.irVersion << "\n";
    out << "Producer    " << (summary.producerName.empty() ? "-" : summary.producerName)
        << (summary.producerVersion.empty() ? "" : " " + summary.producerVersion) << "\n";
    out << "Opsets     ";
    for (const auto &[domain, version] : summary.opsets)
        out << " " << (domain.empty() ? "ai.onnx" : domain) << " " << version;
    out << "\n";
    for (const auto &[key, value] : summary.metadata)
        out << "Metadata    " << key << " = " << value << "\n";
    for (const ValueRef &input : summary.inputs)
        out << "Input       " << describeValue(input) << "\n";
    for (const ValueRef &output : summary.outputs)
        out << "Output      " << describeValue(output) << "\n";
    out << "Nodes       " << groupDigits(summary.nodeCount) << " in the main graph, "
        << groupDigits(summary.nodeCountTotal) << " in " << summary.graphCount
        << (summary.graphCount == 1 ? " graph\n" : " graphs\n");
    out << "Parameters  " << groupDigits(summary.parameterCount) << " ("
        << humanBytes(static_cast<uint64_t>(summary.initializerBytes)) << " in "
        << summary.initializerCount << " initializers)\n";
    if (summary.constantTensorCount > 0) {
        out << "Constants   " << groupDigits(summary.constantParameterCount) << " ("
            << humanBytes(static_cast<uint64_t>(summary.constantBytes)) << " in "
            << summary.constantTensorCount << " Constant nodes)\n";
    }
    out << "MACs        " << humanCount(summary.totalMacs)
        << (hasSymbolicBatch(summary.inputs) ? " per sample (the batch dim is symbolic)\n" : "\n");
    if (!model.diagnostics().empty()) {
        out << "\nDiagnostics (" << model.diagnostics().size() << ")\n";
        for (const Diagnostic &diagnostic : model.diagnostics()) {
            out << "  " << severityName(diagnostic.severity) << ": " << diagnostic.message;
            if (!diagnostic.node.empty())
                out << " [node " << diagnostic.node << "]";
            out << "\n";
        }
    }
    out << "\n";
}

void writeOpTypes(const ModelSummary &summary, std::ostream &out)
{
    TextTable table({{"op_type"},
                     {"domain"},
                     {"count", Align::Right},
                     {"params", Align::Right},
                     {"MACs", Align::Right}});
    for (const OpTypeStats &stats : summary.opTypes) {
        table.addRow({stats.opType, stats.domain.empty() ? "ai.onnx" : stats.domain,
                      groupDigits(stats.count), groupDigits(stats.params),
                      stats.macs ? humanCount(stats.macs) : "-"});
    }
    table.write(out);
}

void writeNodes(const Model &model, std::ostream &out)
{
    TextTable table({{"index", Align::Right},
                     {"name"},
                     {"op_type"},
                     {"inputs"},
                     {"outputs"},
                     {"output_shape"},
                     {"params", Align::Right},
                     {"MACs", Align::Right},
                     {"graph"}});
    for (const NodeInfo &node : model.index().nodes()) {
        table.addRow({std::to_string(node.id), node.displayName, node.opType,
                      joinNames(node.inputs), joinNames(node.outputs),
                      node.outputs.empty() ? "" : node.outputs.front().type.shapeString(),
                      groupDigits(node.paramCount), node.macs ? humanCount(*node.macs) : "-",
                      model.index().graphs()[node.graph].path});
    }
    table.write(out);
}

} // namespace

void writeInspectText(const Model &model, const ModelSummary &summary,
                      const InspectSections &sections, std::ostream &out)
{
    if (sections.summary)
        writeSummary(model, summary, out);
    if (sections.ops)
        writeOpTypes(summary, out);
    if (sections.nodes) {
        if (sections.ops)
            out << "\n";
        writeNodes(model, out);
    }
}

} // namespace qs::cli
