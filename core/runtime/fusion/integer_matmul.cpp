// Fusion of the dynamic-quantization spelling of a MatMul, as ONNX Runtime's and our dynamic
// quantizers write it:
//   MatMulInteger(A_q, B_q, a_zp, b_zp) -> Cast(to FLOAT) -> Mul(·, a_scale * b_scale) [-> Add(bias)]
// becomes one MatMulIntegerToFloat node (kFusedDomain) that writes float32 results straight from
// the int32 accumulators, instead of three more passes over them (what ORT's
// MatMulIntegerToFloat fusion does). The scale is a runtime value (a_scale comes from
// DynamicQuantizeLinear); the bias must be a constant float32 [N].
#include "runtime/fusion/fusion_passes.h"

#include "graph/fused_ops.h"
#include "graph/matchers.h"
#include "model/attributes.h"

namespace qs {

Result<bool> FuseIntegerMatMulToFloat::apply(Graph &graph, PassContext &)
{
    bool modified = false;
    for (const NodeId matmul : graph.nodeIds()) {
        if (!isOp(graph, matmul, "MatMulInteger") || graph.node(matmul).proto.output_size() != 1)
            continue;
        const onnx::NodeProto &integer = graph.node(matmul).proto;
        const NodeId cast = graph.soleReader(integer.output(0));
        if (!isOp(graph, cast, "Cast")
            || intAttribute(graph.node(cast).proto, "to", 0) != int64_t(DType::Float32))
            continue;
        const std::string &castOutput = graph.node(cast).proto.output(0);
        const NodeId mul = graph.soleReader(castOutput);
        if (!isOp(graph, mul, "Mul") || graph.node(mul).proto.input_size() != 2)
            continue;
        const std::string scale = otherInput(graph.node(mul).proto, castOutput);
        // The kernel takes one scale or one per column, and a bias of one value per column; any
        // other broadcast stays with the separate nodes.
        const TensorType product = graph.valueType(integer.output(0));
        const TensorType scaleType = graph.valueType(scale);
        const int64_t columns
            = product.hasShape && !product.dims.empty() ? product.dims.back().value : -1;
        const bool scalarScale = scaleType.hasShape && scaleType.elementCount() == 1;
        const bool columnScale = scaleType.hasShape && scaleType.dims.size() == 1 && columns > 0
                                 && scaleType.dims[0].value == columns;
        if (!scalarScale && !columnScale)
            continue;
        const std::string &scaled = graph.node(mul).proto.output(0);
        const NodeId add = graph.soleReader(scaled);
        std::string bias;
        if (isOp(graph, add, "Add") && graph.node(add).proto.input_size() == 2) {
            const std::string other = otherInput(graph.node(add).proto, scaled);
            const Tensor *constant = graph.constant(other);
            if (constant && constant->dtype() == DType::Float32 && constant->rank() == 1
                && constant->elementCount() == columns)
                bias = other;
        }
        onnx::NodeProto fused;
        fused.set_name(integer.name());
        fused.set_domain(kFusedDomain);
        fused.set_op_type("MatMulIntegerToFloat");
        // A, B, scale, a_zero_point, b_zero_point, bias (the optional ones may be empty names)
        fused.add_input(integer.input(0));
        fused.add_input(integer.input(1));
        fused.add_input(scale);
        fused.add_input(integer.input_size() > 2 ? integer.input(2) : "");
        fused.add_input(integer.input_size() > 3 ? integer.input(3) : "");
        if (!bias.empty())
            fused.add_input(bias);
        // The fused node takes the place of the last node it absorbs: the scale's Mul(a_scale,
        // b_scale) runs after the MatMulInteger, so the MatMulInteger's place is too early.
        const NodeId last = bias.empty() ? mul : add;
        fused.add_output(graph.node(last).proto.output(0));
        GraphNode &target = graph.node(last);
        std::vector<std::string> absorbed = graph.node(matmul).absorbed;
        for (const NodeId inner : {cast, mul, add}) {
            if (inner != kNoNode && (inner != add || !bias.empty()))
                absorbed.push_back(graph.fusionLabel(inner));
        }
        target.displayName = graph.node(matmul).displayName;
        target.sourceId = graph.node(matmul).sourceId;
        target.opsetVersion = graph.node(matmul).opsetVersion;
        target.absorbed = std::move(absorbed);
        graph.removeNode(matmul);
        graph.removeNode(cast);
        if (last != mul)
            graph.removeNode(mul);
        graph.replaceProto(last, std::move(fused));
        modified = true;
    }
    return modified;
}

} // namespace qs
