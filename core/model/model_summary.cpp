#include "model/model_summary.h"

#include "util/checked_math.h"

#include "model/element_type.h"
#include "model/model.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <map>

namespace qs {

ModelSummary summarize(const Model &model)
{
    const onnx::ModelProto &proto = model.proto();
    const GraphIndex &index = model.index();
    ModelSummary summary;
    summary.irVersion = proto.ir_version();
    summary.producerName = proto.producer_name();
    summary.producerVersion = proto.producer_version();
    summary.domain = proto.domain();
    summary.modelVersion = proto.model_version();
    for (const auto &opset : proto.opset_import())
        summary.opsets.emplace_back(opset.domain(), opset.version());
    for (const auto &entry : proto.metadata_props())
        summary.metadata.emplace_back(entry.key(), entry.value());
    summary.inputs = index.mainGraph().inputs;
    summary.outputs = index.mainGraph().outputs;

    summary.nodeCount = static_cast<int64_t>(index.mainGraph().nodes.size());
    summary.nodeCountTotal = static_cast<int64_t>(index.nodes().size());
    summary.graphCount = static_cast<int64_t>(index.graphs().size());
    for (const GraphInfo &graph : index.graphs()) {
        for (const auto &tensor : graph.proto->initializer()) {
            const int64_t elements = TensorType::fromTensor(tensor).elementCount().value_or(0);
            summary.initializerCount += 1;
            summary.parameterCount = saturatingAdd(summary.parameterCount, elements);
            summary.initializerBytes
                = saturatingAdd(summary.initializerBytes,
                                saturatingMultiply(elements, elementByteSize(tensor.data_type())));
        }
    }
    for (const NodeInfo &node : index.nodes()) {
        if (node.opType != "Constant" || !node.domain.empty() || node.outputs.empty())
            continue;
        if (const onnx::TensorProto *tensor = index.constantTensor(node.graph,
                                                                   node.outputs[0].name)) {
            const int64_t elements = TensorType::fromTensor(*tensor).elementCount().value_or(0);
            summary.constantTensorCount += 1;
            summary.constantParameterCount = saturatingAdd(summary.constantParameterCount, elements);
            summary.constantBytes
                = saturatingAdd(summary.constantBytes,
                                saturatingMultiply(elements, elementByteSize(tensor->data_type())));
        }
    }
    summary.fileBytes = model.fileBytes();

    std::map<std::pair<std::string, std::string>, OpTypeStats> byType;
    for (const NodeInfo &node : index.nodes()) {
        OpTypeStats &stats = byType[{node.domain, node.opType}];
        stats.domain = node.domain;
        stats.opType = node.opType;
        stats.count += 1;
        stats.params = saturatingAdd(stats.params, node.paramCount);
        stats.macs = saturatingAdd(stats.macs, node.macs.value_or(0));
        summary.totalMacs = saturatingAdd(summary.totalMacs, node.macs.value_or(0));
    }
    for (auto &[key, stats] : byType)
        summary.opTypes.push_back(std::move(stats));
    std::stable_sort(summary.opTypes.begin(), summary.opTypes.end(),
                     [](const OpTypeStats &a, const OpTypeStats &b) { return a.count > b.count; });
    return summary;
}

} // namespace qs
