// Calibration/evaluation data sources: image preprocessing, the folder kinds, skipping corrupt
// images, shape errors, maxSamples, rewind and the random source.
#include "data/folder_sources.h"
#include "data/sample_source.h"
#include "model/model.h"
#include "runtime/session.h"
#include "support/temp_dir.h"
#include "tensor/tensor_io.h"

#include <QColor>
#include <QImage>

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <random>

namespace qs {
namespace {

using namespace qs::test;
namespace fs = std::filesystem;

const std::string kBackendTestAdd = "/usr/share/libonnx-testdata/data/node/test_add";

// Pixels (x, y): (0,0) red, (1,0) green, (0,1) blue, (1,1) (10, 20, 30).
QImage fourColorImage()
{
    QImage image(2, 2, QImage::Format_RGB888);
    image.setPixelColor(0, 0, QColor(255, 0, 0));
    image.setPixelColor(1, 0, QColor(0, 255, 0));
    image.setPixelColor(0, 1, QColor(0, 0, 255));
    image.setPixelColor(1, 1, QColor(10, 20, 30));
    return image;
}

QImage solidImage(int width, int height, QColor color)
{
    QImage image(width, height, QImage::Format_RGB888);
    image.fill(color);
    return image;
}

void saveImage(const QImage &image, const std::string &path)
{
    ASSERT_TRUE(image.save(QString::fromStdString(path))) << path;
}

std::string randomBytes(size_t count)
{
    std::mt19937 generator(7);
    std::string bytes(count, '\0');
    for (char &byte : bytes)
        byte = char(generator() & 0xff);
    return bytes;
}

void writeTensorProto(const Tensor &tensor, const std::string &path, const std::string &name = {})
{
    onnx::TensorProto proto;
    tensorToProto(tensor, proto);
    proto.set_name(name);
    std::string bytes;
    ASSERT_TRUE(proto.SerializeToString(&bytes));
    std::ofstream(path, std::ios::binary) << bytes;
}

Tensor filled(Shape shape, float value)
{
    std::vector<float> values(size_t(shapeElementCount(shape)), value);
    return Tensor::fromVector<float>(std::move(shape), values);
}

std::vector<float> floats(const Tensor &tensor)
{
    auto values = tensor.values<float>();
    return {values.begin(), values.end()};
}

InputSpec floatInput(const std::string &name, Shape shape)
{
    return {name, DType::Float32, std::move(shape)};
}

std::unique_ptr<SampleSource> openOrFail(const std::string &dir,
                                         const std::vector<InputSpec> &inputs,
                                         const quantscope::ImagePreprocessing &prep = {},
                                         int64_t maxSamples = 0)
{
    auto source = openDataFolder(dir, inputs, prep, maxSamples);
    EXPECT_TRUE(source.isOk()) << source.status().message();
    return source.isOk() ? std::move(source).value() : nullptr;
}

// Every sample's origin (file name only) until the end; an error fails the test.
std::vector<std::string> drain(SampleSource &source)
{
    std::vector<std::string> origins;
    while (true) {
        auto sample = source.next();
        EXPECT_TRUE(sample.isOk()) << sample.status().message();
        if (!sample.isOk() || !sample->has_value())
            return origins;
        origins.push_back(fs::path((*sample)->origin).filename().string());
    }
}

// The one tensor of the first sample from a folder holding only `image`.
Tensor decodeOne(const QImage &image, const InputSpec &input,
                 const quantscope::ImagePreprocessing &prep)
{
    TempDir dir;
    saveImage(image, dir.file("image.png"));
    auto source = openOrFail(dir.path(), {input}, prep);
    if (!source)
        return {};
    auto sample = source->next();
    EXPECT_TRUE(sample.isOk() && sample->has_value()) << sample.status().message();
    if (!sample.isOk() || !sample->has_value())
        return {};
    return (*sample)->inputs.at(input.name);
}

// ---- image preprocessing ----

TEST(ImageSource, DefaultsAreRgbNchwInZeroToOne)
{
    const Tensor tensor = decodeOne(fourColorImage(), floatInput("x", {1, 3, 2, 2}), {});
    ASSERT_EQ(tensor.shape(), (Shape{1, 3, 2, 2}));
    const float k = 1.0f / 255.0f;
    EXPECT_EQ(floats(tensor), (std::vector<float>{1, 0, 0, 10 * k,    // R plane
                                                  0, 1, 0, 20 * k,    // G plane
                                                  0, 0, 1, 30 * k})); // B plane
}

TEST(ImageSource, NhwcInterleavesChannels)
{
    quantscope::ImagePreprocessing prep;
    prep.set_layout(quantscope::TENSOR_LAYOUT_NHWC);
    prep.set_pixel_range(quantscope::PIXEL_RANGE_0_255);
    const Tensor tensor = decodeOne(fourColorImage(), floatInput("x", {1, 2, 2, 3}), prep);
    ASSERT_EQ(tensor.shape(), (Shape{1, 2, 2, 3}));
    EXPECT_EQ(floats(tensor), (std::vector<float>{255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30}));
}

TEST(ImageSource, BgrSwapsRedAndBlue)
{
    quantscope::ImagePreprocessing prep;
    prep.set_bgr(true);
    prep.set_pixel_range(quantscope::PIXEL_RANGE_0_255);
    const Tensor tensor = decodeOne(fourColorImage(), floatInput("x", {1, 3, 2, 2}), prep);
    EXPECT_EQ(floats(tensor), (std::vector<float>{0, 0, 255, 30, // B plane first
                                                  0, 255, 0, 20, 255, 0, 0, 10}));
}

TEST(ImageSource, MeanAndStdPerChannel)
{
    quantscope::ImagePreprocessing prep;
    prep.set_pixel_range(quantscope::PIXEL_RANGE_0_255);
    for (float mean : {100.0f, 0.0f, 10.0f})
        prep.add_mean(mean);
    for (float stddev : {2.0f, 1.0f, 5.0f})
        prep.add_std(stddev);
    const Tensor tensor = decodeOne(fourColorImage(), floatInput("x", {1, 3, 2, 2}), prep);
    EXPECT_EQ(floats(tensor), (std::vector<float>{77.5f, -50, -50, -45,            // (r - 100) / 2
                                                  0, 255, 0, 20, -2, -2, 49, 4})); // (b - 10) / 5
}

TEST(ImageSource, OneMeanAndStdForAllChannels)
{
    quantscope::ImagePreprocessing prep;
    prep.add_mean(0.5f);
    prep.add_std(0.5f);
    const Tensor tensor = decodeOne(fourColorImage(), floatInput("x", {1, 3, 2, 2}), prep);
    const std::vector<float> values = floats(tensor);
    EXPECT_FLOAT_EQ(values[0], 1.0f);  // red 1.0 -> (1 - 0.5) / 0.5
    EXPECT_FLOAT_EQ(values[1], -1.0f); // green pixel's red 0
    EXPECT_NEAR(values[11], (30.0f / 255.0f - 0.5f) / 0.5f, 1e-6f);
}

TEST(ImageSource, WrongMeanCountIsAnError)
{
    TempDir dir;
    saveImage(fourColorImage(), dir.file("a.png"));
    quantscope::ImagePreprocessing prep;
    prep.add_mean(0.5f);
    prep.add_mean(0.5f);
    auto source = openDataFolder(dir.path(), {floatInput("x", {1, 3, 2, 2})}, prep, 0);
    ASSERT_FALSE(source.isOk());
    EXPECT_NE(source.status().message().find("mean has 2 values"), std::string::npos)
        << source.status().message();
}

TEST(ImageSource, ResizesToTheModelSizeForEveryFormat)
{
    TempDir dir;
    const QColor color(50, 100, 150);
    saveImage(solidImage(8, 6, color), dir.file("a.png"));
    saveImage(solidImage(17, 3, color), dir.file("b.bmp"));
    saveImage(solidImage(16, 16, color), dir.file("c.jpg"));
    auto source = openOrFail(dir.path(), {floatInput("x", {1, 3, 4, 5})});
    ASSERT_TRUE(source);
    EXPECT_EQ(source->count(), 3);
    for (const char *name : {"a.png", "b.bmp", "c.jpg"}) {
        auto sample = source->next();
        ASSERT_TRUE(sample.isOk() && sample->has_value()) << sample.status().message();
        EXPECT_EQ(fs::path((*sample)->origin).filename(), name);
        const Tensor &tensor = (*sample)->inputs.at("x");
        ASSERT_EQ(tensor.shape(), (Shape{1, 3, 4, 5})) << name;
        const std::vector<float> values = floats(tensor);
        // JPEG is lossy: a few levels of tolerance.
        EXPECT_NEAR(values.front(), 50 / 255.0f, 3 / 255.0f) << name;
        EXPECT_NEAR(values[20], 100 / 255.0f, 3 / 255.0f) << name;
        EXPECT_NEAR(values.back(), 150 / 255.0f, 3 / 255.0f) << name;
    }
    EXPECT_TRUE(source->skipped().empty());
}

TEST(ImageSource, GrayscaleBecomesRgbAndExtensionsIgnoreCase)
{
    TempDir dir;
    QImage gray(3, 3, QImage::Format_Grayscale8);
    gray.fill(QColor(128, 128, 128));
    saveImage(gray, dir.file("GRAY.PNG"));
    quantscope::ImagePreprocessing prep;
    prep.set_pixel_range(quantscope::PIXEL_RANGE_0_255);
    auto source = openOrFail(dir.path(), {floatInput("x", {1, 3, 3, 3})}, prep);
    ASSERT_TRUE(source);
    auto sample = source->next();
    ASSERT_TRUE(sample.isOk() && sample->has_value()) << sample.status().message();
    for (float value : floats((*sample)->inputs.at("x")))
        EXPECT_EQ(value, 128.0f);
}

TEST(ImageSource, DynamicDimsTakeThePreprocessingSize)
{
    TempDir dir;
    saveImage(solidImage(10, 10, Qt::white), dir.file("a.png"));
    quantscope::ImagePreprocessing prep;
    prep.set_height(3);
    prep.set_width(4);
    auto source = openOrFail(dir.path(), {floatInput("x", {-1, 3, -1, -1})}, prep);
    ASSERT_TRUE(source);
    auto sample = source->next();
    ASSERT_TRUE(sample.isOk() && sample->has_value()) << sample.status().message();
    EXPECT_EQ((*sample)->inputs.at("x").shape(), (Shape{1, 3, 3, 4}));
}

TEST(ImageSource, DynamicDimsWithoutPreprocessingSizeNameTheInput)
{
    TempDir dir;
    saveImage(solidImage(10, 10, Qt::white), dir.file("a.png"));
    auto source = openDataFolder(dir.path(), {floatInput("image", {-1, 3, -1, -1})}, {}, 0);
    ASSERT_FALSE(source.isOk());
    EXPECT_NE(source.status().message().find("input 'image'"), std::string::npos)
        << source.status().message();
    EXPECT_NE(source.status().message().find("dynamic height"), std::string::npos)
        << source.status().message();
}

TEST(ImageSource, NeedsExactlyOneImageInput)
{
    TempDir dir;
    saveImage(fourColorImage(), dir.file("a.png"));
    auto twoInputs = openDataFolder(dir.path(),
                                    {floatInput("a", {1, 3, 2, 2}), floatInput("b", {1, 3, 2, 2})},
                                    {}, 0);
    ASSERT_FALSE(twoInputs.isOk());
    EXPECT_NE(twoInputs.status().message().find("(a, b)"), std::string::npos);
    auto flat = openDataFolder(dir.path(), {floatInput("v", {1, 12})}, {}, 0);
    ASSERT_FALSE(flat.isOk());
    EXPECT_NE(flat.status().message().find("input 'v' [1,12] is not a 4-D image input"),
              std::string::npos)
        << flat.status().message();
}

TEST(ImageSource, CorruptImageIsSkippedAndCounted)
{
    TempDir dir;
    saveImage(fourColorImage(), dir.file("a.png"));
    dir.write("b.png", randomBytes(300));
    saveImage(fourColorImage(), dir.file("c.bmp"));
    auto source = openOrFail(dir.path(), {floatInput("x", {1, 3, 2, 2})});
    ASSERT_TRUE(source);
    EXPECT_EQ(source->count(), 3);
    EXPECT_EQ(drain(*source), (std::vector<std::string>{"a.png", "c.bmp"}));
    ASSERT_EQ(source->skipped().size(), 1u);
    EXPECT_EQ(source->skipped()[0].severity, Severity::Warning);
    EXPECT_EQ(source->skipped()[0].message.rfind(dir.file("b.png") + ": cannot decode image (", 0),
              0u)
        << source->skipped()[0].message;

    // A second pass skips it again, without listing it twice.
    source->rewind();
    EXPECT_EQ(drain(*source).size(), 2u);
    EXPECT_EQ(source->skipped().size(), 1u);
}

TEST(ImageSource, FolderOfOnlyCorruptImagesIsAnError)
{
    TempDir dir;
    dir.write("a.png", randomBytes(100));
    dir.write("b.jpg", "");
    auto source = openOrFail(dir.path(), {floatInput("x", {1, 3, 2, 2})});
    ASSERT_TRUE(source);
    auto sample = source->next();
    ASSERT_FALSE(sample.isOk());
    const std::string prefix = "no usable image in " + dir.path() + " (2 files skipped, the first: "
                               + dir.file("a.png") + ": cannot decode image (";
    EXPECT_EQ(sample.status().message().rfind(prefix, 0), 0u) << sample.status().message();
}

TEST(ImageSource, MaxSamplesCountsUsableImages)
{
    TempDir dir;
    saveImage(fourColorImage(), dir.file("a.png"));
    dir.write("b.png", randomBytes(64));
    saveImage(fourColorImage(), dir.file("c.png"));
    saveImage(fourColorImage(), dir.file("d.png"));
    auto source = openOrFail(dir.path(), {floatInput("x", {1, 3, 2, 2})}, {}, 2);
    ASSERT_TRUE(source);
    EXPECT_EQ(source->count(), 2);
    EXPECT_EQ(drain(*source), (std::vector<std::string>{"a.png", "c.png"}));
    EXPECT_EQ(source->describe(), "2 of 4 images in " + dir.path());
}

// ---- tensor files ----

TEST(TensorFileSource, EachNpyOrPbFileIsOneSample)
{
    TempDir dir;
    ASSERT_TRUE(writeNpyFile(filled({1, 4}, 1.0f), dir.file("a.npy")));
    writeTensorProto(filled({1, 4}, 2.0f), dir.file("b.pb"));
    dir.write("notes.txt", "not data");
    auto source = openOrFail(dir.path(), {floatInput("x", {-1, 4})});
    ASSERT_TRUE(source);
    EXPECT_EQ(source->count(), 2);
    for (float expected : {1.0f, 2.0f}) {
        auto sample = source->next();
        ASSERT_TRUE(sample.isOk() && sample->has_value()) << sample.status().message();
        EXPECT_EQ(floats((*sample)->inputs.at("x")), std::vector<float>(4, expected));
    }
    auto end = source->next();
    ASSERT_TRUE(end.isOk());
    EXPECT_FALSE(end->has_value());

    source->rewind();
    auto first = source->next();
    ASSERT_TRUE(first.isOk() && first->has_value());
    EXPECT_EQ((*first)->origin, dir.file("a.npy"));
}

TEST(TensorFileSource, WrongShapeNamesTheFileAndTheExpectedShape)
{
    TempDir dir;
    ASSERT_TRUE(writeNpyFile(filled({1, 3, 32, 32}, 0.0f), dir.file("small.npy")));
    auto source = openOrFail(dir.path(), {floatInput("x", {1, 3, 640, 640})});
    ASSERT_TRUE(source);
    auto sample = source->next();
    ASSERT_FALSE(sample.isOk());
    EXPECT_EQ(sample.status().message(),
              dir.file("small.npy") + ": shape [1,3,32,32] does not match input 'x' [1,3,640,640]");
}

TEST(TensorFileSource, WrongTypeIsAnError)
{
    TempDir dir;
    ASSERT_TRUE(writeNpyFile(Tensor::fromVector<int64_t>({2}, {1, 2}), dir.file("ids.npy")));
    auto source = openOrFail(dir.path(), {floatInput("x", {2})});
    ASSERT_TRUE(source);
    auto sample = source->next();
    ASSERT_FALSE(sample.isOk());
    EXPECT_EQ(sample.status().message(),
              dir.file("ids.npy") + ": type int64 does not match input 'x' float32");
}

TEST(TensorFileSource, MaxSamplesLimitsTheFiles)
{
    TempDir dir;
    for (const char *name : {"a.npy", "b.npy", "c.npy"})
        ASSERT_TRUE(writeNpyFile(filled({2}, 0.0f), dir.file(name)));
    auto source = openOrFail(dir.path(), {floatInput("x", {2})}, {}, 2);
    ASSERT_TRUE(source);
    EXPECT_EQ(source->count(), 2);
    EXPECT_EQ(drain(*source), (std::vector<std::string>{"a.npy", "b.npy"}));
}

TEST(TensorFileSource, MultiInputModelNeedsSubFolders)
{
    TempDir dir;
    ASSERT_TRUE(writeNpyFile(filled({2}, 0.0f), dir.file("a.npy")));
    auto source = openDataFolder(dir.path(), {floatInput("a", {2}), floatInput("b", {2})}, {}, 0);
    ASSERT_FALSE(source.isOk());
    EXPECT_NE(source.status().message().find("2 inputs (a, b)"), std::string::npos)
        << source.status().message();
}

TEST(TensorFileSource, ExpectedOutputsBesideTheInputsAreNotSamples)
{
    TempDir dir; // one backend-test data set, opened directly for a single-input model
    writeTensorProto(filled({2}, 1.0f), dir.file("input_0.pb"));
    writeTensorProto(filled({5}, 9.0f), dir.file("output_0.pb"));
    auto source = openOrFail(dir.path(), {floatInput("x", {2})});
    ASSERT_TRUE(source);
    EXPECT_EQ(drain(*source), (std::vector<std::string>{"input_0.pb"}));
}

TEST(TensorFileSource, BackendTestIndex)
{
    EXPECT_EQ(backendTestIndex("input_0.pb", "input_"), 0u);
    EXPECT_EQ(backendTestIndex("input_12.npy", "input_"), 12u);
    EXPECT_EQ(backendTestIndex("output_3.pb", "input_"), std::nullopt);
    EXPECT_EQ(backendTestIndex("input_.pb", "input_"), std::nullopt);
    EXPECT_EQ(backendTestIndex("input_1a.pb", "input_"), std::nullopt);
    EXPECT_EQ(backendTestIndex("input_1.pb.bak", "input_"), std::nullopt);
}

// ---- sample sub-folders ----

TEST(SampleFolderSource, FilesNamedByInputOrIndexOrProtoName)
{
    TempDir dir;
    const std::vector<InputSpec> inputs = {floatInput("a", {2}), floatInput("b", {-1})};
    fs::create_directories(dir.file("s0"));
    ASSERT_TRUE(writeNpyFile(filled({2}, 1.0f), dir.file("s0/a.npy")));
    writeTensorProto(filled({3}, 2.0f), dir.file("s0/b.pb"));
    // Backend-test layout, index = input order.
    fs::create_directories(dir.file("s1"));
    writeTensorProto(filled({2}, 3.0f), dir.file("s1/input_0.pb"));
    writeTensorProto(filled({1}, 4.0f), dir.file("s1/input_1.pb"));
    // The name field wins over the index.
    fs::create_directories(dir.file("s2"));
    writeTensorProto(filled({4}, 6.0f), dir.file("s2/input_0.pb"), "b");
    writeTensorProto(filled({2}, 5.0f), dir.file("s2/input_1.pb"), "a");

    auto source = openOrFail(dir.path(), inputs);
    ASSERT_TRUE(source);
    EXPECT_EQ(source->count(), 3);
    const std::vector<std::pair<float, float>> expected = {{1, 2}, {3, 4}, {5, 6}};
    for (const auto &[a, b] : expected) {
        auto sample = source->next();
        ASSERT_TRUE(sample.isOk() && sample->has_value()) << sample.status().message();
        EXPECT_EQ(floats((*sample)->inputs.at("a")), std::vector<float>(2, a));
        EXPECT_EQ((*sample)->inputs.at("b").values<float>()[0], b);
    }
}

TEST(SampleFolderSource, MissingInputNamesTheFolderAndTheInput)
{
    TempDir dir;
    fs::create_directories(dir.file("s0"));
    ASSERT_TRUE(writeNpyFile(filled({2}, 1.0f), dir.file("s0/a.npy")));
    auto source = openOrFail(dir.path(), {floatInput("a", {2}), floatInput("b", {2})});
    ASSERT_TRUE(source);
    auto sample = source->next();
    ASSERT_FALSE(sample.isOk());
    EXPECT_EQ(sample.status().message().rfind(dir.file("s0") + ": no data for input 'b'", 0), 0u)
        << sample.status().message();
}

TEST(SampleFolderSource, ReadsTheBackendTestLayout)
{
    auto model = Model::load(kBackendTestAdd + "/model.onnx");
    ASSERT_TRUE(model.isOk()) << model.status().message();
    auto session = Session::create(*model);
    ASSERT_TRUE(session.isOk()) << session.status().message();
    const std::vector<InputSpec> inputs = inputSpecs(**session);
    ASSERT_EQ(inputs.size(), 2u);
    EXPECT_EQ(inputs[0].name, "x");
    EXPECT_EQ(inputs[1].type, DType::Float32);
    EXPECT_EQ(inputs[1].shape, (Shape{3, 4, 5}));

    // model.onnx beside test_data_set_0 is neither an image nor a tensor file.
    auto source = openOrFail(kBackendTestAdd, inputs);
    ASSERT_TRUE(source);
    EXPECT_EQ(source->count(), 1);
    auto sample = source->next();
    ASSERT_TRUE(sample.isOk() && sample->has_value()) << sample.status().message();
    auto expectedY = readTensorProtoFile(kBackendTestAdd + "/test_data_set_0/input_1.pb");
    ASSERT_TRUE(expectedY.isOk());
    EXPECT_EQ(floats((*sample)->inputs.at("y")), floats(*expectedY));

    // The sample runs, and gives the test's expected output.
    auto outputs = (*session)->run((*sample)->inputs);
    ASSERT_TRUE(outputs.isOk()) << outputs.status().message();
    auto expectedSum = readTensorProtoFile(kBackendTestAdd + "/test_data_set_0/output_0.pb");
    ASSERT_TRUE(expectedSum.isOk());
    EXPECT_EQ(floats(outputs->front().second), floats(*expectedSum));
}

// ---- folder errors ----

TEST(DataFolder, MissingEmptyOrUselessFoldersAreErrorsNamingThem)
{
    TempDir dir;
    const std::vector<InputSpec> inputs = {floatInput("x", {2})};
    auto missing = openDataFolder(dir.file("nope"), inputs, {}, 0);
    ASSERT_FALSE(missing.isOk());
    EXPECT_EQ(missing.status().message(), dir.file("nope") + ": no such folder");

    auto empty = openDataFolder(dir.path(), inputs, {}, 0);
    ASSERT_FALSE(empty.isOk());
    EXPECT_EQ(empty.status().message(), dir.path() + ": the folder is empty");

    dir.write("readme.txt", "hello");
    auto useless = openDataFolder(dir.path(), inputs, {}, 0);
    ASSERT_FALSE(useless.isOk());
    EXPECT_EQ(useless.status().message().rfind(dir.path() + ": holds no images", 0), 0u)
        << useless.status().message();
}

// ---- random ----

TEST(RandomSource, ReproducibleFromTheSeedAndAfterRewind)
{
    const std::vector<InputSpec> inputs = {floatInput("x", {-1, 3}), {"ids", DType::Int64, {4}}};
    auto open = [&](uint64_t seed) {
        SampleSourceSettings settings;
        settings.maxSamples = 3;
        settings.seed = seed;
        auto source = openSampleSource(inputs, settings);
        EXPECT_TRUE(source.isOk()) << source.status().message();
        return source.isOk() ? std::move(source).value() : randomSource({}, 0, 0);
    };
    auto first = open(42);
    auto second = open(42);
    auto other = open(43);
    EXPECT_EQ(first->count(), 3);

    std::vector<std::vector<float>> firstPass;
    while (true) {
        auto a = first->next();
        auto b = second->next();
        auto c = other->next();
        ASSERT_TRUE(a.isOk() && b.isOk() && c.isOk());
        if (!a->has_value())
            break;
        const Tensor &x = (*a)->inputs.at("x");
        EXPECT_EQ(x.shape(), (Shape{1, 3})); // the dynamic batch is 1
        EXPECT_EQ((*a)->inputs.at("ids").dtype(), DType::Int64);
        EXPECT_EQ(floats(x), floats((*b)->inputs.at("x")));
        EXPECT_NE(floats(x), floats((*c)->inputs.at("x")));
        firstPass.push_back(floats(x));
    }
    ASSERT_EQ(firstPass.size(), 3u);
    EXPECT_NE(firstPass[0], firstPass[1]);

    first->rewind();
    for (const std::vector<float> &expected : firstPass) {
        auto sample = first->next();
        ASSERT_TRUE(sample.isOk() && sample->has_value());
        EXPECT_EQ(floats((*sample)->inputs.at("x")), expected);
    }
}

} // namespace
} // namespace qs
