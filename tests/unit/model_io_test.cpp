// Loading and saving: external data, atomic writes, round trips.
#include "model/graph_index.h"
#include "model/model.h"
#include "model/model_writer.h"
#include "support/model_builder.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

namespace qs {
namespace {

using namespace qs::test;

onnx::ModelProto twoLayerModel()
{
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 64});
    addOutput(graph, "y", {1, 16});
    addInitializer(graph, "w1", {64, 32});
    addInitializer(graph, "w2", {32, 16});
    addNode(graph, "MatMul", {"x", "w1"}, {"h"}, "fc1");
    addNode(graph, "MatMul", {"h", "w2"}, {"y"}, "fc2");
    return proto;
}

float firstFloat(std::span<const std::byte> bytes)
{
    float value = 0;
    std::memcpy(&value, bytes.data(), sizeof value);
    return value;
}

TEST(ModelIo, SavesExternalDataAndLoadsItBackMapped)
{
    TempDir dir;
    const std::string path = dir.file("model.onnx");
    ASSERT_TRUE(saveModel(twoLayerModel(), path, {ExternalDataPolicy::Always, 1024}, dir.path()));
    ASSERT_TRUE(std::filesystem::exists(path + ".data"));

    auto loaded = Model::load(path);
    ASSERT_TRUE(loaded.isOk()) << loaded.status().message();
    const Model &model = *loaded.value();
    const auto *w1 = model.index().initializer(0, "w1");
    ASSERT_NE(w1, nullptr);
    EXPECT_TRUE(hasExternalData(*w1));
    EXPECT_TRUE(w1->raw_data().empty());
    const auto bytes = model.rawBytes(*w1);
    ASSERT_EQ(bytes.size(), 64u * 32u * 4u);
    EXPECT_EQ(firstFloat(bytes), 0.5f);
    EXPECT_EQ(model.fileBytes(),
              std::filesystem::file_size(path) + std::filesystem::file_size(path + ".data"));
    EXPECT_EQ(model.index().findByDisplayName("fc1")->paramCount, 64 * 32);

    // Saving again without external data brings the bytes back inline.
    const std::string inlinePath = dir.file("inline.onnx");
    ASSERT_TRUE(saveModel(model.proto(), inlinePath, {ExternalDataPolicy::Never, 1024}, dir.path()));
    EXPECT_FALSE(std::filesystem::exists(inlinePath + ".data"));
    auto reloaded = Model::load(inlinePath);
    ASSERT_TRUE(reloaded.isOk()) << reloaded.status().message();
    const auto *inlineW1 = reloaded.value()->index().initializer(0, "w1");
    EXPECT_FALSE(hasExternalData(*inlineW1));
    EXPECT_EQ(firstFloat(reloaded.value()->rawBytes(*inlineW1)), 0.5f);
}

TEST(ModelIo, AutoPolicyKeepsSmallModelsInline)
{
    TempDir dir;
    const std::string path = dir.file("small.onnx");
    ASSERT_TRUE(saveModel(twoLayerModel(), path, {}, dir.path()));
    EXPECT_FALSE(std::filesystem::exists(path + ".data"));
    // No temporary file is left behind.
    int files = 0;
    for ([[maybe_unused]] const auto &entry : std::filesystem::directory_iterator(dir.path()))
        ++files;
    EXPECT_EQ(files, 1);
}

TEST(ModelIo, FailedSaveLeavesNothingBehind)
{
    TempDir dir;
    const std::string path = dir.file("missing-folder/model.onnx");
    Status status = saveModel(twoLayerModel(), path, {}, dir.path());
    EXPECT_FALSE(status.isOk());
    EXPECT_NE(status.message().find("missing-folder/model.onnx"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(path));
}

// twoLayerModel() whose first weights (float32[64,32]) are said to be in the file `location`.
onnx::ModelProto modelWithExternalWeights(const std::string &location)
{
    onnx::ModelProto proto = twoLayerModel();
    onnx::TensorProto &w1 = *proto.mutable_graph()->mutable_initializer(0);
    w1.clear_raw_data();
    w1.set_data_location(onnx::TensorProto::EXTERNAL);
    auto *entry = w1.add_external_data();
    entry->set_key("location");
    entry->set_value(location);
    return proto;
}

TEST(ModelIo, RejectsExternalDataOutsideTheModelFolder)
{
    TempDir dir;
    auto model = Model::fromProto(modelWithExternalWeights("../../etc/passwd"), dir.path());
    ASSERT_FALSE(model.isOk());
    EXPECT_NE(model.status().message().find("relative path inside the model's folder"),
              std::string::npos);
}

TEST(ModelIo, RejectsExternalDataOfTheWrongSize)
{
    TempDir dir;
    dir.write("weights.bin", std::string(100, '\0'));
    auto model = Model::fromProto(modelWithExternalWeights("weights.bin"), dir.path());
    ASSERT_FALSE(model.isOk());
    EXPECT_NE(model.status().message().find("holds 100 bytes but float32[64,32] needs 8192"),
              std::string::npos)
        << model.status().message();
}

} // namespace
} // namespace qs
