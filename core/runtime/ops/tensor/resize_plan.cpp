#include "runtime/ops/tensor/resize_plan.h"

#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace qs::ops {

namespace {

// The input coordinate that output coordinate x maps to (ONNX Resize-13's formulas).
double originalCoordinate(CoordinateMode mode, double x, double scale, int64_t inLen,
                          double resizedLen, double roiStart, double roiEnd)
{
    switch (mode) {
    case CoordinateMode::HalfPixel: return (x + 0.5) / scale - 0.5;
    case CoordinateMode::PytorchHalfPixel: return resizedLen > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
    case CoordinateMode::AlignCorners:
        return resizedLen == 1 ? 0.0 : x * static_cast<double>(inLen - 1) / (resizedLen - 1);
    case CoordinateMode::Asymmetric: return x / scale;
    case CoordinateMode::TfHalfPixelForNearest: return (x + 0.5) / scale;
    case CoordinateMode::TfCropAndResize: {
        const double span = static_cast<double>(inLen - 1);
        if (resizedLen > 1)
            return roiStart * span + x * (roiEnd - roiStart) * span / (resizedLen - 1);
        return 0.5 * (roiStart + roiEnd) * span;
    }
    }
    return x;
}

int64_t nearestIndex(double x, NearestMode mode, double scale)
{
    const double lower = std::floor(x);
    switch (mode) {
    case NearestMode::RoundPreferFloor:
        return static_cast<int64_t>(x - lower <= 0.5 ? lower : lower + 1);
    case NearestMode::RoundPreferCeil:
        return static_cast<int64_t>(x - lower < 0.5 ? lower : lower + 1);
    case NearestMode::Floor: return static_cast<int64_t>(lower);
    case NearestMode::Ceil: return static_cast<int64_t>(std::ceil(x));
    case NearestMode::Simple: return static_cast<int64_t>(scale < 1 ? std::ceil(x) : lower);
    }
    return static_cast<int64_t>(lower);
}

std::array<double, 4> cubicCoefficients(double r, double a)
{
    auto near = [a](double t) { return ((a + 2) * t - (a + 3)) * t * t + 1; };      // |t| <= 1
    auto far = [a](double t) { return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a; }; // 1 < |t| < 2
    return {far(r + 1), near(r), near(1 - r), far(2 - r)};
}

// Merges taps so an axis where each output reads one source becomes a 1-tap axis.
void simplifyTaps(AxisTaps &axis, int64_t inLen, int64_t outLen)
{
    if (axis.taps > 1) {
        bool single = true;
        for (int64_t o = 0; o < outLen && single; ++o) {
            int nonZero = 0;
            for (int64_t t = 0; t < axis.taps; ++t)
                nonZero += axis.weight[static_cast<size_t>(o * axis.taps + t)] != 0.0f;
            single = nonZero <= 1;
        }
        if (single) {
            std::vector<int64_t> index(static_cast<size_t>(outLen), 0);
            std::vector<float> weight(static_cast<size_t>(outLen), 0.0f);
            for (int64_t o = 0; o < outLen; ++o) {
                for (int64_t t = 0; t < axis.taps; ++t) {
                    const auto k = static_cast<size_t>(o * axis.taps + t);
                    if (axis.weight[k] != 0.0f) {
                        index[static_cast<size_t>(o)] = axis.index[k];
                        weight[static_cast<size_t>(o)] = axis.weight[k];
                    }
                }
            }
            axis.index = std::move(index);
            axis.weight = std::move(weight);
            axis.taps = 1;
        }
    }
    axis.identity = axis.taps == 1 && inLen == outLen && !axis.anyOutside;
    for (int64_t o = 0; o < outLen && axis.identity; ++o)
        axis.identity = axis.index[static_cast<size_t>(o)] == o
                        && axis.weight[static_cast<size_t>(o)] == 1.0f;
}

AxisTaps buildAxisTaps(const ResizeOptions &options, int64_t inLen, int64_t outLen, double scale,
                       double resizedLen, double roiStart, double roiEnd)
{
    AxisTaps axis;
    axis.taps = options.mode == ResizeMode::Nearest  ? 1
                : options.mode == ResizeMode::Linear ? 2
                                                     : 4;
    axis.index.assign(static_cast<size_t>(outLen * axis.taps), 0);
    axis.weight.assign(static_cast<size_t>(outLen * axis.taps), 0.0f);
    axis.outside.assign(static_cast<size_t>(outLen), 0);
    const bool crop = options.coordinates == CoordinateMode::TfCropAndResize;
    const int64_t last = std::max<int64_t>(inLen - 1, 0);
    for (int64_t o = 0; o < outLen; ++o) {
        const double x = originalCoordinate(options.coordinates, static_cast<double>(o), scale,
                                            inLen, resizedLen, roiStart, roiEnd);
        int64_t *index = &axis.index[static_cast<size_t>(o * axis.taps)];
        float *weight = &axis.weight[static_cast<size_t>(o * axis.taps)];
        if (crop && (x < 0 || x > static_cast<double>(last))) {
            axis.outside[static_cast<size_t>(o)] = 1;
            axis.anyOutside = true;
            continue;
        }
        if (options.mode == ResizeMode::Nearest) {
            index[0] = std::clamp<int64_t>(nearestIndex(x, options.nearest, scale), 0, last);
            weight[0] = 1.0f;
        } else if (options.mode == ResizeMode::Linear) {
            const double clamped = std::clamp(x, 0.0, static_cast<double>(last));
            const auto x0 = static_cast<int64_t>(std::floor(clamped));
            const double w1 = clamped - static_cast<double>(x0);
            index[0] = x0;
            index[1] = std::min(x0 + 1, last);
            weight[0] = static_cast<float>(1.0 - w1);
            weight[1] = static_cast<float>(w1);
        } else {
            const double x0 = std::floor(x);
            std::array<double, 4> c = cubicCoefficients(x - x0, options.cubicA);
            double sum = 0;
            for (int t = 0; t < 4; ++t) {
                const auto i = static_cast<int64_t>(x0) - 1 + t;
                if (options.excludeOutside && (i < 0 || i > last))
                    c[static_cast<size_t>(t)] = 0;
                sum += c[static_cast<size_t>(t)];
                index[t] = std::clamp<int64_t>(i, 0, last);
            }
            for (int t = 0; t < 4; ++t) {
                const double w = c[static_cast<size_t>(t)];
                weight[t] = static_cast<float>(options.excludeOutside && sum != 0 ? w / sum : w);
            }
        }
    }
    simplifyTaps(axis, inLen, outLen);
    return axis;
}

// Offsets and weights of the taps of every axis but the last, for one output row; false when
// the row lies in tf_crop_and_resize's extrapolated region.
bool rowTaps(const ResizePlan &plan, int64_t row, const std::vector<int64_t> &inStrides,
             std::vector<std::pair<int64_t, float>> &combos)
{
    combos.assign(1, {0, 1.0f});
    const size_t rank = plan.outShape.size();
    std::vector<std::pair<int64_t, float>> next;
    for (size_t d = rank - 1; d-- > 0;) {
        const int64_t c = row % plan.outShape[d];
        row /= plan.outShape[d];
        const AxisTaps &axis = plan.axes[d];
        if (axis.anyOutside && axis.outside[static_cast<size_t>(c)])
            return false;
        next.clear();
        for (const auto &[offset, weight] : combos) {
            for (int64_t t = 0; t < axis.taps; ++t) {
                const auto k = static_cast<size_t>(c * axis.taps + t);
                next.emplace_back(offset + axis.index[k] * inStrides[d], weight * axis.weight[k]);
            }
        }
        combos.swap(next);
    }
    return true;
}

} // namespace

ResizePlan makeResizePlan(const ResizeOptions &options, const Shape &inShape, const Shape &outShape,
                          const std::vector<double> &scales,
                          const std::vector<double> &resizedLengths, const std::vector<double> &roi)
{
    ResizePlan plan;
    plan.inShape = inShape;
    plan.outShape = outShape;
    plan.extrapolation = options.extrapolation;
    const size_t rank = inShape.size();
    for (size_t d = 0; d < rank; ++d) {
        const double roiStart = roi.size() == 2 * rank ? roi[d] : 0.0;
        const double roiEnd = roi.size() == 2 * rank ? roi[d + rank] : 1.0;
        plan.axes.push_back(buildAxisTaps(options, inShape[d], outShape[d], scales[d],
                                          resizedLengths[d], roiStart, roiEnd));
    }
    return plan;
}

void resizeGeneral(const ResizePlan &plan, const float *in, float *out, int threads)
{
    const int64_t total = shapeElementCount(plan.outShape);
    if (total == 0 || plan.outShape.empty())
        return;
    const std::vector<int64_t> inStrides = contiguousStrides(plan.inShape);
    const AxisTaps &lastAxis = plan.axes.back();
    const int64_t width = plan.outShape.back();
    const int64_t rows = total / width;
    const int64_t lastStride = inStrides.back();
#pragma omp parallel num_threads(threads) if (total > 16384)
    {
        std::vector<std::pair<int64_t, float>> combos;
#pragma omp for schedule(static)
        for (int64_t row = 0; row < rows; ++row) {
            float *dst = out + row * width;
            if (!rowTaps(plan, row, inStrides, combos)) {
                std::fill(dst, dst + width, plan.extrapolation);
                continue;
            }
            for (int64_t x = 0; x < width; ++x) {
                if (lastAxis.anyOutside && lastAxis.outside[static_cast<size_t>(x)]) {
                    dst[x] = plan.extrapolation;
                    continue;
                }
                float sum = 0.0f;
                for (const auto &[offset, weight] : combos) {
                    for (int64_t t = 0; t < lastAxis.taps; ++t) {
                        const auto k = static_cast<size_t>(x * lastAxis.taps + t);
                        sum += weight * lastAxis.weight[k]
                               * in[offset + lastAxis.index[k] * lastStride];
                    }
                }
                dst[x] = sum;
            }
        }
    }
}

bool isGatherPlan(const ResizePlan &plan)
{
    return std::all_of(plan.axes.begin(), plan.axes.end(), [](const AxisTaps &axis) {
        return axis.taps == 1 && !axis.anyOutside
               && std::all_of(axis.weight.begin(), axis.weight.end(),
                              [](float w) { return w == 1.0f; });
    });
}

void resizeGather(const ResizePlan &plan, const void *in, void *out, int64_t elementSize,
                  int threads)
{
    const int64_t total = shapeElementCount(plan.outShape);
    if (total == 0 || plan.outShape.empty())
        return;
    const std::vector<int64_t> inStrides = contiguousStrides(plan.inShape);
    const std::vector<int64_t> &columns = plan.axes.back().index;
    const int64_t width = plan.outShape.back();
    const int64_t rows = total / width;
    const auto *src = static_cast<const char *>(in);
    auto *dst = static_cast<char *>(out);
    const auto es = static_cast<size_t>(elementSize);
#pragma omp parallel num_threads(threads) if (total > 16384)
    {
        std::vector<std::pair<int64_t, float>> combos;
#pragma omp for schedule(static)
        for (int64_t row = 0; row < rows; ++row) {
            rowTaps(plan, row, inStrides, combos);
            const char *line = src + combos[0].first * elementSize;
            char *target = dst + row * width * elementSize;
            // Typed copies for the common sizes: a memcpy call of a runtime size per element
            // made the uint8 resizes of int8 models 8x slower than the float path.
            auto copyRow = [&](auto tag) {
                using T = decltype(tag);
                const T *from = reinterpret_cast<const T *>(line);
                T *to = reinterpret_cast<T *>(target);
                for (int64_t x = 0; x < width; ++x)
                    to[x] = from[columns[static_cast<size_t>(x)]];
            };
            if (es == 1)
                copyRow(uint8_t{});
            else if (es == 2)
                copyRow(uint16_t{});
            else if (es == 4)
                copyRow(uint32_t{});
            else if (es == 8)
                copyRow(uint64_t{});
            else
                for (int64_t x = 0; x < width; ++x)
                    std::memcpy(target + static_cast<size_t>(x) * es,
                                line + static_cast<size_t>(columns[static_cast<size_t>(x)]) * es,
                                es);
        }
    }
}

bool fast2dApplies(const ResizePlan &plan)
{
    const size_t rank = plan.outShape.size();
    if (rank < 2)
        return false;
    for (size_t d = 0; d + 2 < rank; ++d) {
        if (!plan.axes[d].identity)
            return false;
    }
    for (size_t d = rank - 2; d < rank; ++d) {
        if (plan.axes[d].taps > 2 || plan.axes[d].anyOutside)
            return false;
    }
    return true;
}

namespace {

// An axis as two taps (a 1-tap axis gets a zero second weight on the same index).
struct TwoTaps
{
    std::vector<int64_t> i0, i1;
    std::vector<float> w0, w1;
};

TwoTaps twoTaps(const AxisTaps &axis, int64_t outLen, int64_t stride)
{
    TwoTaps result;
    for (int64_t o = 0; o < outLen; ++o) {
        const auto k = static_cast<size_t>(o * axis.taps);
        result.i0.push_back(axis.index[k] * stride);
        result.w0.push_back(axis.weight[k]);
        result.i1.push_back((axis.taps > 1 ? axis.index[k + 1] : axis.index[k]) * stride);
        result.w1.push_back(axis.taps > 1 ? axis.weight[k + 1] : 0.0f);
    }
    return result;
}

} // namespace

void resizeFast2d(const ResizePlan &plan, const float *in, float *out, int threads)
{
    const size_t rank = plan.outShape.size();
    const int64_t h = plan.inShape[rank - 2], w = plan.inShape[rank - 1];
    const int64_t oh = plan.outShape[rank - 2], ow = plan.outShape[rank - 1];
    const int64_t planes = shapeElementCount(plan.outShape) / std::max<int64_t>(oh * ow, 1);
    if (planes == 0 || oh == 0 || ow == 0)
        return;
    const AxisTaps &rowsAxis = plan.axes[rank - 2];
    const AxisTaps &colsAxis = plan.axes[rank - 1];
    const TwoTaps ys = twoTaps(rowsAxis, oh, w);
    const TwoTaps xs = twoTaps(colsAxis, ow, 1);
    const bool nearest = rowsAxis.taps == 1 && colsAxis.taps == 1;
    const bool parallel = planes * oh * ow > 16384;
    // Work items are (plane, band of output rows); bands only when there are too few planes.
    const int64_t bands
        = planes >= threads ? 1 : std::min<int64_t>(oh, (threads + planes - 1) / planes);
    const int64_t items = planes * bands;
#pragma omp parallel num_threads(threads) if (parallel)
    {
        // Horizontally interpolated source rows, two slots tagged by source offset: neighbouring
        // output rows share source rows, so each is interpolated once and the vertical blend is
        // a contiguous (vectorized) pass.
        std::vector<float> buffers(nearest ? 0 : static_cast<size_t>(2 * ow));
        auto horizontal = [&](float *target, const float *row) {
            for (int64_t x = 0; x < ow; ++x) {
                const auto xi = static_cast<size_t>(x);
                target[x] = xs.w0[xi] * row[xs.i0[xi]] + xs.w1[xi] * row[xs.i1[xi]];
            }
        };
#pragma omp for schedule(static)
        for (int64_t item = 0; item < items; ++item) {
            const int64_t p = item / bands;
            const int64_t band = item % bands;
            const float *plane = in + p * h * w;
            int64_t tags[2] = {-1, -1};
            // Nearest sampling has no buffers: no pointer past an empty vector's null data().
            float *slots[2] = {buffers.data(), nearest ? nullptr : buffers.data() + ow};
            auto row = [&](int64_t source, int64_t keep) -> const float * {
                for (int k = 0; k < 2; ++k) {
                    if (tags[k] == source)
                        return slots[k];
                }
                const int k = tags[0] == keep ? 1 : 0;
                horizontal(slots[k], plane + source);
                tags[k] = source;
                return slots[k];
            };
            for (int64_t y = oh * band / bands; y < oh * (band + 1) / bands; ++y) {
                float *dst = out + (p * oh + y) * ow;
                const auto yi = static_cast<size_t>(y);
                if (nearest) {
                    const float *r0 = plane + ys.i0[yi];
                    for (int64_t x = 0; x < ow; ++x)
                        dst[x] = r0[xs.i0[static_cast<size_t>(x)]];
                    continue;
                }
                const float *top = row(ys.i0[yi], ys.i1[yi]);
                const float *bottom = row(ys.i1[yi], ys.i0[yi]);
                const float wy0 = ys.w0[yi], wy1 = ys.w1[yi];
                for (int64_t x = 0; x < ow; ++x)
                    dst[x] = wy0 * top[x] + wy1 * bottom[x];
            }
        }
    }
}

} // namespace qs::ops
