#pragma once
// The variant names under the Compare charts' bars, fitted to the chart's width each time the
// chart is laid out (on screen and in exports): level when every name fits its slot, else
// slanted and shortened in the middle so that each ends at its bar and none runs off the chart,
// else level and shortened to the slot. Issue 16: the 4th bar's name was missing at 1024x700 -
// QCustomPlot silently skips a tick label that would cross the widget's border.
// tickLabelOutlines() says where QCustomPlot 2.1 draws each label; the fitting and the
// screenshot test both measure with it.

#include <QList>
#include <QPolygonF>
#include <QStringList>

class QCPAxis;
class QCustomPlot;

namespace qs::ui {

class ChartLabels
{
public:
    // Names the ticks 1..n of the bottom axis `names[0..n-1]` and keeps them fitted.
    static void setVariantNames(QCustomPlot *plot, const QStringList &names);
    // Forgets the names (the chart was cleared); the axis keeps whatever ticker it is given.
    static void clearVariantNames(QCustomPlot *plot);

    // The outline of each tick label of a bottom axis, in widget pixels, in tick order, as
    // QCustomPlot's axis painter places it (anchor below the axis, rotation, draw offset).
    static QList<QPolygonF> tickLabelOutlines(const QCPAxis *axis);
};

} // namespace qs::ui
