#pragma once
// Image files -> input tensors, as ImagePreprocessing says (size, channel order, pixel range,
// mean/std, layout). The only place in core that uses Qt (QtGui's QImage, which reads files
// without a QGuiApplication): the rest of core stays Qt-free.

#include "data/sample_source.h"

#include <string>
#include <vector>

namespace qs {

// The largest image decode() reads, in pixels (width x height, as the file's header declares
// them): 64 megapixels, e.g. 8192 x 8192, above any camera photo a calibration set holds. Larger
// files are refused before decoding: a 30000 x 30000 PNG of a few kilobytes would otherwise
// decode into gigabytes. It is also Qt's own default allocation limit (256 MB at 4 bytes a
// pixel), which decode() sets to match, so that both say the same.
inline constexpr int64_t kMaxImagePixels = int64_t(64) * 1024 * 1024;
// The largest image file decode() reads (it reads the whole file once, then decodes from
// memory): no compressed photo of kMaxImagePixels comes near it.
inline constexpr int64_t kMaxImageFileBytes = int64_t(256) * 1024 * 1024;

// File extensions (lower case, no dot) that decode here: png, jpg, jpeg, bmp, and webp when the
// Qt image plugin for it is installed.
const std::vector<std::string> &imageExtensions();
// By extension, case-insensitive.
bool isImageFile(const std::string &path);

// The checks that need no model: sizes not negative, 1 or 3 mean/std values, no std of 0, known
// pixel range and layout. ImageDecoder::create runs it first; the GUI's preprocessing editor
// runs it on every edit, so a field is refused with the message core would give.
Status checkImagePreprocessing(const quantscope::ImagePreprocessing &prep);

class ImageDecoder
{
public:
    // Checks once, before any file is read, that `prep` is valid (checkImagePreprocessing), that
    // `input` can take an image (4-D float, 3 channels or dynamic) and that H and W come from the
    // model or from prep when the model leaves them dynamic.
    static Result<ImageDecoder> create(const InputSpec &input,
                                       const quantscope::ImagePreprocessing &prep);

    // Decodes, converts to RGB, resizes and normalizes one file: [1,3,H,W] or [1,H,W,3]. Any
    // image size is resized to the model's. The error says why the file cannot be decoded (the
    // caller adds the path): among others, an image over kMaxImagePixels, refused from its
    // header, and a JPEG cut short (libjpeg would fill it with grey).
    Result<Tensor> decode(const std::string &path) const;

    int64_t height() const { return m_height; }
    int64_t width() const { return m_width; }
    const Shape &outputShape() const { return m_shape; }

private:
    ImageDecoder() = default;

    DType m_type = DType::Float32;
    int64_t m_height = 0;
    int64_t m_width = 0;
    bool m_nhwc = false;
    bool m_bgr = false;
    float m_scale = 1.0f / 255.0f; // raw 0-255 byte -> the pixel range
    float m_mean[3] = {0.0f, 0.0f, 0.0f};
    float m_std[3] = {1.0f, 1.0f, 1.0f};
    Shape m_shape;
};

} // namespace qs
