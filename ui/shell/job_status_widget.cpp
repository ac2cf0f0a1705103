#include "job_status_widget.h"

#include "workbench/job_controller.h"
#include "workbench/translated_text.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace qs::ui {

JobStatusWidget::JobStatusWidget(QWidget *parent)
    : QWidget(parent)
    , m_step(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_eta(new QLabel(this))
    , m_cancel(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_step);
    layout->addWidget(m_bar);
    layout->addWidget(m_eta);
    layout->addWidget(m_cancel);
    m_bar->setMaximumWidth(200);
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    setTranslatedText(m_cancel, [] { return tr("Cancel"); });
    setTranslatedToolTip(m_cancel, [] { return tr("Cancel the running job"); });
    connect(m_cancel, &QToolButton::clicked, this, [this] {
        if (m_shown)
            m_shown->cancel();
    });
    setVisible(false);
}

void JobStatusWidget::watch(JobController *job)
{
    m_jobs.append(job);
    connect(job, &JobController::started, this, [this, job] { show(job); });
    connect(job, &JobController::progressChanged, this,
            [this, job](int permille, const QString &step, int secondsLeft) {
                if (job != m_shown)
                    return;
                m_step->setText(step);
                if (permille < 0) {
                    m_bar->setRange(0, 0); // busy indicator while the total is unknown
                } else {
                    m_bar->setRange(0, 1000);
                    m_bar->setValue(permille);
                }
                m_eta->setText(secondsLeft >= 0 ? tr("%1 left").arg(formatDuration(secondsLeft))
                                                : QString());
            });
    connect(job, &JobController::finished, this, [this, job] {
        if (job == m_shown)
            showNextRunning();
    });
    connect(job, &QObject::destroyed, this, [this, job] {
        m_jobs.removeAll(job);
        if (m_shown == job) {
            m_shown = nullptr;
            setVisible(false);
        }
    });
}

void JobStatusWidget::show(JobController *job)
{
    m_shown = job;
    m_step->setText(job->title());
    m_bar->setRange(0, 0);
    m_eta->clear();
    m_cancel->setEnabled(true);
    setVisible(true);
}

void JobStatusWidget::showNextRunning()
{
    for (JobController *job : m_jobs) {
        if (job->isRunning()) {
            show(job);
            return;
        }
    }
    m_shown = nullptr;
    setVisible(false);
}

} // namespace qs::ui
