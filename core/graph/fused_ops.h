#pragma once
// How fused nodes are spelled in a Graph. The engine's passes produce ops ONNX (at the model's
// opset) has no node for; they live in kFusedDomain, which the kernel registry knows and no file
// we write ever contains (PassContext::allowInternalOps). An activation fused into its producer
// (Conv + Relu) is recorded as attributes of the producer, as ONNX Runtime's FusedConv does, so
// a fused graph stays an ordinary graph of NodeProtos: the engine turns them into the kernel's
// FusedActivation (runtime/fusion/fused_activation.h).
namespace qs {

inline constexpr const char *kFusedDomain = "com.quantscope.fused";
// STRING: Relu, Clip, LeakyRelu, Sigmoid, HardSigmoid, HardSwish, Tanh, Gelu or None (a post
// affine step alone).
inline constexpr const char *kFusedActivationAttribute = "qs_fused_activation";
// FLOATS: alpha, beta, post scale, post shift.
inline constexpr const char *kFusedActivationParamsAttribute = "qs_fused_activation_params";

// INT: 1 on a Conv whose input 3 is a run-time scale (one value, or one per output channel),
// input 4 an optional constant bias and input 5 an optional constant factor of the scale (the
// weight scale: the scale is input 3 * input 5), applied in that order after the convolution
// and before its fused activation: a dynamically quantized convolution run on exact
// integer-valued floats (runtime/fusion/dynamic_conv.cpp). Passes that fold constants into a
// conv's weights or bias leave such a conv alone.
inline constexpr const char *kScaledOutputAttribute = "qs_scaled_output";

// INT: 1 on a QGemm whose 8-bit output was read only by a DequantizeLinear with the same scale
// and zero point: it writes those dequantized floats itself, rounded to the 8-bit grid as the
// pair would (runtime/fusion/dequantized_output.cpp).
inline constexpr const char *kDequantizedOutputAttribute = "qs_dequantized_output";

} // namespace qs
