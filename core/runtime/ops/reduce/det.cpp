// Det (opset 11): the determinant of each square matrix in the last two dims, by LU
// decomposition with partial pivoting in double precision (reference kernel: the op is rare
// in inference graphs and its matrices small).
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/reduce/reference_values.h"

#include <cmath>
#include <utility>

namespace qs::ops {

namespace {

// Destroys `a` (n x n, row-major).
double determinant(double *a, int64_t n)
{
    double result = 1.0;
    for (int64_t col = 0; col < n; ++col) {
        int64_t pivot = col;
        for (int64_t r = col + 1; r < n; ++r) {
            if (std::abs(a[r * n + col]) > std::abs(a[pivot * n + col]))
                pivot = r;
        }
        if (a[pivot * n + col] == 0.0)
            return 0.0;
        if (pivot != col) {
            for (int64_t c = 0; c < n; ++c)
                std::swap(a[col * n + c], a[pivot * n + c]);
            result = -result;
        }
        const double diagonal = a[col * n + col];
        result *= diagonal;
        for (int64_t r = col + 1; r < n; ++r) {
            const double factor = a[r * n + col] / diagonal;
            for (int64_t c = col + 1; c < n; ++c)
                a[r * n + c] -= factor * a[col * n + c];
        }
    }
    return result;
}

class DetKernel final : public Kernel
{
public:
    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.rank() < 2 || x.dim(x.rank() - 1) != x.dim(x.rank() - 2))
            return ctx.error("input must be [..., M, M], got " + x.describe());
        auto values = widenToDouble(ctx, x);
        if (!values)
            return values.status();
        const int64_t n = x.dim(x.rank() - 1);
        const Shape outShape(x.shape().begin(), x.shape().end() - 2);
        std::vector<double> results(static_cast<size_t>(shapeElementCount(outShape)));
        for (size_t m = 0; m < results.size(); ++m)
            results[m] = determinant(values->data() + static_cast<int64_t>(m) * n * n, n);
        writeFromDouble(ctx, 0, x.dtype(), outShape, results);
        return Status::ok();
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createDet(const KernelInfo &)
{
    return makeKernel<DetKernel>();
}

} // namespace qs::ops
