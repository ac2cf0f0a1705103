#include "runtime/ops/quant/integer_matmul.h"

#include <Eigen/Core>

namespace qs::ops {

namespace {

using IntMatrix = Eigen::Matrix<int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// `count` 8-bit values minus their zero point (scalar, or one per row / column of a rows x cols
// matrix), widened to int32.
Result<IntMatrix> centred(const KernelContext &ctx, const Tensor &values, int64_t offset,
                          int64_t rows, int64_t cols, const Tensor &zeroPoint, bool perRow,
                          const char *name)
{
    if (!zeroPoint.empty() && zeroPoint.dtype() != values.dtype())
        return ctx.error(std::string(name) + "'s zero point " + zeroPoint.describe() +
                         " must have the type of " + name + " (" + dtypeName(values.dtype()) + ")");
    const int64_t expected = perRow ? rows : cols;
    if (!zeroPoint.empty() && zeroPoint.elementCount() != 1 && zeroPoint.elementCount() != expected)
        return ctx.error(std::string(name) + "'s zero point has " +
                         std::to_string(zeroPoint.elementCount()) + " values; 1 or " +
                         std::to_string(expected) + " are needed");
    IntMatrix matrix(rows, cols);
    auto fill = [&](auto tag) {
        using Q = decltype(tag);
        const Q *data = values.data<Q>() + offset;
        for (int64_t r = 0; r < rows; ++r) {
            for (int64_t c = 0; c < cols; ++c) {
                int32_t zp = 0;
                if (!zeroPoint.empty())
                    zp = zeroPoint.elementCount() == 1 ? zeroPoint.data<Q>()[0]
                                                       : zeroPoint.data<Q>()[perRow ? r : c];
                matrix(r, c) = int32_t(data[r * cols + c]) - zp;
            }
        }
    };
    if (values.dtype() == DType::UInt8)
        fill(uint8_t{});
    else if (values.dtype() == DType::Int8)
        fill(int8_t{});
    else
        return ctx.error(std::string(name) + " must be int8 or uint8, got " + values.describe());
    return matrix;
}

} // namespace

Result<IntegerMatmulResult> integerMatmul(const KernelContext &ctx, const Tensor &a,
                                          const Tensor &aZeroPoint, const Tensor &b,
                                          const Tensor &bZeroPoint)
{
    if (a.rank() < 2 || b.rank() < 2)
        return ctx.error("A " + a.describe() + " and B " + b.describe() + " must be at least 2-D");
    const int64_t m = a.dim(a.rank() - 2), k = a.dim(a.rank() - 1);
    const int64_t n = b.dim(b.rank() - 1);
    if (b.dim(b.rank() - 2) != k)
        return ctx.error("A " + a.describe() + " and B " + b.describe() +
                         " cannot be multiplied (inner dims differ)");
    const int64_t batches = a.elementCount() / std::max<int64_t>(m * k, 1);
    const int64_t bBatches = b.elementCount() / std::max<int64_t>(k * n, 1);
    if (bBatches != 1 && bBatches != batches)
        return ctx.error("batch dims of A " + a.describe() + " and B " + b.describe() +
                         " differ; only a 2-D B or matching batches are supported");
    Shape outShape = (a.rank() >= b.rank()) ? a.shape() : b.shape();
    outShape[outShape.size() - 2] = m;
    outShape.back() = n;
    IntegerMatmulResult result{Tensor::allocate(DType::Int32, outShape), n};
    for (int64_t batch = 0; batch < batches; ++batch) {
        auto left = centred(ctx, a, batch * m * k, m, k, aZeroPoint, true, "A");
        if (!left)
            return left.status();
        auto right = centred(ctx, b, (bBatches == 1 ? 0 : batch) * k * n, k, n, bZeroPoint, false, "B");
        if (!right)
            return right.status();
        Eigen::Map<IntMatrix>(result.accumulator.mutableData<int32_t>() + batch * m * n, m, n)
            .noalias() = *left * *right;
    }
    return result;
}

} // namespace qs::ops
