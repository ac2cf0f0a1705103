#pragma once
// Quantization pre-processing, as ONNX Runtime recommends running before its quantizers
// (quant_pre_process): a BatchNormalization right after a Conv / ConvTranspose (optionally with
// a constant per-channel bias Add in between) is folded into the conv's weights and bias.
// Quantizing the conv output *before* a per-channel normalization is ruinous: one per-tensor
// scale must cover channels that BatchNorm later scales by factors up to 1e4 apart (PaddleOCR
// det's stem and head). The conv keeps its name and writes the BatchNorm's output.
#include "util/progress.h"
#include "util/status.h"

#include <onnx/onnx_pb.h>

#include <memory>

namespace qs {

class Model;

struct FoldResult
{
    onnx::ModelProto model;
    int folded = 0; // BatchNormalization (and bias Add) nodes absorbed
};

// Returns nullopt-like `folded == 0` with an untouched copy when there is nothing to fold.
Result<FoldResult> foldBatchNormalization(std::shared_ptr<const Model> model, Progress &progress);

} // namespace qs
