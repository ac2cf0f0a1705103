// GlobalAveragePool and GlobalMaxPool: one mean / max per (n, c) plane, output [N, C, 1, ...].
// A row-wise Eigen reduction beats a pooling primitive here (no window bookkeeping).
#include "runtime/ops/nn/blocked_layout.h"
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/nn/nn_util.h"

namespace qs::ops {

namespace {

class GlobalPoolKernel final : public Kernel
{
public:
    GlobalPoolKernel(bool max, bool blocked)
        : m_max(max)
        , m_blocked(blocked)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (m_blocked)
            return computeBlocked(ctx, x);
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
    // [N, C/B, H, W, B] -> [N, C/B, 1, 1, B]: per (n, block), the mean of H*W vectors of B lanes.
    Status computeBlocked(KernelContext &ctx, const Tensor &x) const
    {
        QS_RETURN_IF_ERROR(checkBlockedInput(ctx, x)); // (only GlobalAveragePool is blocked)
        const int64_t blocks = x.dim(0) * x.dim(1), size = x.dim(2) * x.dim(3), lanes = x.dim(4);
        if (size == 0 && blocks > 0)
            return ctx.error("input 'X' " + x.describe() + " has empty spatial dims");
        Tensor &out = ctx.allocateOutput(0, DType::Float32, {x.dim(0), x.dim(1), 1, 1, lanes});
        const float *in = x.data<float>();
        float *y = out.mutableData<float>();
#pragma omp parallel for num_threads(ctx.threads()) if (x.elementCount() > 65536)
        for (int64_t b = 0; b < blocks; ++b) {
            Eigen::Map<const Eigen::ArrayXXf> plane(in + b * size * lanes, lanes, size);
            Eigen::Map<Eigen::ArrayXf>(y + b * lanes, lanes) = plane.rowwise().mean();
        }
        return Status::ok();
    }

    bool m_max;
    bool m_blocked; // input and output as [N, C/B, H, W, B] (blocked_layout.h)
};

} // namespace

Result<std::unique_ptr<Kernel>> createGlobalAveragePool(const KernelInfo &info)
{
    Result<int64_t> blocked = info.getInt(kBlockedInputAttribute, 0);
    if (!blocked)
        return blocked.status();
    return makeKernel<GlobalPoolKernel>(false, *blocked != 0);
}

Result<std::unique_ptr<Kernel>> createGlobalMaxPool(const KernelInfo &)
{
    return makeKernel<GlobalPoolKernel>(true, false);
}

} // namespace qs::ops
