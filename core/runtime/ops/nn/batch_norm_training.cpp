// BatchNormalization with training_mode=1 (opset 14/15): normalises with the batch's own mean and
// (population) variance per channel over N and the spatial dims, and outputs the updated running
// statistics  running = input * momentum + current * (1 - momentum). The inference form, with
// the given mean and variance, is batch_norm.cpp.
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/reduce/reference_values.h"

#include <cmath>

namespace qs::ops {

namespace {

class BatchNormTrainingKernel final : public Kernel
{
public:
    BatchNormTrainingKernel(double epsilon, double momentum)
        : m_epsilon(epsilon)
        , m_momentum(momentum)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        if (x.rank() < 2)
            return ctx.error("input 'X' must be [N, C, ...], got " + x.describe());
        const int64_t batch = x.dim(0), channels = x.dim(1);
        const int64_t inner = batch * channels != 0 ? x.elementCount() / (batch * channels) : 0;
        std::vector<std::vector<double>> params;
        for (size_t i = 1; i <= 4; ++i) {
            auto values = widenToDouble(ctx, ctx.input(i));
            if (!values)
                return values.status();
            if (static_cast<int64_t>(values->size()) != channels)
                return ctx.error("input " + std::to_string(i) + " " + ctx.input(i).describe()
                                 + " must have one value per channel of X " + x.describe());
            params.push_back(std::move(*values));
        }
        const std::vector<double> &scale = params[0], &bias = params[1];
        auto values = widenToDouble(ctx, x);
        if (!values)
            return values.status();
        std::vector<double> mean(static_cast<size_t>(channels)), variance(mean.size());
        const double count = static_cast<double>(batch * inner);
        for (int64_t c = 0; c < channels; ++c) {
            double sum = 0.0;
            for (int64_t n = 0; n < batch; ++n)
                for (int64_t i = 0; i < inner; ++i)
                    sum += (*values)[(n * channels + c) * inner + i];
            const double m = sum / count;
            double squares = 0.0;
            for (int64_t n = 0; n < batch; ++n)
                for (int64_t i = 0; i < inner; ++i) {
                    const double d = (*values)[(n * channels + c) * inner + i] - m;
                    squares += d * d;
                }
            mean[static_cast<size_t>(c)] = m;
            variance[static_cast<size_t>(c)] = squares / count;
        }
        for (int64_t n = 0; n < batch; ++n) {
            for (int64_t c = 0; c < channels; ++c) {
                const auto k = static_cast<size_t>(c);
                const double factor = scale[k] / std::sqrt(variance[k] + m_epsilon);
                double *row = values->data() + (n * channels + c) * inner;
                for (int64_t i = 0; i < inner; ++i)
                    row[i] = (row[i] - mean[k]) * factor + bias[k];
            }
        }
        writeFromDouble(ctx, 0, x.dtype(), x.shape(), *values);
        for (size_t output = 1; output <= 2 && output < ctx.outputCount(); ++output) {
            const std::vector<double> &running = params[output + 1];
            const std::vector<double> &current = output == 1 ? mean : variance;
            std::vector<double> updated(current.size());
            for (size_t c = 0; c < current.size(); ++c)
                updated[c] = running[c] * m_momentum + current[c] * (1.0 - m_momentum);
            writeFromDouble(ctx, output, ctx.input(output + 2).dtype(), {channels}, updated);
        }
        return Status::ok();
    }

private:
    double m_epsilon;
    double m_momentum;
};

} // namespace

Result<std::unique_ptr<Kernel>> createBatchNormalizationTraining(const KernelInfo &info)
{
    auto epsilon = info.getFloat("epsilon", 1e-5f);
    if (!epsilon)
        return epsilon.status();
    auto momentum = info.getFloat("momentum", 0.9f);
    if (!momentum)
        return momentum.status();
    if (info.inputCount() != 5)
        return info.error("needs 5 inputs (X, scale, B, input_mean, input_var), got "
                          + std::to_string(info.inputCount()));
    return makeKernel<BatchNormTrainingKernel>(*epsilon, *momentum);
}

} // namespace qs::ops
