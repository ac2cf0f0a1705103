#pragma once
// The status bar's job area: step name, progress bar, ETA and Cancel for whichever of the
// watched job controllers (load, quantize, compare) started last and still runs.

#include <QList>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace qs::ui {

class JobController;

class JobStatusWidget : public QWidget
{
    Q_OBJECT

public:
    explicit JobStatusWidget(QWidget *parent = nullptr);

    void watch(JobController *job);

private:
    void show(JobController *job);
    void showNextRunning();

    QList<JobController *> m_jobs;
    JobController *m_shown = nullptr;
    QLabel *m_step;
    QProgressBar *m_bar;
    QLabel *m_eta;
    QToolButton *m_cancel;
};

} // namespace qs::ui
