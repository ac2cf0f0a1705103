#pragma once
// NCHW <-> NHWC for 8-bit activations, around oneDNN's int8 primitives (which want channels
// last): `batch` row-major rows x cols byte matrices transposed to cols x rows.

#include <cstdint>

namespace qs::ops {

// With `table` (256 entries), each byte is mapped through it on the way: an int8 activation's
// lookup (fusion/qdq_tables.cpp) applied while the result is written anyway.
void transposeBytes(const uint8_t *in, uint8_t *out, int64_t batch, int64_t rows, int64_t cols,
                    int threads, const uint8_t *table = nullptr);

} // namespace qs::ops
