#include "data/image_decoder.h"

#include <QBuffer>
#include <QByteArray>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QString>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace qs {

namespace {

std::string inputLabel(const InputSpec &input)
{
    return "input '" + input.name + "' " + shapeToString(input.shape);
}

// The model's size for an axis wins; prep only fills in what the model leaves dynamic, and a
// different value in prep would make tensors the model rejects, so it is an error here instead.
// prepValue is not negative (checkImagePreprocessing).
Result<int64_t> resolveSize(const InputSpec &input, int64_t modelDim, int32_t prepValue,
                            const char *what)
{
    if (modelDim >= 0) {
        if (prepValue != 0 && prepValue != modelDim)
            return invalidArgument(inputLabel(input) + " has " + what + " "
                                   + std::to_string(modelDim) + ", but the preprocessing asks for "
                                   + std::to_string(prepValue));
        return modelDim;
    }
    if (prepValue == 0)
        return invalidArgument(inputLabel(input) + " has a dynamic " + what
                               + ": set the image height and width in the preprocessing");
    return int64_t(prepValue);
}

Status checkSize(int32_t value, const char *what)
{
    if (value < 0)
        return invalidArgument(std::string("preprocessing ") + what + " " + std::to_string(value)
                               + " is negative");
    return Status::ok();
}

Status checkPerChannel(const google::protobuf::RepeatedField<float> &values, const char *what)
{
    if (!values.empty() && values.size() != 1 && values.size() != 3)
        return invalidArgument(std::string("preprocessing ") + what + " has "
                               + std::to_string(values.size())
                               + " values; give 1 (all channels) or 3 (R, G, B)");
    return Status::ok();
}

// Fills `values` (1 or 3 per-channel numbers, or none: `out` keeps its defaults) into `out`.
void perChannel(const google::protobuf::RepeatedField<float> &values, float (&out)[3])
{
    if (values.empty())
        return;
    for (int c = 0; c < 3; ++c)
        out[c] = values.size() == 1 ? values[0] : values[c];
}

template<typename T>
void storePixels(const QImage &rgb, Tensor &tensor, bool nhwc, bool bgr, float scale,
                 const float (&mean)[3], const float (&stddev)[3])
{
    const int64_t height = rgb.height();
    const int64_t width = rgb.width();
    const int64_t plane = height * width;
    T *out = tensor.mutableData<T>();
    for (int64_t y = 0; y < height; ++y) {
        const uchar *line = rgb.constScanLine(int(y));
        for (int64_t x = 0; x < width; ++x) {
            for (int c = 0; c < 3; ++c) {
                // Channel c of the tensor; in BGR order it reads the image's channel 2 - c.
                const float raw = line[x * 3 + (bgr ? 2 - c : c)];
                const float value = (raw * scale - mean[c]) / stddev[c];
                const int64_t index = nhwc ? (y * width + x) * 3 + c : c * plane + y * width + x;
                out[index] = T(value);
            }
        }
    }
}

// A JPEG whose last scan (the last SOS marker, FF DA) is not followed by the end-of-image
// marker (FF D9). libjpeg decodes such a file, fills the missing rows with grey and only warns,
// so it would calibrate on an image that is partly made up. Inside a scan FF is always followed
// by 00 or a restart marker, so an FF D9 after the last SOS is the real end.
bool looksLikeTruncatedJpeg(const QByteArray &bytes)
{
    if (!bytes.startsWith("\xff\xd8"))
        return false; // not a JPEG: its own decoder judges it
    const qsizetype lastScan = bytes.lastIndexOf(QByteArrayView("\xff\xda", 2));
    if (lastScan < 0)
        return false; // no scan at all: the decoder fails on it with its own reason
    return bytes.indexOf(QByteArrayView("\xff\xd9", 2), lastScan) < 0;
}

} // namespace

const std::vector<std::string> &imageExtensions()
{
    static const std::vector<std::string> extensions = [] {
        std::vector<std::string> list = {"png", "jpg", "jpeg", "bmp"};
        // WebP comes from an optional Qt plugin (qt6-image-formats-plugins).
        if (QImageReader::supportedImageFormats().contains("webp"))
            list.push_back("webp");
        return list;
    }();
    return extensions;
}

bool isImageFile(const std::string &path)
{
    std::string extension = std::filesystem::path(path).extension().string();
    if (extension.size() < 2)
        return false;
    extension.erase(0, 1);
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char ch) { return char(std::tolower(ch)); });
    const auto &known = imageExtensions();
    return std::find(known.begin(), known.end(), extension) != known.end();
}

Status checkImagePreprocessing(const quantscope::ImagePreprocessing &prep)
{
    QS_RETURN_IF_ERROR(checkSize(prep.height(), "height"));
    QS_RETURN_IF_ERROR(checkSize(prep.width(), "width"));
    // Open proto3 enums: a recipe may hold a number no enum value names.
    if (!quantscope::PixelRange_IsValid(prep.pixel_range()))
        return invalidArgument("preprocessing pixel_range " + std::to_string(prep.pixel_range())
                               + " is not a known pixel range");
    if (!quantscope::TensorLayout_IsValid(prep.layout()))
        return invalidArgument("preprocessing layout " + std::to_string(prep.layout())
                               + " is not a known layout");
    QS_RETURN_IF_ERROR(checkPerChannel(prep.mean(), "mean"));
    QS_RETURN_IF_ERROR(checkPerChannel(prep.std(), "std"));
    for (float value : prep.std()) {
        if (value == 0.0f)
            return invalidArgument("preprocessing std has a 0, which would divide by zero");
    }
    return Status::ok();
}

Result<ImageDecoder> ImageDecoder::create(const InputSpec &input,
                                          const quantscope::ImagePreprocessing &prep)
{
    QS_RETURN_IF_ERROR(checkImagePreprocessing(prep));
    if (input.shape.size() != 4)
        return invalidArgument(inputLabel(input) + " is not a 4-D image input");
    if (!isFloatingDType(input.type))
        return invalidArgument(inputLabel(input) + " is " + dtypeName(input.type)
                               + "; images need a float input");

    ImageDecoder decoder;
    decoder.m_type = input.type;
    decoder.m_nhwc = prep.layout() == quantscope::TENSOR_LAYOUT_NHWC;
    decoder.m_bgr = prep.bgr();
    if (prep.pixel_range() == quantscope::PIXEL_RANGE_0_255)
        decoder.m_scale = 1.0f;

    const Shape &shape = input.shape;
    const size_t channelAxis = decoder.m_nhwc ? 3 : 1;
    if (shape[channelAxis] >= 0 && shape[channelAxis] != 3)
        return invalidArgument(inputLabel(input) + " has " + std::to_string(shape[channelAxis])
                               + " channels on axis " + std::to_string(channelAxis) + " ("
                               + (decoder.m_nhwc ? "NHWC" : "NCHW")
                               + " layout); images give 3 (is the layout right?)");
    if (shape[0] > 1)
        return invalidArgument(inputLabel(input) + " has a fixed batch of "
                               + std::to_string(shape[0]) + "; an image sample has batch 1");

    const size_t heightAxis = decoder.m_nhwc ? 1 : 2;
    auto height = resolveSize(input, shape[heightAxis], prep.height(), "height");
    if (!height)
        return height.status();
    auto width = resolveSize(input, shape[heightAxis + 1], prep.width(), "width");
    if (!width)
        return width.status();
    decoder.m_height = *height;
    decoder.m_width = *width;
    if (decoder.m_height == 0 || decoder.m_width == 0)
        return invalidArgument(inputLabel(input) + " has an empty image size");

    perChannel(prep.mean(), decoder.m_mean);
    perChannel(prep.std(), decoder.m_std);

    decoder.m_shape = decoder.m_nhwc ? Shape{1, decoder.m_height, decoder.m_width, 3}
                                     : Shape{1, 3, decoder.m_height, decoder.m_width};
    return decoder;
}

Result<Tensor> ImageDecoder::decode(const std::string &path) const
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return invalidArgument("cannot open the file (" + file.errorString().toStdString() + ")");
    if (file.size() > kMaxImageFileBytes)
        return invalidArgument(
            "the file has " + std::to_string(file.size()) + " bytes, more than the limit of "
            + std::to_string(kMaxImageFileBytes / (1024 * 1024)) + " MB for an image");
    const QByteArray bytes = file.readAll();
    if (looksLikeTruncatedJpeg(bytes))
        return invalidArgument("the JPEG data ends before its end-of-image marker (a truncated "
                               "file)");
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAllocationLimit(int(kMaxImagePixels * 4 / (1024 * 1024)));
    // The header's size, read before any pixel: an image bomb is refused here, not after
    // allocating for it. An invalid size (no readable header) leaves the error to read().
    const QSize declared = reader.size();
    if (declared.isValid()
        && int64_t(declared.width()) * int64_t(declared.height()) > kMaxImagePixels)
        return invalidArgument("the image declares " + std::to_string(declared.width()) + "x"
                               + std::to_string(declared.height())
                               + " pixels, more than the limit of "
                               + std::to_string(kMaxImagePixels / (1024 * 1024))
                               + " megapixels for calibration and evaluation images");
    QImage image = reader.read();
    if (image.isNull())
        return invalidArgument(reader.errorString().toStdString());

    const int width = int(m_width);
    const int height = int(m_height);
    if (image.width() != width || image.height() != height)
        image = image.scaled(width, height, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    // One byte per channel, no alpha; grayscale and palette images become RGB here.
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    if (rgb.isNull())
        return internalError("cannot convert the image to RGB");

    Tensor tensor = Tensor::allocate(m_type, m_shape);
    switch (m_type) {
    case DType::Float32:
        storePixels<float>(rgb, tensor, m_nhwc, m_bgr, m_scale, m_mean, m_std);
        return tensor;
    case DType::Float64:
        storePixels<double>(rgb, tensor, m_nhwc, m_bgr, m_scale, m_mean, m_std);
        return tensor;
    case DType::Float16:
        storePixels<Eigen::half>(rgb, tensor, m_nhwc, m_bgr, m_scale, m_mean, m_std);
        return tensor;
    case DType::BFloat16:
        storePixels<Eigen::bfloat16>(rgb, tensor, m_nhwc, m_bgr, m_scale, m_mean, m_std);
        return tensor;
    default: // create() admits float types only
        return internalError("image tensors of type " + dtypeName(m_type) + " are not supported");
    }
}

} // namespace qs
