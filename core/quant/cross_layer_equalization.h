#pragma once
// Cross-layer equalization (Nagel et al., "Data-Free Quantization Through Weight Equalization
// and Bias Correction", ICCV 2019; AIMET's CLE): a network quantized per tensor loses most where
// one weight tensor holds channels of very different ranges (a depthwise Conv whose channels
// span 1000x after BatchNorm folding). For two consecutive layers
//     y = W2 f(W1 x + b1) + b2
// with f positively homogeneous (f(x / s) = f(x) / s for s > 0: none, Relu, LeakyRelu, Clip
// without an upper bound), scaling output channel i of W1 and b1 by 1 / s_i and input channel i
// of W2 by s_i leaves y unchanged. With r1_i = max |W1[i, ...]| and r2_i = max |W2[:, i, ...]|,
// s_i = sqrt(r1_i / r2_i) makes both ranges sqrt(r1_i * r2_i): equal per channel, so one
// per-tensor scale fits every channel of both. A layer in two pairs (the middle of a chain)
// moves again when its neighbour does, so the pairs are swept until the scales settle.
//
// Pairs: Conv -> Conv (any group on either side: depthwise included) and Gemm -> Gemm (transA =
// 0 on the second), weights and biases float32 constants read by that layer alone, the value
// between them (and the activation's output) read by the next layer alone. A bounded Clip
// (ReLU6) is not homogeneous: its bound would have to become 6 / s_i per channel, which Clip
// cannot express, so such pairs are skipped (counted) unless `relu6AsRelu` is set, which turns
// the Clip into a Relu first, as AIMET does for MobileNetV2: outputs then change wherever a
// pre-activation passed 6. HardSwish, Sigmoid and the like are not homogeneous either.
//
// Runs after BatchNorm folding (quant_preprocess.h): a BatchNorm after W1 would rescale the
// channels again.
#include "graph/pass.h"
#include "util/messages.h"
#include "util/progress.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <memory>
#include <string>
#include <vector>

namespace qs {

class Model;

struct EqualizationOptions
{
    bool relu6AsRelu = false;
    int maxSweeps = 20;
    double tolerance = 1e-3; // stop when every scale of a sweep is within 1 +- tolerance
};

class CrossLayerEqualization : public GraphPass
{
public:
    explicit CrossLayerEqualization(EqualizationOptions options = {})
        : m_options(options)
    {}
    std::string_view name() const override { return "CrossLayerEqualization"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;

    // Over every graph the pass visited.
    int pairs() const { return m_pairs; }                 // pairs rescaled
    int skippedBoundedClips() const { return m_skipped; } // pairs refused for a ReLU6 between
    int relu6Replaced() const { return m_relu6Replaced; }
    int sweeps() const { return m_sweeps; } // the most any graph needed

private:
    EqualizationOptions m_options;
    int m_pairs = 0;
    int m_skipped = 0;
    int m_relu6Replaced = 0;
    int m_sweeps = 0;
};

struct EqualizationResult
{
    onnx::ModelProto model; // empty when no pair was found
    int pairs = 0;
    int skippedBoundedClips = 0;
    int relu6Replaced = 0;
    int sweeps = 0;
    // notes() in English, joined with "; ":
    // "cross-layer equalization: 17 Conv/Gemm pairs rescaled (3 sweeps)"
    std::string summary() const;
    // The same as coded notes, one per fact (the GUI words each in its language).
    std::vector<Message> notes() const;
};

Result<EqualizationResult> equalizeCrossLayer(std::shared_ptr<const Model> model,
                                              const EqualizationOptions &options,
                                              Progress &progress);

} // namespace qs
