// Tile: output dim d is repeats[d] copies of input dim d, i.e. a broadcast copy over the
// interleaved shape [r0, d0, r1, d1, ...] with zero strides on the repeat dims.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

namespace qs::ops {

namespace {

class TileKernel final : public Kernel
{
public:
    explicit TileKernel(IntListParam repeats)
        : m_repeats(std::move(repeats))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        Result<std::optional<std::vector<int64_t>>> repeats = m_repeats.get(ctx, "repeats");
        if (!repeats)
            return repeats.status();
        if (!*repeats || static_cast<int64_t>((*repeats)->size()) != data.rank())
            return ctx.error("repeats should have " + std::to_string(data.rank())
                             + " values for input " + data.describe());
        const std::vector<int64_t> inStrides = contiguousStrides(data.shape());
        Shape outShape;
        Shape interleaved;
        std::vector<int64_t> strides;
        for (size_t d = 0; d < inStrides.size(); ++d) {
            const int64_t r = (**repeats)[d];
            if (r < 0)
                return ctx.error("repeats " + intsToString(**repeats) + " has a negative value");
            outShape.push_back(r * data.shape()[d]);
            interleaved.insert(interleaved.end(), {r, data.shape()[d]});
            strides.insert(strides.end(), {0, inStrides[d]});
        }
        Tensor &out = ctx.allocateOutput(0, data.dtype(), outShape);
        stridedCopy(out.mutableRawData(), data.rawData(), interleaved, strides,
                    dtypeSize(data.dtype()), ctx.threads());
        return Status::ok();
    }

private:
    IntListParam m_repeats;
};

} // namespace

Result<std::unique_ptr<Kernel>> createTile(const KernelInfo &info)
{
    IntListParam repeats;
    QS_RETURN_IF_ERROR(repeats.init(info, "repeats", 1, 1));
    return makeKernel<TileKernel>(std::move(repeats));
}

} // namespace qs::ops
