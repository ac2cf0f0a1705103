// LSTM (opset 7; layout from 14): gates i, o, f, c; optional peepholes P (i, o, f), clip and
// input_forget. The driver (recurrent.h) handles directions, layout and sequence lengths.
#include "runtime/ops/rnn/recurrent.h"
#include "runtime/ops/rnn/rnn_kernels.h"

namespace qs::ops {

namespace {

class LstmCell : public RecurrentCell
{
public:
    LstmCell(const RecurrentSettings &settings, bool inputForget, const KernelContext *&ctx)
        : m_settings(settings)
        , m_inputForget(inputForget)
        , m_ctx(ctx)
    {}
    int gateCount() const override { return 4; }
    bool hasCellState() const override { return true; }

    void step(const CellContext &context, RowMatrix &gates, RowMatrix &h,
              RowMatrix &c) const override
    {
        const int64_t H = m_settings.hidden;
        const int d = context.direction;
        addRecurrence(context, h, 0, 4 * H, gates.data(), gates.cols());
        const Activation &f = m_settings.activations[size_t(d) * 3];
        const Activation &g = m_settings.activations[size_t(d) * 3 + 1];
        const Activation &act = m_settings.activations[size_t(d) * 3 + 2];
        const Tensor &p = m_ctx->input(7);
        const float *peep = p.empty() ? nullptr : p.data<float>() + d * 3 * H;
        for (int64_t n = 0; n < gates.rows(); ++n) {
            float *row = gates.row(n).data();
            float *i = row, *o = row + H, *fg = row + 2 * H, *cand = row + 3 * H;
            if (peep)
                for (int64_t k = 0; k < H; ++k) {
                    i[k] += peep[k] * c(n, k);
                    fg[k] += peep[2 * H + k] * c(n, k);
                }
            if (m_settings.clip > 0)
                for (int64_t k = 0; k < 4 * H; ++k)
                    row[k] = std::clamp(row[k], -m_settings.clip, m_settings.clip);
            f.apply(i, H);
            if (m_inputForget)
                for (int64_t k = 0; k < H; ++k)
                    fg[k] = 1.0f - i[k];
            else
                f.apply(fg, H);
            g.apply(cand, H);
            for (int64_t k = 0; k < H; ++k)
                c(n, k) = fg[k] * c(n, k) + i[k] * cand[k];
            if (peep)
                for (int64_t k = 0; k < H; ++k)
                    o[k] += peep[H + k] * c(n, k);
            f.apply(o, H);
            std::vector<float> cellOut(c.row(n).data(), c.row(n).data() + H);
            act.apply(cellOut.data(), H);
            for (int64_t k = 0; k < H; ++k)
                h(n, k) = o[k] * cellOut[k];
        }
    }

private:
    const RecurrentSettings &m_settings;
    bool m_inputForget;
    const KernelContext *&m_ctx;
};

class LstmKernel : public Kernel
{
public:
    LstmKernel(RecurrentSettings settings, bool inputForget)
        : m_settings(std::move(settings))
        , m_inputForget(inputForget)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &p = ctx.input(7);
        const int64_t expected = m_settings.directions * 3 * m_settings.hidden;
        if (!p.empty() && (p.dtype() != DType::Float32 || p.elementCount() != expected))
            return ctx.error("P must be float32 with " + std::to_string(expected) + " values, got "
                             + p.describe());
        const KernelContext *context = &ctx;
        LstmCell cell(m_settings, m_inputForget, context);
        return runRecurrent(ctx, m_settings, cell, 6);
    }

private:
    RecurrentSettings m_settings;
    bool m_inputForget;
};

} // namespace

Result<std::unique_ptr<Kernel>> createLSTM(const KernelInfo &info)
{
    auto settings = parseRecurrent(info, {"Sigmoid", "Tanh", "Tanh"}, 4);
    auto inputForget = info.getInt("input_forget", 0);
    if (!settings || !inputForget)
        return !settings ? settings.status() : inputForget.status();
    return makeKernel<LstmKernel>(std::move(settings).value(), *inputForget != 0);
}

} // namespace qs::ops
