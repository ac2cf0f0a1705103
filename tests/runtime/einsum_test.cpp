// Einsum forms the backend tests miss, checked against explicit loops on random data: attention
// scores with batch and head labels, ellipsis batch broadcasting, outer product, and a bad
// equation answered with a message that quotes it.
#include "support/random_data.h"
#include "support/run_node.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

Tensor randomTensor(const Shape &shape, unsigned seed)
{
    return Tensor::fromVector<float>(shape,
                                     randomNormal(static_cast<size_t>(shapeElementCount(shape)),
                                                  seed));
}

Result<std::vector<Tensor>> einsum(const std::string &equation, std::vector<Tensor> operands)
{
    std::vector<std::string> names;
    std::vector<std::pair<std::string, Tensor>> inputs;
    for (size_t i = 0; i < operands.size(); ++i) {
        names.push_back("in" + std::to_string(i));
        inputs.emplace_back(names.back(), operands[i]);
    }
    onnx::NodeProto node = nodeUnderTest("Einsum", names, {"y"});
    setStringAttribute(node, "equation", equation);
    return runNode(node, inputs, 12);
}

TEST(Einsum, AttentionScoresMatchLoops)
{
    const Tensor q = randomTensor({2, 3, 4, 5}, 1), k = randomTensor({2, 3, 6, 5}, 2);
    auto y = einsum("bhqd,bhkd->bhqk", {q, k});
    ASSERT_TRUE(y) << y.status().message();
    ASSERT_EQ((*y)[0].shape(), (Shape{2, 3, 4, 6}));
    const float *Q = q.data<float>(), *K = k.data<float>(), *Y = (*y)[0].data<float>();
    for (int b = 0; b < 2; ++b)
        for (int h = 0; h < 3; ++h)
            for (int i = 0; i < 4; ++i)
                for (int j = 0; j < 6; ++j) {
                    float sum = 0;
                    for (int d = 0; d < 5; ++d)
                        sum += Q[((b * 3 + h) * 4 + i) * 5 + d] * K[((b * 3 + h) * 6 + j) * 5 + d];
                    ASSERT_NEAR(Y[((b * 3 + h) * 4 + i) * 6 + j], sum, 1e-4f);
                }
}

TEST(Einsum, EllipsisBroadcastsBatchDims)
{
    const Tensor a = randomTensor({2, 1, 3, 4}, 3), b = randomTensor({5, 4, 2}, 4);
    auto y = einsum("...ij,...jk->...ik", {a, b});
    ASSERT_TRUE(y) << y.status().message();
    ASSERT_EQ((*y)[0].shape(), (Shape{2, 5, 3, 2}));
    const float *A = a.data<float>(), *B = b.data<float>(), *Y = (*y)[0].data<float>();
    for (int x = 0; x < 2; ++x)
        for (int z = 0; z < 5; ++z)
            for (int i = 0; i < 3; ++i)
                for (int k = 0; k < 2; ++k) {
                    float sum = 0;
                    for (int j = 0; j < 4; ++j)
                        sum += A[(x * 3 + i) * 4 + j] * B[(z * 4 + j) * 2 + k];
                    ASSERT_NEAR(Y[((x * 5 + z) * 3 + i) * 2 + k], sum, 1e-4f);
                }
}

TEST(Einsum, OuterProductAndImplicitOutput)
{
    const Tensor u = Tensor::fromVector<float>({2}, {1, 2}),
                 v = Tensor::fromVector<float>({3}, {3, 4, 5});
    auto outer = einsum("i,j", {u, v}); // implicit output "ij"
    ASSERT_TRUE(outer) << outer.status().message();
    EXPECT_EQ(std::vector<float>((*outer)[0].values<float>().begin(),
                                 (*outer)[0].values<float>().end()),
              (std::vector<float>{3, 4, 5, 6, 8, 10}));
}

TEST(Einsum, BadEquationQuotesIt)
{
    auto y = einsum("ij,jk->ik", {randomTensor({2, 3}, 5)});
    ASSERT_FALSE(y);
    EXPECT_NE(y.status().message().find("equation 'ij,jk->ik'"), std::string::npos)
        << y.status().message();
}

} // namespace
} // namespace qs
