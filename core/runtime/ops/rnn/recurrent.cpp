#include "runtime/ops/rnn/recurrent.h"
#include "runtime/ops/rnn/recurrence_product.h"

#include <omp.h>

#include <algorithm>
#include <cmath>

namespace qs::ops {

void Activation::apply(float *data, int64_t count) const
{
    Eigen::Map<Eigen::ArrayXf> x(data, count);
    if (name == "Sigmoid")
        x = (1.0f + (-x).exp()).inverse();
    else if (name == "Tanh")
        x = x.tanh();
    else if (name == "Relu")
        x = x.max(0.0f);
    else if (name == "HardSigmoid")
        x = (alpha * x + beta).max(0.0f).min(1.0f);
    else if (name == "Affine")
        x = alpha * x + beta;
    else if (name == "LeakyRelu")
        x = x.max(0.0f) + alpha * x.min(0.0f);
    else if (name == "ThresholdedRelu")
        x = (x > alpha).select(x, 0.0f);
    else if (name == "ScaledTanh")
        x = alpha * (beta * x).tanh();
    else if (name == "Elu")
        x = (x > 0.0f).select(x, alpha * (x.exp() - 1.0f));
    else if (name == "Softsign")
        x = x / (1.0f + x.abs());
    else if (name == "Softplus")
        x = x.max(0.0f) + (-x.abs()).exp().log1p();
}

namespace {

// Runs the time steps on the calling thread when one step is too small to share: Eigen splits
// every product over the OpenMP threads the session set, and a GRU recommender's 20 steps of
// [8 x 128] x [128 x 384] spent more in those parallel regions than in the products (GRU
// 1.31 ms with 2 threads against 0.37 ms with 1). The OpenMP thread count is per calling
// thread, so this touches no other session.
class SmallStepsOnOneThread
{
public:
    explicit SmallStepsOnOneThread(int64_t stepMultiplyAdds)
        : m_previous(omp_get_max_threads())
        , m_serial(stepMultiplyAdds < (int64_t{1} << 22))
    {
        if (m_serial)
            omp_set_num_threads(1);
    }
    bool serial() const { return m_serial; }
    ~SmallStepsOnOneThread()
    {
        if (m_serial)
            omp_set_num_threads(m_previous);
    }
    SmallStepsOnOneThread(const SmallStepsOnOneThread &) = delete;
    SmallStepsOnOneThread &operator=(const SmallStepsOnOneThread &) = delete;

private:
    int m_previous;
    bool m_serial;
};

bool knownActivation(const std::string &name)
{
    for (const char *known : {"Sigmoid", "Tanh", "Relu", "HardSigmoid", "Affine", "LeakyRelu",
                              "ThresholdedRelu", "ScaledTanh", "Elu", "Softsign", "Softplus"})
        if (name == known)
            return true;
    return false;
}

// Default alpha/beta of the activations that take them (ONNX's rnn defs).
std::pair<float, float> defaultParameters(const std::string &name)
{
    if (name == "HardSigmoid")
        return {0.2f, 0.5f};
    if (name == "LeakyRelu")
        return {0.01f, 0.0f};
    if (name == "Affine" || name == "ThresholdedRelu" || name == "Elu")
        return {1.0f, 0.0f};
    if (name == "ScaledTanh")
        return {1.0f, 1.0f};
    return {0.0f, 0.0f};
}

} // namespace

namespace {

// R's directions transposed ([dirs, G*H, H] -> per direction [H, G*H]) when R is constant and
// matches hidden_size; null otherwise (runRecurrent then transposes per run, after checking R).
std::shared_ptr<const std::vector<RowMatrix>> transposedConstantRecurrence(
    const KernelInfo &info, const RecurrentSettings &settings, int64_t gates)
{
    const Tensor *r = info.constantInput(2);
    const int64_t rows = gates * settings.hidden;
    if (!r || r->dtype() != DType::Float32 || r->rank() != 3 || r->dim(0) != settings.directions
        || r->dim(1) != rows || r->dim(2) != settings.hidden)
        return nullptr;
    auto transposed = std::make_shared<std::vector<RowMatrix>>();
    for (int d = 0; d < settings.directions; ++d)
        transposed->push_back(
            Eigen::Map<const RowMatrix>(r->data<float>() + d * rows * settings.hidden, rows,
                                        settings.hidden)
                .transpose());
    return transposed;
}

} // namespace

Result<RecurrentSettings> parseRecurrent(const KernelInfo &info,
                                         const std::vector<std::string> &defaults, int64_t gates)
{
    RecurrentSettings settings;
    auto direction = info.getString("direction", "forward");
    auto hidden = info.getInt("hidden_size", 0);
    auto clip = info.getFloat("clip", 0.0f);
    auto layout = info.getInt("layout", 0);
    auto alphas = info.getFloats("activation_alpha");
    auto betas = info.getFloats("activation_beta");
    if (!direction || !hidden || !clip || !layout || !alphas || !betas)
        return info.error("invalid direction, hidden_size, clip, layout or activation_alpha/beta");
    if (*direction != "forward" && *direction != "reverse" && *direction != "bidirectional")
        return info.error("direction '" + *direction + "' is not forward, reverse or bidirectional");
    settings.directions = *direction == "bidirectional" ? 2 : 1;
    settings.reverseOnly = *direction == "reverse";
    settings.hidden = *hidden;
    settings.clip = *clip;
    settings.layout = *layout;
    std::vector<std::string> names;
    if (info.hasAttribute("activations")) {
        auto given = info.getStrings("activations");
        if (!given)
            return given.status();
        names = *given;
    } else {
        for (int d = 0; d < settings.directions; ++d)
            names.insert(names.end(), defaults.begin(), defaults.end());
    }
    if (names.size() != defaults.size() * size_t(settings.directions))
        return info.error("activations lists " + std::to_string(names.size()) + " functions; "
                          + std::to_string(defaults.size() * settings.directions) + " are needed");
    size_t alphaAt = 0, betaAt = 0;
    for (const std::string &name : names) {
        if (!knownActivation(name))
            return info.unsupportedError("activation '" + name + "' is not supported");
        auto [alpha, beta] = defaultParameters(name);
        const bool takesAlpha = alpha != 0.0f || name == "Affine" || name == "LeakyRelu";
        if (takesAlpha && alphaAt < alphas->size())
            alpha = (*alphas)[alphaAt++];
        if ((name == "HardSigmoid" || name == "Affine" || name == "ScaledTanh")
            && betaAt < betas->size())
            beta = (*betas)[betaAt++];
        settings.activations.push_back({name, alpha, beta});
    }
    if (settings.hidden > 0) {
        settings.recurrenceT = transposedConstantRecurrence(info, settings, gates);
        if (settings.recurrenceT)
            settings.recurrenceData = info.constantInput(2)->data<float>();
    }
    return settings;
}

void addRecurrence(const CellContext &context, const RowMatrix &h, int64_t first, int64_t count,
                   float *out, int64_t ldo)
{
    const RowMatrix &rT = context.recurrenceT;
    if (context.smallSteps) {
        addSmallProduct(h.data(), h.cols(), rT.data() + first, rT.cols(), out, ldo, h.rows(),
                        h.cols(), count);
        return;
    }
    Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>> target(out, h.rows(), count,
                                                          Eigen::OuterStride<>(ldo));
    target.noalias() += h * rT.middleCols(first, count);
}

Status runRecurrent(KernelContext &ctx, const RecurrentSettings &s, const RecurrentCell &cell,
                    int64_t initialCIndex)
{
    const Tensor &xIn = ctx.input(0), &w = ctx.input(1), &r = ctx.input(2);
    for (const Tensor *t : {&xIn, &w, &r})
        if (t->dtype() != DType::Float32)
            return ctx.error("only float32 is supported, got " + t->describe());
    if (xIn.rank() != 3 || w.rank() != 3 || r.rank() != 3)
        return ctx.error("X, W and R must be 3-D, got " + xIn.describe() + ", " + w.describe()
                         + " and " + r.describe());
    const int64_t seq = s.layout ? xIn.dim(1) : xIn.dim(0);
    const int64_t batch = s.layout ? xIn.dim(0) : xIn.dim(1);
    const int64_t input = xIn.dim(2), H = s.hidden, G = cell.gateCount();
    const int dirs = s.directions;
    if (w.dim(0) != dirs || w.dim(1) != G * H || w.dim(2) != input || r.dim(0) != dirs
        || r.dim(1) != G * H || r.dim(2) != H)
        return ctx.error("W " + w.describe() + " or R " + r.describe() + " does not match "
                         + std::to_string(dirs) + " direction(s), " + std::to_string(G)
                         + " gates of hidden_size " + std::to_string(H) + " and input size "
                         + std::to_string(input));
    const Tensor &b = ctx.input(3);
    if (!b.empty() && (b.dtype() != DType::Float32 || b.elementCount() != dirs * 2 * G * H))
        return ctx.error("B must be float32[" + std::to_string(dirs) + ","
                         + std::to_string(2 * G * H) + "], got " + b.describe());
    std::vector<int64_t> lengths(size_t(batch), seq);
    if (ctx.hasInput(4)) {
        const Tensor &lens = ctx.input(4);
        if (lens.elementCount() != batch)
            return ctx.error("sequence_lens must hold " + std::to_string(batch) + " values");
        for (int64_t i = 0; i < batch; ++i)
            lengths[size_t(i)] = std::clamp<int64_t>(lens.intAt(i), 0, seq);
    }
    // X as [seq, batch, input] rows.
    RowMatrix x(seq * batch, input);
    for (int64_t t = 0; t < seq; ++t)
        for (int64_t n = 0; n < batch; ++n)
            for (int64_t i = 0; i < input; ++i)
                x(t * batch + n,
                  i) = xIn.data<float>()[(s.layout ? (n * seq + t) : (t * batch + n)) * input + i];

    Shape yShape = s.layout ? Shape{batch, seq, dirs, H} : Shape{seq, dirs, batch, H};
    Shape stateShape = s.layout ? Shape{batch, dirs, H} : Shape{dirs, batch, H};
    Tensor y = Tensor::allocate(DType::Float32, yShape, true);
    Tensor yh = Tensor::allocate(DType::Float32, stateShape, true);
    Tensor yc = Tensor::allocate(DType::Float32, stateShape, true);
    auto stateAt = [&](int d, int64_t n) {
        return s.layout ? (n * dirs + d) * H : (d * batch + n) * H;
    };
    for (int d = 0; d < dirs; ++d) {
        const bool reverse = s.reverseOnly || d == 1;
        Eigen::Map<const RowMatrix> wd(w.data<float>() + d * G * H * input, G * H, input);
        // The input projection of all steps at once, on one thread when it is as small as a step.
        RowMatrix projected;
        {
            const SmallStepsOnOneThread projectionThreads(seq * batch * G * H * input);
            projected.noalias() = x * wd.transpose();
        }
        // Made with the kernel when R is a weight; the data pointer tells that this run's R
        // is that weight.
        const bool prepared = s.recurrenceT && s.recurrenceData == r.data<float>();
        RowMatrix transposedHere;
        if (!prepared)
            transposedHere
                = Eigen::Map<const RowMatrix>(r.data<float>() + d * G * H * H, G * H, H).transpose();
        const RowMatrix &recurrenceT = prepared ? (*s.recurrenceT)[size_t(d)] : transposedHere;
        if (!b.empty()) {
            Eigen::Map<const Eigen::RowVectorXf> wb(b.data<float>() + d * 2 * G * H, G * H);
            Eigen::Map<const Eigen::RowVectorXf> rb(b.data<float>() + d * 2 * G * H + G * H, G * H);
            projected.rowwise() += wb + rb;
        }
        RowMatrix h = RowMatrix::Zero(batch, H), c = RowMatrix::Zero(batch, H);
        for (auto [index, state] : {std::pair{int64_t(5), &h}, std::pair{initialCIndex, &c}}) {
            if (index < 0 || !ctx.hasInput(size_t(index)))
                continue;
            const Tensor &init = ctx.input(size_t(index));
            if (init.elementCount() != dirs * batch * H)
                return ctx.error("initial state has shape " + shapeToString(init.shape()) + "; "
                                 + shapeToString(stateShape) + " is needed");
            for (int64_t n = 0; n < batch; ++n)
                for (int64_t k = 0; k < H; ++k)
                    (*state)(n, k) = init.data<float>()[stateAt(d, n) + k];
        }
        const SmallStepsOnOneThread stepThreads(batch * G * H * H);
        for (int64_t step = 0; step < seq; ++step) {
            RowMatrix gates(batch, G * H);
            for (int64_t n = 0; n < batch; ++n) {
                // In reverse, each sequence starts at its own last valid step.
                const int64_t t = reverse ? lengths[size_t(n)] - 1 - step : step;
                if (t >= 0)
                    gates.row(n) = projected.row(t * batch + n);
                else
                    gates.row(n).setZero();
            }
            std::vector<int64_t> rows; // sequences still running at this step
            for (int64_t n = 0; n < batch; ++n)
                if (step < lengths[size_t(n)])
                    rows.push_back(n);
            if (rows.empty())
                continue;
            // The cell updates every row; finished sequences get their state back.
            const RowMatrix hBefore = h, cBefore = c;
            cell.step({d, rows, recurrenceT, stepThreads.serial()}, gates, h, c);
            for (int64_t n = 0; n < batch; ++n) {
                if (step >= lengths[size_t(n)]) {
                    h.row(n) = hBefore.row(n);
                    c.row(n) = cBefore.row(n);
                }
            }
            for (const int64_t n : rows) {
                const int64_t t = reverse ? lengths[size_t(n)] - 1 - step : step;
                float *out = y.mutableData<float>()
                             + (s.layout ? ((n * seq + t) * dirs + d) * H
                                         : ((t * dirs + d) * batch + n) * H);
                for (int64_t k = 0; k < H; ++k)
                    out[k] = h(n, k);
            }
        }
        for (int64_t n = 0; n < batch; ++n)
            for (int64_t k = 0; k < H; ++k) {
                yh.mutableData<float>()[stateAt(d, n) + k] = h(n, k);
                yc.mutableData<float>()[stateAt(d, n) + k] = c(n, k);
            }
    }
    if (ctx.outputCount() > 0)
        ctx.output(0) = y;
    if (ctx.outputCount() > 1)
        ctx.output(1) = yh;
    if (ctx.outputCount() > 2 && cell.hasCellState())
        ctx.output(2) = yc;
    return Status::ok();
}

} // namespace qs::ops
