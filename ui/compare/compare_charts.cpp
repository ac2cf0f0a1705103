#include "compare_charts.h"

#include "chart_labels.h"
#include "report_table_model.h"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QHelpEvent>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs::ui {

namespace {

const QColor kBarColor(70, 130, 180); // steel blue
const QColor kReferenceColor(150, 150, 150);
// The verdict colours of the result table's Verdict column.
const QColor kMeetsColor(166, 217, 106);
const QColor kMissesColor(215, 48, 39);
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

const char *const kToolTipsProperty = "qsBarToolTips";
const char *const kValueLabelName = "valueLabel";
const char *const kMessageName = "chartMessage";

// Variant names under the bars: file names, keys 1..n, fitted to the chart's width.
void setVariantTicks(QCustomPlot *plot, const quantscope::Report &report)
{
    QStringList names;
    for (const auto &variant : report.variants())
        names << CompareCharts::variantLabel(variant);
    ChartLabels::setVariantNames(plot, names);
    plot->xAxis->setRange(0.3, report.variants_size() + 0.7);
}

// The bars of one kind of verdict share a series, so that each has its colour (and its name).
enum class BarKind { Reference, Meets, Misses, Unjudged };

BarKind barKind(const quantscope::Report &report, int row)
{
    if (row == 0)
        return BarKind::Reference;
    if (report.targets_size() == 0)
        return BarKind::Unjudged;
    return report.variants(row).verdict().meets_targets() ? BarKind::Meets : BarKind::Misses;
}

QCPBars *addKindBars(QCustomPlot *plot, BarKind kind, const QString &unjudgedName)
{
    switch (kind) {
    case BarKind::Reference: return addBars(plot, kReferenceColor, CompareCharts::tr("reference"));
    case BarKind::Meets: return addBars(plot, kMeetsColor, CompareCharts::tr("meets targets"));
    case BarKind::Misses: return addBars(plot, kMissesColor, CompareCharts::tr("misses targets"));
    case BarKind::Unjudged: break;
    }
    return addBars(plot, kBarColor, unjudgedName);
}

// One bar per variant at keys 1..n, coloured by its verdict (the reference grey, so that the eye
// goes to the variants); `above` (optional) adds a p90 whisker to each bar. Returns the series.
QList<QCPBars *> addVariantBars(QCustomPlot *plot, const quantscope::Report &report,
                                const QVector<double> &values, const QString &name,
                                const QVector<double> &above = {})
{
    QMap<BarKind, QVector<double>> keys, heights, whiskers;
    for (int i = 0; i < values.size() && i < report.variants_size(); ++i) {
        const BarKind kind = barKind(report, i);
        keys[kind].append(i + 1);
        heights[kind].append(values.at(i));
        whiskers[kind].append(i < above.size() ? above.at(i) : 0.0);
    }
    QList<QCPBars *> all;
    for (auto it = keys.cbegin(); it != keys.cend(); ++it) {
        QCPBars *bars = addKindBars(plot, it.key(), name);
        bars->setData(it.value(), heights.value(it.key()));
        if (!above.isEmpty()) {
            // QCPErrorBars follow one data plottable: one set of whiskers per series.
            auto *errors = new QCPErrorBars(plot->xAxis, plot->yAxis);
            errors->setName(CompareCharts::tr("p90"));
            errors->setDataPlottable(bars);
            errors->setData(QVector<double>(it.value().size(), 0.0), whiskers.value(it.key()));
            errors->setPen(QPen(kWhiskerColor, 1.5));
        }
        all << bars;
    }
    return all;
}

// The figure above each bar, and the tooltip of each bar (name, figure, verdict).
void labelBars(QCustomPlot *plot, const quantscope::Report &report, const QVector<double> &tops,
               const QStringList &figures)
{
    plot->clearItems();
    QStringList toolTips;
    for (int i = 0; i < figures.size() && i < report.variants_size(); ++i) {
        auto *label = new QCPItemText(plot);
        label->setObjectName(QString::fromLatin1(kValueLabelName));
        label->position->setCoords(i + 1, tops.value(i));
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setText(figures.at(i));
        label->setPadding(QMargins(0, 0, 0, 2));
        QFont font = plot->font();
        font.setPointSizeF(font.pointSizeF() * 0.85);
        label->setFont(font);
        toolTips << QStringLiteral("%1\n%2\n%3")
                        .arg(CompareCharts::variantLabel(report.variants(i)), figures.at(i),
                             ReportTableModel::verdictText(report, i));
    }
    plot->setProperty(kToolTipsProperty, toolTips);
}

// The tooltip of the bar under the mouse (QCustomPlot has none of its own).
class BarToolTips : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::ToolTip)
            return false;
        auto *plot = static_cast<QCustomPlot *>(watched);
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = CompareCharts::toolTipAt(plot, help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, plot);
        return true;
    }
};

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
    // Room above the highest bar for its figure.
    plot->yAxis->setRange(low < 0 ? low - 0.08 * span : low, high + 0.18 * span);
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
    plot->installEventFilter(new BarToolTips(plot));
    plot->replot();
}

void CompareCharts::setTitle(QCustomPlot *plot, const QString &title, const QString &valueLabel)
{
    if (auto *element = qobject_cast<QCPTextElement *>(plot->plotLayout()->element(0, 0)))
        element->setText(title);
    plot->yAxis->setLabel(valueLabel);
    plot->replot();
}

void CompareCharts::clear(QCustomPlot *plot)
{
    plot->clearPlottables();
    plot->clearItems();
    plot->setProperty(kToolTipsProperty, QStringList());
    ChartLabels::clearVariantNames(plot);
    plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    plot->xAxis->setTickLabelRotation(0);
    plot->replot();
}

void CompareCharts::showMessage(QCustomPlot *plot, const QString &text)
{
    plot->clearItems();
    if (!text.isEmpty()) {
        auto *label = new QCPItemText(plot);
        label->setObjectName(QString::fromLatin1(kMessageName));
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
        if (const auto *label = qobject_cast<const QCPItemText *>(plot->item(i));
            label && label->objectName() == QLatin1String(kMessageName))
            return label->text();
    }
    return QString();
}

void CompareCharts::fillSize(QCustomPlot *plot, const quantscope::Report &report)
{
    plot->clearPlottables();
    QVector<double> megabytes;
    QStringList figures;
    for (const auto &variant : report.variants()) {
        megabytes.append(double(variant.size_bytes()) / 1e6);
        figures << tr("%1 MB").arg(megabytes.back(), 0, 'f', megabytes.back() < 10 ? 2 : 1);
    }
    addVariantBars(plot, report, megabytes, tr("size"));
    labelBars(plot, report, megabytes, figures);
    setVariantTicks(plot, report);
    fitValueAxis(plot, megabytes);
    plot->replot();
}

void CompareCharts::fillLatency(QCustomPlot *plot, const quantscope::Report &report)
{
    plot->clearPlottables();
    QVector<double> medians, above, tops;
    QStringList figures;
    for (int i = 0; i < report.variants_size(); ++i) {
        const auto &latency = report.variants(i).latency();
        medians.append(latency.median_ms());
        above.append(std::max(0.0, latency.p90_ms() - latency.median_ms()));
        tops.append(medians.back() + above.back());
        figures << tr("%1 ms").arg(latency.median_ms(), 0, 'f', latency.median_ms() < 10 ? 2 : 1);
    }
    addVariantBars(plot, report, medians, tr("median"), above);
    labelBars(plot, report, tops, figures);
    setVariantTicks(plot, report);
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
    addVariantBars(plot, report, values,
                   metric == AccuracyMetric::Cosine ? tr("cosine") : tr("SQNR"));
    QStringList figures;
    for (const auto &variant : report.variants()) {
        const double value = metric == AccuracyMetric::Cosine ? worstCosine(variant)
                                                              : worstSqnr(variant);
        figures << (metric == AccuracyMetric::Cosine ? QString::number(value, 'f', 5)
                    : std::isinf(value)              ? tr("identical")
                                                     : tr("%1 dB").arg(value, 0, 'f', 1));
    }
    labelBars(plot, report, values, figures);
    setVariantTicks(plot, report);
    if (metric == AccuracyMetric::Cosine) {
        // Cosines of usable variants crowd near 1: zoom on the spread rather than from zero.
        double low = 1.0;
        for (double value : values)
            low = std::min(low, value);
        const double span = std::max(1.0 - low, 1e-4);
        plot->yAxis->setRange(low - 0.2 * span, 1.0 + 0.25 * span);
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

QString CompareCharts::toolTipAt(const QCustomPlot *plot, const QPoint &position)
{
    const QStringList toolTips = plot->property(kToolTipsProperty).toStringList();
    if (toolTips.isEmpty() || !plot->axisRect()->rect().contains(position))
        return QString();
    const double key = plot->xAxis->pixelToCoord(position.x());
    const int bar = qRound(key);
    if (bar < 1 || bar > toolTips.size() || std::abs(key - bar) > 0.35)
        return QString();
    return toolTips.at(bar - 1);
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
