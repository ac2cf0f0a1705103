// The int32 GEMM of MatMulInteger / QLinearMatMul / QGemm / MatMulIntegerToFloat. uint8 (or
// int8) A times int8 B (zero point 0) goes to oneDNN's u8 x s8 GEMM when that is exact
// (int8_exactness.h: VNNI, or 7-bit weights as reduce_range writes them); everything else to
// oneDNN's float GEMM over depth slices in which float sums are exact (exactFloatDepth).
#include "runtime/ops/quant/integer_matmul.h"

#include "runtime/ops/nn/nn_util.h"
#include "runtime/ops/quant/int8_exactness.h"

#include <Eigen/Core>
#include <dnnl.h>

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
        return ctx.error(std::string(name) + "'s zero point " + zeroPoint.describe()
                         + " must have the type of " + name + " (" + dtypeName(values.dtype())
                         + ")");
    const int64_t expected = perRow ? rows : cols;
    if (!zeroPoint.empty() && zeroPoint.elementCount() != 1 && zeroPoint.elementCount() != expected)
        return ctx.error(std::string(name) + "'s zero point has "
                         + std::to_string(zeroPoint.elementCount()) + " values; 1 or "
                         + std::to_string(expected) + " are needed");
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

// rows x cols int32 -> float (exact: 8-bit differences), and the largest magnitude.
int64_t toFloat(const IntMatrix &values, std::vector<float> &out)
{
    out.resize(size_t(values.size()));
    int64_t largest = 0;
    const int32_t *in = values.data();
    for (Eigen::Index i = 0; i < values.size(); ++i) {
        out[size_t(i)] = float(in[i]);
        largest = std::max<int64_t>(largest, std::abs(int64_t(in[i])));
    }
    return largest;
}

bool allZero(const Tensor &zeroPoint)
{
    if (zeroPoint.dtype() != DType::Int8)
        return false;
    const int8_t *values = zeroPoint.data<int8_t>();
    return std::all_of(values, values + zeroPoint.elementCount(), [](int8_t v) { return v == 0; });
}

bool perTensorZeroPoint(const Tensor &zeroPoint, DType type)
{
    return zeroPoint.empty() || (zeroPoint.elementCount() == 1 && zeroPoint.dtype() == type);
}

// A as uint8 with its zero point: int8 A is shifted by 128 (exact; the GEMM wants unsigned A).
struct UnsignedA
{
    Tensor values;
    uint8_t zeroPoint = 0;
};

UnsignedA unsignedA(const Tensor &a, const Tensor &zeroPoint)
{
    if (a.dtype() == DType::UInt8)
        return {a, zeroPoint.empty() ? uint8_t(0) : zeroPoint.data<uint8_t>()[0]};
    Tensor shifted = Tensor::allocate(DType::UInt8, a.shape());
    const int8_t *in = a.data<int8_t>();
    uint8_t *out = shifted.mutableData<uint8_t>();
    for (int64_t i = 0; i < a.elementCount(); ++i)
        out[i] = uint8_t(int32_t(in[i]) + 128);
    const int32_t zero = zeroPoint.empty() ? 0 : zeroPoint.data<int8_t>()[0];
    return {shifted, uint8_t(zero + 128)};
}

} // namespace

void exactSlicedGemm(const float *a, int64_t lda, const float *b, int64_t rows, int64_t depth,
                     int64_t n, int64_t largestA, int64_t largestB, int32_t *out,
                     std::vector<float> &sums, int threads)
{
    const int64_t slice = std::min(depth, exactFloatDepth(largestA, largestB));
    const int64_t count = rows * n;
    sums.resize(size_t(count));
    const bool parallel = threads > 1 && count >= (1 << 15);
    for (int64_t first = 0; first < depth; first += slice) {
        const int64_t width = std::min(slice, depth - first);
        // The slice's columns of A in place (leading dimension lda); sgemm follows the OpenMP
        // thread count the session set for this run.
        dnnl_sgemm('N', 'N', rows, n, width, 1.0f, a + first, lda, b + first * n, n, 0.0f,
                   sums.data(), n);
        const bool firstSlice = first == 0;
#pragma omp parallel for num_threads(threads) schedule(static) if (parallel)
        for (int64_t i = 0; i < count; ++i) // integers already: no rounding
            out[i] = (firstSlice ? 0 : out[i]) + int32_t(sums[size_t(i)]);
    }
}

ConstantB constantBExactness(const KernelInfo &info, size_t bInput)
{
    const Tensor *b = info.constantInput(bInput);
    if (!b || b->dtype() != DType::Int8)
        return ConstantB::Unknown;
    return exactWithUnsignedActivations(*b) ? ConstantB::Exact : ConstantB::Inexact;
}

Result<bool> ConstantInt8Matmul::run(const uint8_t *a, int32_t aZero, const int8_t *b, int64_t rows,
                                     int64_t k, int64_t n, int32_t *out,
                                     const std::string &label) const
{
    using dnnl::memory;
    Result<std::shared_ptr<const Plan>> found = m_plans.getOrCreate({rows, k, n}, [&] {
        auto plan = std::make_shared<Plan>();
        try {
            plan->a = memory::desc({rows, k}, memory::data_type::u8, memory::format_tag::ab);
            plan->dst = memory::desc({rows, n}, memory::data_type::s32, memory::format_tag::ab);
            const memory::desc userB({k, n}, memory::data_type::s8, memory::format_tag::ab);
            const memory::desc anyB({k, n}, memory::data_type::s8, memory::format_tag::any);
            dnnl::primitive_attr attr = userScratchpadAttr();
            attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
            const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(plan->a, anyB, plan->dst),
                                                  attr, dnnl_support::cpuEngine());
            // The reference kernel is far slower than the gemm call it would replace.
            const std::string implementation = pd.impl_info_str();
            if (implementation.find("ref") != std::string::npos)
                return Result<std::shared_ptr<const Plan>>(std::shared_ptr<const Plan>(plan));
            plan->primitive = dnnl::matmul(pd);
            plan->scratchpad = pd.scratchpad_desc();
            plan->packedB = m_packed.get(userB, pd.weights_desc(), b);
            plan->usable = true;
        } catch (const dnnl::error &) {
            plan->usable = false; // no int8 matmul for this shape: the caller's other path
        }
        return Result<std::shared_ptr<const Plan>>(std::shared_ptr<const Plan>(plan));
    });
    if (!found)
        return found.status();
    const Plan &plan = **found;
    if (!plan.usable)
        return false;
    int32_t zero = aZero;
    std::unordered_map<int, memory> args;
    args[DNNL_ARG_SRC] = wrapMemory(plan.a, a);
    args[DNNL_ARG_WEIGHTS] = plan.packedB;
    args[DNNL_ARG_DST] = wrapMemory(plan.dst, out);
    args[DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC]
        = wrapMemory(memory::desc({1}, memory::data_type::s32, memory::format_tag::x), &zero);
    QS_RETURN_IF_ERROR(executePrimitive(plan.primitive, plan.scratchpad, std::move(args), label));
    return true;
}

Result<const ConstantInt8Matmul::FloatB *> ConstantInt8Matmul::floatB(const KernelContext &ctx,
                                                                      const Tensor &b,
                                                                      const Tensor &bZeroPoint) const
{
    std::lock_guard lock(m_floatMutex);
    if (!m_floatB) {
        const int64_t k = b.dim(b.rank() - 2), n = b.dim(b.rank() - 1);
        auto centredB = centred(ctx, b, 0, k, n, bZeroPoint, false, "B");
        if (!centredB)
            return centredB.status();
        FloatB made;
        made.largest = toFloat(*centredB, made.values);
        m_floatB = std::move(made);
    }
    return &*m_floatB;
}

Result<IntegerMatmulResult> integerMatmul(const KernelContext &ctx, const Tensor &a,
                                          const Tensor &aZeroPoint, const Tensor &b,
                                          const Tensor &bZeroPoint, ConstantB constantB,
                                          const ConstantInt8Matmul *cache)
{
    if (a.rank() < 2 || b.rank() < 2)
        return ctx.error("A " + a.describe() + " and B " + b.describe() + " must be at least 2-D");
    const int64_t m = a.dim(a.rank() - 2), k = a.dim(a.rank() - 1);
    const int64_t n = b.dim(b.rank() - 1);
    if (b.dim(b.rank() - 2) != k)
        return ctx.error("A " + a.describe() + " and B " + b.describe()
                         + " cannot be multiplied (inner dims differ)");
    const int64_t batches = a.elementCount() / std::max<int64_t>(m * k, 1);
    const int64_t bBatches = b.elementCount() / std::max<int64_t>(k * n, 1);
    if (bBatches != 1 && bBatches != batches)
        return ctx.error("batch dims of A " + a.describe() + " and B " + b.describe()
                         + " differ; only a 2-D B or matching batches are supported");
    Shape outShape = (a.rank() >= b.rank()) ? a.shape() : b.shape();
    outShape[outShape.size() - 2] = m;
    outShape.back() = n;
    IntegerMatmulResult result{Tensor::allocate(DType::Int32, outShape), n};
    const bool eightBitA = a.dtype() == DType::UInt8 || a.dtype() == DType::Int8;
    // Symmetric weights quantized per column carry a zero point per column, all 0.
    const bool bCentred = bZeroPoint.empty() || allZero(bZeroPoint);
    if (eightBitA && b.dtype() == DType::Int8 && perTensorZeroPoint(aZeroPoint, a.dtype())
        && bCentred
        && (constantB == ConstantB::Unknown ? exactWithUnsignedActivations(b)
                                            : constantB == ConstantB::Exact)) {
        const UnsignedA left = unsignedA(a, aZeroPoint);
        const int8_t bZero = 0;
        const int32_t noOffset = 0;
        // A 2-D B with several A batches is one GEMM over the stacked rows.
        const int64_t calls = bBatches == 1 ? 1 : batches;
        const int64_t rows = bBatches == 1 ? batches * m : m;
        // Only with VNNI: without it oneDNN's int8 primitives may halve the weights to avoid
        // vpmaddubsw's saturation, which the exactness rule above does not cover.
        if (cache && bBatches == 1 && cpuHasVnni()) {
            Result<bool> ran = cache->run(left.values.data<uint8_t>(), left.zeroPoint,
                                          b.data<int8_t>(), rows, k, n,
                                          result.accumulator.mutableData<int32_t>(), ctx.label());
            if (!ran)
                return ran.status();
            if (*ran)
                return result;
        }
        for (int64_t batch = 0; batch < calls; ++batch) {
            const dnnl_status_t status
                = dnnl_gemm_u8s8s32('N', 'N', 'F', rows, n, k, 1.0f,
                                    left.values.data<uint8_t>() + batch * m * k, k, left.zeroPoint,
                                    b.data<int8_t>() + batch * k * n, n, bZero, 0.0f,
                                    result.accumulator.mutableData<int32_t>() + batch * m * n, n,
                                    &noOffset);
            if (status != dnnl_success)
                return ctx.error("oneDNN's int8 GEMM failed (status " + std::to_string(int(status))
                                 + ")");
        }
        return result;
    }
    // The exact float path; a 2-D B with several A batches is one GEMM over the stacked rows,
    // unless A's zero point is per row (it is then per batch as well).
    const bool stack = bBatches == 1 && perTensorZeroPoint(aZeroPoint, a.dtype());
    const int64_t calls = stack ? 1 : batches;
    const int64_t rows = stack ? batches * m : m;
    std::vector<float> left, right, sums;
    const float *rightValues = nullptr;
    int64_t largestB = 0;
    for (int64_t batch = 0; batch < calls; ++batch) {
        auto centredA = centred(ctx, a, batch * m * k, rows, k, aZeroPoint, true, "A");
        if (!centredA)
            return centredA.status();
        const int64_t largestA = toFloat(*centredA, left);
        if (cache && bBatches == 1) {
            if (batch == 0) {
                Result<const ConstantInt8Matmul::FloatB *> kept = cache->floatB(ctx, b, bZeroPoint);
                if (!kept)
                    return kept.status();
                rightValues = (*kept)->values.data();
                largestB = (*kept)->largest;
            }
        } else if (batch == 0 || bBatches != 1) {
            auto centredB = centred(ctx, b, (bBatches == 1 ? 0 : batch) * k * n, k, n, bZeroPoint,
                                    false, "B");
            if (!centredB)
                return centredB.status();
            largestB = toFloat(*centredB, right);
            rightValues = right.data();
        }
        exactSlicedGemm(left.data(), k, rightValues, rows, k, n, largestA, largestB,
                        result.accumulator.mutableData<int32_t>() + batch * m * n, sums,
                        ctx.threads());
    }
    return result;
}

} // namespace qs::ops
