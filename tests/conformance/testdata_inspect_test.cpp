// Every model of ONNX's own backend tests (Debian's libonnx-testdata) opens and indexes, and the
// node counts agree with the file: the main graph's count and the count over all subgraphs.
#include "model/graph_index.h"
#include "model/model.h"
#include "model/model_summary.h"

#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace qs {
namespace {

const char *kTestDataRoot = "/usr/share/libonnx-testdata/data";

int64_t countNodes(const onnx::GraphProto &graph)
{
    int64_t count = graph.node_size();
    for (const auto &node : graph.node()) {
        for (const auto &attribute : node.attribute()) {
            if (attribute.has_g())
                count += countNodes(attribute.g());
            for (const auto &subgraph : attribute.graphs())
                count += countNodes(subgraph);
        }
    }
    return count;
}

std::vector<std::string> testModels()
{
    std::vector<std::string> models;
    for (const char *suite : {"node", "pytorch-converted", "pytorch-operator", "simple"}) {
        const std::filesystem::path folder = std::filesystem::path(kTestDataRoot) / suite;
        if (!std::filesystem::exists(folder))
            continue;
        for (const auto &entry : std::filesystem::directory_iterator(folder)) {
            const auto model = entry.path() / "model.onnx";
            if (std::filesystem::exists(model))
                models.push_back(model.string());
        }
    }
    std::sort(models.begin(), models.end());
    return models;
}

TEST(OnnxTestData, EveryModelInspectsWithExactNodeCounts)
{
    const std::vector<std::string> models = testModels();
    // Debian 12's package ships over 1,000 models; fewer means the package is missing.
    ASSERT_GT(models.size(), 1000u) << "install libonnx-testdata (scripts/install-deps.sh)";
    int passed = 0;
    for (const std::string &path : models) {
        auto loaded = Model::load(path);
        if (!loaded) {
            ADD_FAILURE() << path << ": " << loaded.status().message();
            continue;
        }
        onnx::ModelProto raw;
        std::ifstream in(path, std::ios::binary);
        ASSERT_TRUE(raw.ParseFromIstream(&in)) << path;
        const ModelSummary summary = summarize(*loaded.value());
        EXPECT_EQ(summary.nodeCount, raw.graph().node_size()) << path;
        EXPECT_EQ(summary.nodeCountTotal, countNodes(raw.graph())) << path;
        int64_t histogramTotal = 0;
        for (const OpTypeStats &stats : summary.opTypes)
            histogramTotal += stats.count;
        EXPECT_EQ(histogramTotal, summary.nodeCountTotal) << path;
        passed += summary.nodeCount == raw.graph().node_size() ? 1 : 0;
    }
    std::cout << "inspected " << models.size() << " libonnx-testdata models, " << passed
              << " with exact node counts\n";
}

} // namespace
} // namespace qs
