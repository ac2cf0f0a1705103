#include "runtime/ops/nn/nn_util.h"

#include "runtime/dnnl_context.h"

#include <algorithm>
#include <cfloat>
#include <memory>

namespace qs::ops {

Result<WindowAttributes> WindowAttributes::parse(const KernelInfo &info, bool withDilations)
{
    WindowAttributes attrs;
    Result<std::vector<int64_t>> kernel = info.getInts("kernel_shape");
    Result<std::vector<int64_t>> strides = info.getInts("strides");
    Result<std::vector<int64_t>> pads = info.getInts("pads");
    Result<std::string> autoPad = info.getString("auto_pad", "NOTSET");
    for (const Status &status :
         {kernel.status(), strides.status(), pads.status(), autoPad.status()}) {
        if (!status)
            return status;
    }
    attrs.kernelShape = *kernel;
    attrs.strides = *strides;
    attrs.pads = *pads;
    attrs.autoPad = autoPad->empty() ? "NOTSET" : *autoPad;
    if (withDilations) {
        Result<std::vector<int64_t>> dilations = info.getInts("dilations");
        if (!dilations)
            return dilations.status();
        attrs.dilations = *dilations;
    }
    if (attrs.autoPad != "NOTSET" && attrs.autoPad != "VALID" && attrs.autoPad != "SAME_UPPER"
        && attrs.autoPad != "SAME_LOWER")
        return info.error("auto_pad '" + attrs.autoPad
                          + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
    for (int64_t s : attrs.strides) {
        if (s <= 0)
            return info.error("strides " + dimsToString(attrs.strides) + " must be positive");
    }
    for (int64_t d : attrs.dilations) {
        if (d <= 0)
            return info.error("dilations " + dimsToString(attrs.dilations) + " must be positive");
    }
    return attrs;
}

Result<WindowGeometry> resolveWindow(const WindowAttributes &attrs,
                                     const std::vector<int64_t> &kernel,
                                     const std::vector<int64_t> &inputSpatial, bool ceilMode,
                                     const std::string &label)
{
    const size_t rank = inputSpatial.size();
    auto fail = [&](const std::string &message) -> Status {
        return invalidArgument(label + ": " + message);
    };
    auto listOk = [&](const std::vector<int64_t> &list, size_t size) {
        return list.empty() || list.size() == size;
    };
    if (kernel.size() != rank)
        return fail("kernel " + dimsToString(kernel) + " has " + std::to_string(kernel.size())
                    + " dims but the input has " + std::to_string(rank) + " spatial dims "
                    + dimsToString(inputSpatial));
    if (!listOk(attrs.strides, rank) || !listOk(attrs.dilations, rank)
        || !listOk(attrs.pads, 2 * rank))
        return fail("strides " + dimsToString(attrs.strides) + ", dilations "
                    + dimsToString(attrs.dilations) + " or pads " + dimsToString(attrs.pads)
                    + " do not match the " + std::to_string(rank) + " spatial dims of the input");
    WindowGeometry g;
    g.kernel = kernel;
    g.strides = attrs.strides.empty() ? std::vector<int64_t>(rank, 1) : attrs.strides;
    g.dilations = attrs.dilations.empty() ? std::vector<int64_t>(rank, 1) : attrs.dilations;
    g.padBegin.assign(rank, 0);
    g.padEnd.assign(rank, 0);
    g.output.assign(rank, 0);
    for (size_t i = 0; i < rank; ++i) {
        const int64_t in = inputSpatial[i];
        const int64_t s = g.strides[i];
        const int64_t extent = (kernel[i] - 1) * g.dilations[i] + 1;
        if (kernel[i] <= 0)
            return fail("kernel " + dimsToString(kernel) + " must be positive");
        if (attrs.autoPad == "SAME_UPPER" || attrs.autoPad == "SAME_LOWER") {
            const int64_t out = (in + s - 1) / s;
            const int64_t total = std::max<int64_t>(0, (out - 1) * s + extent - in);
            const int64_t small = total / 2;
            g.padBegin[i] = attrs.autoPad == "SAME_UPPER" ? small : total - small;
            g.padEnd[i] = total - g.padBegin[i];
            g.output[i] = out;
            continue;
        }
        if (attrs.autoPad == "NOTSET" && !attrs.pads.empty()) {
            g.padBegin[i] = attrs.pads[i];
            g.padEnd[i] = attrs.pads[i + rank];
        }
        const int64_t span = in + g.padBegin[i] + g.padEnd[i] - extent;
        if (span < 0)
            return fail("the window " + dimsToString(kernel) + " (dilated extent "
                        + std::to_string(extent) + ") is larger than the padded input dim "
                        + std::to_string(in + g.padBegin[i] + g.padEnd[i]));
        int64_t out = span / s + 1;
        if (ceilMode) {
            out = (span + s - 1) / s + 1;
            // The last window must start inside the input or the left padding.
            if ((out - 1) * s >= in + g.padBegin[i])
                --out;
        }
        g.output[i] = out;
    }
    return g;
}

dnnl::memory::format_tag plainTag(size_t rank)
{
    using tag = dnnl::memory::format_tag;
    switch (rank) {
    case 1: return tag::a;
    case 2: return tag::ab;
    case 3: return tag::abc;
    case 4: return tag::abcd;
    case 5: return tag::abcde;
    case 6: return tag::abcdef;
    default: return tag::undef;
    }
}

void appendActivationPostOps(dnnl::post_ops &ops, const FusedActivation &activation)
{
    using alg = dnnl::algorithm;
    using Kind = FusedActivation::Kind;
    switch (activation.kind) {
    case Kind::Relu: ops.append_eltwise(1.0f, alg::eltwise_relu, 0.0f, 0.0f); break;
    case Kind::LeakyRelu:
        ops.append_eltwise(1.0f, alg::eltwise_relu, activation.alpha, 0.0f);
        break;
    case Kind::Clip: {
        // Infinite bounds (Clip without min or max) as the largest finite floats.
        const float low = std::max(activation.alpha, -FLT_MAX);
        const float high = std::min(activation.beta, FLT_MAX);
        ops.append_eltwise(1.0f, alg::eltwise_clip, low, high);
        break;
    }
    case Kind::Sigmoid: ops.append_eltwise(1.0f, alg::eltwise_logistic, 0.0f, 0.0f); break;
    case Kind::HardSigmoid:
        ops.append_eltwise(1.0f, alg::eltwise_linear, activation.alpha, activation.beta);
        ops.append_eltwise(1.0f, alg::eltwise_clip, 0.0f, 1.0f);
        break;
    case Kind::HardSwish: ops.append_eltwise(1.0f, alg::eltwise_hardswish, 0.0f, 0.0f); break;
    case Kind::Tanh: ops.append_eltwise(1.0f, alg::eltwise_tanh, 0.0f, 0.0f); break;
    case Kind::Gelu: ops.append_eltwise(1.0f, alg::eltwise_gelu_erf, 0.0f, 0.0f); break;
    case Kind::Swish: ops.append_eltwise(1.0f, alg::eltwise_swish, 1.0f, 0.0f); break;
    case Kind::None: break;
    }
    if (activation.hasPostAffine())
        ops.append_eltwise(1.0f, alg::eltwise_linear, activation.postScale, activation.postShift);
}

namespace {

// Calls convert(begin, count) over [0, n) in chunks, spread over `threads` when n is large.
template<typename Convert>
void convertInChunks(int64_t n, int threads, Convert &&convert)
{
    constexpr int64_t kChunk = 1 << 14;
    const int64_t chunks = (n + kChunk - 1) / kChunk;
#pragma omp parallel for num_threads(threads) if (n > 65536)
    for (int64_t c = 0; c < chunks; ++c) {
        const int64_t begin = c * kChunk;
        convert(begin, std::min(kChunk, n - begin));
    }
}

using HalfArray = Eigen::Array<Eigen::half, Eigen::Dynamic, 1>;

} // namespace

Tensor toFloat32(const Tensor &tensor, int threads)
{
    if (tensor.dtype() == DType::Float32)
        return tensor;
    if (tensor.dtype() != DType::Float16)
        return {};
    Tensor wide = Tensor::allocate(DType::Float32, tensor.shape());
    const Eigen::half *src = tensor.data<Eigen::half>();
    float *dst = wide.mutableData<float>();
    convertInChunks(tensor.elementCount(), threads, [&](int64_t begin, int64_t count) {
        Eigen::Map<Eigen::ArrayXf>(dst + begin, count)
            = Eigen::Map<const HalfArray>(src + begin, count).cast<float>();
    });
    return wide;
}

void storeFloat16(const Tensor &source, Tensor &destination, int threads)
{
    const float *src = source.data<float>();
    Eigen::half *dst = destination.mutableData<Eigen::half>();
    convertInChunks(source.elementCount(), threads, [&](int64_t begin, int64_t count) {
        Eigen::Map<HalfArray>(dst + begin, count)
            = Eigen::Map<const Eigen::ArrayXf>(src + begin, count).cast<Eigen::half>();
    });
}

Tensor wideOutput(const Tensor &out)
{
    return out.dtype() == DType::Float16 ? Tensor::allocate(DType::Float32, out.shape()) : out;
}

void storeWideOutput(const Tensor &wide, Tensor &out, int threads)
{
    if (out.dtype() == DType::Float16)
        storeFloat16(wide, out, threads);
}

Status checkFloatActivation(const KernelContext &ctx, const Tensor &x, int64_t minRank,
                            int64_t maxRank)
{
    if (x.dtype() != DType::Float32 && x.dtype() != DType::Float16)
        return ctx.error("input 'X' dtype " + dtypeName(x.dtype()) + " is not supported");
    return checkActivationRank(ctx, x, minRank, maxRank);
}

Status checkActivationRank(const KernelContext &ctx, const Tensor &x, int64_t minRank,
                           int64_t maxRank)
{
    if (maxRank == kAnyRank && x.rank() < minRank)
        return ctx.error("input 'X' " + x.describe()
                         + " must have rank >= " + std::to_string(minRank) + " (N, C, ...)");
    if (maxRank != kAnyRank && (x.rank() < minRank || x.rank() > maxRank))
        return ctx.error("input 'X' " + x.describe() + " must have rank " + std::to_string(minRank)
                         + " to " + std::to_string(maxRank) + " (N, C and "
                         + std::to_string(minRank - 2) + " to " + std::to_string(maxRank - 2)
                         + " spatial dims)");
    return Status::ok();
}

Tensor float32Constant(const Tensor &constant)
{
    // A float32 constant is shared, not copied: the session keeps the model (and a mapped
    // file's bytes) alive, and a copy doubled the memory of weight-heavy models.
    return constant.dtype() == DType::Float32 ? constant : toFloat32(constant, 1);
}

Status constantWeightAndBias(const KernelInfo &info, Tensor &weight, Tensor &bias)
{
    auto keep = [&](size_t index, const char *name, Tensor &kept) {
        const Tensor *constant = info.hasInput(index) ? info.constantInput(index) : nullptr;
        if (!constant)
            return Status::ok();
        kept = float32Constant(*constant);
        if (kept.empty())
            return info.error(std::string("input '") + name + "' dtype "
                              + dtypeName(constant->dtype()) + " is not supported");
        return Status::ok();
    };
    QS_RETURN_IF_ERROR(keep(1, "W", weight));
    return keep(2, "B", bias);
}

Status runWeightAndBias(const KernelContext &ctx, Tensor &weight, Tensor &bias)
{
    if (weight.empty()) {
        weight = toFloat32(ctx.input(1), ctx.threads());
        if (weight.empty())
            return ctx.error("input 'W' " + ctx.input(1).describe() + " must be float32 or float16");
    }
    if (bias.empty() && ctx.hasInput(2)) {
        bias = toFloat32(ctx.input(2), ctx.threads());
        if (bias.empty())
            return ctx.error("input 'B' " + ctx.input(2).describe() + " must be float32 or float16");
    }
    return Status::ok();
}

dnnl::primitive_attr userScratchpadAttr()
{
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    return attr;
}

Status executePrimitive(const dnnl::primitive &primitive, const dnnl::memory::desc &scratchpad,
                        std::unordered_map<int, dnnl::memory> args, const std::string &label)
{
    try {
        std::unique_ptr<uint8_t[]> buffer;
        const size_t bytes = scratchpad.get_size();
        if (bytes > 0) {
            buffer.reset(new uint8_t[bytes + 64]);
            auto *aligned = reinterpret_cast<uint8_t *>(
                (reinterpret_cast<uintptr_t>(buffer.get()) + 63) & ~uintptr_t(63));
            args.emplace(DNNL_ARG_SCRATCHPAD,
                         dnnl::memory(scratchpad, dnnl_support::cpuEngine(), aligned));
        }
        dnnl::stream stream = dnnl_support::makeStream();
        primitive.execute(stream, args);
        stream.wait();
    } catch (const dnnl::error &e) {
        return internalError(label + ": oneDNN failed: " + e.what());
    }
    return Status::ok();
}

dnnl::memory wrapMemory(const dnnl::memory::desc &desc, const void *data)
{
    return dnnl::memory(desc, dnnl_support::cpuEngine(), const_cast<void *>(data));
}

std::string dimsToString(const std::vector<int64_t> &dims)
{
    std::string text = "[";
    for (size_t i = 0; i < dims.size(); ++i) {
        if (i > 0)
            text += ',';
        text += std::to_string(dims[i]);
    }
    return text + "]";
}

} // namespace qs::ops

namespace qs::ops {

Status reorderMemory(const dnnl::memory &from, const dnnl::memory &to, const std::string &label)
{
    try {
        dnnl::reorder op(from, to);
        return executePrimitive(op, dnnl::memory::desc(),
                                {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}}, label);
    } catch (const dnnl::error &e) {
        return internalError(label + ": oneDNN reorder failed: " + e.what());
    }
}

void applyActivationInParallel(const FusedActivation &activation, float *data, int64_t count,
                               int threads)
{
    const int used = count > (1 << 15) ? threads : 1;
#pragma omp parallel for num_threads(used) schedule(static) if (used > 1)
    for (int t = 0; t < used; ++t) {
        const int64_t begin = count * t / used, end = count * (t + 1) / used;
        applyFusedActivation(activation, data + begin, end - begin);
    }
}

Status executeIntoUser(const dnnl::primitive &primitive, const dnnl::memory::desc &scratchpad,
                       std::unordered_map<int, dnnl::memory> args, const dnnl::memory::desc &dst,
                       const dnnl::memory::desc &userDst, float *userData, int64_t count,
                       const std::optional<FusedActivation> &activationAfter, int threads,
                       const std::string &label)
{
    const bool plain = dst == userDst;
    dnnl::memory dstMemory = plain ? wrapMemory(dst, userData)
                                   : dnnl::memory(dst, dnnl_support::cpuEngine());
    args[DNNL_ARG_DST] = dstMemory;
    QS_RETURN_IF_ERROR(executePrimitive(primitive, scratchpad, std::move(args), label));
    if (!plain)
        QS_RETURN_IF_ERROR(reorderMemory(dstMemory, wrapMemory(userDst, userData), label));
    if (activationAfter)
        applyActivationInParallel(*activationAfter, userData, count, threads);
    return Status::ok();
}

Result<dnnl::memory> inLayout(const dnnl::memory::desc &user, const dnnl::memory::desc &wanted,
                              const void *data, const std::string &label)
{
    dnnl::memory source = wrapMemory(user, data);
    if (user == wanted)
        return source;
    dnnl::memory converted(wanted, dnnl_support::cpuEngine());
    QS_RETURN_IF_ERROR(reorderMemory(source, converted, label));
    return converted;
}

} // namespace qs::ops
