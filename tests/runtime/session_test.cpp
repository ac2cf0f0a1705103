// Session behaviour independent of any one kernel: the observer sees every value (subgraphs
// included), cancellation stops a run, unsupported ops are all listed before anything runs,
// concurrent runs of one session agree, and values a node does not need are not kept.
#include "model/model.h"
#include "runtime/session.h"
#include "support/if_model.h"
#include "support/model_builder.h"
#include "support/run_node.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace qs {
namespace {

using namespace qs::test;

std::shared_ptr<const Model> load(onnx::ModelProto proto)
{
    auto model = Model::fromProto(std::move(proto), ".");
    EXPECT_TRUE(model) << model.status().message();
    return model.value();
}

TEST(Session, ObserverSeesEveryValueIncludingSubgraphs)
{
    auto session = Session::create(load(ifModel()));
    ASSERT_TRUE(session) << session.status().message();
    std::vector<std::string> seen;
    RunOptions options;
    options.observer = [&](const std::string &name, const Tensor &) { seen.push_back(name); };
    auto outputs = (*session)->run(ifInputs(true), options);
    ASSERT_TRUE(outputs) << outputs.status().message();
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "then_relu", "out"}));
    EXPECT_EQ(outputs->at(0).second.values<float>()[0], 0.0f); // relu(-1.5)
    EXPECT_EQ(outputs->at(0).second.values<float>()[1], 1.5f);

    seen.clear();
    outputs = (*session)->run(ifInputs(false), options);
    ASSERT_TRUE(outputs);
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "else_neg", "out"}));
    EXPECT_EQ(outputs->at(0).second.values<float>()[0], 1.5f);
}

TEST(Session, CancelledProgressStopsTheRun)
{
    auto session = Session::create(load(ifModel()));
    ASSERT_TRUE(session);
    Progress progress;
    progress.cancel();
    RunOptions options;
    options.progress = &progress;
    auto outputs = (*session)->run(ifInputs(true), options);
    ASSERT_FALSE(outputs);
    EXPECT_EQ(outputs.status().code(), StatusCode::Cancelled);
}

TEST(Session, EveryUnsupportedOpTypeIsListedWithItsNodes)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {2});
    addOutput(graph, "z", {2});
    addNode(graph, "FrobA", {"x"}, {"y"}, "first");
    addNode(graph, "FrobB", {"y"}, {"y2"}, "second");
    addNode(graph, "FrobA", {"y2"}, {"z"}, "third");
    auto session = Session::create(load(proto));
    ASSERT_FALSE(session);
    EXPECT_EQ(session.status().code(), StatusCode::Unsupported);
    const std::string &message = session.status().message();
    EXPECT_NE(message.find("2 op types"), std::string::npos) << message;
    EXPECT_NE(message.find("FrobA (opset 13) in nodes 'first', 'third'"), std::string::npos)
        << message;
    EXPECT_NE(message.find("FrobB (opset 13) in node 'second'"), std::string::npos) << message;
}

TEST(Session, ConcurrentRunsOfOneSessionAgree)
{
    auto session = Session::create(load(ifModel()), sessionOptions(1));
    ASSERT_TRUE(session);
    std::vector<std::vector<float>> results(4);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < results.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int repeat = 0; repeat < 50; ++repeat) {
                auto outputs = (*session)->run(ifInputs(t % 2 == 0));
                if (!outputs)
                    return;
                const auto values = outputs->at(0).second.values<float>();
                results[t].assign(values.begin(), values.end());
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    EXPECT_EQ(results[0], (std::vector<float>{0.0f, 1.5f}));
    EXPECT_EQ(results[1], (std::vector<float>{1.5f, -1.5f}));
    EXPECT_EQ(results[2], results[0]);
    EXPECT_EQ(results[3], results[1]);
}

TEST(Session, ThreadCountAndDynamicDims)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {-1, 2});
    addOutput(graph, "y", {-1, 2});
    addNode(graph, "Relu", {"x"}, {"y"});
    auto session = Session::create(load(proto), sessionOptions(3, {{"batch", 4}}));
    ASSERT_TRUE(session) << session.status().message();
    EXPECT_EQ((*session)->threads(), 3);
    EXPECT_EQ((*session)->concreteInputShape(0), (Shape{4, 2}));
    auto wrongBatch = (*session)->run({{"x", Tensor::allocate(DType::Float32, {3, 2}, true)}});
    ASSERT_FALSE(wrongBatch);
    EXPECT_NE(wrongBatch.status().message().find("dim 0 should be 4"), std::string::npos)
        << wrongBatch.status().message();
    auto fine = (*session)->run({{"x", Tensor::allocate(DType::Float32, {4, 2}, true)}});
    EXPECT_TRUE(fine) << fine.status().message();
}

// Opsets past the ONNX linked here (1.12 knows up to 17) still run: ReduceMean-18 takes its axes
// as a second input, which ONNX 1.12's last ReduceMean schema (13) does not allow. A16W8 models
// are written at opset 21 and hold such nodes.
TEST(Session, RunsOpsWhoseInputsGrewPastTheOpsetsOnnxKnows)
{
    onnx::NodeProto node = nodeUnderTest("ReduceMean", {"x", "axes"}, {"y"});
    auto out = runNode(node,
                       {{"x", Tensor::fromVector<float>({2, 3}, {1, 2, 3, 4, 5, 6})},
                        {"axes", Tensor::fromVector<int64_t>({1}, {1})}},
                       18, {"axes"});
    ASSERT_TRUE(out) << out.status().message();
    ASSERT_EQ(out->size(), 1u);
    EXPECT_EQ((*out)[0].shape(), (Shape{2, 1}));
    EXPECT_FLOAT_EQ((*out)[0].data<float>()[0], 2.0f);
    EXPECT_FLOAT_EQ((*out)[0].data<float>()[1], 5.0f);

    // An op that lost inputs it needs is still refused by name at any opset.
    onnx::NodeProto bare = nodeUnderTest("ReduceMean", {}, {"y"});
    auto refused = runNode(bare, {}, 18);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.status().message().find("ReduceMean"), std::string::npos)
        << refused.status().message();
}

} // namespace
} // namespace qs
