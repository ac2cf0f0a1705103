// Softmax, LogSoftmax, Hardmax. Before opset 13 the input is coerced to 2-D at `axis` (default 1)
// and normalised over everything from `axis` on; from 13 over the one axis (default -1).
// Numerically stable: the row maximum is subtracted before exp. The common last-axis case runs
// on contiguous rows with Eigen's vectorised exp.
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/reduce/reduce_plan.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <Eigen/Core>
#include <cmath>

namespace qs::ops {

namespace {

enum class Normaliser { Softmax, LogSoftmax, Hardmax };

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

void normaliseRow(Normaliser kind, const float *in, float *out, int64_t n)
{
    ConstArrayMap x(in, n);
    ArrayMap y(out, n);
    if (kind == Normaliser::Hardmax) {
        Eigen::Index best = 0;
        x.maxCoeff(&best); // first maximum, as ONNX specifies
        y.setZero();
        y[best] = 1.0f;
        return;
    }
    const float maximum = x.maxCoeff();
    if (kind == Normaliser::Softmax) {
        y = (x - maximum).exp();
        y *= 1.0f / y.sum();
    } else {
        y = x - maximum;
        y -= std::log(y.exp().sum());
    }
}

class SoftmaxKernel : public Kernel
{
public:
    SoftmaxKernel(Normaliser kind, int64_t axis, bool coerceTo2d)
        : m_kind(kind)
        , m_axis(axis)
        , m_coerceTo2d(coerceTo2d)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, x, std::max<int64_t>(x.rank(), 1)));
        AxisSplit split = splitAtAxis(x.shape(), axis);
        if (m_coerceTo2d) {
            split.extent *= split.inner;
            split.inner = 1;
        }
        if (x.dtype() == DType::Float32) {
            Tensor &y = ctx.allocateOutput(0, x.dtype(), x.shape());
            run(x.data<float>(), y.mutableData<float>(), split, ctx.threads());
            return Status::ok();
        }
        if (x.dtype() == DType::Float16 || x.dtype() == DType::Float64
            || x.dtype() == DType::BFloat16) {
            // Widen once, normalise in float, narrow back.
            Tensor wide = Tensor::allocate(DType::Float32, x.shape());
            Tensor result = Tensor::allocate(DType::Float32, x.shape());
            dispatchNumeric(x.dtype(), [&](auto tag) {
                using T = decltype(tag);
                const T *in = x.data<T>();
                float *w = wide.mutableData<float>();
                for (int64_t i = 0; i < x.elementCount(); ++i)
                    w[i] = static_cast<float>(in[i]);
                run(wide.data<float>(), result.mutableData<float>(), split, ctx.threads());
                Tensor &y = ctx.allocateOutput(0, x.dtype(), x.shape());
                T *out = y.mutableData<T>();
                for (int64_t i = 0; i < x.elementCount(); ++i)
                    out[i] = T(result.data<float>()[i]);
            });
            return Status::ok();
        }
        return ctx.error(std::string("type ") + dtypeName(x.dtype()) + " is not supported");
    }

private:
    void run(const float *in, float *out, const AxisSplit &split, int threads) const
    {
        const int64_t total = split.outer * split.extent * split.inner;
        if (total == 0)
            return;
        const bool parallel = threads > 1 && total > (1 << 15);
        if (split.inner == 1) {
#pragma omp parallel for num_threads(threads) schedule(static) if (parallel)
            for (int64_t o = 0; o < split.outer; ++o)
                normaliseRow(m_kind, in + o * split.extent, out + o * split.extent, split.extent);
            return;
        }
        // Strided axis: gather each column into a contiguous row, normalise, scatter back.
#pragma omp parallel for num_threads(threads) schedule(static) if (parallel)
        for (int64_t o = 0; o < split.outer; ++o) {
            std::vector<float> column(static_cast<size_t>(split.extent));
            std::vector<float> normalised(column.size());
            for (int64_t i = 0; i < split.inner; ++i) {
                const int64_t base = o * split.extent * split.inner + i;
                for (int64_t k = 0; k < split.extent; ++k)
                    column[k] = in[base + k * split.inner];
                normaliseRow(m_kind, column.data(), normalised.data(), split.extent);
                for (int64_t k = 0; k < split.extent; ++k)
                    out[base + k * split.inner] = normalised[k];
            }
        }
    }

    Normaliser m_kind;
    int64_t m_axis;
    bool m_coerceTo2d;
};

Result<std::unique_ptr<Kernel>> createNormaliser(const KernelInfo &info, Normaliser kind)
{
    const bool coerceTo2d = info.opsetVersion() < 13;
    auto axis = info.getInt("axis", coerceTo2d ? 1 : -1);
    if (!axis)
        return axis.status();
    return makeKernel<SoftmaxKernel>(kind, *axis, coerceTo2d);
}

} // namespace

Result<std::unique_ptr<Kernel>> createSoftmax(const KernelInfo &info)
{
    return createNormaliser(info, Normaliser::Softmax);
}
Result<std::unique_ptr<Kernel>> createLogSoftmax(const KernelInfo &info)
{
    return createNormaliser(info, Normaliser::LogSoftmax);
}
Result<std::unique_ptr<Kernel>> createHardmax(const KernelInfo &info)
{
    return createNormaliser(info, Normaliser::Hardmax);
}

} // namespace qs::ops
