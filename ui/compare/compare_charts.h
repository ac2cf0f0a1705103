#pragma once
// Turns a benchmark Report into the Compare page's four QCustomPlot charts: size, latency
// (median bars with p90 whiskers), worst accuracy per variant and per-node SQNR in graph order.
// The three per-variant charts colour each bar by its verdict against the targets (as the
// table's Verdict column: green meets, red misses, grey the reference), write its figure above
// it and give it a tooltip with the variant's verdict (issue 16).
// Only drawing lives here; what a click means (select, exclude) belongs to the page.

#include "quantscope.pb.h"

#include <QCoreApplication>
#include <QList>
#include <QPoint>
#include <QString>
#include <QVector>

#include <functional>

class QCustomPlot;

namespace qs::ui {

enum class AccuracyMetric { Cosine, Sqnr };

// One bar of the per-node chart: a tensor of the reference compared in a variant.
struct PerNodePoint
{
    int nodeId = -1; // in Workbench::model()->index(); -1 for graph inputs / unknown names
    QString node;    // display name
    QString tensor;
    double sqnrDb = 0;
    double cosine = 0;
    bool worst = false; // among the worst N of the variant: drawn highlighted
};

class CompareCharts
{
    Q_DECLARE_TR_FUNCTIONS(qs::ui::CompareCharts)

public:
    // Title, axis labels and fonts shared by the four charts; called once per chart.
    static void setUp(QCustomPlot *plot, const QString &title, const QString &valueLabel);
    // The title and value axis label again (the language changed).
    static void setTitle(QCustomPlot *plot, const QString &title, const QString &valueLabel);
    static void clear(QCustomPlot *plot);
    // A sentence in the middle of the plot area saying why it is empty; an empty text removes it.
    static void showMessage(QCustomPlot *plot, const QString &text);
    // The sentence showMessage() put there, or an empty string.
    static QString message(const QCustomPlot *plot);

    static void fillSize(QCustomPlot *plot, const quantscope::Report &report);
    static void fillLatency(QCustomPlot *plot, const quantscope::Report &report);
    static void fillAccuracy(QCustomPlot *plot, const quantscope::Report &report,
                             AccuracyMetric metric);
    // `points` in the order they are drawn (graph order); the bar at key i is points[i].
    static void fillPerNode(QCustomPlot *plot, const QList<PerNodePoint> &points);

    // The report lists per_node worst first; the chart wants graph order so that a user reads
    // the error growing along the network. Entries of one node keep the report's order.
    static QList<PerNodePoint> perNodeInGraphOrder(const quantscope::VariantReport &variant,
                                                   const std::function<int(const QString &)> &nodeId,
                                                   int worstCount);

    static double worstCosine(const quantscope::VariantReport &variant);
    static double worstSqnr(const quantscope::VariantReport &variant);
    static QString variantLabel(const quantscope::VariantReport &variant);

    // The tooltip of the size, latency or accuracy bar at `position` (widget pixels): the
    // variant, its figure and its verdict; empty away from a bar.
    static QString toolTipAt(const QCustomPlot *plot, const QPoint &position);

    // +inf (identical tensors) and -inf/NaN would stretch an axis to nothing: they are drawn at
    // the largest (smallest) finite value plus (minus) a margin, or at +-`fallback` when no
    // value is finite.
    static QVector<double> capInfinite(const QVector<double> &values, double fallback = 100.0);
};

} // namespace qs::ui
