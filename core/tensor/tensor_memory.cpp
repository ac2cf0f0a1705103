#include "tensor/tensor_memory.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace qs {

namespace {

// Under AddressSanitizer every block goes back to the system, so that a use after free is
// still reported instead of landing in a kept block.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kKeepBlocks = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kKeepBlocks = false;
#else
constexpr bool kKeepBlocks = true;
#endif
#else
constexpr bool kKeepBlocks = true;
#endif

// Below this malloc recycles blocks from its own free lists without going to the system.
constexpr size_t kSmallestKept = size_t{64} << 10;
// The most kept at once; beyond it freed blocks go back to the system.
constexpr size_t kMaxKeptBytes = size_t{1} << 30;

// Sizes are rounded up to eighths of their power of two (at most 12.5% more), so that blocks of
// nearly the same size serve each other.
size_t sizeClass(size_t bytes)
{
    size_t power = 1;
    while (power * 2 <= bytes)
        power *= 2;
    const size_t step = std::max<size_t>(power / 8, 64);
    return (bytes + step - 1) / step * step;
}

struct Pool
{
    std::mutex mutex;
    std::unordered_map<size_t, std::vector<void *>> kept;
    TensorMemoryStats stats;
};

Pool &pool()
{
    // Never destroyed: tensors held by static objects may be released during exit.
    static Pool *instance = new Pool;
    return *instance;
}

} // namespace

void *acquireTensorMemory(size_t bytes)
{
    if (!kKeepBlocks || bytes < kSmallestKept)
        return std::aligned_alloc(64, (bytes + 63) / 64 * 64);
    const size_t size = sizeClass(bytes);
    Pool &p = pool();
    {
        const std::lock_guard lock(p.mutex);
        auto found = p.kept.find(size);
        if (found != p.kept.end() && !found->second.empty()) {
            void *block = found->second.back();
            found->second.pop_back();
            p.stats.keptBytes -= size;
            ++p.stats.reused;
            return block;
        }
        ++p.stats.fromSystem;
    }
    return std::aligned_alloc(64, size);
}

void releaseTensorMemory(void *block, size_t bytes)
{
    if (!block)
        return;
    if (!kKeepBlocks || bytes < kSmallestKept) {
        std::free(block);
        return;
    }
    const size_t size = sizeClass(bytes);
    Pool &p = pool();
    {
        const std::lock_guard lock(p.mutex);
        if (p.stats.keptBytes + size <= kMaxKeptBytes) {
            p.kept[size].push_back(block);
            p.stats.keptBytes += size;
            return;
        }
    }
    std::free(block);
}

void trimTensorMemory()
{
    std::unordered_map<size_t, std::vector<void *>> blocks;
    {
        Pool &p = pool();
        const std::lock_guard lock(p.mutex);
        blocks.swap(p.kept);
        p.stats.keptBytes = 0;
    }
    for (auto &[size, list] : blocks) {
        for (void *block : list)
            std::free(block);
    }
}

TensorMemoryStats tensorMemoryStats()
{
    Pool &p = pool();
    const std::lock_guard lock(p.mutex);
    return p.stats;
}

} // namespace qs
