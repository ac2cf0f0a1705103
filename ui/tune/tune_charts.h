#pragma once
// The Tune page's two live charts. TrialScatterChart: every trial as a disc at (latency,
// accuracy), its area growing with the model's size, green when it meets the target, with the
// Pareto frontier drawn through the trials no other beats on both axes and the target as a
// dashed line. SensitivityChart: the metric loss per node in graph order; a click on a bar
// emits nodeSelected() so the page can select that node in the Inspector, as the Compare page's
// per-node chart does.

#include "tune_trials.h"

#include <qcustomplot.h>

#include <QList>

#include <functional>
#include <limits>

namespace qs::ui {

class TrialScatterChart : public QCustomPlot
{
    Q_OBJECT

public:
    explicit TrialScatterChart(QWidget *parent = nullptr);

    // Redraws with `trials` (all of them: the chart keeps no history of its own); trials
    // without a latency (untimed) are left out.
    void setTrials(const QList<TrialPoint> &trials);
    // The target on the accuracy axis; NaN hides the line.
    void setTarget(double accuracy);
    // The accuracy axis's label (a tr() call: worded again after a language switch).
    void setAccuracyLabel(std::function<QString()> label);

    int trialCount() const { return int(m_trials.size()); }
    const QList<int> &frontier() const { return m_frontier; }
    double target() const { return m_target; }
    // The disc's diameter in pixels for a model of `sizeBytes` among sizes [smallest, largest].
    static double markerSize(qint64 sizeBytes, qint64 smallest, qint64 largest);

signals:
    void trialClicked(int index);

protected:
    void changeEvent(QEvent *event) override;

private:
    void redraw();
    void retranslate();

    QCPTextElement *m_title = nullptr;
    std::function<QString()> m_accuracyLabel;
    QList<TrialPoint> m_trials;
    QList<int> m_frontier;
    double m_target = std::numeric_limits<double>::quiet_NaN();
    QCPItemStraightLine *m_targetLine = nullptr;
};

class SensitivityChart : public QCustomPlot
{
    Q_OBJECT

public:
    explicit SensitivityChart(QWidget *parent = nullptr);

    // `points` in graph order; the bar at key i is points[i].
    void setPoints(const QList<SensitivityPoint> &points);
    void addPoint(const SensitivityPoint &point);
    const QList<SensitivityPoint> &points() const { return m_points; }
    // What a click on bar `position` does (tests call it directly).
    void selectBar(int position);
    // A sentence in the middle of the plot saying why it is empty (a tr() call, worded again
    // after a language switch); an empty function or text removes it.
    void setMessage(std::function<QString()> text);
    QString message() const;

signals:
    void nodeSelected(const QString &node);

protected:
    void changeEvent(QEvent *event) override;

private:
    void redraw();
    void retranslate();

    QCPTextElement *m_title = nullptr;
    std::function<QString()> m_messageText;
    QList<SensitivityPoint> m_points;
    QCPBars *m_bars = nullptr;
    QCPItemText *m_message = nullptr;
};

} // namespace qs::ui
