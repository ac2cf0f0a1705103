// The FP16 converter on real models: ONNX backend test models against the float32 run on their
// own inputs, and the PaddleOCR det, rec and cls models (fetched assets).
#include "data/image_decoder.h"
#include "quant/fp16_test_support.h"

namespace qs {
namespace {

using namespace qs::test;
using namespace qs::fp16test;

// ONNX backend test models, converted, against the float32 run on their own inputs.
TEST(Fp16, BackendTestModels)
{
    const std::string root = "/usr/share/libonnx-testdata/data/";
    for (const char *name :
         {"node/test_conv_with_strides_padding", "pytorch-converted/test_Conv2d_groups",
          "pytorch-converted/test_BatchNorm2d_eval", "pytorch-converted/test_Linear",
          "pytorch-converted/test_Softmax", "pytorch-converted/test_MaxPool2d",
          "pytorch-converted/test_AvgPool2d", "pytorch-converted/test_ConvTranspose2d",
          "node/test_gemm_default_matrix_bias", "node/test_layer_normalization_4d_axis1"}) {
        SCOPED_TRACE(name);
        const std::string dir = root + name + "/";
        auto model = Model::load(dir + "model.onnx");
        ASSERT_TRUE(model) << model.status().message();
        std::map<std::string, Tensor> inputs;
        const auto &graphInputs = (*model)->index().mainGraph().inputs;
        for (size_t i = 0; i < graphInputs.size(); ++i) {
            auto tensor
                = readTensorProtoFile(dir + "test_data_set_0/input_" + std::to_string(i) + ".pb");
            ASSERT_TRUE(tensor) << tensor.status().message();
            inputs[graphInputs[i].name] = *tensor;
        }
        for (const bool keepIo : {false, true}) {
            auto result = convertToFloat16(**model, options(keepIo), silentProgress());
            ASSERT_TRUE(result) << result.status().message();
            expectValidModel(result->model);
            expectNoCastChains(result->model);
            auto converted = load(result->model);
            ASSERT_TRUE(converted);
            expectClose(run(*model, inputs), run(converted, inputs), 0.999);
        }
    }
}

std::string ocrModel(const std::string &file)
{
    const char *cache = std::getenv("QS_CACHE_DIR");
    const std::string home = std::getenv("HOME") ? std::getenv("HOME") : ".";
    const std::string dir = cache ? std::string(cache) : home + "/.cache/quantscope";
    return dir + "/ocr-models/assets/" + file;
}

// A page-like input: light background with dark strokes in text lines, normalized the way
// PaddleOCR feeds its models, with seeded noise. Uniform noise alone makes the detector answer
// probabilities of 1e-16..1e-7, below float16's smallest subnormal, so comparing those would
// measure underflow rather than the conversion (that case is checked with an absolute bound).
Tensor pageInput(const Shape &shape, bool strokes)
{
    std::mt19937_64 generator(42);
    std::uniform_real_distribution<float> noise(0.0f, 1.0f);
    Tensor tensor = Tensor::allocate(DType::Float32, shape);
    float *data = tensor.mutableData<float>();
    const int64_t height = shape[2], width = shape[3];
    for (int64_t c = 0; c < shape[0] * shape[1]; ++c) {
        for (int64_t h = 0; h < height; ++h) {
            for (int64_t w = 0; w < width; ++w) {
                const bool ink = strokes && h % 16 > 5 && h % 16 < 11 && w % 8 < 5 && w > 8
                                 && w < width - 8;
                const float pixel = (ink ? 0.1f : 0.9f) + 0.05f * noise(generator);
                data[(c * height + h) * width + w] = (pixel - 0.5f) / 0.5f;
            }
        }
    }
    return tensor;
}

NamedTensors runOcr(const std::shared_ptr<const Model> &model, const Tensor &input)
{
    auto session = Session::create(model, sessionOptions(1));
    EXPECT_TRUE(session) << session.status().message();
    if (!session)
        return {};
    auto outputs = (*session)->run({{"x", input}});
    EXPECT_TRUE(outputs) << outputs.status().message();
    return outputs ? *outputs : NamedTensors{};
}

// Converts with keep_io_types (the way the models are deployed) and compares on `input`. Over a
// whole network float16's rounding adds up: `maxRelativeError` is the model's own bound.
void comparePaddleOcr(const std::string &file, const Tensor &input, double maxRelativeError)
{
    SCOPED_TRACE(file);
    auto model = Model::load(ocrModel(file));
    ASSERT_TRUE(model) << model.status().message();
    auto result = convertToFloat16(**model, options(true), silentProgress());
    ASSERT_TRUE(result) << result.status().message();
    expectValidModel(result->model);
    expectNoCastChains(result->model);
    EXPECT_GT(result->convertedTensors, 200);
    auto converted = load(result->model);
    ASSERT_TRUE(converted);
    const NamedTensors expected = runOcr(*model, input), actual = runOcr(converted, input);
    expectClose(expected, actual, 0.999, maxRelativeError);
}

TEST(Fp16, PaddleOcrDetection)
{
    // Measured 0.024 of the output's range.
    comparePaddleOcr("ch_PP-OCRv4_det_infer.onnx", pageInput({1, 3, 64, 96}, true), 0.04);
}

std::string photo(const std::string &file)
{
    const char *cache = std::getenv("QS_CACHE_DIR");
    const std::string home = std::getenv("HOME") ? std::getenv("HOME") : ".";
    return (cache ? std::string(cache) : home + "/.cache/quantscope") + "/photos/" + file;
}

// det on a real page (skimage's page.png, a printed paragraph) at PaddleOCR's size for it (the
// longest side 640, both sides multiples of 32) and normalization. Its probability map spans
// 0..1 with text regions near 1, so an absolute bound on the error means something there; on
// uniform noise the map peaked at 9e-8 and no bound on it could fail.
TEST(Fp16, PaddleOcrDetectionOnAPhoto)
{
    auto model = Model::load(ocrModel("ch_PP-OCRv4_det_infer.onnx"));
    ASSERT_TRUE(model) << model.status().message();
    quantscope::ImagePreprocessing prep;
    prep.set_height(320);
    prep.set_width(640);
    for (const float mean : {0.485f, 0.456f, 0.406f})
        prep.add_mean(mean);
    for (const float deviation : {0.229f, 0.224f, 0.225f})
        prep.add_std(deviation);
    auto decoder = ImageDecoder::create({"x", DType::Float32, {-1, 3, -1, -1}}, prep);
    ASSERT_TRUE(decoder) << decoder.status().message();
    auto input = decoder->decode(photo("page.png"));
    ASSERT_TRUE(input) << input.status().message();

    auto result = convertToFloat16(**model, options(true), silentProgress());
    ASSERT_TRUE(result) << result.status().message();
    auto converted = load(result->model);
    ASSERT_TRUE(converted);
    const NamedTensors expected = runOcr(*model, *input);
    const NamedTensors actual = runOcr(converted, *input);
    ASSERT_EQ(expected.size(), 1u);
    ASSERT_EQ(actual.size(), 1u);
    const Tensor &want = expected[0].second, &got = actual[0].second;
    ASSERT_EQ(want.shape(), got.shape());
    double largest = 0, largestError = 0;
    int64_t textPixels = 0, masksDiffer = 0;
    for (int64_t i = 0; i < want.elementCount(); ++i) {
        largest = std::max(largest, want.doubleAt(i));
        largestError = std::max(largestError, std::fabs(want.doubleAt(i) - got.doubleAt(i)));
        textPixels += want.doubleAt(i) > 0.3;
        masksDiffer += (want.doubleAt(i) > 0.3) != (got.doubleAt(i) > 0.3);
    }
    // The page has text: a map that found none would compare equal to anything near zero.
    EXPECT_GT(largest, 0.9);
    EXPECT_GT(textPixels, want.elementCount() / 20);
    // Measured: largest error 0.066, 21 of 31152 text pixels (> 0.3) change sides, cosine
    // 0.999993.
    EXPECT_LT(largestError, 0.1);
    EXPECT_LT(masksDiffer, textPixels / 1000);
    EXPECT_GT(cosine(want, got), 0.9999);
}

TEST(Fp16, PaddleOcrRecognition)
{
    // Measured 0.022 of the output's range.
    comparePaddleOcr("ch_PP-OCRv4_rec_infer.onnx", pageInput({1, 3, 48, 320}, true), 0.04);
}

TEST(Fp16, PaddleOcrClassifier)
{
    // Measured 5.4e-6: its two probabilities are saturated.
    comparePaddleOcr("ch_ppocr_mobile_v2.0_cls_infer.onnx", pageInput({1, 3, 48, 192}, true), 2e-5);
}

} // namespace
} // namespace qs
