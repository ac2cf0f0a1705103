// Trilu (opset 14): keeps the upper (j - i >= k) or lower (j - i <= k) triangle of each matrix in
// the last two dims and zeroes the rest. Every decoder's causal mask goes through it, so a row is
// two byte ranges: one memcpy of the kept columns and one memset of the others, for any dtype.
#include "runtime/ops/tensor/tensor_kernels.h"

#include <algorithm>
#include <cstring>

namespace qs::ops {

namespace {

class TriluKernel final : public Kernel
{
public:
    explicit TriluKernel(bool upper)
        : m_upper(upper)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.rank() < 2)
            return ctx.error("input must have at least 2 dims, got " + x.describe());
        int64_t k = 0;
        if (ctx.hasInput(1)) {
            const Tensor &kTensor = ctx.input(1);
            if (kTensor.elementCount() != 1 || kTensor.dtype() != DType::Int64)
                return ctx.error("k must be an int64 scalar, got " + kTensor.describe());
            k = kTensor.intAt(0);
        }
        Tensor &y = ctx.allocateOutput(0, x.dtype(), x.shape());
        const int64_t rows = x.dim(x.rank() - 2), columns = x.dim(x.rank() - 1);
        const int64_t matrices = rows * columns != 0 ? x.elementCount() / (rows * columns) : 0;
        const int64_t es = dtypeSize(x.dtype());
        // k far outside the matrix would overflow i + k; beyond +-columns it changes nothing.
        k = std::clamp<int64_t>(k, -rows - 1, columns + 1);
        const auto *src = static_cast<const char *>(x.rawData());
        auto *dst = static_cast<char *>(y.mutableRawData());
        const int64_t total = matrices * rows;
#pragma omp parallel for num_threads(ctx.threads()) if (total * columns * es > (1 << 18))
        for (int64_t r = 0; r < total; ++r) {
            const int64_t i = r % rows;
            // Columns [0, split) are in the lower part, [split, columns) in the upper part.
            const int64_t split = std::clamp<int64_t>(m_upper ? i + k : i + k + 1, 0, columns);
            const int64_t keepBegin = m_upper ? split : 0;
            const int64_t keepEnd = m_upper ? columns : split;
            const int64_t zeroBegin = m_upper ? 0 : split;
            const int64_t zeroEnd = m_upper ? split : columns;
            const int64_t row = r * columns * es;
            std::memcpy(dst + row + keepBegin * es, src + row + keepBegin * es,
                        static_cast<size_t>((keepEnd - keepBegin) * es));
            std::memset(dst + row + zeroBegin * es, 0,
                        static_cast<size_t>((zeroEnd - zeroBegin) * es));
        }
        return Status::ok();
    }

private:
    bool m_upper;
};

} // namespace

Result<std::unique_ptr<Kernel>> createTrilu(const KernelInfo &info)
{
    auto upper = info.getInt("upper", 1);
    if (!upper)
        return upper.status();
    return makeKernel<TriluKernel>(*upper != 0);
}

} // namespace qs::ops
