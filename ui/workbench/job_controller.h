#pragma once
// Runs long core jobs (load, calibrate + quantize, benchmark, decoding a node's constants) off
// the GUI thread and adapts core's Progress object to Qt: the worker reports into a JobProgress,
// a GUI-thread timer turns its snapshots into progressChanged() signals with an ETA, and
// cancel() sets the Progress object's flag that the core functions poll. The finish callback
// runs on the GUI thread, and only while the Workbench says the job's ticket is current
// (latest request wins, see Workbench::takeTicket): a result for a model that is no longer
// open, for a request superseded by a newer one, or for results the user cleared is dropped.
//
// Each page owns its own controllers; the main window cancels and waits for them when it
// closes. Jobs that run the engine share one thread (engineThreadPool): the engine's OpenMP team
// belongs to the thread that starts it, and a second team on another thread competed with the
// first for the cores (a comparison after a quantization measured 5-8x slower latencies on two
// cores). So a comparison started during a quantization waits for it.

#include "util/progress.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace qs::ui {

class Workbench;

// The Progress object handed to the worker; readable from the GUI thread at any time. A coded
// step is kept coded: the GUI words it when it shows it, in the language of that moment.
class JobProgress : public Progress
{
public:
    void report(int64_t done, int64_t total, std::string_view what) override;
    void reportStep(int64_t done, int64_t total, const Message &step) override;

    struct Snapshot
    {
        int64_t done = 0;
        int64_t total = 0;
        QString what; // a step given as free text
        Message step; // a coded step (id None when the step was free text)
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
        OnAnyThread,    // no engine work (loading a model, decoding tensors): starts at once
    };
    // What start() does while a job of this controller runs.
    enum class WhenBusy {
        Refuse,    // returns false; the page's button waits for the job (quantize, compare)
        Supersede, // the running job is cancelled, its result dropped, and the new one starts
                   // (loading another model, showing another node)
    };

    // `workbench` issues the tickets that decide whether a result is still wanted.
    explicit JobController(Workbench *workbench, QObject *parent = nullptr,
                           Runs runs = Runs::OnEngineThread, WhenBusy whenBusy = WhenBusy::Refuse);
    ~JobController() override; // cancels and waits: a worker never outlives its controller

    bool isRunning() const { return m_current != nullptr; }
    // The running job's title in the current language ("Quantizing det.onnx").
    QString title() const { return m_title ? m_title() : QString(); }

    // A job's title is a tr() call kept as a function: the status bar words it again at every
    // poll, so a language switched while the job runs applies to its title too.
    using Title = std::function<QString()>;

    // Starts `work` on its thread pool, then `done` on the GUI thread (also after a cancel: the
    // core function returns a Cancelled status the callback shows or ignores), unless the result
    // is dropped. While another job of this controller runs, see WhenBusy.
    bool start(Title title, std::function<void(Progress &)> work, std::function<void()> done);

    // The same with a value handed from the worker to `done`.
    template<typename T>
    bool run(Title title, std::function<T(Progress &)> work, std::function<void(T)> done)
    {
        auto result = std::make_shared<std::optional<T>>();
        return start(
            std::move(title),
            [result, work = std::move(work)](Progress &progress) {
                result->emplace(work(progress));
            },
            [result, done = std::move(done)] {
                if (*result)
                    done(std::move(**result));
            });
    }

    // Blocks until every worker of this controller has returned; no `done` is then called and
    // no finished() emitted.
    void waitForFinished();

public slots:
    // Asks the running job to stop; its `done` still sees the (Cancelled) result.
    void cancel();
    // Cancels the running job and drops its result: the results it would replace were cleared.
    void discard();

signals:
    void started(const QString &title);
    // permille of the current count (-1 while the total is unknown, or for a step of one
    // unit), the step's name, seconds left in that count (-1: unknown yet).
    void progressChanged(int permille, const QString &step, int secondsLeft);
    // `cancelled`: a cancel was asked for or the result was dropped. Not emitted for a job that
    // another one superseded (the newer job's finished() follows).
    void finished(const QString &title, bool cancelled);

private:
    struct Job; // one started job: its ticket, Progress, `done` and future

    void poll();
    void onWorkerFinished(Job *job);
    void onModelChanged();

    QPointer<Workbench> m_workbench; // may go first when a window closes
    Runs m_runs;
    WhenBusy m_whenBusy;
    std::vector<std::unique_ptr<Job>> m_jobs; // the current one and superseded ones still running
    Job *m_current = nullptr;
    Title m_title;
    QTimer m_pollTimer;
    QElapsedTimer m_stepClock;
    int64_t m_lastTotal = -1; // the count the ETA clock times
    int64_t m_lastDone = 0;
};

// The one thread engine jobs run on: a pool of one thread that never expires.
QThreadPool *engineThreadPool();

// "1:05" / "12 s" for the ETA label.
QString formatDuration(int seconds);

} // namespace qs::ui
