// Fusion of the dynamic-quantization spelling of a MatMul, as ONNX Runtime's and our dynamic
// quantizers write it:
//   MatMulInteger(A_q, B_q, a_zp, b_zp) -> Cast(to FLOAT) -> Mul(·, a_scale * b_scale) [-> Add(bias)]
// becomes one MatMulIntegerToFloat node (com.quantscope.fused) that writes float32 results
// straight from the int32 accumulators, instead of three more passes over them (what ORT's
// MatMulIntegerToFloat fusion does). The scale is a runtime value (a_scale comes from
// DynamicQuantizeLinear); the bias must be a constant float32 [N].
#include "runtime/graph_fusion.h"

#include "model/graph_index.h"

namespace qs {

namespace {

bool isDefaultOp(const PlannedNode *node, const char *opType)
{
    return node && !node->removed && (node->proto.domain().empty() || node->proto.domain() == "ai.onnx")
           && node->proto.op_type() == opType;
}

std::string fusedLabel(const PlannedNode &node)
{
    return "+" + node.proto.op_type() + " '" + (node.info ? node.info->displayName : node.proto.name())
           + "'";
}

bool castsToFloat(const PlannedNode &cast)
{
    for (const auto &attr : cast.proto.attribute()) {
        if (attr.name() == "to")
            return attr.i() == static_cast<int64_t>(DType::Float32);
    }
    return false;
}

} // namespace

Status fuseIntegerMatMulToFloat(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &matmul : nodes) {
        if (!isDefaultOp(&matmul, "MatMulInteger") || matmul.proto.output_size() != 1)
            continue;
        PlannedNode *cast = soleReader(nodes, context, matmul.proto.output(0));
        if (!isDefaultOp(cast, "Cast") || !castsToFloat(*cast))
            continue;
        PlannedNode *mul = soleReader(nodes, context, cast->proto.output(0));
        if (!isDefaultOp(mul, "Mul") || mul->proto.input_size() != 2)
            continue;
        const std::string &scale = mul->proto.input(0) == cast->proto.output(0) ? mul->proto.input(1)
                                                                               : mul->proto.input(0);
        // The kernel takes one scale or one per column, and a bias of one value per column; any
        // other broadcast stays with the separate nodes.
        const TensorType product = context.valueType(matmul.proto.output(0));
        const TensorType scaleType = context.valueType(scale);
        const int64_t columns = product.hasShape && !product.dims.empty() ? product.dims.back().value : -1;
        const bool scalarScale = scaleType.hasShape && scaleType.elementCount() == 1;
        const bool columnScale = scaleType.hasShape && scaleType.dims.size() == 1 && columns > 0
                                 && scaleType.dims[0].value == columns;
        if (!scalarScale && !columnScale)
            continue;
        PlannedNode *add = soleReader(nodes, context, mul->proto.output(0));
        std::string bias;
        if (isDefaultOp(add, "Add") && add->proto.input_size() == 2) {
            const std::string &other = add->proto.input(0) == mul->proto.output(0) ? add->proto.input(1)
                                                                                  : add->proto.input(0);
            const Tensor *constant = context.constant(other);
            if (constant && constant->dtype() == DType::Float32 && constant->rank() == 1
                && constant->elementCount() == columns)
                bias = other;
        }
        onnx::NodeProto fused;
        fused.set_name(matmul.proto.name());
        fused.set_domain(kFusedDomain);
        fused.set_op_type("MatMulIntegerToFloat");
        // A, B, scale, a_zero_point, b_zero_point, bias (the optional ones may be empty names)
        fused.add_input(matmul.proto.input(0));
        fused.add_input(matmul.proto.input(1));
        fused.add_input(scale);
        fused.add_input(matmul.proto.input_size() > 2 ? matmul.proto.input(2) : "");
        fused.add_input(matmul.proto.input_size() > 3 ? matmul.proto.input(3) : "");
        if (!bias.empty())
            fused.add_input(bias); // the Add's read of it moves to the fused node
        // The fused node takes the place of the last node it absorbs: the scale's Mul(a_scale,
        // b_scale) runs after the MatMulInteger, so the MatMulInteger's place is too early.
        PlannedNode &last = bias.empty() ? *mul : *add;
        fused.add_output(last.proto.output(0));
        std::string names = fusedLabel(*cast) + fusedLabel(*mul) + (bias.empty() ? "" : fusedLabel(*add));
        last.proto = std::move(fused);
        last.info = matmul.info;
        last.fusedNames = matmul.fusedNames + names;
        for (PlannedNode *absorbed : {&matmul, cast, mul})
            absorbed->removed = absorbed != &last;
    }
    return Status::ok();
}

} // namespace qs
