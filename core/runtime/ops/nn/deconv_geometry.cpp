#include "runtime/ops/nn/deconv_geometry.h"

namespace qs::ops {

Result<DeconvSettings> DeconvSettings::parse(const KernelInfo &info, int64_t weightRank)
{
    Result<WindowAttributes> window = WindowAttributes::parse(info);
    Result<int64_t> group = info.getInt("group", 1);
    Result<std::vector<int64_t>> outputPadding = info.getInts("output_padding");
    Result<std::vector<int64_t>> outputShape = info.getInts("output_shape");
    for (const Status &status :
         {window.status(), group.status(), outputPadding.status(), outputShape.status()}) {
        if (!status)
            return status;
    }
    if (*group < 1)
        return info.error("group " + std::to_string(*group) + " must be at least 1");
    DeconvSettings settings{std::move(*window), *group, std::move(*outputPadding),
                            std::move(*outputShape)};
    if (weightRank > 2 && settings.outputShape.size() == static_cast<size_t>(weightRank))
        settings.outputShape.erase(settings.outputShape.begin(), settings.outputShape.begin() + 2);
    return settings;
}

Result<DeconvGeometry> resolveDeconvGeometry(const DeconvSettings &settings, const Shape &x,
                                             const Shape &w, const std::string &label)
{
    const size_t spatial = x.size() - 2;
    const WindowAttributes &attrs = settings.window;
    std::vector<int64_t> kernel = attrs.kernelShape;
    if (kernel.empty())
        kernel.assign(w.begin() + 2, w.end());
    auto sized = [&](const std::vector<int64_t> &list, size_t size, int64_t fallback) {
        return list.empty() ? std::vector<int64_t>(size, fallback) : list;
    };
    const auto strides = sized(attrs.strides, spatial, 1);
    const auto dilations = sized(attrs.dilations, spatial, 1);
    const auto outputPadding = sized(settings.outputPadding, spatial, 0);
    std::vector<int64_t> pads = sized(attrs.pads, 2 * spatial, 0);
    if (kernel.size() != spatial || strides.size() != spatial || dilations.size() != spatial
        || outputPadding.size() != spatial || pads.size() != 2 * spatial
        || (!settings.outputShape.empty() && settings.outputShape.size() != spatial))
        return invalidArgument(label
                               + ": kernel_shape, strides, dilations, pads, "
                                 "output_padding or output_shape do not match the "
                               + std::to_string(spatial) + " spatial dims of 'X' "
                               + shapeToString(x));
    DeconvGeometry g;
    g.outputShape = {x[0], w[1] * settings.group};
    g.strides.assign(strides.begin(), strides.end());
    g.padEnd.resize(spatial);
    g.dilations.resize(spatial);
    for (size_t i = 0; i < spatial; ++i) {
        const int64_t extent = (kernel[i] - 1) * dilations[i] + 1;
        const int64_t full = strides[i] * (x[i + 2] - 1) + outputPadding[i] + extent;
        int64_t target = -1;
        if (!settings.outputShape.empty())
            target = settings.outputShape[i];
        else if (attrs.autoPad == "SAME_UPPER" || attrs.autoPad == "SAME_LOWER")
            target = x[i + 2] * strides[i];
        else if (attrs.autoPad == "VALID")
            pads[i] = pads[i + spatial] = 0;
        if (target >= 0) {
            const int64_t total = full - target;
            // Floor division, as ONNX's reference: a negative total (output_shape larger
            // than the natural output) extends the end.
            const int64_t half = total >= 0 ? total / 2 : -((1 - total) / 2);
            pads[i] = attrs.autoPad == "SAME_UPPER" ? half : total - half;
            pads[i + spatial] = total - pads[i];
        }
        g.outputShape.push_back(full - pads[i] - pads[i + spatial]);
        // oneDNN has no output_padding: it is a smaller end padding.
        g.padEnd[i] = pads[i + spatial] - outputPadding[i];
        g.dilations[i] = dilations[i] - 1;
    }
    g.padBegin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(spatial));

    // oneDNN's logical weights are [G, OC/G, IC/G, k...]; ONNX stores [G, IC/G, OC/G, k...].
    const int64_t group = settings.group;
    const int64_t icg = w[0] / group, ocg = w[1];
    int64_t kernelSize = 1;
    for (size_t i = 2; i < w.size(); ++i)
        kernelSize *= w[i];
    g.weightDims = {group, ocg, icg};
    g.weightStrides = {icg * ocg * kernelSize, kernelSize, ocg * kernelSize};
    int64_t inner = kernelSize;
    for (size_t i = 2; i < w.size(); ++i) {
        inner /= w[i];
        g.weightDims.push_back(w[i]);
        g.weightStrides.push_back(inner);
    }
    if (group == 1) {
        g.weightDims.erase(g.weightDims.begin());
        g.weightStrides.erase(g.weightStrides.begin());
    }
    return g;
}

} // namespace qs::ops
