#pragma once
// A BERT-style encoder built in code (no download): token + position embeddings, then `layers`
// blocks of multi-head self-attention with an attention mask and a GELU feed-forward network,
// each followed by LayerNormalization, as exported by PyTorch at opset 17. Weights are seeded
// random values of BERT's initial scale, so every run builds the same model.

#include <onnx/onnx_pb.h>

#include <cstdint>

namespace qs::bench {

struct BertShape
{
    int layers = 4;
    int hidden = 256;
    int heads = 4;
    int feedForward = 1024;
    int sequence = 128;
    int vocabulary = 1000;
};

// Inputs: input_ids int64[1, sequence], attention_mask int64[1, sequence];
// output: last_hidden_state float32[1, sequence, hidden].
onnx::ModelProto makeBertEncoder(const BertShape &shape, uint64_t seed = 1);

} // namespace qs::bench
