// GRU (opset 7; layout from 14) and the plain RNN: gates z, r, h with linear_before_reset for
// GRU; Ht = f(Xt·W + Ht-1·R + b) for RNN. Driver in recurrent.h.
#include "runtime/ops/rnn/recurrent.h"
#include "runtime/ops/rnn/rnn_kernels.h"

#include <algorithm>

namespace qs::ops {

namespace {

class GruCell : public RecurrentCell
{
public:
    GruCell(const RecurrentSettings &settings, bool linearBeforeReset, const KernelContext &ctx)
        : m_settings(settings)
        , m_linearBeforeReset(linearBeforeReset)
        , m_ctx(ctx)
    {}
    int gateCount() const override { return 3; }

    void step(const CellContext &context, RowMatrix &gates, RowMatrix &h, RowMatrix &) const override
    {
        const int64_t H = m_settings.hidden, rows = gates.rows();
        const int d = context.direction;
        const Tensor &b = m_ctx.input(3);
        // The driver added Wb + Rb to every gate; the candidate gate needs Rb inside the reset.
        const float *rbh = b.empty() ? nullptr : b.data<float>() + d * 6 * H + 5 * H;
        addRecurrence(context, h, 0, 2 * H, gates.data(), gates.cols());
        const Activation &f = m_settings.activations[size_t(d) * 2];
        const Activation &g = m_settings.activations[size_t(d) * 2 + 1];
        for (int64_t n = 0; n < rows; ++n) {
            float *row = gates.row(n).data();
            if (m_settings.clip > 0)
                for (int64_t k = 0; k < 2 * H; ++k)
                    row[k] = std::clamp(row[k], -m_settings.clip, m_settings.clip);
            f.apply(row, 2 * H); // z and r
        }
        // linear_before_reset: r (.) (Ht-1·Rh^T + Rb); otherwise (r (.) Ht-1)·Rh^T.
        RowMatrix recurrentH = RowMatrix::Zero(rows, H);
        if (m_linearBeforeReset) {
            addRecurrence(context, h, 2 * H, H, recurrentH.data(), H);
        } else {
            RowMatrix resetH(rows, H);
            for (int64_t n = 0; n < rows; ++n)
                for (int64_t k = 0; k < H; ++k)
                    resetH(n, k) = gates(n, H + k) * h(n, k);
            addRecurrence(context, resetH, 2 * H, H, recurrentH.data(), H);
        }
        for (int64_t n = 0; n < rows; ++n) {
            float *row = gates.row(n).data();
            float *z = row, *reset = row + H, *cand = row + 2 * H;
            if (m_linearBeforeReset) {
                // Xh·W + Wb + r (.) (H·R + Rb): Rb already sits in cand, so take it out first.
                for (int64_t k = 0; k < H; ++k) {
                    const float rb = rbh ? rbh[k] : 0.0f;
                    cand[k] = cand[k] - rb + reset[k] * (recurrentH(n, k) + rb);
                }
            } else {
                for (int64_t k = 0; k < H; ++k)
                    cand[k] += recurrentH(n, k);
            }
            if (m_settings.clip > 0)
                for (int64_t k = 0; k < H; ++k)
                    cand[k] = std::clamp(cand[k], -m_settings.clip, m_settings.clip);
            g.apply(cand, H);
            for (int64_t k = 0; k < H; ++k)
                h(n, k) = (1.0f - z[k]) * cand[k] + z[k] * h(n, k);
        }
    }

private:
    const RecurrentSettings &m_settings;
    bool m_linearBeforeReset;
    const KernelContext &m_ctx;
};

class SimpleRnnCell : public RecurrentCell
{
public:
    explicit SimpleRnnCell(const RecurrentSettings &settings)
        : m_settings(settings)
    {}
    int gateCount() const override { return 1; }

    void step(const CellContext &context, RowMatrix &gates, RowMatrix &h, RowMatrix &) const override
    {
        const int d = context.direction;
        addRecurrence(context, h, 0, m_settings.hidden, gates.data(), gates.cols());
        if (m_settings.clip > 0)
            gates = gates.cwiseMax(-m_settings.clip).cwiseMin(m_settings.clip);
        m_settings.activations[size_t(d)].apply(gates.data(), gates.size());
        h = gates;
    }

private:
    const RecurrentSettings &m_settings;
};

class GruKernel : public Kernel
{
public:
    GruKernel(RecurrentSettings settings, bool linearBeforeReset)
        : m_settings(std::move(settings))
        , m_linearBeforeReset(linearBeforeReset)
    {}
    Status compute(KernelContext &ctx) const override
    {
        GruCell cell(m_settings, m_linearBeforeReset, ctx);
        return runRecurrent(ctx, m_settings, cell, -1);
    }

private:
    RecurrentSettings m_settings;
    bool m_linearBeforeReset;
};

class SimpleRnnKernel : public Kernel
{
public:
    explicit SimpleRnnKernel(RecurrentSettings settings)
        : m_settings(std::move(settings))
    {}
    Status compute(KernelContext &ctx) const override
    {
        SimpleRnnCell cell(m_settings);
        return runRecurrent(ctx, m_settings, cell, -1);
    }

private:
    RecurrentSettings m_settings;
};

} // namespace

Result<std::unique_ptr<Kernel>> createGRU(const KernelInfo &info)
{
    auto settings = parseRecurrent(info, {"Sigmoid", "Tanh"}, 3);
    auto linear = info.getInt("linear_before_reset", 0);
    if (!settings || !linear)
        return !settings ? settings.status() : linear.status();
    return makeKernel<GruKernel>(std::move(settings).value(), *linear != 0);
}

Result<std::unique_ptr<Kernel>> createRNN(const KernelInfo &info)
{
    auto settings = parseRecurrent(info, {"Tanh"}, 1);
    if (!settings)
        return settings.status();
    return makeKernel<SimpleRnnKernel>(std::move(settings).value());
}

} // namespace qs::ops
