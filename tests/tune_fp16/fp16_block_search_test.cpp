// The FP16 block list search (core/tune/fp16_block_search.h): the algorithm against synthetic
// oracles (which lists it asks, how many, budget and cancel), then the real oracle on a model
// built here whose middle activation overflows float16.
#include "quant/fp16_test_support.h"
#include "tune/fp16_block_search.h"
#include "tune/tune_test_models.h"

#include <algorithm>

namespace qs {
namespace {

using namespace qs::test;
using namespace qs::fp16test;

std::vector<Fp16Candidate> plainCandidates(int count)
{
    std::vector<Fp16Candidate> candidates;
    for (int i = 0; i < count; ++i) {
        std::string name = "n"; // "n" + to_string(i) trips GCC 12's -Wrestrict false positive
        name += std::to_string(i);
        candidates.push_back({name, "Add", 1.0, true, false});
    }
    return candidates;
}

// Met when every name of `needed` is blocked; counts the calls itself.
struct NeedsBlocked
{
    std::set<std::string> needed;
    int calls = 0;

    Fp16Oracle oracle()
    {
        return [this](const std::vector<std::string> &blockList) -> Result<bool> {
            ++calls;
            const std::set<std::string> blocked(blockList.begin(), blockList.end());
            return std::includes(blocked.begin(), blocked.end(), needed.begin(), needed.end());
        };
    }
};

TEST(Fp16BlockSearch, BisectionFindsScatteredNodes)
{
    NeedsBlocked target{{"n3", "n11"}};
    auto result = searchFp16BlockList(plainCandidates(16), target.oracle(), {}, silentProgress());
    ASSERT_TRUE(result) << result.status().message();
    EXPECT_TRUE(result->met);
    EXPECT_TRUE(result->complete);
    EXPECT_EQ(result->blockList, (std::vector<std::string>{"n3", "n11"}));
    EXPECT_TRUE(result->overflowBlocked.empty());
    EXPECT_EQ(result->oracleCalls, target.calls);
    EXPECT_EQ(result->trials.size(), size_t(target.calls));
    // Far fewer than one trial per node and removal (16 + 16): bisection pays ~log2 per node.
    EXPECT_LE(result->oracleCalls, 20);
    EXPECT_EQ(result->trials.front().stage, "overflow");
    EXPECT_TRUE(result->trials.front().blockList.empty());
}

TEST(Fp16BlockSearch, OverflowingNodesAreBlockedBeforeAnyTrial)
{
    std::vector<Fp16Candidate> candidates = plainCandidates(8);
    candidates[5].maxAbs = 1e6;
    candidates[2].underflow = true;
    NeedsBlocked target{{"n5"}};
    auto result = searchFp16BlockList(candidates, target.oracle(), {}, silentProgress());
    ASSERT_TRUE(result) << result.status().message();
    EXPECT_EQ(result->overflowBlocked, (std::vector<std::string>{"n2", "n5"}));
    EXPECT_EQ(result->trials.front().blockList, (std::vector<std::string>{"n2", "n5"}));
    EXPECT_TRUE(result->trials.front().met);
    // The first list met: only the minimality pass follows (n2 dropped, n5 kept).
    EXPECT_EQ(result->blockList, std::vector<std::string>{"n5"});
    EXPECT_EQ(result->oracleCalls, 3);
}

TEST(Fp16BlockSearch, UnreachableTargetSaysSoAfterTwoTrials)
{
    int calls = 0;
    auto never = [&](const std::vector<std::string> &) -> Result<bool> {
        ++calls;
        return false;
    };
    auto result = searchFp16BlockList(plainCandidates(4), never, {}, silentProgress());
    ASSERT_TRUE(result);
    EXPECT_FALSE(result->met);
    EXPECT_EQ(result->blockList.size(), 4u);
    EXPECT_EQ(calls, 2); // nothing blocked, then everything
    EXPECT_EQ(result->trials.back().stage, "all blocked");
}

TEST(Fp16BlockSearch, BudgetKeepsTheBestListSoFar)
{
    NeedsBlocked target{{"n1", "n6"}};
    Fp16BlockSearchOptions options;
    options.maxTrials = 4;
    std::vector<Fp16Trial> seen;
    options.onTrial = [&](const Fp16Trial &trial) { seen.push_back(trial); };
    auto result = searchFp16BlockList(plainCandidates(12), target.oracle(), options,
                                      silentProgress());
    ASSERT_TRUE(result);
    EXPECT_FALSE(result->complete);
    EXPECT_EQ(result->oracleCalls, 4);
    EXPECT_EQ(seen.size(), 4u);
    ASSERT_TRUE(result->met);
    auto check = target.oracle();
    EXPECT_TRUE(*check(result->blockList));
}

TEST(Fp16BlockSearch, CancelStopsBetweenTrials)
{
    Progress progress;
    NeedsBlocked target{{"n2"}};
    auto oracle = target.oracle();
    auto cancelling = [&](const std::vector<std::string> &list) -> Result<bool> {
        progress.cancel();
        return oracle(list);
    };
    auto result = searchFp16BlockList(plainCandidates(8), cancelling, {}, progress);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.status().code(), StatusCode::Cancelled);
    EXPECT_EQ(target.calls, 1);
}

onnx::ModelProto overflowModel()
{
    return fp16OverflowModel();
}

struct Evaluation
{
    std::vector<Sample> samples;
    std::vector<NamedTensors> references;
};

Evaluation evaluate(const std::shared_ptr<const Model> &model, const Shape &shape)
{
    Evaluation evaluation;
    for (int s = 0; s < 3; ++s) {
        Tensor x = Tensor::allocate(DType::Float32, shape);
        for (int64_t i = 0; i < x.elementCount(); ++i)
            x.mutableData<float>()[i] = 1.0f + 0.5f * std::sin(float(i) * 0.9f + float(s));
        evaluation.samples.push_back({"sample " + std::to_string(s), {{"x", x}}});
        evaluation.references.push_back(run(model, evaluation.samples.back().inputs));
    }
    return evaluation;
}

TEST(Fp16BlockSearch, OverflowingModelGetsAMinimalBlockList)
{
    auto model = load(overflowModel());
    ASSERT_TRUE(model);
    const Evaluation data = evaluate(model, {1, 8});
    const Fp16Target target{0.999};
    const quantscope::Fp16Options start = options();

    // Plain conversion breaks the target: up2's output becomes infinity.
    auto plain = meetsFp16Target(model, start, data.samples, data.references, target,
                                 silentProgress());
    ASSERT_TRUE(plain) << plain.status().message();
    EXPECT_FALSE(*plain);

    auto candidates = fp16Candidates(model, start, data.samples, silentProgress());
    ASSERT_TRUE(candidates) << candidates.status().message();
    ASSERT_EQ(candidates->size(), 8u);
    EXPECT_EQ(candidates->front().node, "shift");
    EXPECT_GT((*candidates)[2].maxAbs, kFloat16Max); // up2
    EXPECT_GT((*candidates)[4].maxAbs, 1e3); // down1: within range, yet it reads relu's output
    EXPECT_LT((*candidates)[4].maxAbs, kFloat16Max);

    auto result = searchFp16BlockList(model, start, data.samples, data.references, target, {},
                                      silentProgress());
    ASSERT_TRUE(result) << result.status().message();
    EXPECT_TRUE(result->met);
    EXPECT_TRUE(result->complete);
    EXPECT_EQ(result->overflowBlocked, (std::vector<std::string>{"up2", "relu"}));
    EXPECT_EQ(result->blockList, (std::vector<std::string>{"up2", "relu", "down1"}));
    std::cout << "[          ] " << result->oracleCalls << " oracle calls for 8 nodes\n";
    // Every trial carries what the engine measured: the first one (only up2 and relu blocked)
    // overflowed in down1; the met ones are within the target.
    ASSERT_EQ(result->trials.size(), size_t(result->oracleCalls));
    for (const Fp16Trial &trial : result->trials) {
        ASSERT_TRUE(trial.measurement) << trial.stage;
        EXPECT_EQ(trial.measurement->met, trial.met);
        EXPECT_GT(trial.measurement->modelBytes, 0);
        EXPECT_GT(trial.measurement->latencyMs, 0.0);
        if (trial.met) {
            EXPECT_GE(trial.measurement->worstCosine, 0.999);
        }
    }
    // down1's infinity is squashed by the Sigmoid: finite, but far from the reference.
    EXPECT_LT(result->trials.front().measurement->worstCosine, 0.999);

    // The list meets the target, and removing any one entry breaks it.
    auto withList = [&](const std::vector<std::string> &blockList) {
        quantscope::Fp16Options trial = start;
        for (const std::string &node : blockList)
            trial.add_node_block_list(node);
        auto met = meetsFp16Target(model, trial, data.samples, data.references, target,
                                   silentProgress());
        EXPECT_TRUE(met) << met.status().message();
        return met && *met;
    };
    EXPECT_TRUE(withList(result->blockList));
    for (size_t i = 0; i < result->blockList.size(); ++i) {
        std::vector<std::string> fewer = result->blockList;
        fewer.erase(fewer.begin() + std::ptrdiff_t(i));
        EXPECT_FALSE(withList(fewer)) << "not needed: " << result->blockList[i];
    }
}

// x[1,2,6,6] -> Conv -> Relu -> Sigmoid: float16 holds everything, nothing needs blocking.
onnx::ModelProto convModel()
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 2, 6, 6});
    addOutput(graph, "y", {1, 3, 6, 6});
    addInitializer(graph, "w", {3, 2, 3, 3});
    addInitializer(graph, "b", {3});
    setIntsAttribute(addNode(graph, "Conv", {"x", "w", "b"}, {"c"}, "conv"), "pads", {1, 1, 1, 1});
    addNode(graph, "Relu", {"c"}, {"r"}, "relu");
    addNode(graph, "Sigmoid", {"r"}, {"y"}, "sigmoid");
    return proto;
}

TEST(Fp16BlockSearch, ModelWithoutOverflowNeedsNoBlockList)
{
    auto model = load(convModel());
    ASSERT_TRUE(model);
    const Evaluation data = evaluate(model, {1, 2, 6, 6});
    auto result = searchFp16BlockList(model, options(true), data.samples, data.references,
                                      Fp16Target{0.999}, {}, silentProgress());
    ASSERT_TRUE(result) << result.status().message();
    EXPECT_TRUE(result->met);
    EXPECT_TRUE(result->blockList.empty());
    EXPECT_TRUE(result->overflowBlocked.empty());
    EXPECT_EQ(result->oracleCalls, 1);
}

} // namespace
} // namespace qs
