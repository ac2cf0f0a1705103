#include "job_controller.h"

#include "core_messages.h"
#include "workbench.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QtConcurrent>

#include <algorithm>

namespace qs::ui {

void JobProgress::report(int64_t done, int64_t total, std::string_view what)
{
    std::lock_guard lock(m_mutex);
    m_state.done = done;
    m_state.total = total;
    if (m_state.what.size() != qsizetype(what.size())
        || m_state.what != QLatin1StringView(what.data(), qsizetype(what.size())))
        m_state.what = QString::fromUtf8(what.data(), qsizetype(what.size()));
    m_state.step = Message();
}

void JobProgress::reportStep(int64_t done, int64_t total, const Message &step)
{
    std::lock_guard lock(m_mutex);
    m_state.done = done;
    m_state.total = total;
    m_state.what.clear();
    m_state.step = step;
}

JobProgress::Snapshot JobProgress::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_state;
}

QThreadPool *engineThreadPool()
{
    static QThreadPool *pool = [] {
        auto *created = new QThreadPool(QCoreApplication::instance());
        created->setMaxThreadCount(1);
        created->setExpiryTimeout(-1); // the same thread, so the same OpenMP team, every time
        created->setObjectName(QStringLiteral("quantscope engine"));
        return created;
    }();
    return pool;
}

struct JobController::Job
{
    Workbench::Ticket ticket;
    Title title;
    std::shared_ptr<JobProgress> progress = std::make_shared<JobProgress>();
    std::function<void()> done;
    QFutureWatcher<void> *watcher = nullptr; // child of the controller, deleted after the job
    bool cancelRequested = false;

    void cancel()
    {
        cancelRequested = true;
        progress->cancel();
    }
};

JobController::JobController(Workbench *workbench, QObject *parent, Runs runs, WhenBusy whenBusy)
    : QObject(parent)
    , m_workbench(workbench)
    , m_runs(runs)
    , m_whenBusy(whenBusy)
{
    Q_ASSERT(workbench);
    // Ten updates a second: smooth enough for a bar, cheap however often the worker reports.
    m_pollTimer.setInterval(100);
    connect(&m_pollTimer, &QTimer::timeout, this, &JobController::poll);
    connect(workbench, &Workbench::modelChanged, this, &JobController::onModelChanged);
}

JobController::~JobController()
{
    for (const auto &job : m_jobs)
        job->cancel();
    waitForFinished();
    if (m_workbench)
        m_workbench->revokeTickets(this);
}

bool JobController::start(Title title, std::function<void(Progress &)> work,
                          std::function<void()> done)
{
    if (!m_workbench)
        return false;
    if (m_current) {
        if (m_whenBusy == WhenBusy::Refuse)
            return false;
        // Superseded: the new job's ticket makes this one's stale, so its result is dropped.
        m_current->cancel();
    }
    auto owned = std::make_unique<Job>();
    Job *job = owned.get();
    job->ticket = m_workbench->takeTicket(this);
    job->title = title;
    job->done = std::move(done);
    job->watcher = new QFutureWatcher<void>(this);
    connect(job->watcher, &QFutureWatcherBase::finished, this,
            [this, job] { onWorkerFinished(job); });
    m_current = job;
    m_jobs.push_back(std::move(owned));

    m_title = job->title;
    m_lastTotal = -1;
    m_lastDone = 0;
    m_stepClock.start();
    emit started(this->title());
    emit progressChanged(-1, this->title(), -1);
    std::shared_ptr<JobProgress> progress = job->progress;
    QThreadPool *pool = m_runs == Runs::OnEngineThread ? engineThreadPool()
                                                       : QThreadPool::globalInstance();
    job->watcher->setFuture(
        QtConcurrent::run(pool, [progress, work = std::move(work)] { work(*progress); }));
    m_pollTimer.start();
    return true;
}

void JobController::cancel()
{
    if (m_current)
        m_current->cancel();
}

void JobController::discard()
{
    if (!m_current)
        return;
    if (m_workbench)
        m_workbench->revokeTickets(this);
    m_current->cancel();
}

void JobController::onModelChanged()
{
    // Its result would be dropped anyway: stop spending the cores on it.
    if (m_current && m_workbench && !m_workbench->isCurrent(m_current->ticket))
        m_current->cancel();
}

void JobController::waitForFinished()
{
    for (const auto &job : m_jobs) {
        job->done = nullptr;
        job->watcher->disconnect(this);
        job->watcher->waitForFinished();
        job->watcher->deleteLater();
    }
    m_jobs.clear();
    m_current = nullptr;
    m_pollTimer.stop();
}

void JobController::poll()
{
    if (!m_current)
        return;
    const JobProgress::Snapshot state = m_current->progress->snapshot();
    // Each count (reading, calibrating, writing...) has its own pace: the ETA clock restarts
    // when a new one begins. Steps that share one count keep it: a quantization or comparison
    // reports through core's PhasedProgress, one count over all its phases, so its ETA is the
    // whole job's, not one that jumps at each phase (issue 16).
    const bool newCount = state.total != m_lastTotal || state.done < m_lastDone;
    if (newCount)
        m_stepClock.restart();
    m_lastTotal = state.total;
    m_lastDone = state.done;
    // Worded at every poll: a language switched during the job applies to its step at once.
    const QString what = state.step.id != MessageId::None ? CoreMessages::text(state.step)
                                                          : state.what;
    const QString step = what.isEmpty() ? title() : what;
    // A step of one unit (preparing a session, a runner's single call) says only that it began
    // or ended: a busy bar, not a full one before the real work has started.
    if (state.total <= 1) {
        emit progressChanged(-1, step, -1);
        return;
    }
    const int permille = int(std::clamp<int64_t>(state.done * 1000 / state.total, 0, 1000));
    int secondsLeft = -1;
    const qint64 elapsed = m_stepClock.elapsed();
    if (state.done > 0 && elapsed > 500) {
        const double perUnit = double(elapsed) / double(state.done);
        secondsLeft = int(perUnit * double(state.total - state.done) / 1000.0 + 0.5);
    }
    emit progressChanged(permille, step, secondsLeft);
}

void JobController::onWorkerFinished(Job *job)
{
    const auto found = std::find_if(m_jobs.begin(), m_jobs.end(),
                                    [job](const auto &owned) { return owned.get() == job; });
    if (found == m_jobs.end())
        return; // waited for already (shutdown); nothing to deliver
    std::unique_ptr<Job> ended = std::move(*found);
    m_jobs.erase(found);
    ended->watcher->deleteLater(); // it is emitting the signal that brought us here
    if (ended.get() != m_current)
        return; // superseded: the newer job reports
    m_current = nullptr;
    m_pollTimer.stop();
    const bool wanted = m_workbench && m_workbench->isCurrent(ended->ticket);
    if (wanted && ended->done)
        ended->done();
    emit finished(ended->title ? ended->title() : QString(), ended->cancelRequested || !wanted);
}

QString formatDuration(int seconds)
{
    if (seconds < 0)
        return QString();
    if (seconds < 60)
        return QObject::tr("%1 s").arg(seconds);
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace qs::ui
