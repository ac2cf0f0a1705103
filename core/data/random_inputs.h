#pragma once
// Inputs made up from a model's signature, for `run --random`, smoke benchmarks and the random
// calibration/evaluation source (openSampleSource): floats uniform in [0, 1), integers (token
// ids, indices) uniform in [0, kRandomIntegerBound) so they stay valid for any reasonable
// embedding table, bools fair. Part of core/data: random tensors are one more kind of sample.

#include "tensor/tensor.h"
#include "util/status.h"

#include <cstdint>
#include <map>
#include <random>
#include <string>

namespace qs {

class Session;

inline constexpr int64_t kRandomIntegerBound = 8;

// Random contents for a tensor of `type` and fully known `shape` (a dim < 0 is an error).
Result<Tensor> randomTensor(DType type, const Shape &shape, std::mt19937_64 &generator);

// Fills every session input missing from `inputs`. A dim that is neither fixed in the model nor
// given through SessionOptions::dimValues is an error naming the input and the dim symbol.
Status addRandomInputs(const Session &session, std::map<std::string, Tensor> &inputs,
                       uint64_t seed);

} // namespace qs
