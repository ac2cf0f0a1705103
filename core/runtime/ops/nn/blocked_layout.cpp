#include "runtime/ops/nn/blocked_layout.h"

#include "runtime/dnnl_context.h"
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/nn/nn_util.h"

namespace qs::ops {

int64_t channelBlock()
{
    static const int64_t block = [] {
        const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
        switch (isa) {
        case dnnl::cpu_isa::avx512_core:
        case dnnl::cpu_isa::avx512_core_vnni:
        case dnnl::cpu_isa::avx512_core_bf16:
        case dnnl::cpu_isa::avx512_core_amx: return int64_t(16);
        default: return int64_t(8);
        }
    }();
    return block;
}

Status checkBlockedInput(const KernelContext &ctx, const Tensor &x)
{
    if (x.dtype() == DType::Float32 && x.rank() == 5 && x.dim(4) == channelBlock())
        return Status::ok();
    return ctx.error("input " + x.describe() + " is not a float32 activation channel-blocked by "
                     + std::to_string(channelBlock()));
}

Shape logicalShapeOfBlocked(const Shape &physical)
{
    return {physical[0], physical[1] * physical[4], physical[2], physical[3]};
}

Shape blockedShape(const Shape &logical, int64_t block)
{
    return {logical[0], (logical[1] + block - 1) / block, logical[2], logical[3], block};
}

dnnl::memory::desc blockedDesc(const Shape &logical, int64_t block)
{
    return dnnl::memory::desc(logical, dnnl::memory::data_type::f32,
                              block == 16 ? dnnl::memory::format_tag::nChw16c
                                          : dnnl::memory::format_tag::nChw8c);
}

namespace {

class BlockedToPlainKernel final : public Kernel
{
public:
    BlockedToPlainKernel(std::string label, int64_t channels)
        : m_label(std::move(label))
        , m_channels(channels)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        QS_RETURN_IF_ERROR(checkBlockedInput(ctx, x));
        Shape logical = logicalShapeOfBlocked(x.shape());
        if (m_channels > 0) {
            if (m_channels > logical[1] || m_channels <= logical[1] - x.dim(4))
                return ctx.error("input " + x.describe() + " cannot hold "
                                 + std::to_string(m_channels) + " channels");
            logical[1] = m_channels;
        }
        Tensor &out = ctx.allocateOutput(0, DType::Float32, logical);
        if (out.elementCount() == 0)
            return Status::ok();
        return reorderMemory(wrapMemory(blockedDesc(logical, x.dim(4)), x.rawData()),
                             wrapMemory(dnnl::memory::desc(logical, dnnl::memory::data_type::f32,
                                                           dnnl::memory::format_tag::nchw),
                                        out.rawData()),
                             m_label);
    }

private:
    std::string m_label;
    int64_t m_channels; // logical channels (0: every lane of every block)
};

} // namespace

Result<std::unique_ptr<Kernel>> createBlockedToPlain(const KernelInfo &info)
{
    Result<int64_t> channels = info.getInt(kBlockedChannelsAttribute, 0);
    if (!channels)
        return channels.status();
    return std::unique_ptr<Kernel>(std::make_unique<BlockedToPlainKernel>(info.label(), *channels));
}

} // namespace qs::ops
