#pragma once
// The arithmetic of Resize / Upsample, apart from the kernel so tests can run the general and
// the fast path on the same plan. Interpolation is separable: every axis gets a table of source
// indices and weights per output coordinate (1 tap for nearest, 2 for linear, 4 for cubic),
// built once per shape; an output value is the weighted sum over the product of its axes' taps.

#include "tensor/tensor.h"

#include <cstdint>
#include <vector>

namespace qs::ops {

enum class ResizeMode { Nearest, Linear, Cubic };
enum class CoordinateMode {
    HalfPixel,
    PytorchHalfPixel,
    AlignCorners,
    Asymmetric,
    TfHalfPixelForNearest,
    TfCropAndResize,
};
// Simple is Resize-10 / Upsample's rule: floor when upsampling, ceil when downsampling.
enum class NearestMode { RoundPreferFloor, RoundPreferCeil, Floor, Ceil, Simple };

struct ResizeOptions
{
    ResizeMode mode = ResizeMode::Nearest;
    CoordinateMode coordinates = CoordinateMode::HalfPixel;
    NearestMode nearest = NearestMode::RoundPreferFloor;
    double cubicA = -0.75;
    bool excludeOutside = false;
    float extrapolation = 0.0f;
};

struct AxisTaps
{
    int64_t taps = 1;             // taps per output coordinate
    std::vector<int64_t> index;   // [output * taps] source indices, inside [0, input)
    std::vector<float> weight;    // [output * taps]
    std::vector<uint8_t> outside; // [output] 1 where tf_crop_and_resize extrapolates
    bool identity = false;        // output == input and every output copies its own index
    bool anyOutside = false;
};

struct ResizePlan
{
    Shape inShape;
    Shape outShape;
    std::vector<AxisTaps> axes;
    float extrapolation = 0.0f;
};

// `scales[d]` is output/input for axis d; `resizedLengths[d]` the (possibly fractional) output
// length the coordinate transforms divide by (input * scale, or the requested size); `roi` holds
// rank starts then rank ends (only read for tf_crop_and_resize).
ResizePlan makeResizePlan(const ResizeOptions &options, const Shape &inShape, const Shape &outShape,
                          const std::vector<double> &scales,
                          const std::vector<double> &resizedLengths,
                          const std::vector<double> &roi);

// Any plan, float32 data.
void resizeGeneral(const ResizePlan &plan, const float *in, float *out, int threads);
// Every axis a single in-range tap (nearest without extrapolation): a pure gather, any dtype.
bool isGatherPlan(const ResizePlan &plan);
void resizeGather(const ResizePlan &plan, const void *in, void *out, int64_t elementSize,
                  int threads);
// Leading axes untouched, the last two resized with at most 2 taps and no extrapolation (the
// NCHW nearest / bilinear case): planes x rows in parallel.
bool fast2dApplies(const ResizePlan &plan);
void resizeFast2d(const ResizePlan &plan, const float *in, float *out, int threads);

} // namespace qs::ops
