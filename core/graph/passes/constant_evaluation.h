#pragma once
// The value of a node whose inputs are all constants, for the small set of ops FoldConstants
// (fold_constants.h) folds: the data movement and shape arithmetic exporters wrap around weights
// and shapes. Written on Tensors alone, without the engine's kernels, because graph/ sits below
// runtime/ (graph/README.md) and the quantizer must see these values before any session exists.
#include "tensor/tensor.h"

#include <onnx/onnx_pb.h>

#include <optional>
#include <span>

namespace qs {

// The op types evaluateConstantNode knows (besides Identity, Shape, Size and Constant, which the
// pass handles itself because they need no arithmetic or read a type rather than a value).
bool isEvaluatedConstantOp(const std::string &opType);

// Output 0 of `node` (default domain, opset `opset`) from the values of its inputs (null for an
// omitted optional input). nullopt when the op is not one this evaluates or its inputs take a
// form it does not handle (a string tensor, an unsupported cast, a shape that does not fit):
// the node then stays in the graph and the engine reports a real problem when it runs it.
std::optional<Tensor> evaluateConstantNode(const onnx::NodeProto &node, int opset,
                                           std::span<const Tensor *const> inputs);

// The value of a Constant node written with value_float(s) / value_int(s) rather than a tensor;
// nullopt for other forms (`value` is read by Graph::constant, strings and sparse values are not
// folded).
std::optional<Tensor> constantAttributeValue(const onnx::NodeProto &node);

} // namespace qs
