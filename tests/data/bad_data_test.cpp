// Calibration and evaluation data a user should not have brought: empty and unreadable folders,
// broken and truncated images, an image bomb, .npy files of the wrong kind or in an unusual
// layout, mixed image sizes, a very large folder and a file removed while reading. Each is a
// named skip, counted, or one error naming the file; never a crash or an unbounded allocation.
// The files are made here, in each test's own folder.
#include "data/folder_sources.h"
#include "data/image_decoder.h"
#include "data/sample_source.h"
#include "quant/quant_test_models.h"
#include "quant/quantizer.h"
#include "support/temp_dir.h"
#include "tensor/tensor_io.h"
#include "util/progress.h"

#include <QImage>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace qs {
namespace {

using namespace qs::test;
namespace fs = std::filesystem;

InputSpec imageInput()
{
    return {"x", DType::Float32, {1, 3, 8, 8}};
}

// Noise, so that the encoded data is long enough to cut in the middle of the pixels.
QImage noiseImage(int width, int height, unsigned seed = 1)
{
    std::mt19937 generator(seed);
    QImage image(width, height, QImage::Format_RGB888);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixelColor(x, y,
                                QColor(int(generator() % 256), int(generator() % 256),
                                       int(generator() % 256)));
    return image;
}

void saveImage(const QImage &image, const std::string &path)
{
    ASSERT_TRUE(image.save(QString::fromStdString(path))) << path;
}

std::string readBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::unique_ptr<SampleSource> open(const std::string &dir, const std::vector<InputSpec> &inputs,
                                   int64_t maxSamples = 0)
{
    auto source = openDataFolder(dir, inputs, {}, maxSamples);
    EXPECT_TRUE(source.isOk()) << source.status().message();
    return source.isOk() ? std::move(source).value() : nullptr;
}

// The file names of the samples until the end; an error fails the test.
std::vector<std::string> drain(SampleSource &source)
{
    std::vector<std::string> names;
    while (true) {
        auto sample = source.next();
        EXPECT_TRUE(sample.isOk()) << sample.status().message();
        if (!sample.isOk() || !sample->has_value())
            return names;
        names.push_back(fs::path((*sample)->origin).filename().string());
    }
}

// The skip message for `path`, or "" when it was not skipped.
std::string skipOf(const SampleSource &source, const std::string &path)
{
    for (const Diagnostic &skipped : source.skipped())
        if (skipped.message.rfind(path + ": ", 0) == 0)
            return skipped.message;
    return {};
}

// ---- .npy files written byte by byte, as NumPy would ----

std::string npyFile(const std::string &descr, bool fortranOrder, const std::string &shape,
                    const std::string &data)
{
    std::string header = "{'descr': '" + descr + "', 'fortran_order': "
                         + (fortranOrder ? "True" : "False") + ", 'shape': " + shape + ", }";
    header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
    bytes += char(header.size() & 0xff);
    bytes += char(header.size() >> 8);
    return bytes + header + data;
}

template<typename T>
std::string rawBytes(const std::vector<T> &values, bool bigEndian = false)
{
    std::string bytes;
    for (const T &value : values) {
        std::array<char, sizeof(T)> one;
        std::memcpy(one.data(), &value, sizeof(T));
        if (bigEndian)
            std::reverse(one.begin(), one.end());
        bytes.append(one.data(), one.size());
    }
    return bytes;
}

// ---- a PNG that declares any size: signature and IHDR (with its CRC), IDAT of a few bytes ----

uint32_t crc32(const std::string &bytes)
{
    uint32_t crc = 0xffffffffu;
    for (unsigned char byte : bytes) {
        crc ^= byte;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::string bigEndian32(uint32_t value)
{
    return {char(value >> 24), char(value >> 16), char(value >> 8), char(value)};
}

std::string pngChunk(const std::string &type, const std::string &data)
{
    return bigEndian32(uint32_t(data.size())) + type + data + bigEndian32(crc32(type + data));
}

std::string pngDeclaring(uint32_t width, uint32_t height)
{
    // 8-bit RGB, no interlace; the few IDAT bytes are a valid zlib stream of zeros.
    const std::string header = bigEndian32(width) + bigEndian32(height)
                               + std::string("\x08\x02\0\0\0", 5);
    const std::string idat("\x78\x9c\x63\x00\x00\x00\x01\x00\x01", 9);
    return std::string("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", header) + pngChunk("IDAT", idat)
           + pngChunk("IEND", "");
}

// ---- folders ----

TEST(BadData, EmptyFolderIsAnErrorNamingIt)
{
    TempDir dir;
    dir.write(".DS_Store", "bookkeeping, not data");
    auto source = openDataFolder(dir.path(), {imageInput()}, {}, 0);
    ASSERT_FALSE(source.isOk());
    EXPECT_EQ(source.status().message(), dir.path() + ": the folder is empty");
}

TEST(BadData, FolderOfOnlyUnreadableFilesIsOneErrorNamingTheFirst)
{
    TempDir dir;
    fs::create_symlink(dir.file("gone.png"), dir.file("a.png")); // a broken link
    ASSERT_EQ(mkfifo(dir.file("b.png").c_str(), 0600), 0);       // would block a reader forever
    fs::create_symlink(dir.file("gone.npy"), dir.file("c.npy"));
    auto source = open(dir.path(), {imageInput()});
    ASSERT_TRUE(source);
    auto sample = source->next();
    ASSERT_FALSE(sample.isOk());
    EXPECT_EQ(sample.status().message(), "no usable image in " + dir.path()
                                             + " (2 files skipped, the first: " + dir.file("a.png")
                                             + ": a broken link, skipped)");
    EXPECT_EQ(source->skippedCount(), 2);
    EXPECT_EQ(skipOf(*source, dir.file("b.png")),
              dir.file("b.png") + ": not a regular file, skipped");

    // Tensor files alike.
    TempDir tensors;
    fs::create_symlink(tensors.file("gone.npy"), tensors.file("a.npy"));
    auto tensorSource = open(tensors.path(), {{"x", DType::Float32, {1, 2}}});
    ASSERT_TRUE(tensorSource);
    auto none = tensorSource->next();
    ASSERT_FALSE(none.isOk());
    EXPECT_EQ(none.status().message(), "no usable tensor file in " + tensors.path()
                                           + " (1 file skipped, the first: " + tensors.file("a.npy")
                                           + ": a broken link, skipped)");
}

// ---- images ----

TEST(BadData, EmptyAndTruncatedImagesAreSkippedByName)
{
    TempDir dir;
    saveImage(noiseImage(64, 64), dir.file("good.png"));
    dir.write("empty.png", "");
    dir.write("empty.jpg", "");
    const std::string png = readBytes(dir.file("good.png"));
    dir.write("truncated.png", png.substr(0, png.size() / 2));
    saveImage(noiseImage(64, 64, 2), dir.file("whole.jpg"));
    const std::string jpeg = readBytes(dir.file("whole.jpg"));
    dir.write("truncated_header.jpg", jpeg.substr(0, 20));
    // Cut in the compressed pixels: libjpeg would fill the rest with grey and call it an image.
    dir.write("truncated.jpg", jpeg.substr(0, jpeg.size() * 2 / 3));
    auto source = open(dir.path(), {imageInput()});
    ASSERT_TRUE(source);
    EXPECT_EQ(drain(*source), (std::vector<std::string>{"good.png", "whole.jpg"}));
    EXPECT_EQ(source->skippedCount(), 5);
    for (const char *name :
         {"empty.png", "empty.jpg", "truncated.png", "truncated_header.jpg", "truncated.jpg"}) {
        const std::string message = skipOf(*source, dir.file(name));
        EXPECT_EQ(message.rfind(dir.file(name) + ": cannot decode image (", 0), 0u)
            << name << ": " << message;
        EXPECT_TRUE(message.ends_with("), skipped")) << message;
    }
}

TEST(BadData, ImageBombIsRefusedFromItsHeaderBeforeDecoding)
{
    TempDir dir;
    // 30000 x 30000 RGB: 2.7 GB decoded, 90 bytes on disk.
    dir.write("bomb.png", pngDeclaring(30000, 30000));
    ASSERT_LT(fs::file_size(dir.file("bomb.png")), 100u);
    saveImage(noiseImage(16, 16), dir.file("good.png"));
    auto source = open(dir.path(), {imageInput()});
    ASSERT_TRUE(source);
    EXPECT_EQ(drain(*source), std::vector<std::string>{"good.png"});
    EXPECT_EQ(skipOf(*source, dir.file("bomb.png")),
              dir.file("bomb.png")
                  + ": cannot decode image (the image declares 30000x30000 pixels, more than the "
                    "limit of 64 megapixels for calibration and evaluation images), skipped");

    // At the limit the header passes; the decoder then fails on the missing pixels, not on
    // the size.
    dir.write("limit.png", pngDeclaring(8192, 8192));
    auto decoder = ImageDecoder::create(imageInput(), {});
    ASSERT_TRUE(decoder.isOk());
    auto atLimit = decoder->decode(dir.file("limit.png"));
    ASSERT_FALSE(atLimit.isOk());
    EXPECT_EQ(atLimit.status().message().find("declares"), std::string::npos)
        << atLimit.status().message();
}

TEST(BadData, MixedImageSizesAreAllResizedToTheModelsSize)
{
    TempDir dir;
    saveImage(noiseImage(2, 2), dir.file("a.png"));
    saveImage(noiseImage(640, 480), dir.file("b.jpg"));
    saveImage(noiseImage(7, 13), dir.file("c.bmp"));
    auto source = open(dir.path(), {imageInput()});
    ASSERT_TRUE(source);
    int samples = 0;
    while (true) {
        auto sample = source->next();
        ASSERT_TRUE(sample.isOk()) << sample.status().message();
        if (!sample->has_value())
            break;
        EXPECT_EQ((*sample)->inputs.at("x").shape(), (Shape{1, 3, 8, 8})) << (*sample)->origin;
        ++samples;
    }
    EXPECT_EQ(samples, 3);
    EXPECT_EQ(source->skippedCount(), 0);
}

// ---- .npy of the wrong kind ----

TEST(BadData, NpyOfTheWrongTypeShapeOrRankIsAnErrorNamingTheFileAndTheInput)
{
    const InputSpec input{"x", DType::Float32, {-1, 4}};
    const std::vector<std::pair<std::string, std::string>> cases = {
        {npyFile("<f8", false, "(1, 4)", rawBytes<double>({1, 2, 3, 4})),
         ": type float64 does not match input 'x' float32"},
        {npyFile("<f4", false, "(1, 3)", rawBytes<float>({1, 2, 3})),
         ": shape [1,3] does not match input 'x' [-1,4]"},
        {npyFile("<f4", false, "(4,)", rawBytes<float>({1, 2, 3, 4})),
         ": shape [4] does not match input 'x' [-1,4]"},
        {npyFile("<f4", false, "(1, 1, 4)", rawBytes<float>({1, 2, 3, 4})),
         ": shape [1,1,4] does not match input 'x' [-1,4]"},
    };
    for (const auto &[bytes, expected] : cases) {
        TempDir dir;
        dir.write("sample.npy", bytes);
        auto source = open(dir.path(), {input});
        ASSERT_TRUE(source);
        auto sample = source->next();
        ASSERT_FALSE(sample.isOk()) << expected;
        EXPECT_EQ(sample.status().message(), dir.file("sample.npy") + expected);
    }
}

TEST(BadData, NpyElementTypesWithoutATensorTypeAreRefusedByName)
{
    TempDir dir;
    dir.write("c.npy", npyFile("<c8", false, "(1,)", rawBytes<float>({1, 2})));
    dir.write("u.npy", npyFile("<U3", false, "(1,)", std::string(12, 'a')));
    for (const char *name : {"c.npy", "u.npy"}) {
        auto tensor = readNpyFile(dir.file(name));
        ASSERT_FALSE(tensor.isOk());
        EXPECT_EQ(tensor.status().code(), StatusCode::Unsupported);
        EXPECT_NE(tensor.status().message().find("element type"), std::string::npos);
    }
}

TEST(BadData, BigEndianNpyIsReadByValue)
{
    TempDir dir;
    dir.write("f.npy", npyFile(">f4", false, "(2, 2)", rawBytes<float>({1.5f, -2, 3, 1e-3f}, true)));
    dir.write("i.npy", npyFile(">i8", false, "(3,)", rawBytes<int64_t>({1, -2, 1LL << 40}, true)));
    dir.write("b.npy", npyFile(">u1", false, "(2,)", "\x07\xff"));
    auto f = readNpyFile(dir.file("f.npy"));
    ASSERT_TRUE(f.isOk()) << f.status().message();
    EXPECT_EQ(f->shape(), (Shape{2, 2}));
    const auto floats = f->values<float>();
    EXPECT_EQ(std::vector<float>(floats.begin(), floats.end()),
              (std::vector<float>{1.5f, -2, 3, 1e-3f}));
    auto i = readNpyFile(dir.file("i.npy"));
    ASSERT_TRUE(i.isOk()) << i.status().message();
    const auto ints = i->values<int64_t>();
    EXPECT_EQ(std::vector<int64_t>(ints.begin(), ints.end()),
              (std::vector<int64_t>{1, -2, 1LL << 40}));
    auto b = readNpyFile(dir.file("b.npy"));
    ASSERT_TRUE(b.isOk()) << b.status().message();
    EXPECT_EQ(b->dtype(), DType::UInt8);
    EXPECT_EQ(b->values<uint8_t>()[1], 255);
}

TEST(BadData, FortranOrderNpyIsReadInCOrder)
{
    // a = [[0, 1, 2], [3, 4, 5]] of shape (2, 3); Fortran order stores it column by column.
    TempDir dir;
    dir.write("m.npy", npyFile("<f4", true, "(2, 3)", rawBytes<float>({0, 3, 1, 4, 2, 5})));
    auto m = readNpyFile(dir.file("m.npy"));
    ASSERT_TRUE(m.isOk()) << m.status().message();
    EXPECT_EQ(m->shape(), (Shape{2, 3}));
    const auto values = m->values<float>();
    EXPECT_EQ(std::vector<float>(values.begin(), values.end()),
              (std::vector<float>{0, 1, 2, 3, 4, 5}));

    // Rank 3, big-endian as well: element (i, j, k) = 100 i + 10 j + k, shape (2, 3, 4).
    std::vector<int32_t> fortran;
    for (int k = 0; k < 4; ++k)
        for (int j = 0; j < 3; ++j)
            for (int i = 0; i < 2; ++i)
                fortran.push_back(100 * i + 10 * j + k);
    dir.write("t.npy", npyFile(">i4", true, "(2, 3, 4)", rawBytes(fortran, true)));
    auto t = readNpyFile(dir.file("t.npy"));
    ASSERT_TRUE(t.isOk()) << t.status().message();
    EXPECT_EQ(t->shape(), (Shape{2, 3, 4}));
    const auto ints = t->values<int32_t>();
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 4; ++k)
                EXPECT_EQ(ints[size_t((i * 3 + j) * 4 + k)], 100 * i + 10 * j + k);
}

TEST(BadData, NpyDeclaringMoreThanItHoldsIsRefusedBeforeAllocating)
{
    TempDir dir;
    // 4 * 10^15 bytes declared, 16 held; and a shape whose byte count overflows 64 bits.
    dir.write("huge.npy",
              npyFile("<f4", false, "(100000, 100000, 100000)", rawBytes<float>({1, 2, 3, 4})));
    dir.write("overflow.npy", npyFile("<f8", false, "(4294967296, 4294967296, 16)", ""));
    dir.write("short.npy", npyFile("<f4", false, "(1, 4)", rawBytes<float>({1, 2, 3})));
    auto huge = readNpyFile(dir.file("huge.npy"));
    ASSERT_FALSE(huge.isOk());
    EXPECT_EQ(huge.status().message(),
              dir.file("huge.npy")
                  + ": .npy data is truncated: the header declares float32[100000,100000,100000], "
                    "the file holds 16 bytes of data");
    auto overflow = readNpyFile(dir.file("overflow.npy"));
    ASSERT_FALSE(overflow.isOk());
    EXPECT_NE(overflow.status().message().find("the file holds 0 bytes"), std::string::npos)
        << overflow.status().message();

    // In a folder, such files are skipped by name and the good ones used.
    dir.write("good.npy", npyFile("<f4", false, "(1, 4)", rawBytes<float>({1, 2, 3, 4})));
    dir.write("zero_bytes.npy", "");
    auto source = open(dir.path(), {{"x", DType::Float32, {1, 4}}});
    ASSERT_TRUE(source);
    EXPECT_EQ(drain(*source), std::vector<std::string>{"good.npy"});
    EXPECT_EQ(source->skippedCount(), 4);
    EXPECT_EQ(skipOf(*source, dir.file("short.npy")),
              dir.file("short.npy")
                  + ": cannot read (.npy data is truncated: the header declares float32[1,4], the "
                    "file holds 12 bytes of data), skipped");
    EXPECT_EQ(skipOf(*source, dir.file("zero_bytes.npy")),
              dir.file("zero_bytes.npy")
                  + ": cannot read (not a NumPy .npy file (bad magic)), skipped");
}

// ---- size and change ----

TEST(BadData, AFolderOf100000FilesStopsAtMaxSamplesAndNamesAFewSkips)
{
    TempDir dir;
    saveImage(noiseImage(4, 4), dir.file("a0.png"));
    saveImage(noiseImage(4, 4), dir.file("a1.png"));
    // 0-byte images after them: each would be a skip if read.
    for (int i = 0; i < 100'000; ++i)
        std::ofstream(dir.file("b" + std::to_string(i) + ".png"));
    auto limited = open(dir.path(), {imageInput()}, 2);
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->count(), 2);
    EXPECT_EQ(limited->describe(), "2 of 100002 images in " + dir.path());
    EXPECT_EQ(drain(*limited), (std::vector<std::string>{"a0.png", "a1.png"}));
    EXPECT_EQ(limited->skippedCount(), 0); // none of the others was opened

    // Without a limit every file is tried; the skips are counted, a few named.
    auto all = open(dir.path(), {imageInput()});
    ASSERT_TRUE(all);
    EXPECT_EQ(drain(*all).size(), 2u);
    EXPECT_EQ(all->skippedCount(), 100'000);
    const std::vector<Diagnostic> skipped = all->skipped();
    ASSERT_EQ(skipped.size(), SampleSource::kMaxNamedSkips + 1);
    EXPECT_EQ(skipped.back().message, "... and 99980 more skipped (of 100000 skipped in all)");
}

TEST(BadData, AFileRemovedWhileReadingIsSkippedByName)
{
    TempDir dir;
    for (const char *name : {"a.png", "b.png", "c.png"})
        saveImage(noiseImage(4, 4), dir.file(name));
    auto source = open(dir.path(), {imageInput()});
    ASSERT_TRUE(source);
    auto first = source->next();
    ASSERT_TRUE(first.isOk() && first->has_value());
    fs::remove(dir.file("b.png"));
    EXPECT_EQ(drain(*source), std::vector<std::string>{"c.png"});
    EXPECT_EQ(skipOf(*source, dir.file("b.png")), dir.file("b.png") + ": no longer there, skipped");

    TempDir tensors;
    for (const char *name : {"a.npy", "b.npy"})
        tensors.write(name, npyFile("<f4", false, "(1, 2)", rawBytes<float>({1, 2})));
    auto tensorSource = open(tensors.path(), {{"x", DType::Float32, {1, 2}}});
    ASSERT_TRUE(tensorSource);
    fs::remove(tensors.file("a.npy"));
    EXPECT_EQ(drain(*tensorSource), std::vector<std::string>{"b.npy"});
    EXPECT_EQ(tensorSource->skippedCount(), 1);
}

// ---- what calibration reports ----

TEST(BadData, QuantizeCountsTheSkipsInItsSummaryAndNamesThemInItsDiagnostics)
{
    TempDir dir;
    saveImage(noiseImage(8, 8, 1), dir.file("a.png"));
    saveImage(noiseImage(8, 8, 2), dir.file("b.png"));
    dir.write("broken.png", "not a png");
    dir.write("bomb.png", pngDeclaring(30000, 30000));
    auto model = loadProto(convNetModel());
    ASSERT_TRUE(model);
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_STATIC);
    recipe.mutable_calibration()->set_data_dir(dir.path());
    auto result = quantizeModel(model, recipe, {}, silentProgress());
    ASSERT_TRUE(result.isOk()) << result.status().message();
    EXPECT_EQ(result->calibrationSamples, 2);
    EXPECT_EQ(result->calibrationSkipped, 2);
    EXPECT_NE(result->summary.find("calibrated on 2 samples (2 files skipped)"), std::string::npos)
        << result->summary;
    int named = 0;
    for (const Diagnostic &diagnostic : result->diagnostics)
        if (diagnostic.message.starts_with(dir.file("broken.png") + ": cannot decode image")
            || diagnostic.message.starts_with(dir.file("bomb.png") + ": cannot decode image"))
            ++named;
    EXPECT_EQ(named, 2);
}

} // namespace
} // namespace qs
