#include "chart_labels.h"

#include <qcustomplot.h>

#include <QFontMetricsF>
#include <QTransform>
#include <QtMath>

#include <algorithm>
#include <cmath>

namespace qs::ui {

namespace {

constexpr double kSlant = -40.0; // degrees: the name rises to the right, ending at its bar
constexpr double kGap = 8.0;     // pixels between two level names
constexpr double kMaxSlantedWidth = 150.0; // a longer name would take the chart's height
const char *const kNamesProperty = "qsVariantNames";
const char *const kFittingProperty = "qsFitsVariantNames";

// The label's box as QCustomPlot measures it (QCPAxisPainterPrivate::getTickLabelData).
QSizeF labelSize(const QFont &font, const QString &text)
{
    return QFontMetrics(font)
        .boundingRect(0, 0, 0, 0, Qt::TextDontClip | Qt::AlignHCenter, text)
        .size();
}

// Where the label's unrotated top-left corner goes relative to its anchor below the tick, for a
// bottom axis with labels outside (QCPAxisPainterPrivate::getTickLabelDrawOffset).
QPointF drawOffset(double rotation, const QSizeF &size)
{
    const double radians = qDegreesToRadians(rotation);
    if (qFuzzyIsNull(rotation))
        return {-size.width() / 2.0, 0.0};
    if (rotation > 0)
        return {std::sin(radians) * size.height() / 2.0, 0.0};
    return {-std::cos(-radians) * size.width() - std::sin(-radians) * size.height() / 2.0,
            std::sin(-radians) * size.width()};
}

QPolygonF outline(const QPointF &anchor, double rotation, const QSizeF &size)
{
    const QPointF topLeft = anchor + drawOffset(rotation, size);
    QTransform transform;
    transform.translate(topLeft.x(), topLeft.y());
    transform.rotate(rotation);
    return transform.map(QPolygonF(QRectF(QPointF(0, 0), size)));
}

QString elided(const QFontMetricsF &metrics, const QString &name, double width)
{
    const QString text = metrics.elidedText(name, Qt::ElideMiddle, width);
    return text.isEmpty() ? QString(QChar(0x2026)) : text; // never an empty label
}

struct Fit
{
    double rotation = 0;
    QStringList labels;
};

Fit fitNames(const QStringList &names, const QFont &font, const QList<double> &tickX, double slot,
             double left, double right)
{
    bool level = true;
    for (int i = 0; i < names.size() && level; ++i) {
        const double width = labelSize(font, names.at(i)).width();
        level = width + kGap <= slot && tickX.at(i) - width / 2 >= left + 1
                && tickX.at(i) + width / 2 <= right - 1;
    }
    if (level)
        return {0.0, names};
    const QFontMetricsF metrics(font);
    const double height = labelSize(font, QStringLiteral("Xg")).height();
    const double radians = qDegreesToRadians(-kSlant);
    Fit fit;
    // Slanted names lie side by side `slot * sin` apart; they must not touch.
    if (slot * std::sin(radians) >= height + 2) {
        fit.rotation = kSlant;
        for (int i = 0; i < names.size(); ++i) {
            // The name runs down-left from its bar; its far end must stay inside the chart.
            const double room = (tickX.at(i) - left - 2 - std::sin(radians) * height / 2)
                                / std::cos(radians);
            fit.labels << elided(metrics, names.at(i), std::min(kMaxSlantedWidth, room - 4));
        }
        return fit;
    }
    for (const QString &name : names)
        fit.labels << elided(metrics, name, slot - kGap);
    return fit;
}

void refit(QCustomPlot *plot)
{
    const QStringList names = plot->property(kNamesProperty).toStringList();
    if (names.isEmpty())
        return;
    QCPAxis *axis = plot->xAxis;
    QList<double> tickX;
    for (int i = 0; i < names.size(); ++i)
        tickX << axis->coordToPixel(i + 1);
    const double slot = std::abs(axis->coordToPixel(2) - axis->coordToPixel(1));
    const QRect viewport = plot->viewport();
    const Fit fit = fitNames(names, axis->tickLabelFont(), tickX, slot, viewport.left(),
                             viewport.right());
    auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
    if (ticker && ticker->ticks().values() == fit.labels
        && qFuzzyCompare(1.0 + axis->tickLabelRotation(), 1.0 + fit.rotation))
        return;
    auto fitted = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < fit.labels.size(); ++i)
        fitted->addTick(i + 1, fit.labels.at(i));
    axis->setTicker(fitted);
    axis->setTickLabelRotation(fit.rotation);
    // Laid out again at once (QCustomPlot::updateLayout's phases), so that the margins and the
    // frame being drawn, on screen or into a file, use the fitted names.
    plot->plotLayout()->update(QCPLayoutElement::upPreparation);
    plot->plotLayout()->update(QCPLayoutElement::upMargins);
    plot->plotLayout()->update(QCPLayoutElement::upLayout);
}

} // namespace

void ChartLabels::setVariantNames(QCustomPlot *plot, const QStringList &names)
{
    plot->setProperty(kNamesProperty, names);
    if (!plot->property(kFittingProperty).toBool()) {
        plot->setProperty(kFittingProperty, true);
        QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] { refit(plot); });
    }
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < names.size(); ++i)
        ticker->addTick(i + 1, names.at(i));
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setTickLabelRotation(0);
}

void ChartLabels::clearVariantNames(QCustomPlot *plot)
{
    plot->setProperty(kNamesProperty, QStringList());
}

QList<QPolygonF> ChartLabels::tickLabelOutlines(const QCPAxis *axis)
{
    // QCPAxisPainterPrivate::draw: below the axis rect by the axis offset, the outer tick
    // length and the label padding.
    const QRect rect = axis->axisRect()->rect();
    const double below = axis->offset()
                         + std::max({0, axis->tickLengthOut(), axis->subTickLengthOut()})
                         + axis->tickLabelPadding();
    QList<QPolygonF> outlines;
    const QVector<double> ticks = axis->tickVector();
    const QVector<QString> labels = axis->tickVectorLabels();
    for (int i = 0; i < ticks.size() && i < labels.size(); ++i) {
        const QPointF anchor(axis->coordToPixel(ticks.at(i)), rect.bottom() + below);
        outlines << outline(anchor, axis->tickLabelRotation(),
                            labelSize(axis->tickLabelFont(), labels.at(i)));
    }
    return outlines;
}

} // namespace qs::ui
