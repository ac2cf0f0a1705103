#include "model/node_cost.h"

#include "model/attributes.h"

#include "model/graph_index.h"

#include <onnx/onnx_pb.h>

namespace qs {

namespace {

std::optional<std::vector<int64_t>> knownDims(const ValueRef &value)
{
    if (!value.type.hasShape)
        return std::nullopt;
    std::vector<int64_t> dims;
    for (const Dim &dim : value.type.dims) {
        if (!dim.isKnown())
            return std::nullopt;
        dims.push_back(dim.value);
    }
    return dims;
}

// An activation's dims, its leading (batch) dim taken as 1 when symbolic or unknown: a model
// exported with a dynamic batch then reports MACs per sample, as onnx-tool does, instead of
// none at all (issue 16: every Conv of a dynamic-batch ResNet-18 showed "-"). Only the leading
// dim: an unknown sequence length or image size still leaves the count unknown.
std::optional<std::vector<int64_t>> perSampleDims(const ValueRef &value)
{
    if (!value.type.hasShape || value.type.dims.size() < 2)
        return knownDims(value);
    ValueRef batchOne = value;
    if (!batchOne.type.dims[0].isKnown())
        batchOne.type.dims[0].value = 1;
    return knownDims(batchOne);
}

// The dims of a hostile model multiply past int64: such a count is unknown, not a wrapped number.
std::optional<int64_t> multiply(std::optional<int64_t> a, std::optional<int64_t> b)
{
    int64_t result = 0;
    if (!a || !b || __builtin_mul_overflow(*a, *b, &result))
        return std::nullopt;
    return result;
}

std::optional<int64_t> product(const std::vector<int64_t> &dims, size_t from, size_t to)
{
    std::optional<int64_t> result = 1;
    for (size_t i = from; i < to && i < dims.size(); ++i)
        result = multiply(result, dims[i]);
    return result;
}

// Conv: each output element is a dot product over (C / group) x kernel elements.
std::optional<int64_t> convMacs(const NodeInfo &node)
{
    if (node.inputs.size() < 2 || node.outputs.empty())
        return std::nullopt;
    auto weight = knownDims(node.inputs[1]);
    auto output = perSampleDims(node.outputs[0]);
    if (!weight || !output || weight->size() < 2)
        return std::nullopt;
    return multiply(product(*output, 0, output->size()), product(*weight, 1, weight->size()));
}

// ConvTranspose: each input element is scattered into (M / group) x kernel outputs.
std::optional<int64_t> convTransposeMacs(const NodeInfo &node)
{
    if (node.inputs.size() < 2)
        return std::nullopt;
    auto input = perSampleDims(node.inputs[0]);
    auto weight = knownDims(node.inputs[1]);
    if (!input || !weight || weight->size() < 2)
        return std::nullopt;
    return multiply(product(*input, 0, input->size()), product(*weight, 1, weight->size()));
}

// MatMul: every output element sums over K, the last dim of A (NumPy broadcasting included).
std::optional<int64_t> matMulMacs(const NodeInfo &node)
{
    if (node.inputs.size() < 2 || node.outputs.empty())
        return std::nullopt;
    auto a = perSampleDims(node.inputs[0]);
    auto output = perSampleDims(node.outputs[0]);
    if (!a || !output || a->empty())
        return std::nullopt;
    return multiply(product(*output, 0, output->size()), a->back());
}

std::optional<int64_t> gemmMacs(const NodeInfo &node, const onnx::NodeProto &proto)
{
    if (node.inputs.size() < 2 || node.outputs.empty())
        return std::nullopt;
    // Transposed, A's leading dim is K, not the batch.
    const bool transA = intAttribute(proto, "transA", 0) != 0;
    auto a = transA ? knownDims(node.inputs[0]) : perSampleDims(node.inputs[0]);
    auto output = perSampleDims(node.outputs[0]);
    if (!a || !output || a->size() != 2)
        return std::nullopt;
    const int64_t k = transA ? (*a)[0] : (*a)[1];
    return multiply(product(*output, 0, output->size()), k);
}

} // namespace

std::optional<int64_t> computeMacs(const NodeInfo &node, const onnx::NodeProto &proto)
{
    if (!node.domain.empty())
        return std::nullopt;
    if (node.opType == "Conv")
        return convMacs(node);
    if (node.opType == "ConvTranspose")
        return convTransposeMacs(node);
    if (node.opType == "MatMul")
        return matMulMacs(node);
    if (node.opType == "Gemm")
        return gemmMacs(node, proto);
    return std::nullopt;
}

} // namespace qs
