// openSampleSource's rule for dynamic dims (data/sample_source.h), case by case: fixed shapes,
// the batch, image height/width from the preprocessing (NCHW and NHWC), named symbols given
// and missing, shared symbols, whole shapes, int64 ids, data folders; and that quantize and
// bench, which both open their samples through it, agree on the same model.
#include "compare/benchmark.h"
#include "data/random_inputs.h"
#include "data/sample_source.h"
#include "model/model.h"
#include "quant/quantizer.h"
#include "runtime/session.h"
#include "support/model_builder.h"
#include "support/temp_dir.h"
#include "tensor/tensor_io.h"

#include <QImage>

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cctype>
#include <string>

namespace qs {
namespace {

using namespace qs::test;

// Dims are written "3" (a fixed size), "h" (a symbol) or "?" (neither size nor name).
bool isFixed(const std::string &dim)
{
    return !dim.empty() && std::isdigit(static_cast<unsigned char>(dim[0]));
}

InputSpec spec(const std::string &name, std::vector<std::string> dims, DType type = DType::Float32)
{
    InputSpec input{name, type, {}};
    for (const std::string &dim : dims) {
        const bool fixed = isFixed(dim);
        input.shape.push_back(fixed ? std::stoll(dim) : -1);
        input.symbols.push_back(fixed || dim == "?" ? std::string() : dim);
    }
    return input;
}

SampleSourceSettings imageSize(int height, int width,
                               quantscope::TensorLayout layout = quantscope::TENSOR_LAYOUT_NCHW)
{
    SampleSourceSettings settings;
    settings.preprocessing.set_height(height);
    settings.preprocessing.set_width(width);
    settings.preprocessing.set_layout(layout);
    return settings;
}

// The first sample of the source the settings open; an error fails the test.
std::map<std::string, Tensor> firstSample(const std::vector<InputSpec> &inputs,
                                          const SampleSourceSettings &settings = {})
{
    auto source = openSampleSource(inputs, settings);
    EXPECT_TRUE(source.isOk()) << source.status().message();
    if (!source)
        return {};
    auto sample = (*source)->next();
    EXPECT_TRUE(sample.isOk() && sample->has_value()) << sample.status().message();
    if (!sample.isOk() || !sample->has_value())
        return {};
    return (*sample)->inputs;
}

std::string openError(const std::vector<InputSpec> &inputs,
                      const SampleSourceSettings &settings = {})
{
    auto source = openSampleSource(inputs, settings);
    EXPECT_FALSE(source.isOk());
    return source.isOk() ? std::string() : source.status().message();
}

// ---- random data ----

TEST(DynamicDims, FixedShapesAreTheModelsWhateverThePreprocessingSays)
{
    const auto inputs = firstSample({spec("x", {"2", "3", "4", "5"})}, imageSize(8, 8));
    ASSERT_EQ(inputs.count("x"), 1u);
    EXPECT_EQ(inputs.at("x").shape(), (Shape{2, 3, 4, 5}));
    EXPECT_EQ(inputs.at("x").dtype(), DType::Float32);
}

TEST(DynamicDims, DynamicBatchIsOneAndTheCountHasADefault)
{
    auto source = openSampleSource({spec("x", {"batch", "3"}), spec("y", {"?", "2"})}, {});
    ASSERT_TRUE(source.isOk()) << source.status().message();
    EXPECT_EQ((*source)->count(), kDefaultRandomSampleCount);
    EXPECT_EQ((*source)->describe(), "4 random samples (seed 0)");
    auto sample = (*source)->next();
    ASSERT_TRUE(sample.isOk() && sample->has_value());
    EXPECT_EQ((*sample)->inputs.at("x").shape(), (Shape{1, 3}));
    EXPECT_EQ((*sample)->inputs.at("y").shape(), (Shape{1, 2}));
}

TEST(DynamicDims, ImageHeightAndWidthComeFromThePreprocessing)
{
    const auto nchw = firstSample({spec("x", {"batch", "3", "h", "w"})}, imageSize(6, 7));
    ASSERT_EQ(nchw.count("x"), 1u);
    EXPECT_EQ(nchw.at("x").shape(), (Shape{1, 3, 6, 7}));

    const auto nhwc = firstSample({spec("x", {"batch", "?", "?", "3"})},
                                  imageSize(6, 7, quantscope::TENSOR_LAYOUT_NHWC));
    ASSERT_EQ(nhwc.count("x"), 1u);
    EXPECT_EQ(nhwc.at("x").shape(), (Shape{1, 6, 7, 3}));
}

TEST(DynamicDims, ImageSizeMissingNamesTheInputTheDimAndTheFixes)
{
    EXPECT_EQ(openError({spec("image", {"batch", "3", "h", "w"})}),
              "input 'image' (float32[batch,3,h,w]): dim 2 ('h') is dynamic and random data has "
              "no size for it; give a data folder, an image size (--image-size HxW), or "
              "--dim h=N");
    // Only the height set: the width is still missing.
    SampleSourceSettings heightOnly;
    heightOnly.preprocessing.set_height(6);
    EXPECT_NE(openError({spec("image", {"batch", "3", "h", "w"})}, heightOnly)
                  .find("dim 3 ('w') is dynamic"),
              std::string::npos);
    // An unnamed dim cannot take --dim: the fix is the input's whole shape.
    EXPECT_EQ(openError({spec("image", {"?", "3", "?", "?"})}),
              "input 'image' (float32[?,3,?,?]): dim 2 is dynamic and random data has no size "
              "for it; give a data folder, an image size (--image-size HxW), or the input's "
              "shape (--shape image=D1xD2...)");
}

TEST(DynamicDims, OnlyFloat4DInputsAreImages)
{
    // Token ids [batch, 4, h, w] are not pixels: the image size does not apply.
    EXPECT_EQ(openError({spec("ids", {"batch", "4", "h", "w"}, DType::Int64)}, imageSize(6, 7)),
              "input 'ids' (int64[batch,4,h,w]): dim 2 ('h') is dynamic and random data has no "
              "size for it; give a data folder or --dim h=N");
}

TEST(DynamicDims, NamedSymbolTakesTheUsersValue)
{
    SampleSourceSettings settings;
    settings.dimValues = {{"seq", 5}};
    const auto inputs = firstSample({spec("ids", {"batch", "seq"}, DType::Int64)}, settings);
    ASSERT_EQ(inputs.count("ids"), 1u);
    const Tensor &ids = inputs.at("ids");
    EXPECT_EQ(ids.shape(), (Shape{1, 5}));
    ASSERT_EQ(ids.dtype(), DType::Int64);
    for (const int64_t id : ids.values<int64_t>()) {
        EXPECT_GE(id, 0);
        EXPECT_LT(id, kRandomIntegerBound);
    }
}

TEST(DynamicDims, NamedSymbolMissingNamesTheInputAndTheSymbol)
{
    EXPECT_EQ(openError({spec("ids", {"batch", "seq"}, DType::Int64)}),
              "input 'ids' (int64[batch,seq]): dim 1 ('seq') is dynamic and random data has no "
              "size for it; give a data folder or --dim seq=N");
}

// What the GUI offers to fill in: the symbols only --dim can size, by the same rule.
TEST(DynamicDims, SymbolsNeedingDimValuesAreThoseNoPositionSizes)
{
    const std::vector<InputSpec> inputs{
        spec("ids", {"batch", "seq"}, DType::Int64), spec("image", {"n", "3", "h", "w"}),
        spec("scale", {"1", "h", "k"}),
        spec("mask", {"seq", "k"}, DType::Int64), // seq on dim 0 here: a batch-like axis
    };
    EXPECT_EQ(symbolsNeedingDimValues(inputs, quantscope::TENSOR_LAYOUT_NCHW),
              (std::vector<std::string>{"k"}));
    // NHWC: axis 3 is the channel axis, so a symbol there needs a value.
    EXPECT_EQ(symbolsNeedingDimValues({spec("image", {"n", "h", "w", "c"})},
                                      quantscope::TENSOR_LAYOUT_NHWC),
              (std::vector<std::string>{"c"}));
}

TEST(DynamicDims, UserValuesWinOverTheBatchAndTheImageSize)
{
    SampleSourceSettings settings = imageSize(6, 7);
    settings.dimValues = {{"batch", 2}, {"h", 9}};
    const auto inputs = firstSample({spec("x", {"batch", "3", "h", "w"})}, settings);
    ASSERT_EQ(inputs.count("x"), 1u);
    EXPECT_EQ(inputs.at("x").shape(), (Shape{2, 3, 9, 7}));
}

TEST(DynamicDims, ASymbolHasOneSizeOnEveryInput)
{
    // The mask is not an image, but shares h and w with one.
    const auto inputs = firstSample({spec("image", {"batch", "3", "h", "w"}),
                                     spec("mask", {"batch", "h", "w"}, DType::Bool)},
                                    imageSize(4, 6));
    ASSERT_EQ(inputs.size(), 2u);
    EXPECT_EQ(inputs.at("image").shape(), (Shape{1, 3, 4, 6}));
    EXPECT_EQ(inputs.at("mask").shape(), (Shape{1, 4, 6}));
}

TEST(DynamicDims, WholeShapesGivenForAnInput)
{
    SampleSourceSettings settings;
    settings.inputShapes = {{"x", {5, 3, 2}}};
    const auto inputs = firstSample({spec("x", {"?", "3", "?"})}, settings);
    ASSERT_EQ(inputs.count("x"), 1u);
    EXPECT_EQ(inputs.at("x").shape(), (Shape{5, 3, 2}));

    settings.inputShapes = {{"x", {5, 4, 2}}};
    EXPECT_EQ(openError({spec("x", {"?", "3", "?"})}, settings),
              "input 'x' (float32[?,3,?]): the given shape [5,4,2] does not fit it");
    settings.inputShapes = {{"z", {1}}};
    EXPECT_EQ(openError({spec("x", {"2"}), spec("y", {"2"})}, settings),
              "a shape is given for input 'z', but the model has no such input (it has x, y)");
}

TEST(DynamicDims, UnknownRankNeedsDataOrAShape)
{
    InputSpec x{"x", DType::Float32, {}, {}, /*hasShape=*/false};
    EXPECT_EQ(openError({x}), "input 'x' (float32, shape unknown): random data needs the rank; "
                              "give a data folder or the input's shape (--shape x=D1xD2...)");
    SampleSourceSettings settings;
    settings.inputShapes = {{"x", {2, 2}}};
    const auto inputs = firstSample({x}, settings);
    ASSERT_EQ(inputs.count("x"), 1u);
    EXPECT_EQ(inputs.at("x").shape(), (Shape{2, 2}));
}

TEST(DynamicDims, RandomSourceRefusesUnresolvedDims)
{
    // randomSource is openSampleSource's part; called alone it must not guess a size.
    auto source = randomSource({spec("x", {"batch", "3"})}, 1, 0);
    auto sample = source->next();
    ASSERT_FALSE(sample.isOk());
    EXPECT_EQ(sample.status().message(),
              "input 'x': cannot make random values of unresolved shape [-1,3]");
}

// ---- data folders ----

TEST(DynamicDims, TensorFilesBringTheirOwnBatchUnlessTheUserSetsIt)
{
    TempDir dir;
    ASSERT_TRUE(writeNpyFile(Tensor::fromVector<float>({2, 4}, std::vector<float>(8, 1.0f)),
                             dir.file("a.npy")));
    SampleSourceSettings settings;
    settings.dataDir = dir.path();
    const auto inputs = firstSample({spec("x", {"batch", "4"})}, settings);
    ASSERT_EQ(inputs.count("x"), 1u);
    EXPECT_EQ(inputs.at("x").shape(), (Shape{2, 4}));

    settings.dimValues = {{"batch", 1}};
    auto source = openSampleSource({spec("x", {"batch", "4"})}, settings);
    ASSERT_TRUE(source.isOk()) << source.status().message();
    auto sample = (*source)->next();
    ASSERT_FALSE(sample.isOk());
    EXPECT_EQ(sample.status().message(),
              dir.file("a.npy") + ": shape [2,4] does not match input 'x' [1,4]");
}

TEST(DynamicDims, ImagesTakeThePreprocessingSizeOrTheUsersSymbols)
{
    TempDir dir;
    QImage image(10, 8, QImage::Format_RGB888);
    image.fill(Qt::white);
    ASSERT_TRUE(image.save(QString::fromStdString(dir.file("a.png"))));
    SampleSourceSettings settings = imageSize(3, 4);
    settings.dataDir = dir.path();
    const std::vector<InputSpec> inputs = {spec("x", {"batch", "3", "h", "w"})};
    EXPECT_EQ(firstSample(inputs, settings).at("x").shape(), (Shape{1, 3, 3, 4}));

    settings.preprocessing.clear_height();
    settings.preprocessing.clear_width();
    settings.dimValues = {{"h", 5}, {"w", 2}};
    EXPECT_EQ(firstSample(inputs, settings).at("x").shape(), (Shape{1, 3, 5, 2}));
}

// ---- the session's signature ----

void setNamedType(onnx::ValueInfoProto &value, const std::string &name,
                  const std::vector<std::string> &dims, int32_t type = onnx::TensorProto::FLOAT)
{
    value.set_name(name);
    auto *tensor = value.mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(type);
    auto *shape = tensor->mutable_shape();
    for (const std::string &dim : dims) {
        auto *added = shape->add_dim();
        if (isFixed(dim))
            added->set_dim_value(std::stoll(dim));
        else if (dim != "?")
            added->set_dim_param(dim);
    }
}

// y[batch,4,h,w] = Conv(x[batch,3,h,w], 3x3 weights of 0.5, pads 1): quantizable by static INT8.
onnx::ModelProto convModel()
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    setNamedType(*graph.add_input(), "x", {"batch", "3", "h", "w"});
    addInitializer(graph, "weight", {4, 3, 3, 3});
    setIntsAttribute(addNode(graph, "Conv", {"x", "weight"}, {"y"}, "conv"), "pads", {1, 1, 1, 1});
    setNamedType(*graph.add_output(), "y", {"batch", "4", "h", "w"});
    return model;
}

TEST(DynamicDims, SessionInputsKeepTheirSymbolNames)
{
    auto model = Model::fromProto(convModel(), "");
    ASSERT_TRUE(model.isOk()) << model.status().message();
    auto session = Session::create(*model, sessionOptions(1, {{"batch", 2}}));
    ASSERT_TRUE(session.isOk()) << session.status().message();
    const std::vector<InputSpec> inputs = inputSpecs(**session);
    ASSERT_EQ(inputs.size(), 1u);
    EXPECT_EQ(inputs[0].shape, (Shape{2, 3, -1, -1})); // the session's dimValues apply
    EXPECT_EQ(inputs[0].symbols, (std::vector<std::string>{"batch", "", "h", "w"}));
    EXPECT_EQ(describeInput(inputs[0]), "input 'x' (float32[batch,3,h,w])");
}

// ---- quantize and bench ----

quantscope::Recipe staticRecipe(const quantscope::ImagePreprocessing &prep)
{
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_STATIC);
    recipe.mutable_calibration()->set_max_samples(3);
    *recipe.mutable_calibration()->mutable_preprocessing() = prep;
    return recipe;
}

BenchSettings benchSettings(const std::string &model, const quantscope::ImagePreprocessing &prep)
{
    BenchSettings settings;
    settings.reference = model;
    settings.variants = {model};
    settings.preprocessing = prep;
    settings.samples = 3;
    settings.warmup = 0;
    settings.iterations = 1;
    settings.threads = 1;
    return settings;
}

TEST(DynamicDims, QuantizeAndBenchOpenTheSameSamples)
{
    TempDir dir;
    dir.write("conv.onnx", convModel().SerializeAsString());
    auto model = Model::load(dir.file("conv.onnx"));
    ASSERT_TRUE(model.isOk()) << model.status().message();

    // No image size: both stop at the same dim with the same words.
    quantscope::ImagePreprocessing prep;
    auto quantized = quantizeModel(*model, staticRecipe(prep), {}, silentProgress());
    auto benched = runBenchmark(benchSettings(dir.file("conv.onnx"), prep), silentProgress());
    ASSERT_FALSE(quantized.isOk());
    ASSERT_FALSE(benched.isOk());
    EXPECT_EQ(quantized.status().message(), benched.status().message());
    EXPECT_EQ(quantized.status()
                  .message()
                  .rfind("input 'x' (float32[batch,3,h,w]): dim 2 ('h') is dynamic", 0),
              0u)
        << quantized.status().message();

    // With one, both run on 3 random samples of [1,3,6,5].
    prep.set_height(6);
    prep.set_width(5);
    quantized = quantizeModel(*model, staticRecipe(prep), {}, silentProgress());
    benched = runBenchmark(benchSettings(dir.file("conv.onnx"), prep), silentProgress());
    ASSERT_TRUE(quantized.isOk()) << quantized.status().message();
    ASSERT_TRUE(benched.isOk()) << benched.status().message();
    EXPECT_EQ(quantized->calibrationSamples, 3);
    EXPECT_EQ(benched->samples(), 3);
    EXPECT_EQ(benched->data(), "random");
}

// ids[batch,4] -> Gather from a 10-row table: random ids must stay below 10.
TEST(DynamicDims, BenchFeedsInt64IdsThatIndexTheTable)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    setNamedType(*graph.add_input(), "ids", {"batch", "4"}, onnx::TensorProto::INT64);
    addInitializer(graph, "table", {10, 8});
    addNode(graph, "Gather", {"table", "ids"}, {"rows"}, "lookup");
    addOutput(graph, "rows", {-1, 4, 8});
    TempDir dir;
    dir.write("lookup.onnx", proto.SerializeAsString());
    auto report = runBenchmark(benchSettings(dir.file("lookup.onnx"), {}), silentProgress());
    ASSERT_TRUE(report.isOk()) << report.status().message();
    EXPECT_EQ(report->samples(), 3);
}

} // namespace
} // namespace qs
