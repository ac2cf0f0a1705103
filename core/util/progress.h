#pragma once
// The progress/cancel object every long core function takes. No Qt in it: the GUI adapts it to
// QPromise, the CLI prints it to stderr, tests use the silent default.

#include <atomic>
#include <cstdint>
#include <string_view>

namespace qs {

class Progress
{
public:
    virtual ~Progress() = default;

    // `done` of `total` units of the step called `what` are finished. Called from the worker
    // thread; implementations must be cheap and thread-safe.
    virtual void report(int64_t done, int64_t total, std::string_view what)
    {
        (void) done;
        (void) total;
        (void) what;
    }

    // Polled by the worker between units of work; may be called from any thread.
    bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled{false};
};

// For callers that want neither reports nor cancellation.
inline Progress &silentProgress()
{
    thread_local Progress progress;
    return progress;
}

} // namespace qs
