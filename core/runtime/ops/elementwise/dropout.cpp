// Dropout. In inference (no training_mode input, or false, or ratio 0) the output shares the
// input's buffer and the optional mask is all true. In training mode (opset 12's third input)
// each element is kept when a uniform draw in [0, 1) is >= ratio and scaled by 1 / (1 - ratio).
// The draws come from a Mersenne Twister seeded with the `seed` attribute (random without one),
// read as 53-bit doubles the way numpy's RandomState.uniform reads them, so a seeded run
// reproduces ONNX's reference (numpy) masks; any other choice would be as valid by the spec.
#include "runtime/ops/elementwise/elementwise_kernels.h"
#include "runtime/ops/reduce/reference_values.h"

#include <optional>
#include <random>

namespace qs::ops {

namespace {

double nextUniform(std::mt19937 &engine)
{
    const uint32_t high = engine() >> 5, low = engine() >> 6;
    return (high * 67108864.0 + low) / 9007199254740992.0;
}

class DropoutKernel : public Kernel
{
public:
    explicit DropoutKernel(std::optional<uint32_t> seed)
        : m_seed(seed)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const bool training = ctx.hasInput(2) && ctx.input(2).elementCount() == 1
                              && ctx.input(2).intAt(0) != 0;
        double ratio = 0.5;
        if (ctx.hasInput(1)) {
            if (ctx.input(1).elementCount() != 1 || !isFloatingDType(ctx.input(1).dtype()))
                return ctx.error("ratio must be a float scalar, got " + ctx.input(1).describe());
            ratio = ctx.input(1).doubleAt(0);
        }
        if (!training || ratio == 0.0) {
            ctx.output(0) = x;
            writeMask(ctx, x.shape(), nullptr);
            return Status::ok();
        }
        if (ratio < 0.0 || ratio >= 1.0)
            return ctx.error("ratio " + std::to_string(ratio) + " is outside [0, 1)");
        auto values = widenToDouble(ctx, x);
        if (!values)
            return values.status();
        std::mt19937 engine(m_seed ? *m_seed : std::random_device{}());
        std::vector<bool> keep(values->size());
        const double scale = 1.0 / (1.0 - ratio);
        for (size_t i = 0; i < values->size(); ++i) {
            keep[i] = nextUniform(engine) >= ratio;
            (*values)[i] = keep[i] ? (*values)[i] * scale : 0.0;
        }
        writeFromDouble(ctx, 0, x.dtype(), x.shape(), *values);
        writeMask(ctx, x.shape(), &keep);
        return Status::ok();
    }

private:
    static void writeMask(KernelContext &ctx, const Shape &shape, const std::vector<bool> *keep)
    {
        if (ctx.outputCount() < 2)
            return;
        Tensor &mask = ctx.allocateOutput(1, DType::Bool, shape);
        bool *out = mask.mutableData<bool>();
        for (int64_t i = 0; i < mask.elementCount(); ++i)
            out[i] = keep ? (*keep)[static_cast<size_t>(i)] : true;
    }

    std::optional<uint32_t> m_seed;
};

} // namespace

Result<std::unique_ptr<Kernel>> createDropout(const KernelInfo &info)
{
    if (info.opsetVersion() < 7) {
        auto isTest = info.getInt("is_test", 0);
        if (isTest && *isTest == 0)
            return info.unsupportedError("is_test=0 (training) is not supported");
    }
    std::optional<uint32_t> seed;
    if (info.hasAttribute("seed")) {
        auto value = info.getInt("seed", 0);
        if (!value)
            return value.status();
        seed = static_cast<uint32_t>(*value);
    }
    return makeKernel<DropoutKernel>(seed);
}

} // namespace qs::ops
