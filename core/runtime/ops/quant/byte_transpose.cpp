// Byte matrix transposes in 16 x 16 tiles: 16 SSE2 loads, four rounds of byte interleaving and
// 16 stores per tile. A scalar transpose costs a strided byte load per element: on PaddleOCR det
// at 2 threads it took about 50 ms per run against 24 ms for the int8 convolutions themselves,
// and oneDNN's generic reorder 23 ms.
//
// The rounds: out[i] = interleave_low(a[2i], a[2i+1]), out[i+8] = interleave_high(...). Write a
// byte's place as 4 row bits and 4 column bits; one round maps (r3 r2 r1 r0 | c3 c2 c1 c0) to
// (c3 r3 r2 r1 | c2 c1 c0 r0), so four rounds give (c0 c1 c2 c3 | r0 r1 r2 r3): the transpose
// with both indices bit-reversed, undone by loading and storing rows in bit-reversed order.
#include "runtime/ops/quant/byte_transpose.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace qs::ops {

namespace {

constexpr int64_t kTile = 16;

#if defined(__SSE2__)
constexpr int kBitReversed[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};

void transposeTile(const uint8_t *in, int64_t inStride, uint8_t *out, int64_t outStride,
                   const uint8_t *table)
{
    __m128i a[16], b[16];
    for (int k = 0; k < 16; ++k)
        a[k] = _mm_loadu_si128(reinterpret_cast<const __m128i *>(in + kBitReversed[k] * inStride));
    for (int round = 0; round < 4; ++round) {
        for (int i = 0; i < 8; ++i) {
            b[i] = _mm_unpacklo_epi8(a[2 * i], a[2 * i + 1]);
            b[i + 8] = _mm_unpackhi_epi8(a[2 * i], a[2 * i + 1]);
        }
        std::copy(b, b + 16, a);
    }
    if (!table) {
        for (int k = 0; k < 16; ++k)
            _mm_storeu_si128(reinterpret_cast<__m128i *>(out + kBitReversed[k] * outStride), a[k]);
        return;
    }
    alignas(16) uint8_t row[16];
    for (int k = 0; k < 16; ++k) {
        _mm_store_si128(reinterpret_cast<__m128i *>(row), a[k]);
        uint8_t *target = out + kBitReversed[k] * outStride;
        for (int j = 0; j < 16; ++j)
            target[j] = table[row[j]];
    }
}
#else
void transposeTile(const uint8_t *in, int64_t inStride, uint8_t *out, int64_t outStride,
                   const uint8_t *table)
{
    for (int64_t r = 0; r < kTile; ++r)
        for (int64_t c = 0; c < kTile; ++c)
            out[c * outStride + r] = table ? table[in[r * inStride + c]] : in[r * inStride + c];
}
#endif

} // namespace

void transposeBytes(const uint8_t *in, uint8_t *out, int64_t batch, int64_t rows, int64_t cols,
                    int threads, const uint8_t *table)
{
    const int64_t rowTiles = (rows + kTile - 1) / kTile, colTiles = (cols + kTile - 1) / kTile;
    const int64_t tiles = batch * rowTiles * colTiles;
#pragma omp parallel for num_threads(threads) schedule(static) if (batch * rows * cols > (1 << 16))
    for (int64_t t = 0; t < tiles; ++t) {
        const int64_t n = t / (rowTiles * colTiles);
        const int64_t r0 = (t / colTiles) % rowTiles * kTile, c0 = t % colTiles * kTile;
        const uint8_t *from = in + n * rows * cols;
        uint8_t *to = out + n * rows * cols;
        if (r0 + kTile <= rows && c0 + kTile <= cols) {
            transposeTile(from + r0 * cols + c0, cols, to + c0 * rows + r0, rows, table);
            continue;
        }
        // A ragged edge tile (24 channels leave 8 rows) goes through a padded 16 x 16 copy, so
        // that it is transposed by the same code instead of one strided byte at a time.
        const int64_t height = std::min(rows - r0, kTile), width = std::min(cols - c0, kTile);
        alignas(16) uint8_t padded[kTile * kTile] = {};
        alignas(16) uint8_t flipped[kTile * kTile];
        for (int64_t r = 0; r < height; ++r)
            std::copy_n(from + (r0 + r) * cols + c0, width, padded + r * kTile);
        transposeTile(padded, kTile, flipped, kTile, table);
        for (int64_t c = 0; c < width; ++c)
            std::copy_n(flipped + c * kTile, height, to + (c0 + c) * rows + r0);
    }
}

} // namespace qs::ops
