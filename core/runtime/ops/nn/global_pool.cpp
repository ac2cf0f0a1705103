// GlobalAveragePool and GlobalMaxPool: one mean / max per (n, c) plane, output [N, C, 1, ...].
// A row-wise Eigen reduction beats a pooling primitive here (no window bookkeeping).
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/nn/nn_util.h"

namespace qs::ops {

namespace {

class GlobalPoolKernel final : public Kernel
{
public:
    explicit GlobalPoolKernel(bool max)
        : m_max(max)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        QS_RETURN_IF_ERROR(checkFloatActivation(ctx, x, 2, kAnyRank));
        Shape outShape = {x.dim(0), x.dim(1)};
        outShape.resize(static_cast<size_t>(x.rank()), 1);
        const int64_t planes = x.dim(0) * x.dim(1);
        const int64_t size = planes > 0 ? x.elementCount() / planes : 0;
        if (size == 0 && planes > 0)
            return ctx.error("input 'X' " + x.describe() + " has empty spatial dims");
        Tensor &out = ctx.allocateOutput(0, x.dtype(), outShape);
        const Tensor src = toFloat32(x, ctx.threads());
        Tensor dst = wideOutput(out);
        const float *in = src.data<float>();
        float *y = dst.mutableData<float>();
#pragma omp parallel for num_threads(ctx.threads()) if (x.elementCount() > 65536)
        for (int64_t p = 0; p < planes; ++p) {
            Eigen::Map<const Eigen::ArrayXf> plane(in + p * size, size);
            y[p] = m_max ? plane.maxCoeff() : plane.mean();
        }
        storeWideOutput(dst, out, ctx.threads());
        return Status::ok();
    }

private:
    bool m_max;
};

} // namespace

Result<std::unique_ptr<Kernel>> createGlobalAveragePool(const KernelInfo &)
{
    return makeKernel<GlobalPoolKernel>(false);
}

Result<std::unique_ptr<Kernel>> createGlobalMaxPool(const KernelInfo &)
{
    return makeKernel<GlobalPoolKernel>(true);
}

} // namespace qs::ops
