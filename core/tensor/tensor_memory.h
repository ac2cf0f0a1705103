#pragma once
// Where tensor buffers come from. A run allocates and frees the same large buffers every time
// (every node's output); through malloc each of them went back to the system when freed
// (mmap'd chunks, heap trimming) and was faulted in page by page on the next run, and returning
// memory costs a TLB shootdown on every core the engine's threads run on. A static QDQ ViT spent
// a third of its 2-thread run there (36 ms against 25 ms with malloc told to keep its memory).
// So large blocks freed by one run are kept, by size class, for the next one, up to a cap, as
// ONNX Runtime's arena keeps them; small blocks, which malloc already recycles, pass through.

#include <cstddef>

namespace qs {

// A 64-byte aligned block of at least `bytes` bytes; nullptr when memory is exhausted. `bytes`
// must be what releaseTensorMemory is given back.
void *acquireTensorMemory(size_t bytes);
void releaseTensorMemory(void *block, size_t bytes);

// Returns every kept block to the system (a session's owner calls it when it closes a model).
void trimTensorMemory();

struct TensorMemoryStats
{
    size_t keptBytes = 0;  // held for reuse now
    size_t reused = 0;     // acquisitions served from kept blocks
    size_t fromSystem = 0; // large acquisitions that went to the system
};
TensorMemoryStats tensorMemoryStats();

} // namespace qs
