#pragma once
// The shape of every one-input math kernel: the op is a small functor that maps an Eigen array
// expression (float or double) to an expression, so Eigen's vectorised exp/tanh/erf/logistic do
// the work; float16/bfloat16 inputs are widened in cache-sized blocks and narrowed back. Ops
// defined for integers too (Neg, Abs, Sign, Relu) also give a scalar form for those types.
//
//   struct Tanh { template<typename A> auto operator()(const A &x) const { return x.tanh(); } };

#include "runtime/kernel.h"

#include <Eigen/Core>
#include <algorithm>

namespace qs::ops {

// Ops whose functor has `template<typename T> T integer(T) const` accept integer inputs.
template<typename Op>
concept HasIntegerForm = requires(const Op &op)
{
    op.integer(int32_t{});
};

template<typename Op>
class UnaryKernel : public Kernel
{
public:
    explicit UnaryKernel(Op op = {})
        : m_op(op)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        Tensor &y = ctx.allocateOutput(0, x.dtype(), x.shape());
        const int64_t n = x.elementCount();
        const int threads = n >= (1 << 15) ? ctx.threads() : 1;
        switch (x.dtype()) {
        case DType::Float32: return apply<float, float>(x, y, n, threads);
        case DType::Float64: return apply<double, double>(x, y, n, threads);
        case DType::Float16: return apply<Eigen::half, float>(x, y, n, threads);
        case DType::BFloat16: return apply<Eigen::bfloat16, float>(x, y, n, threads);
        default: break;
        }
        if constexpr (HasIntegerForm<Op>) {
            bool handled = false;
            dispatchNumeric(x.dtype(), [&](auto tag) {
                using T = decltype(tag);
                if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
                    const T *in = x.data<T>();
                    T *out = y.mutableData<T>();
                    for (int64_t i = 0; i < n; ++i)
                        out[i] = m_op.integer(in[i]);
                    handled = true;
                }
            });
            if (handled)
                return Status::ok();
        }
        return ctx.error(std::string("input type ") + dtypeName(x.dtype()) + " is not supported");
    }

private:
    // Storage type S computed as C (float for the half types).
    template<typename S, typename C>
    Status apply(const Tensor &x, Tensor &y, int64_t n, int threads) const
    {
        const S *in = x.data<S>();
        S *out = y.mutableData<S>();
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
        for (int t = 0; t < threads; ++t) {
            const int64_t begin = n * t / threads, end = n * (t + 1) / threads;
            if constexpr (std::is_same_v<S, C>) {
                Eigen::Map<const Eigen::Array<C, Eigen::Dynamic, 1>> source(in + begin, end - begin);
                Eigen::Map<Eigen::Array<C, Eigen::Dynamic, 1>> target(out + begin, end - begin);
                target = m_op(source);
            } else {
                constexpr int64_t kBlock = 4096;
                Eigen::Array<C, Eigen::Dynamic, 1> buffer(kBlock);
                for (int64_t from = begin; from < end; from += kBlock) {
                    const int64_t count = std::min(kBlock, end - from);
                    for (int64_t i = 0; i < count; ++i)
                        buffer[i] = static_cast<C>(in[from + i]);
                    buffer.head(count) = m_op(buffer.head(count));
                    for (int64_t i = 0; i < count; ++i)
                        out[from + i] = S(buffer[i]);
                }
            }
        }
        return Status::ok();
    }

    Op m_op;
};

} // namespace qs::ops
