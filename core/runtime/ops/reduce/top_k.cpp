// TopK along one axis: k as an attribute (opset 1) or an input (10); largest/sorted from 11.
// Ties keep the lower index first, as ONNX Runtime does. Outputs Values and int64 Indices.
#include "runtime/ops/dispatch.h"
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/reduce/reduce_plan.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>
#include <numeric>

namespace qs::ops {

namespace {

class TopKKernel : public Kernel
{
public:
    TopKKernel(int64_t axis, bool largest, std::optional<int64_t> k)
        : m_axis(axis)
        , m_largest(largest)
        , m_k(k)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        int64_t axis = m_axis;
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, x));
        int64_t k = 0;
        if (m_k) {
            k = *m_k;
        } else {
            const Tensor &kInput = ctx.input(1);
            if (kInput.elementCount() != 1)
                return ctx.error("K must hold one value, got shape "
                                 + shapeToString(kInput.shape()));
            k = kInput.intAt(0);
        }
        if (k < 0 || k > x.dim(axis))
            return ctx.error("K=" + std::to_string(k) + " is outside [0, "
                             + std::to_string(x.dim(axis)) + "] for axis " + std::to_string(axis));
        Shape outShape = x.shape();
        outShape[static_cast<size_t>(axis)] = k;
        const AxisSplit split = splitAtAxis(x.shape(), axis);
        Tensor &values = ctx.allocateOutput(0, x.dtype(), outShape);
        Tensor &indices = ctx.allocateOutput(1, DType::Int64, outShape);
        return dispatchNonBool(ctx, x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            run<T>(x.data<T>(), values.mutableData<T>(), indices.mutableData<int64_t>(), split, k);
        });
    }

private:
    template<typename T>
    void run(const T *in, T *values, int64_t *indices, const AxisSplit &split, int64_t k) const
    {
        std::vector<int64_t> order(static_cast<size_t>(split.extent));
        for (int64_t o = 0; o < split.outer; ++o) {
            for (int64_t i = 0; i < split.inner; ++i) {
                const T *base = in + o * split.extent * split.inner + i;
                std::iota(order.begin(), order.end(), 0);
                auto before = [&](int64_t a, int64_t b) {
                    const T va = base[a * split.inner], vb = base[b * split.inner];
                    if (va != vb)
                        return m_largest ? va > vb : va < vb;
                    return a < b;
                };
                std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
                for (int64_t j = 0; j < k; ++j) {
                    const int64_t at = (o * k + j) * split.inner + i;
                    values[at] = base[order[j] * split.inner];
                    indices[at] = order[j];
                }
            }
        }
    }

    int64_t m_axis;
    bool m_largest;
    std::optional<int64_t> m_k;
};

} // namespace

Result<std::unique_ptr<Kernel>> createTopK(const KernelInfo &info)
{
    auto axis = info.getInt("axis", -1);
    auto largest = info.getInt("largest", 1);
    if (!axis || !largest)
        return !axis ? axis.status() : largest.status();
    std::optional<int64_t> k;
    if (info.opsetVersion() < 10) {
        auto attribute = info.getInt("k", -1);
        if (!attribute)
            return attribute.status();
        k = *attribute;
    } else if (const Tensor *constant = info.constantInput(1);
               constant && constant->elementCount() == 1) {
        k = constant->intAt(0);
    }
    return makeKernel<TopKKernel>(*axis, *largest != 0, k);
}

} // namespace qs::ops
