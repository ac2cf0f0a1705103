#include "support/temp_dir.h"
#include "tensor/tensor.h"
#include "tensor/tensor_io.h"
#include "tensor/tensor_memory.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

TEST(Tensor, AllocatesAlignedStorageAndReportsShape)
{
    Tensor t = Tensor::allocate(DType::Float32, {2, 3});
    EXPECT_EQ(t.elementCount(), 6);
    EXPECT_EQ(t.byteSize(), 24);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.rawData()) % 64, 0u);
    EXPECT_EQ(t.describe(), "float32[2,3]");
    Tensor s = Tensor::scalar<int64_t>(7);
    EXPECT_EQ(s.rank(), 0);
    EXPECT_EQ(s.elementCount(), 1);
    EXPECT_EQ(s.intAt(0), 7);
}

// A run frees and allocates the same large buffers each time: the second run's come from the
// blocks the first one freed (whole, aligned, zeroed when asked), small ones are not kept, and
// trimming gives them back. Under AddressSanitizer nothing is kept (use-after-free stays visible).
TEST(TensorMemory, LargeBlocksFreedByOneRunServeTheNext)
{
    trimTensorMemory();
    const TensorMemoryStats before = tensorMemoryStats();
    void *first = nullptr;
    {
        Tensor large = Tensor::allocate(DType::Float32, {1, 64, 56, 56});
        std::fill_n(large.mutableData<float>(), large.elementCount(), 3.0f);
        first = large.mutableRawData();
    }
    Tensor again = Tensor::allocate(DType::Float32, {1, 64, 56, 56}, /*zero=*/true);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(again.rawData()) % 64, 0u);
    for (int64_t i = 0; i < again.elementCount(); ++i)
        ASSERT_EQ(again.data<float>()[i], 0.0f) << i;
    const TensorMemoryStats after = tensorMemoryStats();
#if defined(__SANITIZE_ADDRESS__) // GCC's macro; clang says it through __has_feature
#define QS_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QS_TEST_UNDER_ASAN 1
#endif
#endif
#if defined(QS_TEST_UNDER_ASAN)
    EXPECT_EQ(after.keptBytes, 0u);
    EXPECT_EQ(after.reused, before.reused);
#else
    EXPECT_EQ(again.rawData(), first);
    EXPECT_EQ(after.reused, before.reused + 1);
    {
        Tensor small = Tensor::allocate(DType::Float32, {16});
    }
    EXPECT_EQ(tensorMemoryStats().keptBytes, 0u); // the small block went straight back
    again = Tensor();
    EXPECT_GE(tensorMemoryStats().keptBytes, size_t(64 * 56 * 56 * 4));
    // Nearly the same size shares the size class.
    const Tensor near = Tensor::allocate(DType::Float32, {1, 64, 56, 55});
    EXPECT_EQ(near.rawData(), first);
#endif
    trimTensorMemory();
    EXPECT_EQ(tensorMemoryStats().keptBytes, 0u);
}

TEST(Tensor, NpyRoundTripKeepsTypeShapeAndValues)
{
    test::TempDir dir;
    const std::string path = dir.path() + "/t.npy";
    Tensor t = Tensor::fromVector<float>({2, 2}, {1.5f, -2.0f, 3.25f, 0.0f});
    ASSERT_TRUE(writeNpyFile(t, path).isOk());
    auto back = readNpyFile(path);
    ASSERT_TRUE(back.isOk()) << back.status().message();
    EXPECT_EQ(back->describe(), "float32[2,2]");
    EXPECT_EQ(back->values<float>()[2], 3.25f);

    Tensor scalar = Tensor::scalar<int64_t>(42);
    ASSERT_TRUE(writeNpyFile(scalar, path).isOk());
    auto scalarBack = readNpyFile(path);
    ASSERT_TRUE(scalarBack.isOk());
    EXPECT_EQ(scalarBack->rank(), 0);
    EXPECT_EQ(scalarBack->intAt(0), 42);
}

TEST(Tensor, TruncatedNpyIsAClearError)
{
    test::TempDir dir;
    const std::string path = dir.path() + "/t.npy";
    ASSERT_TRUE(writeNpyFile(Tensor::allocate(DType::Float32, {100}, true), path).isOk());
    std::filesystem::resize_file(path, 200);
    auto back = readNpyFile(path);
    ASSERT_FALSE(back.isOk());
    EXPECT_NE(back.status().message().find("truncated"), std::string::npos);
}

} // namespace
} // namespace qs
