#pragma once
// The progress/cancel object every long core function takes. No Qt in it: the GUI adapts it to
// QPromise, the CLI prints it to stderr, tests use the silent default.

#include "util/messages.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

    // The same with the step named by a coded message (util/messages.h: "calibrating on %1"), so
    // that a front end words it in its own language; core's long functions name their steps this
    // way. By default the step's English goes to report() above, which is what the CLI prints.
    virtual void reportStep(int64_t done, int64_t total, const Message &step)
    {
        report(done, total, englishText(step));
    }

    // A job of several phases (a quantization's preparing, calibrating and writing) says when
    // each one begins, by the step id its header exports (quant/quantizer.h's QuantizePhase).
    // Only a PhasedProgress listens: the counts that follow are that phase's own.
    virtual void beginPhase(MessageId phase) { (void) phase; }

    // Polled by the worker between units of work; may be called from any thread. Virtual so that
    // a wrapper (PhasedProgress) answers with the cancel of the object it wraps.
    virtual bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
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

// One count for a job of several phases, so that a front end shows one bar and one ETA for the
// whole job: each phase's counts (calibrating 40 of 100 samples) are mapped onto its share of
// kTotal, the shares given by weights (calibration is most of a static quantization, writing a
// little). The job's code announces phases by step id (beginPhase); an id not listed keeps the
// phase that runs, and a phase never announced is skipped over when a later one begins. The
// count only grows: a phase whose own count starts again holds the bar where it was, instead of
// moving it back and restarting the front end's ETA. Cancelling the wrapped object cancels this.
class PhasedProgress : public Progress
{
public:
    struct Phase
    {
        MessageId step = MessageId::None; // its name, shown while the phase reports no other
        double weight = 1.0;
    };
    static constexpr int64_t kTotal = 1'000'000;

    PhasedProgress(Progress &overall, std::vector<Phase> phases);

    void beginPhase(MessageId phase) override;
    void report(int64_t done, int64_t total, std::string_view what) override;
    void reportStep(int64_t done, int64_t total, const Message &step) override;
    bool cancelled() const override { return Progress::cancelled() || m_overall.cancelled(); }

    // Where the overall count stands, 0..kTotal.
    int64_t reached() const { return m_reached.load(std::memory_order_relaxed); }

private:
    // Moves the count to `value` (never back) and returns where it stands.
    int64_t reach(int64_t value);
    // Where `done` of `total` of the current phase puts the count.
    int64_t mapped(int64_t done, int64_t total) const;

    Progress &m_overall;
    std::vector<Phase> m_phases;
    std::vector<int64_t> m_starts; // m_phases.size() + 1 marks, the last one kTotal
    std::atomic<size_t> m_current{0};
    std::atomic<int64_t> m_reached{0};
};

} // namespace qs
