// RoiAlign: pools each region of interest into output_height x output_width bins by averaging
// (or taking the max of) bilinear samples, sampling_ratio per bin side (adaptive when 0).
// coordinate_transformation_mode: half_pixel (opset 16 default) shifts by -0.5 pixel;
// output_half_pixel (opset 10's behaviour) does not and makes each RoI at least 1x1.
// The four taps and weights of every sample depend only on the RoI, so they are computed once
// per RoI and replayed over all channels (contiguous planes).
#include "runtime/ops/detection/detection_kernels.h"

#include <algorithm>
#include <cmath>

namespace qs::ops {

namespace {

struct Tap
{
    int64_t offsets[4] = {0, 0, 0, 0}; // into one channel plane
    float weights[4] = {0, 0, 0, 0};   // all 0 for a sample outside the image
};

Tap bilinearTap(float y, float x, int64_t height, int64_t width)
{
    Tap tap;
    if (y < -1.0f || y > float(height) || x < -1.0f || x > float(width))
        return tap;
    y = std::max(y, 0.0f);
    x = std::max(x, 0.0f);
    int64_t y0 = static_cast<int64_t>(y), x0 = static_cast<int64_t>(x);
    int64_t y1 = y0 + 1, x1 = x0 + 1;
    if (y0 >= height - 1) {
        y0 = y1 = height - 1;
        y = float(y0);
    }
    if (x0 >= width - 1) {
        x0 = x1 = width - 1;
        x = float(x0);
    }
    const float ly = y - float(y0), lx = x - float(x0);
    const float hy = 1.0f - ly, hx = 1.0f - lx;
    tap.offsets[0] = y0 * width + x0;
    tap.offsets[1] = y0 * width + x1;
    tap.offsets[2] = y1 * width + x0;
    tap.offsets[3] = y1 * width + x1;
    tap.weights[0] = hy * hx;
    tap.weights[1] = hy * lx;
    tap.weights[2] = ly * hx;
    tap.weights[3] = ly * lx;
    return tap;
}

struct RoiAlignSettings
{
    bool maxMode = false;
    bool halfPixel = true;
    int64_t outHeight = 1;
    int64_t outWidth = 1;
    int64_t samplingRatio = 0;
    float spatialScale = 1.0f;
};

class RoiAlignKernel final : public Kernel
{
public:
    explicit RoiAlignKernel(RoiAlignSettings settings)
        : m_s(settings)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &x = ctx.input(0);
        const Tensor &rois = ctx.input(1);
        const Tensor &batchIndices = ctx.input(2);
        if (x.dtype() != DType::Float32 || x.rank() != 4)
            return ctx.error("X must be float32 [N, C, H, W] but is " + x.describe());
        if (rois.dtype() != DType::Float32 || rois.rank() != 2 || rois.dim(1) != 4)
            return ctx.error("rois must be float32 [num_rois, 4] but is " + rois.describe());
        const int64_t roiCount = rois.dim(0);
        if (batchIndices.elementCount() != roiCount)
            return ctx.error("batch_indices " + batchIndices.describe() + " must hold one index per "
                             + "RoI (" + std::to_string(roiCount) + ")");
        const int64_t channels = x.dim(1), height = x.dim(2), width = x.dim(3);
        const int64_t plane = height * width, bins = m_s.outHeight * m_s.outWidth;
        Tensor &out = ctx.allocateOutput(0, DType::Float32,
                                         {roiCount, channels, m_s.outHeight, m_s.outWidth});
        const float *in = x.data<float>();
        float *dst = out.mutableData<float>();
        for (int64_t r = 0; r < roiCount; ++r) {
            const int64_t batch = batchIndices.intAt(r);
            if (batch < 0 || batch >= x.dim(0))
                return ctx.error("batch index " + std::to_string(batch) + " of RoI "
                                 + std::to_string(r) + " is outside [0, " + std::to_string(x.dim(0))
                                 + ")");
        }
#pragma omp parallel for num_threads(ctx.threads()) schedule(dynamic) if (roiCount > 1)
        for (int64_t r = 0; r < roiCount; ++r) {
            std::vector<Tap> taps;
            int64_t samplesPerBin = 0;
            planTaps(rois.data<float>() + r * 4, height, width, taps, samplesPerBin);
            const float *image = in + batchIndices.intAt(r) * channels * plane;
            float *roiOut = dst + r * channels * bins;
            for (int64_t c = 0; c < channels; ++c)
                poolChannel(image + c * plane, taps, samplesPerBin, roiOut + c * bins);
        }
        return Status::ok();
    }

private:
    // Taps of every sample, bin after bin (samplesPerBin each).
    void planTaps(const float *roi, int64_t height, int64_t width, std::vector<Tap> &taps,
                  int64_t &samplesPerBin) const
    {
        const float offset = m_s.halfPixel ? 0.5f : 0.0f;
        const float startX = roi[0] * m_s.spatialScale - offset;
        const float startY = roi[1] * m_s.spatialScale - offset;
        float roiWidth = roi[2] * m_s.spatialScale - offset - startX;
        float roiHeight = roi[3] * m_s.spatialScale - offset - startY;
        if (!m_s.halfPixel) {
            roiWidth = std::max(roiWidth, 1.0f);
            roiHeight = std::max(roiHeight, 1.0f);
        }
        const float binHeight = roiHeight / float(m_s.outHeight);
        const float binWidth = roiWidth / float(m_s.outWidth);
        const int64_t gridY = m_s.samplingRatio > 0 ? m_s.samplingRatio
                                                    : int64_t(std::ceil(roiHeight / m_s.outHeight));
        const int64_t gridX = m_s.samplingRatio > 0 ? m_s.samplingRatio
                                                    : int64_t(std::ceil(roiWidth / m_s.outWidth));
        samplesPerBin = std::max<int64_t>(gridY, 0) * std::max<int64_t>(gridX, 0);
        taps.clear();
        taps.reserve(static_cast<size_t>(m_s.outHeight * m_s.outWidth * samplesPerBin));
        for (int64_t ph = 0; ph < m_s.outHeight; ++ph) {
            for (int64_t pw = 0; pw < m_s.outWidth; ++pw) {
                for (int64_t iy = 0; iy < gridY; ++iy) {
                    const float y = startY + float(ph) * binHeight
                                    + (float(iy) + 0.5f) * binHeight / float(gridY);
                    for (int64_t ix = 0; ix < gridX; ++ix) {
                        const float x = startX + float(pw) * binWidth
                                        + (float(ix) + 0.5f) * binWidth / float(gridX);
                        taps.push_back(bilinearTap(y, x, height, width));
                    }
                }
            }
        }
    }

    void poolChannel(const float *image, const std::vector<Tap> &taps, int64_t samplesPerBin,
                     float *out) const
    {
        const int64_t bins = m_s.outHeight * m_s.outWidth;
        const float norm = 1.0f / float(std::max<int64_t>(samplesPerBin, 1));
        const Tap *tap = taps.data();
        for (int64_t bin = 0; bin < bins; ++bin) {
            float sum = 0.0f;
            float best = 0.0f;
            for (int64_t s = 0; s < samplesPerBin; ++s, ++tap) {
                const float v0 = tap->weights[0] * image[tap->offsets[0]];
                const float v1 = tap->weights[1] * image[tap->offsets[1]];
                const float v2 = tap->weights[2] * image[tap->offsets[2]];
                const float v3 = tap->weights[3] * image[tap->offsets[3]];
                if (m_s.maxMode) {
                    // ONNX Runtime's max mode: the largest weighted tap, over all samples.
                    const float v = std::max(std::max(v0, v1), std::max(v2, v3));
                    best = s == 0 ? v : std::max(best, v);
                } else {
                    sum += v0 + v1 + v2 + v3;
                }
            }
            out[bin] = m_s.maxMode ? best : sum * norm;
        }
    }

    RoiAlignSettings m_s;
};

} // namespace

Result<std::unique_ptr<Kernel>> createRoiAlign(const KernelInfo &info)
{
    RoiAlignSettings s;
    Result<std::string> mode = info.getString("mode", "avg");
    Result<std::string> transform = info.getString("coordinate_transformation_mode",
                                                   info.opsetVersion() >= 16 ? "half_pixel"
                                                                             : "output_half_pixel");
    Result<int64_t> outHeight = info.getInt("output_height", 1);
    Result<int64_t> outWidth = info.getInt("output_width", 1);
    Result<int64_t> samplingRatio = info.getInt("sampling_ratio", 0);
    Result<float> spatialScale = info.getFloat("spatial_scale", 1.0f);
    for (const Status &status : {mode.status(), transform.status(), outHeight.status(),
                                 outWidth.status(), samplingRatio.status(), spatialScale.status()})
        QS_RETURN_IF_ERROR(status);
    if (*mode != "avg" && *mode != "max")
        return info.error("mode must be avg or max but is '" + *mode + "'");
    if (*transform != "half_pixel" && *transform != "output_half_pixel")
        return info.error("coordinate_transformation_mode must be half_pixel or "
                          "output_half_pixel but is '"
                          + *transform + "'");
    if (*outHeight < 1 || *outWidth < 1 || *samplingRatio < 0)
        return info.error("output_height and output_width must be >= 1 and sampling_ratio >= 0");
    s.maxMode = *mode == "max";
    s.halfPixel = *transform == "half_pixel";
    s.outHeight = *outHeight;
    s.outWidth = *outWidth;
    s.samplingRatio = *samplingRatio;
    s.spatialScale = *spatialScale;
    return makeKernel<RoiAlignKernel>(s);
}

} // namespace qs::ops
