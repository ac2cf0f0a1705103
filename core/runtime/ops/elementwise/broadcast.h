#pragma once
// Numpy multidirectional broadcasting for the elementwise kernels. A plan collapses the output
// into rows of one innermost run: adjacent dims merge when every input treats them alike (both
// present or both broadcast), so the common cases become long contiguous runs:
//   same shapes             -> one row, every input stride 1
//   x[N,C,H,W] + b[C,1,1]   -> N*C rows of H*W, b's inner stride 0 (per-channel scalar)
//   x[B,S,H] + bias[H]      -> B*S rows of H, bias offset 0 for every row
// Kernels loop rows (in parallel when large) and call a run loop specialised on the inner
// strides (0 or 1), which the compiler vectorises.

#include "runtime/kernel.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace qs::ops {

class BroadcastPlan
{
public:
    // Fails with a message naming the incompatible shapes.
    static Result<BroadcastPlan> make(std::span<const Shape> inputs);

    const Shape &outputShape() const { return m_output; }
    int64_t outputCount() const { return m_count; }
    int64_t rowLength() const { return m_rowLength; }
    int64_t rowCount() const { return m_rowLength ? m_count / m_rowLength : 0; }
    // 1 when input `i` advances along the run, 0 when it repeats one element.
    int64_t innerStride(size_t input) const { return m_innerStrides[input]; }
    // Element offset in input `i` where row `row` starts.
    int64_t rowOffset(size_t input, int64_t row) const;

    // The innermost collapsed outer dim (rows that differ only there form a "tile"), and each
    // input's stride along it; 1 and 0 when there are no outer dims.
    int64_t tileRows() const { return m_outerDims.empty() ? 1 : m_outerDims.back(); }
    int64_t tileStride(size_t input) const
    {
        return m_outerDims.empty() ? 0 : m_outerStrides[input].back();
    }

    // Calls fn(row, offsets) for rows [begin, end), offsets[i] = rowOffset(i, row), stepping the
    // outer indices like an odometer instead of dividing per row: with channel-blocked operands
    // ([N, C/8, H, W, 8] x [N, C/8, 1, 1, 8]) a row is only 8 elements long.
    template<size_t Inputs, typename Fn>
    void forEachRow(int64_t begin, int64_t end, Fn &&fn) const
    {
        const size_t dims = m_outerDims.size();
        std::array<int64_t, 8> index{};
        std::vector<int64_t> heap;
        int64_t *position = index.data();
        if (dims > index.size()) {
            heap.assign(dims, 0);
            position = heap.data();
        }
        int64_t rest = begin;
        for (size_t d = dims; d-- > 0;) {
            position[d] = rest % m_outerDims[d];
            rest /= m_outerDims[d];
        }
        std::array<int64_t, Inputs> offsets{};
        for (size_t i = 0; i < Inputs; ++i)
            offsets[i] = rowOffset(i, begin);
        for (int64_t row = begin; row < end; ++row) {
            fn(row, offsets);
            for (size_t d = dims; d-- > 0;) {
                for (size_t i = 0; i < Inputs; ++i)
                    offsets[i] += m_outerStrides[i][d];
                if (++position[d] < m_outerDims[d])
                    break;
                for (size_t i = 0; i < Inputs; ++i)
                    offsets[i] -= m_outerStrides[i][d] * m_outerDims[d];
                position[d] = 0;
            }
        }
    }

private:
    Shape m_output;
    int64_t m_count = 0;
    int64_t m_rowLength = 1;
    std::vector<int64_t> m_outerDims;                 // collapsed, outermost first
    std::vector<std::vector<int64_t>> m_outerStrides; // per input, per outer dim
    std::vector<int64_t> m_innerStrides;
};

// Runs fn(rowBegin, rowEnd) over the plan's rows, split over `threads` OpenMP threads when the
// output is large enough to pay for it.
template<typename Fn>
void forEachRowRange(const BroadcastPlan &plan, int threads, Fn &&fn)
{
    const int64_t rows = plan.rowCount();
    constexpr int64_t kParallelThreshold = 1 << 16;
    if (threads <= 1 || plan.outputCount() < kParallelThreshold || rows == 1) {
        if (rows == 1 && threads > 1 && plan.outputCount() >= kParallelThreshold) {
            // One long run: split the run itself.
            fn(int64_t{0}, int64_t{1}, int64_t{-1});
            return;
        }
        fn(int64_t{0}, rows, int64_t{0});
        return;
    }
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t t = 0; t < threads; ++t) {
        const int64_t begin = rows * t / threads, end = rows * (t + 1) / threads;
        if (begin < end)
            fn(begin, end, int64_t{0});
    }
}

// Applies out[i] = op(a[i*sa], b[i*sb]) over `n` elements with sa, sb in {0, 1}.
template<typename A, typename B, typename Out, typename Op>
inline void binaryRun(const A *a, int64_t sa, const B *b, int64_t sb, Out *out, int64_t n, Op op)
{
    if (sa && sb) {
        for (int64_t i = 0; i < n; ++i)
            out[i] = op(a[i], b[i]);
    } else if (sa) {
        const B scalar = b[0];
        for (int64_t i = 0; i < n; ++i)
            out[i] = op(a[i], scalar);
    } else if (sb) {
        const A scalar = a[0];
        for (int64_t i = 0; i < n; ++i)
            out[i] = op(scalar, b[i]);
    } else {
        const Out value = op(a[0], b[0]);
        for (int64_t i = 0; i < n; ++i)
            out[i] = value;
    }
}

// `rows` rows of Lanes elements: out[r][l] = op(a[r * ta + l], b[r * tb + l]), one input's
// tile stride 0 (a per-channel operand repeated over H*W), the other's Lanes.
template<int64_t Lanes, typename A, typename B, typename Out, typename Op>
inline void tileRun(const A *a, int64_t ta, const B *b, int64_t tb, Out *out, int64_t rows, Op op)
{
    for (int64_t r = 0; r < rows; ++r) {
        const A *x = a + r * ta;
        const B *y = b + r * tb;
        Out *z = out + r * Lanes;
        for (int64_t l = 0; l < Lanes; ++l)
            z[l] = op(x[l], y[l]);
    }
}

// Channel-blocked operands ([N, C/B, H, W, B] with [N, C/B, 1, 1, B]): rows of one block of B
// lanes, one input repeating its row along the tile (H*W). Runs whole tiles with the lane count
// known at compile time, so the lanes vectorise; false when the plan is not of that form.
template<typename A, typename B, typename Out, typename Op>
bool broadcastBlockedTiles(const BroadcastPlan &plan, const A *a, const B *b, Out *out, int threads,
                           Op op)
{
    const int64_t length = plan.rowLength(), tile = plan.tileRows();
    const int64_t ta = plan.tileStride(0), tb = plan.tileStride(1);
    if ((length != 8 && length != 16) || tile < 2 || plan.innerStride(0) != 1
        || plan.innerStride(1) != 1 || !((ta == length && tb == 0) || (ta == 0 && tb == length)))
        return false;
    const int64_t tiles = plan.rowCount() / tile;
    const bool parallel = threads > 1 && plan.outputCount() >= (1 << 16) && tiles > 1;
#pragma omp parallel for num_threads(threads) schedule(static) if (parallel)
    for (int64_t t = 0; t < tiles; ++t) {
        const A *x = a + plan.rowOffset(0, t * tile);
        const B *y = b + plan.rowOffset(1, t * tile);
        Out *z = out + t * tile * length;
        if (length == 8)
            tileRun<8>(x, ta, y, tb, z, tile, op);
        else
            tileRun<16>(x, ta, y, tb, z, tile, op);
    }
    return true;
}

// out = op(a, b) elementwise with broadcasting; `out` is already allocated with the plan's shape.
template<typename A, typename B, typename Out, typename Op>
void broadcastBinary(const BroadcastPlan &plan, const A *a, const B *b, Out *out, int threads, Op op)
{
    if (broadcastBlockedTiles(plan, a, b, out, threads, op))
        return;
    const int64_t length = plan.rowLength();
    const int64_t sa = plan.innerStride(0), sb = plan.innerStride(1);
    forEachRowRange(plan, threads, [&](int64_t begin, int64_t end, int64_t splitRun) {
        if (splitRun < 0) {
            // A single run split across threads.
#pragma omp parallel for num_threads(threads) schedule(static)
            for (int t = 0; t < threads; ++t) {
                const int64_t from = length * t / threads, to = length * (t + 1) / threads;
                binaryRun(a + from * sa, sa, b + from * sb, sb, out + from, to - from, op);
            }
            return;
        }
        plan.forEachRow<2>(begin, end, [&](int64_t row, const std::array<int64_t, 2> &offset) {
            binaryRun(a + offset[0], sa, b + offset[1], sb, out + row * length, length, op);
        });
    });
}

} // namespace qs::ops
