#pragma once
// Random tensor contents, for the random sample source (openSampleSource: `run --random` and
// random calibration/evaluation data): floats uniform in [0, 1), integers (token ids, indices)
// uniform in [0, kRandomIntegerBound) so they stay valid for any reasonable embedding table,
// bools fair. Part of core/data: random tensors are one more kind of sample.

#include "tensor/tensor.h"
#include "util/status.h"

#include <cstdint>
#include <random>

namespace qs {

inline constexpr int64_t kRandomIntegerBound = 8;

// Random contents for a tensor of `type` and fully known `shape` (a dim < 0 is an error).
Result<Tensor> randomTensor(DType type, const Shape &shape, std::mt19937_64 &generator);

} // namespace qs
