#pragma once
// Row-major float GEMM C[m,n] = A[m,k] x B[k,n] for MatMul with a constant 2-D B (transformer
// projections). Neither library wins everywhere on one CPU: measured on AVX2 with 2 threads,
// oneDNN's sgemm ran 128x256x256 in 0.12 ms to Eigen's 0.18 but 128x256x1024 in 1.02 ms to
// Eigen's 0.57. So the first run of each shape times both and keeps the faster one; the
// matmul primitive path had an extra ~0.2 ms per call in post-op and stream overhead.

#include <cstdint>
#include <map>
#include <mutex>
#include <tuple>

namespace qs::ops {

enum class GemmBackend { Eigen, OneDnn };

// Both back ends use the OpenMP thread count the session set for this run (per calling thread).
void denseGemm(GemmBackend backend, const float *a, const float *b, float *c, int64_t m, int64_t k,
               int64_t n);

// Remembers the faster backend per (m, k, n, threads); thread-safe.
class GemmBackendChooser;

// The one chooser of the process: the answer depends on the CPU and the shape, not on the node,
// and a transformer repeats its few MatMul shapes in every block (ConvNeXt-Tiny: 36 MatMuls, 8
// shapes). Timing per node made its first run the slowest part of loading it.
GemmBackendChooser &sharedGemmBackendChooser();

class GemmBackendChooser
{
public:
    GemmBackend choose(int64_t m, int64_t k, int64_t n, int threads);

private:
    std::mutex m_mutex;
    std::map<std::tuple<int64_t, int64_t, int64_t, int>, GemmBackend> m_choices;
};

} // namespace qs::ops
