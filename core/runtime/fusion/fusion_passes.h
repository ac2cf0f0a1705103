#pragma once
// The engine's fusion passes. fusion_pipeline.cpp runs them in one commented order; each file
// says what its passes match:
//  - qdq_conv_matmul.cpp: DequantizeLinear -> Conv/ConvTranspose/MatMul/Gemm -> QuantizeLinear
//    groups become int8 ops;
//  - qdq_tables.cpp: elementwise float steps between DQ and Q become 256-entry lookup tables,
//    and a table after an int8 conv moves into the conv;
//  - qdq_elementwise.cpp: QLinearAdd/Mul/GlobalAveragePool, 8-bit data movement, QLinearConcat;
//  - int8_layout.cpp: which 8-bit values stay channels-last between int8 ops;
//  - integer_matmul.cpp: MatMulInteger -> Cast -> Mul (-> Add) becomes MatMulIntegerToFloat;
//  - dynamic_conv.cpp: DynamicQuantizeLinear -> ConvInteger -> Cast -> Mul becomes a float Conv
//    of the dequantized input and weights;
//  - float_fusions.cpp: GELU recognised, MatMul bias, activations and a scalar affine step
//    fused into their producer.
// The float rewrites the quantizer shares (FoldAffineIntoConv, RecognizeHardSwish) live in
// graph/passes/.
#include "graph/pass.h"

namespace qs {

class FuseQdqConvAndMatMul final : public GraphPass
{
public:
    std::string_view name() const override { return "FuseQdqConvAndMatMul"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class FuseQdqLookupTables final : public GraphPass
{
public:
    std::string_view name() const override { return "FuseQdqLookupTables"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class FuseLookupIntoConv final : public GraphPass
{
public:
    std::string_view name() const override { return "FuseLookupIntoConv"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class FuseGatedTables final : public GraphPass
{
public:
    std::string_view name() const override { return "FuseGatedTables"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class FuseQdqBinary final : public GraphPass
{
public:
    std::string_view name() const override { return "FuseQdqBinary"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

// QGemm / QLinearMatMul -> DequantizeLinear (same scale and zero point, its only reader) becomes
// one QGemm writing the dequantized floats (kDequantizedOutputAttribute): one pass over the
// output instead of int8 out, then float out (a recommender's 8 x 20000 scores; a transformer's
// MatMuls feeding float LayerNorms, Softmax and Gelu).
class FuseDequantizedMatMulOutput final : public GraphPass
{
public:
    std::string_view name() const override { return "FuseDequantizedMatMulOutput"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class DropQdqAroundDataMovement final : public GraphPass
{
public:
    std::string_view name() const override { return "DropQdqAroundDataMovement"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class KeepInt8ActivationsChannelsLast final : public GraphPass
{
public:
    std::string_view name() const override { return "KeepInt8ActivationsChannelsLast"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

// Float activations between convolutions, pooling and elementwise ops stay channel-blocked
// (float_blocked_layout.cpp).
class KeepFloatActivationsBlocked final : public GraphPass
{
public:
    std::string_view name() const override { return "KeepFloatActivationsBlocked"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

// DynamicQuantizeLinear -> ConvInteger -> Cast -> Mul(x_scale * W_scale) becomes
// DynamicQuantizeDequantize -> Conv with dequantized weights (dynamic_conv.cpp says why).
class RunDynamicConvInFloat final : public GraphPass
{
public:
    std::string_view name() const override { return "RunDynamicConvInFloat"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class FuseIntegerMatMulToFloat final : public GraphPass
{
public:
    std::string_view name() const override { return "FuseIntegerMatMulToFloat"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

// Identity of a constant (torch.onnx.export writes one for every shared parameter) is replaced
// by the constant itself, so that the passes after it see a constant bias or weight; a Pad whose
// pads are all 0 (torch writes one before AvgPool2d: DenseNet's transitions) by its input.
class ReadThroughNoOps final : public GraphPass
{
public:
    std::string_view name() const override { return "ReadThroughNoOps"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

// x * Sigmoid(x) (SiLU, EfficientNet's and YOLO's activation) becomes one fused Swish node;
// x * HardSigmoid(x) with alpha 1/6, beta 1/2 (HardSwish as torch exports it before opset 14,
// MobileNetV3's activation) one fused HardSwish.
class RecognizeSwish final : public GraphPass
{
public:
    std::string_view name() const override { return "RecognizeSwish"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class RecognizeGelu final : public GraphPass
{
public:
    std::string_view name() const override { return "RecognizeGelu"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class RecognizeLayerNorm final : public GraphPass
{
public:
    std::string_view name() const override { return "RecognizeLayerNorm"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class FuseMatMulBias final : public GraphPass
{
public:
    std::string_view name() const override { return "FuseMatMulBias"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class FuseActivations final : public GraphPass
{
public:
    std::string_view name() const override { return "FuseActivations"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

class FusePostAffine final : public GraphPass
{
public:
    std::string_view name() const override { return "FusePostAffine"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

} // namespace qs
