// MatMul with numpy semantics: 1-D operands promoted (and the added dim removed again), batch
// dims broadcast. float32/float16 run as one oneDNN matmul; the hot case, a constant 2-D B
// (transformer weights), folds A's batch dims into rows and uses B packed once. Integer and
// float64 operands use Eigen's GEMM per batch.
#include "runtime/ops/nn/dense_gemm.h"
#include "runtime/ops/nn/matmul_plan.h"
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/nn/nn_util.h"

namespace qs::ops {

namespace {

using dnnl::memory;

struct MatmulShapes
{
    Shape a, b;   // promoted to rank >= 2 and padded to the same rank
    Shape batch;  // broadcast batch dims
    Shape output; // as ONNX reports it
    int64_t m = 0, k = 0, n = 0;
};

Result<MatmulShapes> matmulShapes(const Shape &a0, const Shape &b0, const std::string &label)
{
    auto fail = [&](const std::string &why) -> Status {
        return invalidArgument(label + ": inputs 'A' " + shapeToString(a0) + " and 'B' "
                               + shapeToString(b0) + " " + why);
    };
    if (a0.empty() || b0.empty())
        return fail("must not be scalars");
    MatmulShapes s;
    s.a = a0.size() == 1 ? Shape{1, a0[0]} : a0;
    s.b = b0.size() == 1 ? Shape{b0[0], 1} : b0;
    s.m = s.a[s.a.size() - 2];
    s.k = s.a.back();
    s.n = s.b.back();
    if (s.b[s.b.size() - 2] != s.k)
        return fail("cannot be multiplied: A has " + std::to_string(s.k) + " columns but B has "
                    + std::to_string(s.b[s.b.size() - 2]) + " rows");
    const size_t rank = std::max(s.a.size(), s.b.size());
    s.a.insert(s.a.begin(), rank - s.a.size(), 1);
    s.b.insert(s.b.begin(), rank - s.b.size(), 1);
    for (size_t i = 0; i + 2 < rank; ++i) {
        if (s.a[i] != s.b[i] && s.a[i] != 1 && s.b[i] != 1)
            return fail("have batch dims that do not broadcast");
        s.batch.push_back(s.a[i] == 1 ? s.b[i] : s.a[i]);
    }
    const size_t dropped = rank - std::max(a0.size(), b0.size());
    s.output.assign(s.batch.begin() + static_cast<std::ptrdiff_t>(dropped), s.batch.end());
    if (a0.size() > 1)
        s.output.push_back(s.m);
    if (b0.size() > 1)
        s.output.push_back(s.n);
    return s;
}

// Offset of batch `index` of an operand whose batch dims are `dims` (broadcast to `batch`).
int64_t batchOffset(int64_t index, const Shape &dims, const Shape &batch, int64_t matrixSize)
{
    int64_t offset = 0, stride = matrixSize;
    for (size_t i = batch.size(); i-- > 0;) {
        const int64_t coord = index % batch[i];
        index /= batch[i];
        if (dims[i] != 1)
            offset += coord * stride;
        stride *= dims[i];
    }
    return offset;
}

template<typename T>
void eigenMatmul(const MatmulShapes &s, const T *a, const T *b, T *out, int threads)
{
    using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const int64_t batches = shapeElementCount(s.batch);
#pragma omp parallel for num_threads(threads) if (batches > 1 && s.m * s.n * s.k > 65536)
    for (int64_t i = 0; i < batches; ++i) {
        Eigen::Map<const Matrix> ma(a + batchOffset(i, s.a, s.batch, s.m * s.k), s.m, s.k);
        Eigen::Map<const Matrix> mb(b + batchOffset(i, s.b, s.batch, s.k * s.n), s.k, s.n);
        Eigen::Map<Matrix>(out + i * s.m * s.n, s.m, s.n).noalias() = ma * mb;
    }
}

class MatMulKernel final : public Kernel
{
public:
    MatMulKernel(std::string label, Tensor constantB, Tensor bias,
                 std::optional<FusedActivation> activation)
        : m_label(std::move(label))
        , m_constantB(std::move(constantB))
        , m_bias(std::move(bias))
        , m_activation(activation)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &a = ctx.input(0);
        const Tensor &b = ctx.input(1);
        if (a.dtype() != b.dtype())
            return ctx.error("inputs 'A' " + a.describe() + " and 'B' " + b.describe()
                             + " must have the same dtype");
        Result<MatmulShapes> shapes = matmulShapes(a.shape(), b.shape(), m_label);
        if (!shapes)
            return shapes.status();
        const MatmulShapes &s = *shapes;
        Tensor &out = ctx.allocateOutput(0, a.dtype(), s.output);
        if (out.elementCount() == 0)
            return Status::ok();
        if (s.k == 0) {
            out = Tensor::allocate(a.dtype(), s.output, true);
            return Status::ok();
        }
        if (a.dtype() == DType::Float32 || a.dtype() == DType::Float16)
            return computeFloat(ctx, s, a, b, out);
        bool typeOk = false;
        dispatchNumeric(a.dtype(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (
                std::is_same_v<
                    T,
                    double> || std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> || std::is_same_v<T, uint32_t> || std::is_same_v<T, uint64_t>) {
                eigenMatmul<T>(s, a.data<T>(), b.data<T>(), out.mutableData<T>(), ctx.threads());
                typeOk = true;
            }
        });
        if (!typeOk)
            return ctx.error("dtype " + dtypeName(a.dtype()) + " is not supported");
        return Status::ok();
    }

private:
    Status computeFloat(KernelContext &ctx, const MatmulShapes &s, const Tensor &a, const Tensor &b,
                        Tensor &out) const
    {
        const bool useConstant = !m_constantB.empty() && b.shape() == m_constantB.shape();
        const bool flatB = s.b.size() == 2 || shapeElementCount(s.b) == s.k * s.n;
        // Before any plan: a plan packs the constant B, a second copy the dense path never reads.
        if (useConstant && flatB && a.dtype() == DType::Float32 && out.dtype() == DType::Float32)
            return computeDense(ctx, s, a, out);
        Shape key = s.a;
        key.push_back(-1);
        key.insert(key.end(), s.b.begin(), s.b.end());
        Result<std::shared_ptr<const MatmulPlan>> plan = m_plans.getOrCreate(key, [&] {
            const auto f32 = memory::data_type::f32;
            MatmulRequest request;
            if (flatB) {
                // B has no batch: A's batch dims become rows of one 2-D product.
                const int64_t rows = shapeElementCount(s.a) / s.k;
                request.a = memory::desc({rows, s.k}, f32, memory::format_tag::ab);
                request.b = memory::desc({s.k, s.n}, f32, memory::format_tag::ab);
                request.dst = memory::desc({rows, s.n}, f32, memory::format_tag::ab);
                if (useConstant)
                    request.constantB = m_constantB.rawData();
                if (!m_bias.empty())
                    request.addend = memory::desc({1, s.n}, f32, memory::format_tag::ab);
            } else {
                Shape dst = s.batch;
                dst.push_back(s.m);
                dst.push_back(s.n);
                request.a = memory::desc(s.a, f32, plainTag(s.a.size()));
                request.b = memory::desc(s.b, f32, plainTag(s.b.size()));
                request.dst = memory::desc(dst, f32, plainTag(dst.size()));
            }
            request.activation = m_activation;
            return createMatmulPlan(request, m_packed, m_label);
        });
        const Tensor a32 = toFloat32(a, ctx.threads());
        const Tensor b32 = useConstant ? m_constantB : toFloat32(b, ctx.threads());
        Tensor dst = wideOutput(out);
        if (plan) {
            QS_RETURN_IF_ERROR(runMatmul(**plan, a32.data<float>(), b32.data<float>(),
                                         m_bias.empty() ? nullptr : m_bias.data<float>(),
                                         dst.mutableData<float>(), ctx.threads(), m_label));
        } else {
            // oneDNN refused (e.g. too many batch dims): Eigen per batch.
            eigenMatmul<float>(s, a32.data<float>(), b32.data<float>(), dst.mutableData<float>(),
                               ctx.threads());
            if (!m_bias.empty()) {
                float *rows = dst.mutableData<float>();
                for (int64_t i = 0; i < dst.elementCount(); ++i)
                    rows[i] += m_bias.data<float>()[i % s.n];
            }
            if (m_activation)
                applyFusedActivation(*m_activation, dst.mutableData<float>(), dst.elementCount());
        }
        storeWideOutput(dst, out, ctx.threads());
        return Status::ok();
    }

    // Constant 2-D B, float32 A: one GEMM over A's rows (dense_gemm.h), then bias and
    // activation in one pass over the output.
    Status computeDense(KernelContext &ctx, const MatmulShapes &s, const Tensor &a,
                        Tensor &out) const
    {
        const int64_t rows = shapeElementCount(s.a) / s.k;
        const int threads = ctx.threads();
        const GemmBackend backend = sharedGemmBackendChooser().choose(rows, s.k, s.n, threads);
        float *dst = out.mutableData<float>();
        denseGemm(backend, a.data<float>(), m_constantB.data<float>(), dst, rows, s.k, s.n);
        if (m_bias.empty() && !m_activation)
            return Status::ok();
#pragma omp parallel for num_threads(threads) schedule(static) if (rows * s.n > (1 << 15))
        for (int64_t r = 0; r < rows; ++r) {
            float *row = dst + r * s.n;
            if (!m_bias.empty())
                Eigen::Map<Eigen::ArrayXf>(row, s.n)
                    += Eigen::Map<const Eigen::ArrayXf>(m_bias.data<float>(), s.n);
            if (m_activation)
                applyFusedActivation(*m_activation, row, s.n);
        }
        return Status::ok();
    }

    std::string m_label;
    Tensor m_constantB; // float32
    Tensor m_bias;      // float32 [N], fused from a following Add (fusion/float_fusions.cpp)
    std::optional<FusedActivation> m_activation;
    mutable PlanCache<MatmulPlan> m_plans;
    mutable PackedWeights m_packed;
};

} // namespace

Result<std::unique_ptr<Kernel>> createMatMul(const KernelInfo &info)
{
    Tensor constantB; // stays empty for other dtypes than float32/16
    if (const Tensor *b = info.constantInput(1))
        constantB = float32Constant(*b); // float32: the model's own bytes, not a copy
    // A third input only appears when the session fused MatMul + Add(bias) into this node.
    Tensor bias;
    if (info.inputCount() > 2) {
        const Tensor *fused = info.constantInput(2);
        if (!fused || fused->dtype() != DType::Float32)
            return info.error("the fused bias must be a float32 constant");
        bias = *fused;
    }
    return makeKernel<MatMulKernel>(info.label(), std::move(constantB), std::move(bias),
                                    info.fusedActivation());
}

} // namespace qs::ops
