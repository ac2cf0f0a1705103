#pragma once
// What the graph's boxes are painted with (the overlay selector) and its legend: the op type's
// family, the quantization state (kept in float by the user, left in float by the last
// Quantize run, with the reason), the per-node SQNR of the last comparison (a heat scale,
// worst red), the time of each node in the engine's profile (share of the FP32 model's time,
// on both panes, so an INT8 node that got faster looks cooler), or Tune's sensitivity (the
// metric's loss with the node quantized, against the most sensitive node). Pure functions of the
// layout and the data, so the page recolours without relayout.

#include "layout/graph_layout.h"
#include "quantscope.pb.h"

#include <QColor>
#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace qs {
class GraphIndex;
}

namespace qs::ui {

enum class GraphOverlay { OpType, Quantization, Sqnr, Time, Sensitivity };

struct LegendEntry
{
    QColor colour;
    QString label;
};

// The facts the overlays paint; the page keeps it current.
struct OverlayData
{
    QSet<QString> excludedNodes;         // Workbench::excludedNodes
    QSet<QString> excludedOpTypes;       // Workbench::excludedOpTypes
    QHash<QString, QString> leftInFloat; // display name -> reason, from the last Quantize run
    bool quantized = false;              // a Quantize run reported its left_in_float
    QHash<QString, double> sqnrDb;       // display name -> worst SQNR of its tensors
    // The same per compared variant (its path as the report names it), so that the variant
    // pane paints the variant it shows; empty when only `sqnrDb` was given.
    QHash<QString, QHash<QString, double>> sqnrByVariant;
    // Display name -> milliseconds per run, from the engine's profile (a fused step is named
    // after the node it kept; the nodes it absorbed have no time of their own).
    QHash<QString, double> timeMs;
    double timeScaleMs = 0;             // what 100 % is: the FP32 model's total; 0: not timed
    QHash<QString, double> sensitivity; // display name -> Tune's metric loss for the node
};

class GraphOverlays
{
    Q_DECLARE_TR_FUNCTIONS(qs::ui::GraphOverlays)

public:
    static QString name(GraphOverlay overlay);
    static QColor colour(GraphOverlay overlay, const LayoutBox &box, const GraphIndex &index,
                         const OverlayData &data);
    // The entries that occur in `layout` under `overlay`, in a fixed order.
    static QList<LegendEntry> legend(GraphOverlay overlay, const GraphLayout &layout,
                                     const GraphIndex &index, const OverlayData &data);
    // A box's quantization state in words, for its tooltip; empty when there is nothing to say.
    static QString quantizationNote(const LayoutBox &box, const GraphIndex &index,
                                    const OverlayData &data);
    // A box's time and sensitivity in words, for its tooltip; empty when not measured.
    static QString measurementNote(const LayoutBox &box, const GraphIndex &index,
                                   const OverlayData &data);

    // Worst SQNR per node of the first variant (after the reference) with per-node errors.
    static QHash<QString, double> nodeSqnr(const quantscope::Report &report);
    // Worst SQNR per node of every variant with per-node errors, by the variant's path.
    static QHash<QString, QHash<QString, double>> nodeSqnrByVariant(const quantscope::Report &report);
    // The entry of `byVariant` for the model file at `path` (same file, however spelled);
    // null when that variant was not compared.
    static const QHash<QString, double> *sqnrOfVariant(
        const QHash<QString, QHash<QString, double>> &byVariant, const QString &path);
    // The recipe's left_in_float (written beside a quantized model): node -> reason.
    static QHash<QString, QString> leftInFloat(const quantscope::Recipe &recipe);

    static QColor sqnrColour(double db); // <= 10 dB red ... >= 40 dB green
    // Pale yellow (0) to red (1): time shares and sensitivity, where more is worse.
    static QColor heatColour(double fraction);
    static QColor timeColour(double share); // of the FP32 total: >= 10 % red
};

} // namespace qs::ui
