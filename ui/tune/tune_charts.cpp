#include "tune_charts.h"

#include <QEvent>

#include <algorithm>
#include <cmath>

namespace qs::ui {

namespace {

const QColor kMeetsColor(26, 150, 65);    // green: usable results
const QColor kMissesColor(160, 160, 160); // grey: the trials that led there
const QColor kFrontierColor(215, 48, 39);
const QColor kBarColor(70, 130, 180);

// An empty title row; the chart's retranslate() words it.
QCPTextElement *addTitle(QCustomPlot *plot)
{
    plot->plotLayout()->insertRow(0);
    QFont font = plot->font();
    font.setBold(true);
    auto *title = new QCPTextElement(plot, QString(), font);
    plot->plotLayout()->addElement(0, 0, title);
    plot->setMinimumSize(260, 200);
    return title;
}

// [low, high] with a margin, and a unit span when all values are equal.
QCPRange paddedRange(double low, double high)
{
    if (!(low <= high))
        return QCPRange(0, 1);
    const double span = high > low ? high - low : std::max(std::abs(high), 1.0);
    return QCPRange(low - 0.08 * span, high + 0.08 * span);
}

} // namespace

TrialScatterChart::TrialScatterChart(QWidget *parent)
    : QCustomPlot(parent)
{
    setObjectName(QStringLiteral("trialScatter"));
    m_title = addTitle(this);
    m_accuracyLabel = [] { return tr("Accuracy"); };
    retranslate();
    m_targetLine = new QCPItemStraightLine(this);
    m_targetLine->setPen(QPen(kFrontierColor.darker(120), 1, Qt::DashLine));
    m_targetLine->setVisible(false);
    connect(this, &QCustomPlot::plottableClick, this,
            [this](QCPAbstractPlottable *plottable, int, QMouseEvent *) {
                const QVariant index = plottable ? plottable->property("trial") : QVariant();
                if (index.isValid())
                    emit trialClicked(index.toInt());
            });
    redraw();
}

double TrialScatterChart::markerSize(qint64 sizeBytes, qint64 smallest, qint64 largest)
{
    constexpr double kSmallest = 7.0, kLargest = 22.0;
    if (largest <= smallest)
        return (kSmallest + kLargest) / 2;
    // Area proportional to size: the diameter follows the square root.
    const double share = std::sqrt(double(sizeBytes - smallest) / double(largest - smallest));
    return kSmallest + share * (kLargest - kSmallest);
}

void TrialScatterChart::setTrials(const QList<TrialPoint> &trials)
{
    m_trials = trials;
    redraw();
}

void TrialScatterChart::setTarget(double accuracy)
{
    m_target = accuracy;
    redraw();
}

void TrialScatterChart::setAccuracyLabel(std::function<QString()> label)
{
    m_accuracyLabel = std::move(label);
    yAxis->setLabel(m_accuracyLabel());
    replot();
}

void TrialScatterChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        redraw(); // the frontier's name
    }
    QCustomPlot::changeEvent(event);
}

void TrialScatterChart::retranslate()
{
    m_title->setText(tr("Trials"));
    xAxis->setLabel(tr("Latency (ms)"));
    yAxis->setLabel(m_accuracyLabel());
}

void TrialScatterChart::redraw()
{
    clearGraphs();
    qint64 smallest = std::numeric_limits<qint64>::max(), largest = 0;
    double lowX = std::numeric_limits<double>::max(), highX = std::numeric_limits<double>::lowest();
    double lowY = lowX, highY = highX;
    // Untimed trials (core/tune's sensitivity trials) have no place on the latency axis.
    QList<TrialPoint> timed;
    QList<int> timedIndex;
    for (int i = 0; i < m_trials.size(); ++i) {
        if (m_trials[i].latencyMs > 0) {
            timed.append(m_trials[i]);
            timedIndex.append(i);
        }
    }
    m_frontier.clear();
    for (const int index : paretoFrontier(timed))
        m_frontier.append(timedIndex[index]);
    for (const TrialPoint &trial : timed) {
        smallest = std::min(smallest, trial.sizeBytes);
        largest = std::max(largest, trial.sizeBytes);
        lowX = std::min(lowX, trial.latencyMs);
        highX = std::max(highX, trial.latencyMs);
        lowY = std::min(lowY, trial.accuracy);
        highY = std::max(highY, trial.accuracy);
    }
    if (std::isfinite(m_target)) {
        lowY = std::min(lowY, m_target);
        highY = std::max(highY, m_target);
    }
    // One graph per trial: QCustomPlot's scatter size is per graph, and the size is the point.
    for (int t = 0; t < timed.size(); ++t) {
        const TrialPoint &trial = timed[t];
        QCPGraph *point = addGraph();
        point->setProperty("trial", timedIndex[t]);
        point->setLineStyle(QCPGraph::lsNone);
        const QColor color = trial.meets ? kMeetsColor : kMissesColor;
        point->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color.darker(130), color,
                                               markerSize(trial.sizeBytes, smallest, largest)));
        point->setData({trial.latencyMs}, {trial.accuracy});
    }
    if (m_frontier.size() > 1) {
        QCPGraph *frontier = addGraph();
        frontier->setName(tr("Pareto frontier"));
        frontier->setPen(QPen(kFrontierColor, 1.5));
        frontier->setSelectable(QCP::stNone);
        QVector<double> keys, values;
        for (const int index : m_frontier) {
            keys.append(m_trials[index].latencyMs);
            values.append(m_trials[index].accuracy);
        }
        frontier->setData(keys, values, true);
    }
    m_targetLine->setVisible(std::isfinite(m_target));
    if (std::isfinite(m_target)) {
        m_targetLine->point1->setCoords(0, m_target);
        m_targetLine->point2->setCoords(1, m_target);
    }
    xAxis->setRange(timed.isEmpty() ? QCPRange(0, 1) : paddedRange(lowX, highX));
    yAxis->setRange(timed.isEmpty() && !std::isfinite(m_target) ? QCPRange(0, 1)
                                                                : paddedRange(lowY, highY));
    replot(QCustomPlot::rpQueuedReplot);
}

SensitivityChart::SensitivityChart(QWidget *parent)
    : QCustomPlot(parent)
{
    setObjectName(QStringLiteral("sensitivityChart"));
    m_title = addTitle(this);
    xAxis->grid()->setVisible(false);
    m_bars = new QCPBars(xAxis, yAxis);
    m_bars->setPen(QPen(kBarColor.darker(130)));
    m_bars->setBrush(kBarColor);
    m_bars->setWidth(0.7);
    m_message = new QCPItemText(this);
    m_message->setClipToAxisRect(false);
    m_message->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_message->position->setCoords(0.5, 0.5);
    m_message->setPositionAlignment(Qt::AlignCenter);
    m_message->setColor(QColor(90, 90, 90));
    m_message->setVisible(false);
    retranslate();
    connect(this, &QCustomPlot::plottableClick, this,
            [this](QCPAbstractPlottable *plottable, int dataIndex, QMouseEvent *event) {
                if ((event && event->button() != Qt::LeftButton) || plottable != m_bars
                    || dataIndex < 0 || dataIndex >= m_bars->dataCount()) {
                    return;
                }
                selectBar(qRound(m_bars->dataMainKey(dataIndex)));
            });
    redraw();
}

void SensitivityChart::setPoints(const QList<SensitivityPoint> &points)
{
    m_points = points;
    m_message->setVisible(false);
    redraw();
}

void SensitivityChart::addPoint(const SensitivityPoint &point)
{
    m_points.append(point);
    m_message->setVisible(false);
    redraw();
}

void SensitivityChart::setMessage(std::function<QString()> text)
{
    m_messageText = std::move(text);
    const QString worded = m_messageText ? m_messageText() : QString();
    m_message->setText(worded);
    m_message->setVisible(!worded.isEmpty());
    replot(QCustomPlot::rpQueuedReplot);
}

void SensitivityChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        replot(QCustomPlot::rpQueuedReplot);
    }
    QCustomPlot::changeEvent(event);
}

void SensitivityChart::retranslate()
{
    m_title->setText(tr("Sensitivity per node (graph order)"));
    yAxis->setLabel(tr("Metric loss"));
    if (m_messageText)
        m_message->setText(m_messageText());
}

QString SensitivityChart::message() const
{
    return m_message->visible() ? m_message->text() : QString();
}

void SensitivityChart::selectBar(int position)
{
    if (position >= 0 && position < m_points.size())
        emit nodeSelected(m_points[position].node);
}

void SensitivityChart::redraw()
{
    QVector<double> keys, values;
    double low = 0, high = 0;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    // Names only while they can be read; beyond that the tooltip-free chart shows positions.
    const bool named = m_points.size() <= 24;
    for (int i = 0; i < m_points.size(); ++i) {
        keys.append(i);
        values.append(m_points[i].loss);
        low = std::min(low, m_points[i].loss);
        high = std::max(high, m_points[i].loss);
        if (named)
            ticker->addTick(i, m_points[i].node);
    }
    m_bars->setData(keys, values, true);
    if (named) {
        xAxis->setTicker(ticker);
        xAxis->setTickLabelRotation(m_points.size() > 6 ? 60 : 0);
    } else {
        xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        xAxis->setTickLabelRotation(0);
    }
    xAxis->setRange(-0.7, std::max<qsizetype>(m_points.size(), 1) - 0.3);
    yAxis->setRange(paddedRange(low, high));
    replot(QCustomPlot::rpQueuedReplot);
}

} // namespace qs::ui
