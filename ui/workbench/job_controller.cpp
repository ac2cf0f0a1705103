#include "job_controller.h"

#include <QCoreApplication>
#include <QtConcurrent>

namespace qs::ui {

void JobProgress::report(int64_t done, int64_t total, std::string_view what)
{
    std::lock_guard lock(m_mutex);
    m_state.done = done;
    m_state.total = total;
    if (m_state.what.size() != qsizetype(what.size())
        || m_state.what != QLatin1StringView(what.data(), qsizetype(what.size())))
        m_state.what = QString::fromUtf8(what.data(), qsizetype(what.size()));
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

JobController::JobController(QObject *parent, Runs runs)
    : QObject(parent)
    , m_runs(runs)
{
    // Ten updates a second: smooth enough for a bar, cheap however often the worker reports.
    m_pollTimer.setInterval(100);
    connect(&m_pollTimer, &QTimer::timeout, this, &JobController::poll);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &JobController::onWorkerFinished);
}

JobController::~JobController()
{
    m_done = nullptr;
    cancel();
    waitForFinished();
}

bool JobController::start(const QString &title, std::function<void(Progress &)> work,
                          std::function<void()> done)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancelRequested = false;
    m_title = title;
    m_done = std::move(done);
    m_lastStep.clear();
    m_progress = std::make_shared<JobProgress>();
    m_stepClock.start();
    emit started(title);
    emit progressChanged(-1, title, -1);
    std::shared_ptr<JobProgress> progress = m_progress;
    QThreadPool *pool = m_runs == Runs::OnEngineThread ? engineThreadPool() : QThreadPool::globalInstance();
    m_watcher.setFuture(QtConcurrent::run(pool, [progress, work = std::move(work)] { work(*progress); }));
    m_pollTimer.start();
    return true;
}

void JobController::cancel()
{
    if (!m_running || !m_progress)
        return;
    m_cancelRequested = true;
    m_progress->cancel();
}

void JobController::waitForFinished()
{
    if (!m_running)
        return;
    m_done = nullptr;
    m_watcher.waitForFinished();
    m_pollTimer.stop();
    m_running = false;
}

void JobController::poll()
{
    if (!m_progress)
        return;
    const JobProgress::Snapshot state = m_progress->snapshot();
    if (state.what != m_lastStep) {
        // Each step (reading, calibrating, writing...) has its own pace: restart the ETA clock.
        m_lastStep = state.what;
        m_stepClock.restart();
    }
    const QString step = state.what.isEmpty() ? m_title : state.what;
    if (state.total <= 0) {
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

void JobController::onWorkerFinished()
{
    if (!m_running)
        return; // waited for already (shutdown); nothing to deliver
    m_pollTimer.stop();
    m_running = false;
    std::function<void()> done = std::move(m_done);
    m_done = nullptr;
    const bool cancelled = m_cancelRequested;
    if (done)
        done();
    emit finished(m_title, cancelled);
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
