#pragma once
// Pass tests (STYLE.md section 3): build a tiny model in code, run passes over its Graph, count
// the ops of the result, and run the model before and after through the engine (fusion off, so
// the engine computes exactly what each graph says) to compare outputs.
#include "graph/graph.h"
#include "graph/pass.h"
#include "model/model.h"
#include "runtime/session.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace qs::test {

struct PassOutcome
{
    onnx::ModelProto model;
    std::map<std::string, int> opCounts; // main graph, "domain:op" for other domains
    PassContext context;
};

inline std::map<std::string, int> opCounts(const onnx::GraphProto &graph)
{
    std::map<std::string, int> counts;
    for (const auto &node : graph.node()) {
        const bool standard = node.domain().empty() || node.domain() == "ai.onnx";
        counts[standard ? node.op_type() : node.domain() + ":" + node.op_type()] += 1;
    }
    return counts;
}

inline PassOutcome runPasses(const onnx::ModelProto &proto, const PassPipeline &pipeline,
                             bool allowInternalOps = false)
{
    PassOutcome outcome;
    auto model = Model::fromProto(proto, ".");
    EXPECT_TRUE(model) << model.status().message();
    auto graph = Graph::fromModel(*model);
    EXPECT_TRUE(graph) << graph.status().message();
    outcome.context.allowInternalOps = allowInternalOps;
    auto ran = pipeline.run(**graph, outcome.context, PassPipeline::Scope::WithSubgraphs);
    EXPECT_TRUE(ran) << ran.status().message();
    (*graph)->removeUnusedConstants();
    auto written = (*graph)->toModelProto();
    EXPECT_TRUE(written) << written.status().message();
    outcome.model = std::move(*written);
    outcome.opCounts = opCounts(outcome.model.graph());
    return outcome;
}

// The model's outputs in order, computed by the engine as the graph spells them (no fusion).
inline std::vector<Tensor> runUnfused(const onnx::ModelProto &proto,
                                      const std::map<std::string, Tensor> &inputs)
{
    auto model = Model::fromProto(proto, ".");
    EXPECT_TRUE(model) << model.status().message();
    if (!model)
        return {};
    auto session = Session::create(*model, sessionOptions(1, {}, false));
    EXPECT_TRUE(session) << session.status().message();
    if (!session)
        return {};
    auto outputs = (*session)->run(inputs);
    EXPECT_TRUE(outputs) << outputs.status().message();
    std::vector<Tensor> values;
    if (outputs) {
        for (auto &[name, value] : *outputs)
            values.push_back(value);
    }
    return values;
}

// Same shapes and values within `tolerance` of the largest magnitude.
inline void expectSameOutputs(const std::vector<Tensor> &actual,
                              const std::vector<Tensor> &expected, float tolerance = 1e-5f)
{
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t o = 0; o < expected.size(); ++o) {
        ASSERT_EQ(actual[o].shape(), expected[o].shape()) << "output " << o;
        const auto want = expected[o].values<float>();
        const auto got = actual[o].values<float>();
        float scale = 1.0f;
        for (const float v : want)
            scale = std::max(scale, std::fabs(v));
        for (size_t i = 0; i < want.size(); ++i)
            ASSERT_NEAR(got[i], want[i], tolerance * scale) << "output " << o << " at " << i;
    }
}

} // namespace qs::test
