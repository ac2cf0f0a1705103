// The engine's per-node profile (runtime/profile.h): one entry per step as the engine runs it
// (fused nodes once, under their own name), If bodies charged to their If node, shares that sum
// to one, op-type totals that are the sums of their nodes, and profileSession's cancellation.
#include "model/model.h"
#include "runtime/profile.h"
#include "runtime/session.h"
#include "support/conv_bn_relu_model.h"
#include "support/if_model.h"
#include "support/model_builder.h"
#include "support/random_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace qs {
namespace {

using namespace qs::test;
using namespace std::chrono_literals;

std::shared_ptr<const Session> createSession(onnx::ModelProto proto, bool fuse = true)
{
    auto model = Model::fromProto(std::move(proto), ".");
    EXPECT_TRUE(model) << model.status().message();
    if (!model)
        return nullptr;
    auto session = Session::create(*model, sessionOptions(2, {}, fuse));
    EXPECT_TRUE(session) << session.status().message();
    return session ? *session : nullptr;
}

std::map<std::string, Tensor> convInputs()
{
    return {{"x", Tensor::fromVector<float>({1, 3, 8, 8}, randomNormal(3 * 64, 42))}};
}

// (name, op type) of every node in the profile, in execution order of the recorder.
std::vector<std::pair<std::string, std::string>> recordedSteps(const ProfileRecorder &recorder)
{
    std::vector<std::pair<std::string, std::string>> steps;
    for (const auto &step : recorder.steps())
        steps.emplace_back(step.nodeName, step.opType);
    return steps;
}

void expectConsistent(const Profile &profile)
{
    ASSERT_GT(profile.totalMs, 0.0);
    double nodeMs = 0.0, nodeShares = 0.0;
    std::map<std::string, std::pair<double, int>> byOpType; // ms, nodes
    for (const NodeTime &node : profile.nodes) {
        nodeMs += node.ms;
        nodeShares += node.share;
        byOpType[node.opType].first += node.ms;
        ++byOpType[node.opType].second;
    }
    EXPECT_NEAR(nodeMs, profile.totalMs, 1e-9 * profile.totalMs);
    EXPECT_NEAR(nodeShares, 1.0, 1e-9);
    double opTypeShares = 0.0;
    ASSERT_EQ(profile.opTypes.size(), byOpType.size());
    for (const OpTypeTime &opType : profile.opTypes) {
        EXPECT_NEAR(opType.ms, byOpType[opType.opType].first, 1e-9 * profile.totalMs)
            << opType.opType;
        EXPECT_EQ(opType.nodes, byOpType[opType.opType].second) << opType.opType;
        opTypeShares += opType.share;
    }
    EXPECT_NEAR(opTypeShares, 1.0, 1e-9);
    for (size_t i = 1; i < profile.nodes.size(); ++i)
        EXPECT_GE(profile.nodes[i - 1].ms, profile.nodes[i].ms);
    for (size_t i = 1; i < profile.opTypes.size(); ++i)
        EXPECT_GE(profile.opTypes[i - 1].ms, profile.opTypes[i].ms);
}

TEST(Profile, FusedNodesAreOneStepUnderTheirOwnName)
{
    auto session = createSession(convBnReluModel());
    ASSERT_TRUE(session);
    ProfileRecorder recorder;
    RunOptions options;
    options.profile = &recorder;
    for (int run = 0; run < 3; ++run)
        ASSERT_TRUE(session->run(convInputs(), options));
    using Steps = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(recordedSteps(recorder),
              (Steps{{"conv", "Conv"}, {"conv2", "Conv"}, {"pool", "GlobalAveragePool"}}));
    for (const auto &step : recorder.steps())
        EXPECT_EQ(step.calls, 3) << step.nodeName;

    const Profile profile = summarizeProfile(recorder, 3);
    EXPECT_EQ(profile.iterations, 3);
    ASSERT_EQ(profile.nodes.size(), 3u);
    expectConsistent(profile);
    ASSERT_FALSE(profile.opTypes.empty());
    const auto conv = std::find_if(profile.opTypes.begin(), profile.opTypes.end(),
                                   [](const OpTypeTime &t) { return t.opType == "Conv"; });
    ASSERT_NE(conv, profile.opTypes.end());
    EXPECT_EQ(conv->nodes, 2);
}

TEST(Profile, UnfusedSessionListsEveryNodeOnce)
{
    auto session = createSession(convBnReluModel(), /*fuse=*/false);
    ASSERT_TRUE(session);
    auto profile = profileSession(*session, convInputs(), /*warmup=*/1, /*iterations=*/2);
    ASSERT_TRUE(profile) << profile.status().message();
    std::multiset<std::string> names;
    for (const NodeTime &node : profile->nodes)
        names.insert(node.name);
    EXPECT_EQ(names,
              (std::multiset<std::string>{"conv", "bn", "relu", "conv2", "bn2", "relu2", "pool"}));
    expectConsistent(*profile);
    std::map<std::string, int> nodesByOpType;
    for (const OpTypeTime &opType : profile->opTypes)
        nodesByOpType[opType.opType] = opType.nodes;
    EXPECT_EQ(nodesByOpType, (std::map<std::string, int>{{"BatchNormalization", 2},
                                                         {"Conv", 2},
                                                         {"GlobalAveragePool", 1},
                                                         {"Relu", 2}}));
}

// ifModel(): the If body's node is not a profile row.
TEST(Profile, IfBodyIsChargedToTheIfNode)
{
    auto session = createSession(ifModel());
    ASSERT_TRUE(session);
    const std::map<std::string, Tensor> inputs = ifInputs(true);
    ProfileRecorder recorder;
    RunOptions options;
    options.profile = &recorder;
    ASSERT_TRUE(session->run(inputs, options));
    using Steps = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(recordedSteps(recorder), (Steps{{"add", "Add"}, {"branch", "If"}}));
}

TEST(Profile, SummaryIsPerIterationAndSorted)
{
    ProfileRecorder recorder;
    for (int run = 0; run < 2; ++run) {
        recorder.record(0, "a", "Conv", 3ms);
        recorder.record(1, "b", "Relu", 1ms);
        recorder.record(2, "c", "Conv", 2ms);
        recorder.record(3, "d", "Relu", 1ms);
    }
    const Profile profile = summarizeProfile(recorder, 2);
    EXPECT_DOUBLE_EQ(profile.totalMs, 7.0);
    std::vector<std::string> order;
    for (const NodeTime &node : profile.nodes)
        order.push_back(node.name);
    EXPECT_EQ(order, (std::vector<std::string>{"a", "c", "b", "d"})); // ties in execution order
    EXPECT_DOUBLE_EQ(profile.nodes[0].ms, 3.0);
    EXPECT_DOUBLE_EQ(profile.nodes[0].share, 3.0 / 7.0);
    ASSERT_EQ(profile.opTypes.size(), 2u);
    EXPECT_EQ(profile.opTypes[0].opType, "Conv");
    EXPECT_DOUBLE_EQ(profile.opTypes[0].ms, 5.0);
    EXPECT_EQ(profile.opTypes[0].nodes, 2);
    EXPECT_DOUBLE_EQ(profile.opTypes[1].share, 2.0 / 7.0);

    const Profile empty = summarizeProfile(ProfileRecorder(), 1);
    EXPECT_EQ(empty.totalMs, 0.0);
    EXPECT_TRUE(empty.nodes.empty());
    EXPECT_TRUE(empty.opTypes.empty());
}

// Cancels when the run after `afterRuns` runs is about to start.
class CancelAfter : public Progress
{
public:
    explicit CancelAfter(int64_t afterRuns)
        : m_afterRuns(afterRuns)
    {}
    void report(int64_t done, int64_t, std::string_view) override
    {
        if (done >= m_afterRuns)
            cancel();
    }

private:
    int64_t m_afterRuns;
};

TEST(Profile, ProfileSessionHonoursCancellation)
{
    auto session = createSession(convBnReluModel());
    ASSERT_TRUE(session);
    Progress cancelledBefore;
    cancelledBefore.cancel();
    auto profile = profileSession(*session, convInputs(), 1, 3, cancelledBefore);
    ASSERT_FALSE(profile);
    EXPECT_EQ(profile.status().code(), StatusCode::Cancelled);

    // Cancelled during the first profiled run (after the warm-up): the run stops at a node.
    CancelAfter cancelDuring(1);
    profile = profileSession(*session, convInputs(), 1, 3, cancelDuring);
    ASSERT_FALSE(profile);
    EXPECT_EQ(profile.status().code(), StatusCode::Cancelled);

    profile = profileSession(*session, convInputs(), 0, 0);
    ASSERT_FALSE(profile);
    EXPECT_EQ(profile.status().code(), StatusCode::InvalidArgument);
}

} // namespace
} // namespace qs
