#include "runtime/ops/rnn/recurrence_product.h"

namespace qs::ops {

namespace {

// A block of Rows x (8 * Vectors) sums kept in registers across the whole depth (AVX2's 256-bit
// registers: the portable build's baseline). Written with the compiler's vector type: left to
// itself, GCC vectorized along the depth with shuffles and ran 7x slower than Eigen. Each sum is
// a chain of dependent FMAs, so a block needs about eight of them to keep the FMA units busy:
// 4 rows x 2 vectors where there are rows, 1 row x 8 vectors for a single sequence (batch 1,
// where 1 x 2 left the units waiting on each FMA's latency and ran 3x slower than ONNX Runtime
// on the zoo's LSTM classifier).
typedef float Floats8 __attribute__((vector_size(32)));
constexpr int64_t kRows = 4;
constexpr int64_t kVectors = 2;
constexpr int64_t kCols = 8 * kVectors;
constexpr int64_t kWideVectors = 8;
constexpr int64_t kWideCols = 8 * kWideVectors;

Floats8 load8(const float *from)
{
    Floats8 value;
    __builtin_memcpy(&value, from, sizeof(value)); // unaligned
    return value;
}

template<int64_t Rows, int64_t Vectors>
void addBlock(const float *a, int64_t lda, const float *b, int64_t ldb, float *out, int64_t ldo,
              int64_t depth)
{
    Floats8 sums[Rows][Vectors] = {};
    for (int64_t k = 0; k < depth; ++k) {
        Floats8 bRow[Vectors];
        for (int64_t v = 0; v < Vectors; ++v)
            bRow[v] = load8(b + k * ldb + 8 * v);
        for (int64_t r = 0; r < Rows; ++r) {
            const float factor = a[r * lda + k];
            for (int64_t v = 0; v < Vectors; ++v)
                sums[r][v] += factor * bRow[v];
        }
    }
    for (int64_t r = 0; r < Rows; ++r)
        for (int64_t v = 0; v < Vectors; ++v) {
            const Floats8 total = load8(out + r * ldo + 8 * v) + sums[r][v];
            __builtin_memcpy(out + r * ldo + 8 * v, &total, sizeof(total));
        }
}

// One row over the first `blockedCols` columns (a multiple of kCols): wide blocks, then narrow.
void addRow(const float *a, const float *b, int64_t ldb, float *out, int64_t depth,
            int64_t blockedCols)
{
    int64_t c = 0;
    for (; c + kWideCols <= blockedCols; c += kWideCols)
        addBlock<1, kWideVectors>(a, 0, b + c, ldb, out + c, 0, depth);
    for (; c < blockedCols; c += kCols)
        addBlock<1, kVectors>(a, 0, b + c, ldb, out + c, 0, depth);
}

void addScalarColumns(const float *a, int64_t lda, const float *b, int64_t ldb, float *out,
                      int64_t ldo, int64_t rows, int64_t depth, int64_t cols)
{
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) {
            float sum = 0.0f;
            for (int64_t k = 0; k < depth; ++k)
                sum += a[r * lda + k] * b[k * ldb + c];
            out[r * ldo + c] += sum;
        }
}

} // namespace

void addSmallProduct(const float *a, int64_t lda, const float *b, int64_t ldb, float *out,
                     int64_t ldo, int64_t rows, int64_t depth, int64_t cols)
{
    const int64_t blockedCols = cols - cols % kCols;
    int64_t r = 0;
    for (; r + kRows <= rows; r += kRows)
        for (int64_t c = 0; c < blockedCols; c += kCols)
            addBlock<kRows, kVectors>(a + r * lda, lda, b + c, ldb, out + r * ldo + c, ldo, depth);
    for (; r < rows; ++r)
        addRow(a + r * lda, b, ldb, out + r * ldo, depth, blockedCols);
    if (blockedCols < cols)
        addScalarColumns(a, lda, b + blockedCols, ldb, out + blockedCols, ldo, rows, depth,
                         cols - blockedCols);
}

} // namespace qs::ops
