// Recurrent ops beyond the backend tests: a bidirectional LSTM's reverse half equals a forward
// LSTM run on the time-reversed sequence, and with sequence_lens the steps past a sequence's end
// are zero in Y while Y_h holds the state at its last valid step.
#include "support/run_node.h"

#include <gtest/gtest.h>

#include <random>

namespace qs {
namespace {

using namespace qs::test;

Tensor randomTensor(const Shape &shape, unsigned seed)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    std::vector<float> values(static_cast<size_t>(shapeElementCount(shape)));
    for (float &v : values)
        v = normal(random);
    return Tensor::fromVector<float>(shape, values);
}

// Slice [index] of dim 0 of a [2, ...] tensor.
Tensor half(const Tensor &t, int64_t index)
{
    Shape shape(t.shape().begin() + 1, t.shape().end());
    const int64_t count = shapeElementCount(shape);
    std::vector<float> values(t.values<float>().begin() + index * count,
                              t.values<float>().begin() + (index + 1) * count);
    shape.insert(shape.begin(), 1);
    return Tensor::fromVector<float>(shape, values);
}

Result<std::vector<Tensor>> lstm(const std::string &direction, const Tensor &x, const Tensor &w,
                                 const Tensor &r, const Tensor *lengths = nullptr)
{
    std::vector<std::string> inputs = {"x", "w", "r"};
    std::vector<std::pair<std::string, Tensor>> feeds = {{"x", x}, {"w", w}, {"r", r}};
    if (lengths) {
        inputs.insert(inputs.end(), {"", "lens"});
        feeds.emplace_back("lens", *lengths);
    }
    onnx::NodeProto node = nodeUnderTest("LSTM", inputs, {"y", "y_h"});
    setIntAttribute(node, "hidden_size", r.dim(2));
    setStringAttribute(node, "direction", direction);
    return runNode(node, feeds, 14);
}

TEST(Rnn, BidirectionalReverseEqualsForwardOnReversedInput)
{
    const int64_t seq = 4, batch = 2, input = 3, hidden = 5;
    const Tensor x = randomTensor({seq, batch, input}, 1);
    const Tensor w = randomTensor({2, 4 * hidden, input}, 2);
    const Tensor r = randomTensor({2, 4 * hidden, hidden}, 3);
    auto both = lstm("bidirectional", x, w, r);
    ASSERT_TRUE(both) << both.status().message();
    std::vector<float> reversed;
    for (int64_t t = seq - 1; t >= 0; --t)
        for (int64_t i = 0; i < batch * input; ++i)
            reversed.push_back(x.values<float>()[t * batch * input + i]);
    auto forward = lstm("forward", Tensor::fromVector<float>({seq, batch, input}, reversed),
                        half(w, 1), half(r, 1));
    ASSERT_TRUE(forward) << forward.status().message();
    // Y[t, direction 1] == forward Y[seq - 1 - t, 0]
    const Tensor &y = (*both)[0], &yf = (*forward)[0];
    for (int64_t t = 0; t < seq; ++t)
        for (int64_t i = 0; i < batch * hidden; ++i)
            ASSERT_NEAR(y.values<float>()[(t * 2 + 1) * batch * hidden + i],
                        yf.values<float>()[(seq - 1 - t) * batch * hidden + i], 1e-5f);
}

TEST(Rnn, SequenceLengthsZeroThePaddingAndKeepTheLastState)
{
    const int64_t seq = 3, batch = 2, input = 2, hidden = 3;
    const Tensor x = randomTensor({seq, batch, input}, 4);
    const Tensor w = randomTensor({1, 4 * hidden, input}, 5);
    const Tensor r = randomTensor({1, 4 * hidden, hidden}, 6);
    const Tensor lengths = Tensor::fromVector<int32_t>({2}, {3, 1});
    auto out = lstm("forward", x, w, r, &lengths);
    ASSERT_TRUE(out) << out.status().message();
    const Tensor &y = (*out)[0], &yh = (*out)[1];
    for (int64_t t = 1; t < seq; ++t)
        for (int64_t k = 0; k < hidden; ++k)
            EXPECT_EQ(y.values<float>()[(t * batch + 1) * hidden + k], 0.0f);
    for (int64_t k = 0; k < hidden; ++k) {
        EXPECT_EQ(yh.values<float>()[1 * hidden + k],
                  y.values<float>()[(0 * batch + 1) * hidden + k]);
        EXPECT_EQ(yh.values<float>()[k], y.values<float>()[(2 * batch + 0) * hidden + k]);
    }
}

} // namespace
} // namespace qs
