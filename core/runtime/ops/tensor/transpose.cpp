// Transpose. The permutation is first simplified (unit dims dropped, input dims that stay
// neighbours merged); what remains is usually a batched 2-D transpose (NCHW <-> NHWC, [.., a, b]
// -> [.., b, a]), done in cache-sized tiles, or a permutation that keeps the innermost dim, which
// is a row-wise memcpy. Anything else goes through the general strided copy.
#include "runtime/ops/tensor/transpose.h"

#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>
#include <numeric>

namespace qs::ops {

namespace {

// out[b][c][r] = in[b][r][c] for b < batch, in tiles so both sides stay in cache.
template<typename T>
void transposeBatched2d(T *out, const T *in, int64_t batch, int64_t rows, int64_t cols, int threads)
{
    constexpr int64_t kTile = 32;
    const int64_t rowTiles = (rows + kTile - 1) / kTile;
    const int64_t colTiles = (cols + kTile - 1) / kTile;
    const int64_t tiles = batch * rowTiles * colTiles;
    const bool parallel = batch * rows * cols * static_cast<int64_t>(sizeof(T)) > (1 << 18);
#pragma omp parallel for num_threads(threads) if (parallel) schedule(static)
    for (int64_t t = 0; t < tiles; ++t) {
        const int64_t b = t / (rowTiles * colTiles);
        // Row tiles vary fastest: a thread fills a band of whole output rows before moving on.
        const int64_t r0 = t % rowTiles * kTile;
        const int64_t c0 = (t / rowTiles) % colTiles * kTile;
        const T *src = in + b * rows * cols;
        T *dst = out + b * rows * cols;
        const int64_t r1 = std::min(rows, r0 + kTile);
        const int64_t c1 = std::min(cols, c0 + kTile);
        for (int64_t c = c0; c < c1; ++c) {
            for (int64_t r = r0; r < r1; ++r)
                dst[c * rows + r] = src[r * cols + c];
        }
    }
}

template<typename T>
void transposeTyped(void *out, const void *in, int64_t batch, int64_t rows, int64_t cols,
                    int threads)
{
    transposeBatched2d(static_cast<T *>(out), static_cast<const T *>(in), batch, rows, cols,
                       threads);
}

bool transposeBatched2dBytes(void *out, const void *in, int64_t batch, int64_t rows, int64_t cols,
                             int64_t elementSize, int threads)
{
    switch (elementSize) {
    case 1: transposeTyped<uint8_t>(out, in, batch, rows, cols, threads); return true;
    case 2: transposeTyped<uint16_t>(out, in, batch, rows, cols, threads); return true;
    case 4: transposeTyped<uint32_t>(out, in, batch, rows, cols, threads); return true;
    case 8: transposeTyped<uint64_t>(out, in, batch, rows, cols, threads); return true;
    default: return false;
    }
}

class TransposeKernel final : public Kernel
{
public:
    explicit TransposeKernel(std::vector<int64_t> perm)
        : m_perm(std::move(perm))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        std::vector<int64_t> perm = m_perm;
        if (perm.empty()) {
            perm.resize(static_cast<size_t>(data.rank()));
            std::iota(perm.rbegin(), perm.rend(), 0);
        }
        if (static_cast<int64_t>(perm.size()) != data.rank())
            return ctx.error("perm " + intsToString(perm) + " has " + std::to_string(perm.size())
                             + " entries but the input " + data.describe() + " has rank "
                             + std::to_string(data.rank()));
        std::vector<bool> seen(perm.size(), false);
        Shape outShape;
        for (int64_t &axis : perm) {
            if (!normalizeAxis(axis, data.rank()) || seen[static_cast<size_t>(axis)])
                return ctx.error("perm " + intsToString(m_perm) + " is not a permutation of "
                                 + std::to_string(data.rank()) + " axes");
            seen[static_cast<size_t>(axis)] = true;
            outShape.push_back(data.dim(axis));
        }
        Tensor &out = ctx.allocateOutput(0, data.dtype(), outShape);
        permuteElements(out.mutableRawData(), data.rawData(), data.shape(), perm,
                        dtypeSize(data.dtype()), ctx.threads());
        return Status::ok();
    }

private:
    std::vector<int64_t> m_perm;
};

} // namespace

void permuteElements(void *dst, const void *src, const Shape &inShape,
                     const std::vector<int64_t> &perm, int64_t elementSize, int threads)
{
    if (shapeElementCount(inShape) == 0)
        return;
    // Simplify: drop unit dims, then merge output neighbours that are input neighbours too.
    std::vector<int64_t> kept; // input axes with size > 1, in output order
    for (int64_t axis : perm) {
        if (inShape[static_cast<size_t>(axis)] != 1)
            kept.push_back(axis);
    }
    std::vector<std::vector<int64_t>> groups; // runs of consecutive input axes
    for (int64_t axis : kept) {
        if (!groups.empty() && groups.back().back() + 1 == axis) {
            // consecutive only if no kept axis lies between them in the input
            groups.back().push_back(axis);
            continue;
        }
        groups.push_back({axis});
    }
    // Merged problem: input dims in input order, perm over groups.
    std::vector<size_t> byInput(groups.size());
    std::iota(byInput.begin(), byInput.end(), 0);
    std::sort(byInput.begin(), byInput.end(),
              [&](size_t a, size_t b) { return groups[a].front() < groups[b].front(); });
    std::vector<int64_t> dims(groups.size());
    std::vector<int64_t> groupPerm(groups.size());
    for (size_t g = 0; g < groups.size(); ++g) {
        int64_t size = 1;
        for (int64_t axis : groups[g])
            size *= inShape[static_cast<size_t>(axis)];
        dims[g] = size;
    }
    Shape mergedIn(groups.size());
    for (size_t i = 0; i < byInput.size(); ++i) {
        mergedIn[i] = dims[byInput[i]];
        groupPerm[byInput[i]] = static_cast<int64_t>(i);
    }
    const size_t rank = mergedIn.size();
    const int64_t total = shapeElementCount(inShape);
    if (rank <= 1) {
        copyElements(dst, src, total, elementSize);
        return;
    }
    // Batched 2-D: [B, R, C] -> [B, C, R] (B may be absent).
    const bool swapLast = groupPerm[rank - 1] == static_cast<int64_t>(rank - 2)
                          && groupPerm[rank - 2] == static_cast<int64_t>(rank - 1);
    if (swapLast && (rank == 2 || (rank == 3 && groupPerm[0] == 0))) {
        const int64_t batch = rank == 3 ? mergedIn[0] : 1;
        if (transposeBatched2dBytes(dst, src, batch, mergedIn[rank - 2], mergedIn[rank - 1],
                                    elementSize, threads))
            return;
    }
    const std::vector<int64_t> inStrides = contiguousStrides(mergedIn);
    Shape outShape(rank);
    std::vector<int64_t> strides(rank);
    for (size_t i = 0; i < rank; ++i) {
        outShape[i] = mergedIn[static_cast<size_t>(groupPerm[i])];
        strides[i] = inStrides[static_cast<size_t>(groupPerm[i])];
    }
    stridedCopy(dst, src, outShape, strides, elementSize, threads);
}

Result<std::unique_ptr<Kernel>> createTranspose(const KernelInfo &info)
{
    Result<std::vector<int64_t>> perm = info.getInts("perm");
    if (!perm)
        return perm.status();
    return makeKernel<TransposeKernel>(std::move(*perm));
}

} // namespace qs::ops
