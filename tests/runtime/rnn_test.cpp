// Recurrent ops beyond the backend tests: a bidirectional LSTM's reverse half equals a forward
// LSTM run on the time-reversed sequence, and with sequence_lens the steps past a sequence's end
// are zero in Y while Y_h holds the state at its last valid step. The step's register-blocked
// product agrees with a plain loop on every tail, and large steps (Eigen, threaded) agree with
// small ones.
#include "runtime/ops/rnn/recurrence_product.h"
#include "support/run_node.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <span>

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

// ONNX's LSTM written out for one direction (gates i, o, f, c; sigmoid, tanh, tanh; no bias,
// no peepholes, zero initial state): Y [seq, batch, hidden] and Y_h [batch, hidden]. A batch
// entry runs over its first lengths[b] steps only, backwards when `reverse`; its later steps
// stay zero. The engine is checked against this loop, so that an output of all zeros (which
// satisfies every "is zero past the end" check) cannot pass.
struct LoopOutput
{
    std::vector<float> y, yh;
};

LoopOutput lstmLoop(const Tensor &x, const Tensor &w, const Tensor &r, int64_t direction,
                    bool reverse, const std::vector<int64_t> &lengths)
{
    const int64_t seq = x.dim(0), batch = x.dim(1), input = x.dim(2), hidden = r.dim(2);
    const auto xs = x.values<float>(), ws = w.values<float>(), rs = r.values<float>();
    const float *wd = ws.data() + direction * 4 * hidden * input;
    const float *rd = rs.data() + direction * 4 * hidden * hidden;
    auto sigmoid = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
    LoopOutput out{std::vector<float>(size_t(seq * batch * hidden), 0.0f),
                   std::vector<float>(size_t(batch * hidden), 0.0f)};
    for (int64_t b = 0; b < batch; ++b) {
        std::vector<double> h(size_t(hidden), 0.0), c(size_t(hidden), 0.0);
        for (int64_t step = 0; step < lengths[size_t(b)]; ++step) {
            const int64_t t = reverse ? lengths[size_t(b)] - 1 - step : step;
            std::vector<double> gates(size_t(4 * hidden), 0.0);
            for (int64_t g = 0; g < 4 * hidden; ++g) {
                for (int64_t i = 0; i < input; ++i)
                    gates[size_t(g)] += wd[g * input + i] * xs[size_t((t * batch + b) * input + i)];
                for (int64_t k = 0; k < hidden; ++k)
                    gates[size_t(g)] += rd[g * hidden + k] * h[size_t(k)];
            }
            for (int64_t k = 0; k < hidden; ++k) {
                const double in = sigmoid(gates[size_t(k)]);
                const double outGate = sigmoid(gates[size_t(hidden + k)]);
                const double forget = sigmoid(gates[size_t(2 * hidden + k)]);
                const double cell = std::tanh(gates[size_t(3 * hidden + k)]);
                c[size_t(k)] = forget * c[size_t(k)] + in * cell;
                h[size_t(k)] = outGate * std::tanh(c[size_t(k)]);
                out.y[size_t((t * batch + b) * hidden + k)] = float(h[size_t(k)]);
            }
        }
        for (int64_t k = 0; k < hidden; ++k)
            out.yh[size_t(b * hidden + k)] = float(h[size_t(k)]);
    }
    return out;
}

// Y [seq, directions, batch, hidden] of the engine against the loop for `direction`: equal
// within float rounding, zero exactly where the loop is, and not all zero.
void expectDirectionMatches(const Tensor &y, const Tensor &yh, const LoopOutput &want,
                            int64_t direction, int64_t directions)
{
    const int64_t seq = y.dim(0), batch = y.dim(2), hidden = y.dim(3);
    int64_t nonZero = 0;
    for (int64_t t = 0; t < seq; ++t)
        for (int64_t b = 0; b < batch; ++b)
            for (int64_t k = 0; k < hidden; ++k) {
                const float expected = want.y[size_t((t * batch + b) * hidden + k)];
                const float actual = y.values<float>()[size_t(
                    ((t * directions + direction) * batch + b) * hidden + k)];
                if (expected == 0.0f) {
                    EXPECT_EQ(actual, 0.0f) << "t " << t << " batch " << b << " past its length";
                } else {
                    EXPECT_NEAR(actual, expected, 1e-5f) << "t " << t << " batch " << b;
                    ++nonZero;
                }
            }
    EXPECT_GT(nonZero, seq * hidden / 2) << "direction " << direction;
    for (int64_t b = 0; b < batch; ++b)
        for (int64_t k = 0; k < hidden; ++k)
            EXPECT_NEAR(yh.values<float>()[size_t((direction * batch + b) * hidden + k)],
                        want.yh[size_t(b * hidden + k)], 1e-5f)
                << "Y_h direction " << direction << " batch " << b;
}

TEST(Rnn, SequenceLengthsZeroThePaddingAndKeepTheLastState)
{
    const int64_t seq = 4, batch = 3, input = 2, hidden = 3;
    const Tensor x = randomTensor({seq, batch, input}, 4);
    const Tensor w = randomTensor({1, 4 * hidden, input}, 5);
    const Tensor r = randomTensor({1, 4 * hidden, hidden}, 6);
    const std::vector<int64_t> lengths = {4, 1, 2};
    const Tensor lens = Tensor::fromVector<int32_t>({3}, {4, 1, 2});
    auto out = lstm("forward", x, w, r, &lens);
    ASSERT_TRUE(out) << out.status().message();
    const LoopOutput want = lstmLoop(x, w, r, 0, false, lengths);
    // The loop's own zeros are exactly the padding: every valid step has a non-zero state.
    for (int64_t b = 0; b < batch; ++b)
        for (int64_t t = 0; t < lengths[size_t(b)]; ++t)
            EXPECT_NE(want.y[size_t((t * batch + b) * hidden)], 0.0f);
    expectDirectionMatches((*out)[0], (*out)[1], want, 0, 1);
    // Y_h is the state at each sequence's last valid step, not at the last step of the batch.
    const Tensor &y = (*out)[0], &yh = (*out)[1];
    for (int64_t k = 0; k < hidden; ++k) {
        EXPECT_EQ(yh.values<float>()[size_t(1 * hidden + k)],
                  y.values<float>()[size_t((0 * batch + 1) * hidden + k)]);
        EXPECT_EQ(yh.values<float>()[size_t(2 * hidden + k)],
                  y.values<float>()[size_t((1 * batch + 2) * hidden + k)]);
    }
}

TEST(Rnn, BidirectionalWithSequenceLengthsChecksBothDirections)
{
    const int64_t seq = 5, batch = 3, input = 3, hidden = 4;
    const Tensor x = randomTensor({seq, batch, input}, 7);
    const Tensor w = randomTensor({2, 4 * hidden, input}, 8);
    const Tensor r = randomTensor({2, 4 * hidden, hidden}, 9);
    const std::vector<int64_t> lengths = {5, 2, 3};
    const Tensor lens = Tensor::fromVector<int32_t>({3}, {5, 2, 3});
    auto out = lstm("bidirectional", x, w, r, &lens);
    ASSERT_TRUE(out) << out.status().message();
    ASSERT_EQ((*out)[0].shape(), (Shape{seq, 2, batch, hidden}));
    ASSERT_EQ((*out)[1].shape(), (Shape{2, batch, hidden}));
    // The reverse direction starts at each sequence's own last step (not at seq - 1) and ends
    // at step 0, which Y_h then holds.
    expectDirectionMatches((*out)[0], (*out)[1], lstmLoop(x, w, r, 0, false, lengths), 0, 2);
    expectDirectionMatches((*out)[0], (*out)[1], lstmLoop(x, w, r, 1, true, lengths), 1, 2);
}

TEST(RecurrenceProduct, MatchesAPlainLoopOnEveryTail)
{
    // Rows and columns on both sides of the 4-row, 16-column blocks and of the single rows'
    // 64-column blocks; leading dimensions wider than the product, as when a cell adds into a
    // slice of its gates.
    for (const int64_t rows : {1, 3, 4, 5, 8, 9})
        for (const int64_t depth : {1, 7, 128})
            for (const int64_t cols : {1, 15, 16, 17, 40, 64, 80, 129, 512}) {
                const int64_t lda = depth + 2, ldb = cols + 3, ldo = cols + 5;
                const Tensor a = randomTensor({rows, lda}, 11);
                const Tensor b = randomTensor({depth, ldb}, 12);
                const Tensor start = randomTensor({rows, ldo}, 13);
                std::vector<float> out(start.values<float>().begin(), start.values<float>().end());
                std::vector<float> expected = out;
                for (int64_t r = 0; r < rows; ++r)
                    for (int64_t c = 0; c < cols; ++c)
                        for (int64_t k = 0; k < depth; ++k)
                            expected[size_t(r * ldo + c)]
                                += a.values<float>()[size_t(r * lda + k)]
                                   * b.values<float>()[size_t(k * ldb + c)];
                ops::addSmallProduct(a.data<float>(), lda, b.data<float>(), ldb, out.data(), ldo,
                                     rows, depth, cols);
                for (size_t i = 0; i < out.size(); ++i)
                    ASSERT_NEAR(out[i], expected[i], 1e-4f * (1.0f + std::abs(expected[i])))
                        << rows << "x" << depth << "x" << cols << " at " << i;
            }
}

TEST(Rnn, WeightRTransposedWithTheKernelGivesTheSameSteps)
{
    // R as an initializer (as exporters write it) is transposed once when the kernel is made;
    // R as a graph input is transposed on every run. A bidirectional LSTM of one sequence
    // (the LSTM classifier's shape: 64-column blocks of a single row) must agree exactly.
    const int64_t seq = 5, input = 6, hidden = 32;
    const Tensor x = randomTensor({seq, 1, input}, 31);
    const Tensor w = randomTensor({2, 4 * hidden, input}, 32);
    const Tensor r = randomTensor({2, 4 * hidden, hidden}, 33);
    onnx::NodeProto node = nodeUnderTest("LSTM", {"x", "w", "r"}, {"y", "y_h"});
    setIntAttribute(node, "hidden_size", hidden);
    setStringAttribute(node, "direction", "bidirectional");
    const std::vector<std::pair<std::string, Tensor>> feeds = {{"x", x}, {"w", w}, {"r", r}};
    auto asWeight = runNode(node, feeds, 14, {"w", "r"});
    auto asInput = runNode(node, feeds, 14);
    ASSERT_TRUE(asWeight) << asWeight.status().message();
    ASSERT_TRUE(asInput) << asInput.status().message();
    for (size_t o = 0; o < 2; ++o) {
        const auto a = (*asWeight)[o].values<float>(), b = (*asInput)[o].values<float>();
        ASSERT_EQ(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i)
            ASSERT_EQ(a[i], b[i]) << "output " << o << " at " << i;
    }
}

TEST(Rnn, LargeStepsAgreeWithSmallOnes)
{
    // One GRU over 64 sequences has steps of 64 x 3 x 256 x 256 multiply-adds, past the bound
    // below which steps stay on one thread with the blocked product; each block of 4 sequences
    // alone takes that path. Rows do not interact, so the two must agree.
    const int64_t seq = 3, batch = 64, input = 8, hidden = 256, block = 4;
    const Tensor x = randomTensor({seq, batch, input}, 21);
    const Tensor w = randomTensor({1, 3 * hidden, input}, 22);
    const Tensor r = randomTensor({1, 3 * hidden, hidden}, 23);
    auto gru = [&](const Tensor &xs) {
        onnx::NodeProto node = nodeUnderTest("GRU", {"x", "w", "r"}, {"y"});
        setIntAttribute(node, "hidden_size", hidden);
        setIntAttribute(node, "linear_before_reset", 1);
        return runNode(node, {{"x", xs}, {"w", w}, {"r", r}}, 14);
    };
    auto whole = gru(x);
    ASSERT_TRUE(whole) << whole.status().message();
    const std::span<const float> y = (*whole)[0].values<float>(); // [seq, 1, batch, hidden]
    for (int64_t first = 0; first < batch; first += block) {
        std::vector<float> part;
        for (int64_t t = 0; t < seq; ++t)
            for (int64_t n = first; n < first + block; ++n)
                for (int64_t i = 0; i < input; ++i)
                    part.push_back(x.values<float>()[size_t((t * batch + n) * input + i)]);
        auto blockResult = gru(Tensor::fromVector<float>({seq, block, input}, part));
        ASSERT_TRUE(blockResult) << blockResult.status().message();
        const std::span<const float> yb = (*blockResult)[0].values<float>();
        for (int64_t t = 0; t < seq; ++t)
            for (int64_t n = 0; n < block; ++n)
                for (int64_t k = 0; k < hidden; ++k)
                    ASSERT_NEAR(yb[size_t((t * block + n) * hidden + k)],
                                y[size_t((t * batch + first + n) * hidden + k)], 1e-5f)
                        << "step " << t << ", sequence " << first + n << ", unit " << k;
    }
}

} // namespace
} // namespace qs
