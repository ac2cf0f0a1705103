#pragma once
// Runs one long core job (load, calibrate + quantize, benchmark) at a time off the GUI thread and
// adapts core's Progress object to Qt: the worker writes its progress into atomics, a GUI-thread
// timer turns them into progressChanged() signals with an ETA, and cancel() sets the Progress
// object's flag that the core functions poll. The finish callback runs on the GUI thread.
//
// Each page owns its own controller; the main window cancels and waits for all of them when it
// closes. Jobs that run the engine share one thread (engineThreadPool): the engine's OpenMP team
// belongs to the thread that starts it, and a second team on another thread competed with the
// first for the cores (a comparison after a quantization measured 5-8x slower latencies on two
// cores). So a comparison started during a quantization waits for it.

#include "util/progress.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace qs::ui {

// The Progress object handed to the worker; readable from the GUI thread at any time.
class JobProgress : public Progress
{
public:
    void report(int64_t done, int64_t total, std::string_view what) override;

    struct Snapshot
    {
        int64_t done = 0;
        int64_t total = 0;
        QString what;
    };
    Snapshot snapshot() const;

private:
    mutable std::mutex m_mutex;
    Snapshot m_state;
};

class JobController : public QObject
{
    Q_OBJECT

public:
    enum class Runs {
        OnEngineThread, // calibration, quantization, benchmarks: one after another
        OnAnyThread,    // no engine work (loading a model): starts at once
    };

    explicit JobController(QObject *parent = nullptr, Runs runs = Runs::OnEngineThread);
    ~JobController() override; // cancels and waits: a worker never outlives its controller

    bool isRunning() const { return m_running; }
    QString title() const { return m_title; }

    // Starts `work` on the global thread pool, then `done` on the GUI thread (also after a
    // cancel: the core function returns a Cancelled status the callback shows or ignores).
    // Returns false, doing nothing, while another job of this controller runs.
    bool start(const QString &title, std::function<void(Progress &)> work, std::function<void()> done);

    // The same with a value handed from the worker to `done`.
    template<typename T>
    bool run(const QString &title, std::function<T(Progress &)> work, std::function<void(T)> done)
    {
        auto result = std::make_shared<std::optional<T>>();
        return start(
            title, [result, work = std::move(work)](Progress &progress) { result->emplace(work(progress)); },
            [result, done = std::move(done)] {
                if (*result)
                    done(std::move(**result));
            });
    }

    bool wasCancelled() const { return m_cancelRequested; }

    // Blocks until the running job (if any) has returned; its `done` is then not called.
    void waitForFinished();

public slots:
    void cancel();

signals:
    void started(const QString &title);
    // permille of the current step (-1 while the total is unknown), its name, seconds left (-1:
    // unknown yet).
    void progressChanged(int permille, const QString &step, int secondsLeft);
    void finished(const QString &title, bool cancelled);

private:
    void poll();
    void onWorkerFinished();

    QFutureWatcher<void> m_watcher;
    QTimer m_pollTimer;
    QElapsedTimer m_stepClock;
    QString m_lastStep;
    std::shared_ptr<JobProgress> m_progress;
    std::function<void()> m_done;
    QString m_title;
    Runs m_runs;
    bool m_running = false;
    bool m_cancelRequested = false;
};

// The one thread engine jobs run on: a pool of one thread that never expires.
QThreadPool *engineThreadPool();

// "1:05" / "12 s" for the ETA label.
QString formatDuration(int seconds);

} // namespace qs::ui
