#include "runtime/ops/nn/dense_gemm.h"

#include <Eigen/Core>
#include <dnnl.hpp>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace qs::ops {

void denseGemm(GemmBackend backend, const float *a, const float *b, float *c, int64_t m, int64_t k,
               int64_t n)
{
    if (backend == GemmBackend::OneDnn) {
        // oneDNN's sgemm follows the OpenMP thread count the session set for this run.
        dnnl_sgemm('N', 'N', m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
        return;
    }
    using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<const Matrix> ma(a, m, k);
    Eigen::Map<const Matrix> mb(b, k, n);
    // Eigen follows the OpenMP thread count the session set for this run (per calling thread);
    // setNbThreads would fix it for every product of the process, the recurrent steps' too.
    Eigen::Map<Matrix>(c, m, n).noalias() = ma * mb;
}

GemmBackendChooser &sharedGemmBackendChooser()
{
    static GemmBackendChooser chooser;
    return chooser;
}

GemmBackend GemmBackendChooser::choose(int64_t m, int64_t k, int64_t n, int threads)
{
    const auto key = std::make_tuple(m, k, n, threads);
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (auto found = m_choices.find(key); found != m_choices.end())
            return found->second;
    }
    // Time both on scratch buffers of the real depth and width but at most kTimedRows rows: the
    // ranking of the two holds once the rows fill the threads, and a ConvNeXt stage's 3136-row
    // MatMuls timed in full made its first run ten times its steady one.
    constexpr int64_t kTimedRows = 512;
    const int64_t rows = std::min(m, kTimedRows);
    std::vector<float> a(static_cast<size_t>(rows * k), 0.5f), b(static_cast<size_t>(k * n), 0.25f),
        c(static_cast<size_t>(rows * n));
    auto best = [&](GemmBackend backend) {
        double fastest = 1e30;
        for (int run = 0; run < 3; ++run) {
            const auto start = std::chrono::steady_clock::now();
            denseGemm(backend, a.data(), b.data(), c.data(), rows, k, n);
            const double elapsed
                = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (run > 0) // the first run pays for JIT and page faults
                fastest = std::min(fastest, elapsed);
        }
        return fastest;
    };
    const GemmBackend choice = best(GemmBackend::OneDnn) <= best(GemmBackend::Eigen)
                                   ? GemmBackend::OneDnn
                                   : GemmBackend::Eigen;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_choices.emplace(key, choice);
    return choice;
}

} // namespace qs::ops
