// Resize (opsets 10, 11, 13) and Upsample (7, 9): the kernel works out the output shape and the
// per-axis scales from the scales / sizes / roi inputs (or Upsample's attribute), builds a
// ResizePlan, and runs the fastest path that applies to it: the 2-D NCHW nearest / bilinear
// loop, a byte gather for nearest on any dtype, or the general separable sum.
#include "runtime/ops/tensor/resize_plan.h"
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <cmath>
#include <sstream>

namespace qs::ops {

namespace {

struct ResizeInputs
{
    int roi = -1; // input indices, -1 when the form has no such input
    int scales = -1;
    int sizes = -1;
};

std::optional<std::vector<double>> toDoubles(const Tensor *tensor)
{
    if (!tensor || tensor->empty() || tensor->elementCount() == 0)
        return std::nullopt;
    std::vector<double> values(static_cast<size_t>(tensor->elementCount()));
    for (int64_t i = 0; i < tensor->elementCount(); ++i)
        values[static_cast<size_t>(i)] = tensor->doubleAt(i);
    return values;
}

class ResizeKernel final : public Kernel
{
public:
    ResizeKernel(ResizeOptions options, ResizeInputs inputs,
                 std::optional<std::vector<double>> attributeScales)
        : m_options(options)
        , m_inputs(inputs)
        , m_attributeScales(std::move(attributeScales))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        const int64_t rank = data.rank();
        if (rank < 1)
            return ctx.error("input " + data.describe() + " should have rank >= 1");
        std::vector<double> roi;
        if (m_options.coordinates == CoordinateMode::TfCropAndResize) {
            roi = read(ctx, m_inputs.roi).value_or(std::vector<double>{});
            if (static_cast<int64_t>(roi.size()) != 2 * rank)
                return ctx.error("roi should have " + std::to_string(2 * rank)
                                 + " values for input " + data.describe());
        }
        Shape outShape(static_cast<size_t>(rank));
        std::vector<double> scales(static_cast<size_t>(rank));
        std::vector<double> lengths(static_cast<size_t>(rank));
        if (std::optional<std::vector<double>> sizes = read(ctx, m_inputs.sizes)) {
            if (static_cast<int64_t>(sizes->size()) != rank)
                return ctx.error("sizes has " + std::to_string(sizes->size())
                                 + " values but the input " + data.describe() + " has rank "
                                 + std::to_string(rank));
            for (size_t d = 0; d < scales.size(); ++d) {
                outShape[d] = static_cast<int64_t>((*sizes)[d]);
                if (outShape[d] < 0)
                    return ctx.error("sizes has a negative value");
                lengths[d] = (*sizes)[d];
                scales[d] = data.shape()[d] > 0 ? lengths[d] / static_cast<double>(data.shape()[d])
                                                : 1.0;
            }
        } else {
            std::optional<std::vector<double>> given = m_attributeScales;
            if (!given)
                given = read(ctx, m_inputs.scales);
            if (!given || static_cast<int64_t>(given->size()) != rank)
                return ctx.error("scales should have " + std::to_string(rank) + " values for input "
                                 + data.describe());
            for (size_t d = 0; d < scales.size(); ++d) {
                scales[d] = (*given)[d];
                if (!(scales[d] > 0))
                    return ctx.error("scales " + describe(*given) + " should be positive");
                const double crop = roi.empty() ? 1.0 : roi[d + scales.size()] - roi[d];
                lengths[d] = static_cast<double>(data.shape()[d]) * scales[d] * crop;
                outShape[d] = static_cast<int64_t>(std::floor(lengths[d]));
            }
        }
        const ResizePlan plan = makeResizePlan(m_options, data.shape(), outShape, scales, lengths,
                                               roi);
        return run(ctx, data, plan);
    }

private:
    std::optional<std::vector<double>> read(const KernelContext &ctx, int index) const
    {
        return index < 0 ? std::nullopt : toDoubles(&ctx.input(static_cast<size_t>(index)));
    }

    static std::string describe(const std::vector<double> &values)
    {
        std::ostringstream text;
        text << '[';
        for (size_t i = 0; i < values.size(); ++i)
            text << (i ? "," : "") << values[i];
        text << ']';
        return text.str();
    }

    Status run(KernelContext &ctx, const Tensor &data, const ResizePlan &plan) const
    {
        const DType type = data.dtype();
        Tensor &out = ctx.allocateOutput(0, type, plan.outShape);
        if (out.elementCount() == 0)
            return Status::ok();
        if (type == DType::Float32) {
            if (fast2dApplies(plan))
                resizeFast2d(plan, data.data<float>(), out.mutableData<float>(), ctx.threads());
            else if (isGatherPlan(plan))
                resizeGather(plan, data.rawData(), out.mutableRawData(), 4, ctx.threads());
            else
                resizeGeneral(plan, data.data<float>(), out.mutableData<float>(), ctx.threads());
            return Status::ok();
        }
        if (isGatherPlan(plan) && dtypeSize(type) > 0) {
            resizeGather(plan, data.rawData(), out.mutableRawData(), dtypeSize(type), ctx.threads());
            return Status::ok();
        }
        if (type == DType::Bool || !isSupportedDType(type))
            return ctx.error("dtype " + dtypeName(type)
                             + " is not supported with mode "
                               "linear or cubic");
        // Other types: widen to float32, interpolate, narrow back (rounding integers).
        std::vector<float> in(static_cast<size_t>(data.elementCount()));
        std::vector<float> result(static_cast<size_t>(out.elementCount()));
        dispatchNumeric(type, [&](auto tag) {
            using T = decltype(tag);
            const T *src = data.data<T>();
            for (size_t i = 0; i < in.size(); ++i)
                in[i] = static_cast<float>(src[i]);
            resizeGeneral(plan, in.data(), result.data(), ctx.threads());
            T *dst = out.mutableData<T>();
            for (size_t i = 0; i < result.size(); ++i) {
                if constexpr (std::is_integral_v<T>)
                    dst[i] = static_cast<T>(std::nearbyint(result[i]));
                else
                    dst[i] = static_cast<T>(result[i]);
            }
        });
        return Status::ok();
    }

    ResizeOptions m_options;
    ResizeInputs m_inputs;
    std::optional<std::vector<double>> m_attributeScales; // Upsample-7, or a constant input
};

Status parseMode(const KernelInfo &info, ResizeOptions &options)
{
    Result<std::string> mode = info.getString("mode", "nearest");
    if (!mode)
        return mode.status();
    if (*mode == "nearest")
        options.mode = ResizeMode::Nearest;
    else if (*mode == "linear" || *mode == "bilinear")
        options.mode = ResizeMode::Linear;
    else if (*mode == "cubic" && info.opType() == "Resize" && info.opsetVersion() >= 11)
        options.mode = ResizeMode::Cubic;
    else
        return info.error("mode '" + *mode + "' is not supported");
    return Status::ok();
}

Status parseResize11(const KernelInfo &info, ResizeOptions &options)
{
    Result<std::string> coordinates = info.getString("coordinate_transformation_mode",
                                                     "half_pixel");
    Result<std::string> nearest = info.getString("nearest_mode", "round_prefer_floor");
    Result<float> cubicA = info.getFloat("cubic_coeff_a", -0.75f);
    Result<int64_t> exclude = info.getInt("exclude_outside", 0);
    Result<float> extrapolation = info.getFloat("extrapolation_value", 0.0f);
    if (!coordinates)
        return coordinates.status();
    if (!nearest)
        return nearest.status();
    if (!cubicA)
        return cubicA.status();
    if (!exclude)
        return exclude.status();
    if (!extrapolation)
        return extrapolation.status();
    const std::pair<const char *, CoordinateMode> coordinateModes[] = {
        {"half_pixel", CoordinateMode::HalfPixel},
        {"pytorch_half_pixel", CoordinateMode::PytorchHalfPixel},
        {"align_corners", CoordinateMode::AlignCorners},
        {"asymmetric", CoordinateMode::Asymmetric},
        {"tf_half_pixel_for_nearest", CoordinateMode::TfHalfPixelForNearest},
        {"tf_half_pixel_for_nn", CoordinateMode::TfHalfPixelForNearest}, // Resize-11's doc name
        {"tf_crop_and_resize", CoordinateMode::TfCropAndResize},
    };
    bool found = false;
    for (const auto &[name, value] : coordinateModes) {
        if (*coordinates == name) {
            options.coordinates = value;
            found = true;
        }
    }
    if (!found)
        return info.error("coordinate_transformation_mode '" + *coordinates + "' is not supported");
    const std::pair<const char *, NearestMode> nearestModes[] = {
        {"round_prefer_floor", NearestMode::RoundPreferFloor},
        {"round_prefer_ceil", NearestMode::RoundPreferCeil},
        {"floor", NearestMode::Floor},
        {"ceil", NearestMode::Ceil},
    };
    found = false;
    for (const auto &[name, value] : nearestModes) {
        if (*nearest == name) {
            options.nearest = value;
            found = true;
        }
    }
    if (!found)
        return info.error("nearest_mode '" + *nearest + "' is not supported");
    options.cubicA = *cubicA;
    options.excludeOutside = *exclude != 0;
    options.extrapolation = *extrapolation;
    return Status::ok();
}

} // namespace

Result<std::unique_ptr<Kernel>> createResize(const KernelInfo &info)
{
    ResizeOptions options;
    QS_RETURN_IF_ERROR(parseMode(info, options));
    ResizeInputs inputs;
    std::optional<std::vector<double>> constantScales;
    const bool upsample = info.opType() == "Upsample";
    if (upsample || info.opsetVersion() < 11) {
        // Upsample and Resize-10: scales only, asymmetric coordinates, floor/ceil nearest.
        options.coordinates = CoordinateMode::Asymmetric;
        options.nearest = NearestMode::Simple;
        if (upsample && info.opsetVersion() < 9) {
            Result<std::vector<float>> scales = info.getFloats("scales");
            if (!scales)
                return scales.status();
            constantScales = std::vector<double>(scales->begin(), scales->end());
        } else {
            inputs.scales = 1;
            constantScales = toDoubles(info.constantInput(1));
        }
    } else {
        QS_RETURN_IF_ERROR(parseResize11(info, options));
        inputs = {1, 2, 3};
        // Precompute scales only when they are the form in use (no sizes input).
        if (!info.hasInput(3))
            constantScales = toDoubles(info.constantInput(2));
    }
    return makeKernel<ResizeKernel>(options, inputs, std::move(constantScales));
}

} // namespace qs::ops
