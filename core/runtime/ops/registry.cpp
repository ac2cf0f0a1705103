#include "runtime/ops/registry.h"

#include "runtime/ops/control/control_kernels.h"
#include "runtime/ops/detection/detection_kernels.h"
#include "runtime/ops/elementwise/elementwise_kernels.h"
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/quant/quant_kernels.h"
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/rnn/rnn_kernels.h"
#include "runtime/ops/sequence/sequence_kernels.h"
#include "runtime/ops/signal/signal_kernels.h"
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/text/text_kernels.h"
#include "runtime/ops/training/training_kernels.h"

#include <algorithm>

namespace qs {

namespace {

using namespace qs::ops;

// Every kernel, by family. An op whose semantics changed at some opset has one row per version
// boundary (the lookup takes the newest row not above the model's opset); a factory may also read
// KernelInfo::opsetVersion for small differences (attributes that became inputs).
// Keep rows sorted within a family by op type, then since-version.
constexpr KernelRegistration kKernels[] = {
    // --- control flow (ops/control) ---
    {"", "Constant", 1, createConstant},
    {"", "If", 1, createIf},
    {"", "Loop", 1, createLoop},
    {"", "Scan", 8, createScan}, // 8: batch axis and sequence_lens; 9: per-input axes

    // --- elementwise math, activations, comparisons, logic, casts (ops/elementwise) ---
    {"", "Abs", 6, createAbs},
    {"", "Acos", 7, createAcos},
    {"", "Acosh", 9, createAcosh},
    {"", "Add", 6, createAdd}, // 6: legacy broadcast/axis attributes
    {"", "Add", 7, createAdd},
    {"", "And", 7, createAnd},
    {"", "Asin", 7, createAsin},
    {"", "Asinh", 9, createAsinh},
    {"", "Atan", 7, createAtan},
    {"", "Atanh", 9, createAtanh},
    {"", "BitShift", 11, createBitShift},
    {"", "Cast", 6, createCast},
    {"", "CastLike", 15, createCastLike},
    {"", "Ceil", 6, createCeil},
    {"", "Celu", 12, createCelu},
    {"", "Clip", 6, createClip},
    {"", "Clip", 11, createClip},
    {"", "Cos", 7, createCos},
    {"", "Cosh", 9, createCosh},
    {"", "Div", 6, createDiv}, // 6: legacy broadcast/axis attributes
    {"", "Div", 7, createDiv},
    {"", "Dropout", 7, createDropout},
    {"", "Elu", 6, createElu},
    {"", "Equal", 7, createEqual},
    {"", "Erf", 9, createErf},
    {"", "Exp", 6, createExp},
    {"", "Floor", 6, createFloor},
    {"", "Greater", 7, createGreater},
    {"", "GreaterOrEqual", 12, createGreaterOrEqual},
    {"", "HardSigmoid", 6, createHardSigmoid},
    {"", "HardSwish", 14, createHardSwish},
    {"", "Identity", 1, createIdentity},
    {"", "IsInf", 10, createIsInf},
    {"", "IsNaN", 9, createIsNaN},
    {"", "LeakyRelu", 6, createLeakyRelu},
    {"", "Less", 7, createLess},
    {"", "LessOrEqual", 12, createLessOrEqual},
    {"", "Log", 6, createLog},
    {"", "Max", 6, createMax},
    {"", "Mean", 6, createMean},
    {"", "Min", 6, createMin},
    {"", "Mod", 10, createMod},
    {"", "Mul", 6, createMul}, // 6: legacy broadcast/axis attributes
    {"", "Mul", 7, createMul},
    {"", "Neg", 6, createNeg},
    {"", "Not", 1, createNot},
    {"", "Or", 7, createOr},
    {"", "PRelu", 6, createPRelu}, // 6: a 1-D slope is per channel
    {"", "PRelu", 7, createPRelu},
    {"", "Pow", 1, createPow}, // 1: legacy broadcast/axis attributes
    {"", "Pow", 7, createPow},
    {"", "Reciprocal", 6, createReciprocal},
    {"", "Relu", 6, createRelu},
    {"", "Round", 11, createRound},
    {"", "Selu", 6, createSelu},
    {"", "Shrink", 9, createShrink},
    {"", "Sigmoid", 6, createSigmoid},
    {"", "Sign", 9, createSign},
    {"", "Sin", 7, createSin},
    {"", "Sinh", 9, createSinh},
    {"", "Softplus", 1, createSoftplus},
    {"", "Softsign", 1, createSoftsign},
    {"", "Sqrt", 6, createSqrt},
    {"", "Sub", 6, createSub}, // 6: legacy broadcast/axis attributes
    {"", "Sub", 7, createSub},
    {"", "Sum", 6, createSum},
    {"", "Tan", 7, createTan},
    {"", "Tanh", 6, createTanh},
    {"", "ThresholdedRelu", 10, createThresholdedRelu},
    {"", "Where", 9, createWhere},
    {"", "Xor", 7, createXor},
    // Created by the session's fusion passes only (fusion/fusion_pipeline.cpp, kFusedDomain).
    {"com.quantscope.fused", "BlockedToPlain", 1, createBlockedToPlain},
    {"com.quantscope.fused", "ChannelAffine", 1, createChannelAffine},
    {"com.quantscope.fused", "Gelu", 1, createFusedGelu},
    {"com.quantscope.fused", "LayerNormalization", 1, createLayerNormalization},
    {"com.quantscope.fused", "HardSwish", 1, createHardSwish},
    {"com.quantscope.fused", "Swish", 1, createFusedSwish},

    // --- reductions, softmax, normalization, arg/top-k, cumulative, einsum (ops/reduce) ---
    {"", "ArgMax", 1, createArgMax},
    {"", "ArgMin", 1, createArgMin},
    {"", "CumSum", 11, createCumSum},
    {"", "Det", 11, createDet},
    {"", "Einsum", 12, createEinsum},
    {"", "Hardmax", 1, createHardmax},
    {"", "Hardmax", 13, createHardmax},
    {"", "InstanceNormalization", 6, createInstanceNormalization},
    {"", "LayerNormalization", 17, createLayerNormalization},
    {"", "LogSoftmax", 1, createLogSoftmax},
    {"", "LogSoftmax", 13, createLogSoftmax},
    {"", "MeanVarianceNormalization", 9, createMeanVarianceNormalization},
    {"", "NegativeLogLikelihoodLoss", 12, createNegativeLogLikelihoodLoss},
    {"", "ReduceL1", 1, createReduceL1},
    {"", "ReduceL2", 1, createReduceL2},
    {"", "ReduceLogSum", 1, createReduceLogSum},
    {"", "ReduceLogSumExp", 1, createReduceLogSumExp},
    {"", "ReduceMax", 1, createReduceMax},
    {"", "ReduceMean", 1, createReduceMean},
    {"", "ReduceMin", 1, createReduceMin},
    {"", "ReduceProd", 1, createReduceProd},
    {"", "ReduceSum", 1, createReduceSum},
    {"", "ReduceSum", 13, createReduceSum},
    {"", "ReduceSumSquare", 1, createReduceSumSquare},
    {"", "Softmax", 1, createSoftmax},
    {"", "Softmax", 13, createSoftmax},
    {"", "SoftmaxCrossEntropyLoss", 12, createSoftmaxCrossEntropyLoss},
    {"", "TopK", 1, createTopK},
    {"", "TopK", 10, createTopK},

    // --- neural-network layers: conv, matmul, gemm, pooling, batch norm (ops/nn) ---
    {"", "AveragePool", 1, createAveragePool},
    {"", "BatchNormalization", 6, createBatchNormalization},
    {"", "Conv", 1, createConv},
    {"", "ConvTranspose", 1, createConvTranspose},
    {"", "Gemm", 1, createGemm},
    {"", "GlobalAveragePool", 1, createGlobalAveragePool},
    {"", "GlobalMaxPool", 1, createGlobalMaxPool},
    {"", "LRN", 1, createLrn},
    {"", "MatMul", 1, createMatMul},
    {"", "MaxPool", 1, createMaxPool},
    {"", "MaxUnpool", 9, createMaxUnpool},

    // --- detection: box suppression, RoI pooling, grid sampling (ops/detection) ---
    {"", "GridSample", 16, createGridSample},
    {"", "NonMaxSuppression", 10, createNonMaxSuppression},
    {"", "RoiAlign", 10, createRoiAlign},

    // --- quantization (ops/quant) ---
    {"", "ConvInteger", 10, createConvInteger},
    {"", "DequantizeLinear", 10, createDequantizeLinear},
    {"", "DequantizeLinear", 13, createDequantizeLinear},
    {"", "DynamicQuantizeLinear", 11, createDynamicQuantizeLinear},
    {"", "MatMulInteger", 10, createMatMulInteger},
    {"", "QLinearConv", 10, createQLinearConv},
    {"", "QLinearMatMul", 10, createQLinearMatMul},
    {"", "QuantizeLinear", 10, createQuantizeLinear},
    {"", "QuantizeLinear", 13, createQuantizeLinear},
    {"com.quantscope.fused", "DynamicQuantizeCentred", 1, createDynamicQuantizeCentred},
    {"com.quantscope.fused", "MatMulIntegerToFloat", 1, createMatMulIntegerToFloat},
    {"com.quantscope.fused", "QGemm", 1, createQGemm},
    {"com.quantscope.fused", "QLinearAdd", 1, createQLinearAdd},
    {"com.quantscope.fused", "QLinearConcat", 1, createQLinearConcat},
    {"com.quantscope.fused", "QLinearGlobalAveragePool", 1, createQLinearGlobalAveragePool},
    {"com.quantscope.fused", "QLinearConv", 1, createQLinearConv}, // + a fused lookup table
    {"com.quantscope.fused", "QLinearConvTranspose", 1, createQLinearConvTranspose},
    {"com.quantscope.fused", "QLinearLookup", 1, createQLinearLookup},
    {"com.quantscope.fused", "QLinearMul", 1, createQLinearMul},

    // --- recurrent: LSTM, GRU, RNN (ops/rnn) ---
    {"", "GRU", 7, createGRU}, // layout (14) read from the attribute
    {"", "LSTM", 7, createLSTM},
    {"", "RNN", 7, createRNN},

    // --- sequences and optionals (ops/sequence) ---
    {"", "ConcatFromSequence", 11, createConcatFromSequence},
    {"", "Optional", 15, createOptional},
    {"", "OptionalGetElement", 15, createOptionalGetElement},
    {"", "OptionalHasElement", 15, createOptionalHasElement},
    {"", "SequenceAt", 11, createSequenceAt},
    {"", "SequenceConstruct", 11, createSequenceConstruct},
    {"", "SequenceEmpty", 11, createSequenceEmpty},
    {"", "SequenceErase", 11, createSequenceErase},
    {"", "SequenceInsert", 11, createSequenceInsert},
    {"", "SequenceLength", 11, createSequenceLength},
    {"", "SequenceMap", 17, createSequenceMap},
    {"", "SplitToSequence", 11, createSplitToSequence},

    // --- text: n-gram features (ops/text) ---
    {"", "TfIdfVectorizer", 9, createTfIdfVectorizer},

    // --- signal processing: windows, Fourier transforms, mel filter banks (ops/signal) ---
    {"", "BlackmanWindow", 17, createBlackmanWindow},
    {"", "DFT", 17, createDft},
    {"", "HammingWindow", 17, createHammingWindow},
    {"", "HannWindow", 17, createHannWindow},
    {"", "MelWeightMatrix", 17, createMelWeightMatrix},
    {"", "STFT", 17, createStft},

    // --- optimizers of the preview training domain (ops/training) ---
    {"ai.onnx.preview.training", "Adagrad", 1, createAdagrad},
    {"ai.onnx.preview.training", "Adam", 1, createAdam},
    {"ai.onnx.preview.training", "Momentum", 1, createMomentum},

    // --- shape and data movement (ops/tensor) ---
    {"", "Compress", 9, createCompress},
    {"", "Concat", 4, createConcat},
    {"", "ConstantOfShape", 9, createConstantOfShape},
    {"", "DepthToSpace", 1, createDepthToSpace},
    {"", "Expand", 8, createExpand},
    {"", "EyeLike", 9, createEyeLike},
    {"", "Flatten", 1, createFlatten},
    {"", "Gather", 1, createGather},
    {"", "GatherElements", 11, createGatherElements},
    {"", "GatherND", 11, createGatherNd},
    {"", "NonZero", 9, createNonZero},
    {"", "OneHot", 9, createOneHot},
    {"", "Pad", 2, createPad},
    {"", "Range", 11, createRange},
    {"", "Reshape", 5, createReshape},
    {"", "Resize", 10, createResize},
    {"", "ReverseSequence", 10, createReverseSequence},
    {"", "Scatter", 9, createScatterElements},
    {"", "ScatterElements", 11, createScatterElements},
    {"", "ScatterND", 11, createScatterNd},
    {"", "Shape", 1, createShape},
    {"", "Size", 1, createSize},
    {"", "Slice", 1, createSlice},
    {"", "SpaceToDepth", 1, createSpaceToDepth},
    {"", "Split", 2, createSplit},
    {"", "Squeeze", 1, createSqueeze},
    {"", "Tile", 6, createTile},
    {"", "Transpose", 1, createTranspose},
    {"", "Trilu", 14, createTrilu},
    {"", "Unique", 11, createUnique},
    {"", "Unsqueeze", 1, createUnsqueeze},
    {"", "Upsample", 7, createResize},

};

} // namespace

std::span<const KernelRegistration> kernelRegistry()
{
    return kKernels;
}

const KernelRegistration *findKernel(std::string_view domain, std::string_view opType,
                                     int opsetVersion)
{
    if (domain == "ai.onnx")
        domain = "";
    const KernelRegistration *best = nullptr;
    for (const KernelRegistration &entry : kKernels) {
        if (entry.domain != domain || entry.opType != opType || entry.sinceVersion > opsetVersion)
            continue;
        if (!best || entry.sinceVersion > best->sinceVersion)
            best = &entry;
    }
    return best;
}

} // namespace qs
