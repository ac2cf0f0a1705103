#pragma once
// The first half of static quantization: deciding, before calibration, which nodes are
// quantized and which activations need a calibrated range. The writers (qdq_writer.h,
// qoperator_writer.h) turn the plan plus the ranges into a model.
//
// Roles follow ONNX Runtime's QDQ registry:
//  - Weighted (Conv, ConvTranspose, MatMul, Gemm): activations and output quantized, weights
//    stored as int8/uint8 (per channel when asked), biases as int32.
//  - Computing ops (Add, Mul, Concat, Sigmoid, pools, ...): inputs and outputs quantized, each
//    with its own calibrated range.
//  - Pass-through ops (MaxPool, Reshape, Transpose, Squeeze, Unsqueeze, Flatten, Resize, ...):
//    quantized only when their input already is; the output reuses the input's scale.
//  - Relu / Clip right after a quantized node are folded into that node's output range (the
//    quantized output saturates exactly where they clip), unless activations are symmetric.
#include "model/graph_index.h"
#include "quant/coverage.h"
#include "quant/node_selection.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace qs {

class Model;

enum class StaticRole { Weighted, Computing, PassThrough, Activation };

// The role of an op type, or nullopt when static quantization has no meaning for it.
std::optional<StaticRole> staticRole(const std::string &opType);
std::vector<std::string> defaultStaticOpTypes();

struct StaticPlan
{
    std::set<int> quantizedNodes;         // node ids (GraphIndex)
    std::map<int, int> foldedActivations; // Relu/Clip node id -> producer node id it folds into
    // Quantized activation -> the tensor whose calibrated range gives its scale (itself, or a
    // pass-through op's input).
    std::map<std::string, std::string> activations;
    // Range sources (values of `activations`) quantized to 16 bits instead of 8 (A16W8): every
    // one that a 16-bit node reads or writes, so that a pass-through chain keeps one type.
    std::set<std::string> sixteenBitSources;
    // Eligible nodes planned (a folded Relu/Clip counts: its producer's range quantizes it) and
    // left in float, with why.
    QuantCoverage coverage;

    std::set<std::string> tensorsToCalibrate() const;
    bool isFolded(int nodeId) const { return foldedActivations.count(nodeId) > 0; }
    bool isSixteenBit(const std::string &activation) const;
    // The Relu/Clip folded into `producerId`, or -1.
    int foldedInto(int producerId) const;
};

StaticPlan planStaticQuantization(const Model &model, const NodeSelection &selection,
                                  bool symmetricActivations);

// Marks the activations that `nodes` (display names) read and write as 16-bit, the output of a
// Relu/Clip folded into one of them too (its Q/DQ is the node's output).
void markSixteenBitActivations(StaticPlan &plan, const Model &model,
                               const std::set<std::string> &nodes);

// The node's weight input index (Conv/ConvTranspose/Gemm/MatMul: 1) and bias index (2; -1 when
// the op has none) and the per-channel axis of the weight for that op.
struct WeightLayout
{
    int weightInput = 1;
    int biasInput = -1;
    int64_t channelAxis = 0; // output-channel axis of the weight
};
WeightLayout weightLayout(const onnx::NodeProto &node);

} // namespace qs
