#include "compare_charts.h"

#include <qcustomplot.h>

#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs::ui {

namespace {

const QColor kBarColor(70, 130, 180); // steel blue
const QColor kReferenceColor(150, 150, 150);
const QColor kWorstColor(215, 48, 39); // red: the nodes to look at first
const QColor kWhiskerColor(40, 40, 40);

QCPBars *addBars(QCustomPlot *plot, const QColor &color, const QString &name)
{
    auto *bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setName(name);
    bars->setPen(QPen(color.darker(130)));
    bars->setBrush(color);
    bars->setWidth(0.7);
    return bars;
}

// Variant names under the bars: file names, keys 1..n.
void setVariantTicks(QCustomPlot *plot, const quantscope::Report &report)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < report.variants_size(); ++i)
        ticker->addTick(i + 1, CompareCharts::variantLabel(report.variants(i)));
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setTickLabelRotation(report.variants_size() > 3 ? 30 : 0);
    plot->xAxis->setRange(0.3, report.variants_size() + 0.7);
}

// The reference bar is grey, so the eye goes to the variants.
void addVariantBars(QCustomPlot *plot, const QVector<double> &values, const QString &name)
{
    if (values.isEmpty())
        return;
    QCPBars *reference = addBars(plot, kReferenceColor, CompareCharts::tr("reference"));
    reference->setData({1.0}, {values.front()});
    QVector<double> keys, rest;
    for (int i = 1; i < values.size(); ++i) {
        keys.append(i + 1);
        rest.append(values.at(i));
    }
    QCPBars *variants = addBars(plot, kBarColor, name);
    variants->setData(keys, rest);
}

void fitValueAxis(QCustomPlot *plot, const QVector<double> &values, bool includeZero = true)
{
    double low = includeZero ? 0.0 : std::numeric_limits<double>::max();
    double high = includeZero ? 0.0 : std::numeric_limits<double>::lowest();
    for (double value : values) {
        low = std::min(low, value);
        high = std::max(high, value);
    }
    if (values.isEmpty() || low > high) {
        low = 0;
        high = 1;
    }
    const double span = high - low > 0 ? high - low : std::max(std::abs(high), 1.0);
    plot->yAxis->setRange(low < 0 ? low - 0.08 * span : low, high + 0.08 * span);
}

} // namespace

void CompareCharts::setUp(QCustomPlot *plot, const QString &title, const QString &valueLabel)
{
    plot->plotLayout()->insertRow(0);
    QFont font = plot->font();
    font.setBold(true);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, font));
    plot->yAxis->setLabel(valueLabel);
    plot->xAxis->grid()->setVisible(false);
    plot->setMinimumSize(260, 200);
    plot->replot();
}

void CompareCharts::clear(QCustomPlot *plot)
{
    plot->clearPlottables();
    plot->clearItems();
    plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    plot->replot();
}

void CompareCharts::showMessage(QCustomPlot *plot, const QString &text)
{
    plot->clearItems();
    if (!text.isEmpty()) {
        auto *label = new QCPItemText(plot);
        label->setClipToAxisRect(false);
        label->position->setType(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(0.5, 0.5);
        label->setPositionAlignment(Qt::AlignCenter);
        label->setTextAlignment(Qt::AlignCenter);
        label->setText(text);
        label->setColor(QColor(90, 90, 90));
    }
    plot->replot();
}

QString CompareCharts::message(const QCustomPlot *plot)
{
    for (int i = 0; i < plot->itemCount(); ++i) {
        if (const auto *label = qobject_cast<const QCPItemText *>(plot->item(i)))
            return label->text();
    }
    return QString();
}

void CompareCharts::fillSize(QCustomPlot *plot, const quantscope::Report &report)
{
    plot->clearPlottables();
    QVector<double> megabytes;
    for (const auto &variant : report.variants())
        megabytes.append(double(variant.size_bytes()) / 1e6);
    addVariantBars(plot, megabytes, tr("size"));
    setVariantTicks(plot, report);
    fitValueAxis(plot, megabytes);
    plot->replot();
}

void CompareCharts::fillLatency(QCustomPlot *plot, const quantscope::Report &report)
{
    plot->clearPlottables();
    QVector<double> keys, medians, below, above;
    for (int i = 0; i < report.variants_size(); ++i) {
        const auto &latency = report.variants(i).latency();
        keys.append(i + 1);
        medians.append(latency.median_ms());
        below.append(0.0);
        above.append(std::max(0.0, latency.p90_ms() - latency.median_ms()));
    }
    // One bar series so that the whiskers (QCPErrorBars follow one data plottable) cover all.
    QCPBars *bars = addBars(plot, kBarColor, tr("median"));
    bars->setData(keys, medians);
    auto *whiskers = new QCPErrorBars(plot->xAxis, plot->yAxis);
    whiskers->setName(tr("p90"));
    whiskers->setDataPlottable(bars);
    whiskers->setData(below, above);
    whiskers->setPen(QPen(kWhiskerColor, 1.5));
    setVariantTicks(plot, report);
    QVector<double> tops;
    for (int i = 0; i < medians.size(); ++i)
        tops.append(medians.at(i) + above.at(i));
    fitValueAxis(plot, tops);
    plot->replot();
}

void CompareCharts::fillAccuracy(QCustomPlot *plot, const quantscope::Report &report,
                                 AccuracyMetric metric)
{
    plot->clearPlottables();
    QVector<double> values;
    for (const auto &variant : report.variants())
        values.append(metric == AccuracyMetric::Cosine ? worstCosine(variant) : worstSqnr(variant));
    if (metric == AccuracyMetric::Sqnr)
        values = capInfinite(values);
    plot->yAxis->setLabel(metric == AccuracyMetric::Cosine ? tr("worst cosine")
                                                           : tr("worst SQNR (dB)"));
    addVariantBars(plot, values, metric == AccuracyMetric::Cosine ? tr("cosine") : tr("SQNR"));
    setVariantTicks(plot, report);
    if (metric == AccuracyMetric::Cosine) {
        // Cosines of usable variants crowd near 1: zoom on the spread rather than from zero.
        double low = 1.0;
        for (double value : values)
            low = std::min(low, value);
        const double span = std::max(1.0 - low, 1e-4);
        plot->yAxis->setRange(low - 0.2 * span, 1.0 + 0.1 * span);
    } else {
        fitValueAxis(plot, values);
    }
    plot->replot();
}

void CompareCharts::fillPerNode(QCustomPlot *plot, const QList<PerNodePoint> &points)
{
    plot->clearPlottables();
    plot->clearItems();
    QVector<double> sqnr;
    for (const PerNodePoint &point : points)
        sqnr.append(point.sqnrDb);
    sqnr = capInfinite(sqnr);
    QVector<double> keys, values, worstKeys, worstValues;
    for (int i = 0; i < points.size(); ++i) {
        QVector<double> &k = points.at(i).worst ? worstKeys : keys;
        QVector<double> &v = points.at(i).worst ? worstValues : values;
        k.append(i);
        v.append(sqnr.at(i));
    }
    QCPBars *bars = addBars(plot, kBarColor, tr("SQNR"));
    bars->setWidth(0.8);
    bars->setData(keys, values);
    QCPBars *worst = addBars(plot, kWorstColor, tr("worst"));
    worst->setWidth(0.8);
    worst->setData(worstKeys, worstValues);

    // Node names fit under the bars of a small graph; a large one gets numbered positions.
    if (points.size() <= 40) {
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        for (int i = 0; i < points.size(); ++i)
            ticker->addTick(i, points.at(i).node);
        plot->xAxis->setTicker(ticker);
        plot->xAxis->setTickLabelRotation(60);
    } else {
        plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        plot->xAxis->setTickLabelRotation(0);
    }
    plot->xAxis->setLabel(tr("tensor in graph order"));
    plot->xAxis->setRange(-1, std::max<qsizetype>(points.size(), 1));
    fitValueAxis(plot, sqnr);
    plot->replot();
}

QList<PerNodePoint> CompareCharts::perNodeInGraphOrder(
    const quantscope::VariantReport &variant, const std::function<int(const QString &)> &nodeId,
    int worstCount)
{
    QList<PerNodePoint> points;
    for (int i = 0; i < variant.per_node_size(); ++i) {
        const auto &error = variant.per_node(i);
        PerNodePoint point;
        point.node = QString::fromStdString(error.node());
        point.tensor = QString::fromStdString(error.tensor());
        point.nodeId = nodeId(point.node);
        point.sqnrDb = error.sqnr_db();
        point.cosine = error.cosine();
        point.worst = i < worstCount; // per_node is sorted worst first
        points.append(point);
    }
    auto byNodeId = [](const PerNodePoint &a, const PerNodePoint &b) { return a.nodeId < b.nodeId; };
    std::stable_sort(points.begin(), points.end(), byNodeId);
    return points;
}

double CompareCharts::worstCosine(const quantscope::VariantReport &variant)
{
    double worst = 1.0;
    for (const auto &output : variant.outputs())
        worst = std::min(worst, output.cosine());
    return worst;
}

double CompareCharts::worstSqnr(const quantscope::VariantReport &variant)
{
    double worst = std::numeric_limits<double>::infinity();
    for (const auto &output : variant.outputs())
        worst = std::min(worst, output.sqnr_db());
    return worst;
}

QString CompareCharts::variantLabel(const quantscope::VariantReport &variant)
{
    return QFileInfo(QString::fromStdString(variant.path())).fileName();
}

QVector<double> CompareCharts::capInfinite(const QVector<double> &values, double fallback)
{
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    bool anyFinite = false;
    for (double value : values)
        if (std::isfinite(value)) {
            anyFinite = true;
            low = std::min(low, value);
            high = std::max(high, value);
        }
    if (!anyFinite) {
        low = -fallback;
        high = fallback;
    } else {
        const double margin = std::max(5.0, 0.1 * std::max(std::abs(high), std::abs(low)));
        high += margin;
        low -= margin;
    }
    QVector<double> capped = values;
    for (double &value : capped) {
        if (std::isnan(value))
            value = low;
        else if (std::isinf(value))
            value = value > 0 ? high : low;
    }
    return capped;
}

} // namespace qs::ui
