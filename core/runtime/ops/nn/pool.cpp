// MaxPool and AveragePool (1-D to 3-D, pads, auto_pad, ceil_mode, dilations, count_include_pad)
// through oneDNN pooling_v2, cached per input shape. MaxPool's optional Indices output comes
// from a direct loop (pool_indices.cpp), since oneDNN's workspace is not ONNX's flat index;
// 2-D MaxPool on plain NCHW runs a direct loop too (max_pool_2d.cpp: oneDNN's is slow there).
#include "runtime/ops/nn/blocked_layout.h"
#include "runtime/ops/nn/conv_plan_cache.h"
#include "runtime/ops/nn/max_pool_2d.h"
#include "runtime/ops/nn/nn_kernels.h"
#include "runtime/ops/nn/nn_util.h"
#include "runtime/ops/nn/pool_indices.h"

namespace qs::ops {

namespace {

using dnnl::memory;

struct PoolPlan
{
    dnnl::primitive primitive;
    memory::desc src, dst, scratchpad;
    WindowGeometry geometry;
};

enum class PoolKind { Max, Average };

class PoolKernel final : public Kernel
{
public:
    PoolKernel(std::string label, PoolKind kind, WindowAttributes attrs, bool ceilMode,
               bool countIncludePad, int64_t storageOrder, bool blocked, bool channelsLast)
        : m_blocked(blocked)
        , m_channelsLast(channelsLast)
        , m_label(std::move(label))
        , m_kind(kind)
        , m_attrs(std::move(attrs))
        , m_ceilMode(ceilMode)
        , m_countIncludePad(countIncludePad)
        , m_storageOrder(storageOrder)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const bool integer = x.dtype() == DType::Int8 || x.dtype() == DType::UInt8;
        if (x.dtype() != DType::Float32 && x.dtype() != DType::Float16
            && !(integer && m_kind == PoolKind::Max))
            return ctx.error("input 'X' dtype " + dtypeName(x.dtype()) + " is not supported");
        QS_RETURN_IF_ERROR(checkActivationRank(ctx, x, 3, 5));
        if (m_blocked)
            QS_RETURN_IF_ERROR(checkBlockedInput(ctx, x));
        if (m_channelsLast && (x.rank() != 4 || !integer || ctx.outputCount() > 1))
            return ctx.error("a channels-last input must be 8-bit [N, H, W, C], got "
                             + x.describe());
        const Shape xShape = m_blocked        ? logicalShapeOfBlocked(x.shape())
                             : m_channelsLast ? Shape{x.dim(0), x.dim(3), x.dim(1), x.dim(2)}
                                              : x.shape();
        Result<std::shared_ptr<const PoolPlan>> plan
            = m_plans.getOrCreate(xShape, [&] { return createPlan(xShape, x.dtype()); });
        if (!plan)
            return plan.status();
        const PoolPlan &p = **plan;
        Shape outShape = {xShape[0], xShape[1]};
        outShape.insert(outShape.end(), p.geometry.output.begin(), p.geometry.output.end());
        const Shape physicalOut = m_blocked ? blockedShape(outShape, channelBlock())
                                  : m_channelsLast
                                      ? Shape{outShape[0], outShape[2], outShape[3], outShape[1]}
                                      : outShape;
        Tensor &out = ctx.allocateOutput(0, x.dtype(), physicalOut);
        if (out.elementCount() == 0)
            return Status::ok();
        const bool wantIndices = ctx.outputCount() > 1;
        if (wantIndices) {
            if (x.dtype() != DType::Float32 && x.dtype() != DType::Float16)
                return ctx.error("output 'Indices' needs a float input, not "
                                 + dtypeName(x.dtype()));
            const Tensor src = toFloat32(x, ctx.threads());
            Tensor values = wideOutput(out);
            Tensor &indices = ctx.allocateOutput(1, DType::Int64, outShape);
            maxPoolWithIndices(src, p.geometry, m_storageOrder != 0, values, indices, ctx.threads());
            storeWideOutput(values, out, ctx.threads());
            return Status::ok();
        }
        if (m_kind == PoolKind::Max && !m_channelsLast && directMaxPool2dApplies(x, p.geometry)) {
            directMaxPool2d(x, p.geometry, out, ctx.threads());
            return Status::ok();
        }
        const Tensor src = integer ? x : toFloat32(x, ctx.threads());
        Tensor dst = wideOutput(out);
        QS_RETURN_IF_ERROR(executePrimitive(p.primitive, p.scratchpad,
                                            {{DNNL_ARG_SRC, wrapMemory(p.src, src.rawData())},
                                             {DNNL_ARG_DST, wrapMemory(p.dst, dst.rawData())}},
                                            m_label));
        storeWideOutput(dst, out, ctx.threads());
        return Status::ok();
    }

private:
    Result<std::shared_ptr<const PoolPlan>> createPlan(const Shape &x, DType type) const
    {
        const std::vector<int64_t> spatial(x.begin() + 2, x.end());
        if (m_attrs.kernelShape.size() != spatial.size())
            return invalidArgument(m_label + ": kernel_shape " + dimsToString(m_attrs.kernelShape)
                                   + " must have one entry per spatial dim of input 'X' "
                                   + shapeToString(x));
        Result<WindowGeometry> geometry = resolveWindow(m_attrs, m_attrs.kernelShape, spatial,
                                                        m_ceilMode, m_label);
        if (!geometry)
            return geometry.status();
        auto p = std::make_shared<PoolPlan>();
        p->geometry = *geometry;
        WindowGeometry &g = p->geometry;
        // oneDNN derives the output size by flooring; ceil_mode becomes extra right padding.
        std::vector<int64_t> padEnd = g.padEnd;
        for (size_t i = 0; i < spatial.size(); ++i) {
            const int64_t extent = (g.kernel[i] - 1) * g.dilations[i] + 1;
            padEnd[i] = (g.output[i] - 1) * g.strides[i] + extent - spatial[i] - g.padBegin[i];
            if (padEnd[i] > g.padEnd[i] && m_kind == PoolKind::Average && m_countIncludePad)
                return unsupported(m_label
                                   + ": ceil_mode with count_include_pad is not "
                                     "supported when the last window passes the padding");
        }
        Shape outShape = {x[0], x[1]};
        outShape.insert(outShape.end(), g.output.begin(), g.output.end());
        const memory::data_type dataType = type == DType::Int8    ? memory::data_type::s8
                                           : type == DType::UInt8 ? memory::data_type::u8
                                                                  : memory::data_type::f32;
        // 8-bit NHWC takes oneDNN's vectorized int8 pooling (jit_uni_i8i8_pooling).
        const memory::format_tag tag = m_channelsLast ? memory::format_tag::nhwc
                                                      : plainTag(x.size());
        p->src = m_blocked ? blockedDesc(x, channelBlock()) : memory::desc(x, dataType, tag);
        p->dst = m_blocked ? blockedDesc(outShape, channelBlock())
                           : memory::desc(outShape, dataType, tag);
        memory::dims dilations;
        for (int64_t d : g.dilations)
            dilations.push_back(d - 1);
        const dnnl::algorithm algorithm = m_kind == PoolKind::Max ? dnnl::algorithm::pooling_max
                                          : m_countIncludePad
                                              ? dnnl::algorithm::pooling_avg_include_padding
                                              : dnnl::algorithm::pooling_avg_exclude_padding;
        try {
            dnnl::pooling_v2_forward::desc desc(dnnl::prop_kind::forward_inference, algorithm,
                                                p->src, p->dst, g.strides, g.kernel, dilations,
                                                g.padBegin, padEnd);
            dnnl::pooling_v2_forward::primitive_desc pd(desc, userScratchpadAttr(),
                                                        dnnl_support::cpuEngine());
            p->primitive = dnnl::pooling_v2_forward(pd);
            p->scratchpad = pd.scratchpad_desc();
        } catch (const dnnl::error &e) {
            return unsupported(m_label + ": oneDNN has no pooling for input " + shapeToString(x)
                               + ": " + e.what());
        }
        return std::shared_ptr<const PoolPlan>(std::move(p));
    }

    bool m_blocked;      // input and output as [N, C/B, H, W, B] (blocked_layout.h)
    bool m_channelsLast; // 8-bit input and output stored [N, H, W, C] (fusion/int8_layout.cpp)
    std::string m_label;
    PoolKind m_kind;
    WindowAttributes m_attrs;
    bool m_ceilMode;
    bool m_countIncludePad;
    int64_t m_storageOrder;
    mutable PlanCache<PoolPlan> m_plans;
};

Result<std::unique_ptr<Kernel>> createPool(const KernelInfo &info, PoolKind kind)
{
    Result<WindowAttributes> attrs = WindowAttributes::parse(info);
    Result<int64_t> ceilMode = info.getInt("ceil_mode", 0);
    Result<int64_t> includePad = info.getInt("count_include_pad", 0);
    Result<int64_t> storageOrder = info.getInt("storage_order", 0);
    Result<int64_t> blocked = info.getInt(kBlockedInputAttribute, 0);
    Result<int64_t> channelsLast = info.getInt(kChannelsLastAttribute, 0);
    for (const Status &status : {attrs.status(), ceilMode.status(), includePad.status(),
                                 storageOrder.status(), blocked.status(), channelsLast.status()}) {
        if (!status)
            return status;
    }
    if (attrs->kernelShape.empty())
        return info.error("attribute 'kernel_shape' is required");
    return makeKernel<PoolKernel>(info.label(), kind, std::move(*attrs), *ceilMode != 0,
                                  *includePad != 0, *storageOrder, *blocked != 0,
                                  *channelsLast != 0);
}

} // namespace

Result<std::unique_ptr<Kernel>> createMaxPool(const KernelInfo &info)
{
    return createPool(info, PoolKind::Max);
}

Result<std::unique_ptr<Kernel>> createAveragePool(const KernelInfo &info)
{
    return createPool(info, PoolKind::Average);
}

} // namespace qs::ops
