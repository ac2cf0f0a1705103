#pragma once
// The Graph page: the open model's main graph drawn as a layered DAG (core/layout: Graphviz
// dot in the background, with progress and cancel; module groups beyond a size), over an
// overlay the user picks (op type, quantization state, per-node SQNR) with its legend. One
// selection with the rest of the app: selecting a box selects its node in the Workbench, and
// the Workbench's selection centres the view on its box. Find (by name or op type, cycling),
// the producers and consumers of a box (context menu, Up/Down), exclusion as in the node table,
// groups expanded and collapsed in place, export as SVG or PNG. Beside it, a quantized variant
// (VariantPane) with its nodes matched to the FP32 ones, zoomed, panned and selected together.
//
// Files of this folder: graph_items (box and edge items), graph_scene (items of one layout and
// lookups), graph_view (zoom, pan, minimap), graph_overlay (colours and legends), graph_export
// (SVG/PNG files), variant_pane (the variant beside) and pane_sync (two views moving
// together), graph_profile (the time overlay's measurement). Depends on ui/workbench and core
// (layout) only.

#include "graph_overlay.h"

#include <QWidget>

#include <memory>
#include <set>
#include <string>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;

namespace qs::ui {

class GraphScene;
class GraphView;
class JobController;
class VariantPane;
class Workbench;
struct NodeTimes;

class GraphPage : public QWidget
{
    Q_OBJECT

public:
    explicit GraphPage(Workbench *workbench, QWidget *parent = nullptr);
    ~GraphPage() override;

    JobController *job() const;
    // The layout, the variant's layout and the time measurement: the window watches them all.
    QList<JobController *> jobs() const;
    GraphScene *scene() const;
    VariantPane *variantPane() const;
    GraphView *view() const;
    const GraphLayout *graphLayout() const; // null before the first layout of the open model
    QComboBox *overlaySelector() const;
    QWidget *legend() const;
    QStringList legendLabels() const;
    QLineEdit *findEdit() const;
    QString statusText() const;

    // Boxes drawn beyond this many nodes are module groups (LayoutOptions::maxBoxes).
    void setMaxBoxes(int maxBoxes);
    void setShowConstants(bool show);
    void setOverlay(GraphOverlay overlay);
    GraphOverlay overlay() const;
    // The per-node SQNR the SQNR overlay paints, the same for any variant beside.
    void setNodeErrors(const QHash<QString, double> &sqnrDb);
    // A comparison's per-node SQNR, per variant: the variant pane paints the variant it shows,
    // the FP32 pane the same variant's (the first compared one when the variant beside was not).
    void setNodeErrors(const quantscope::Report &report);
    // Tune's per-node sensitivity (display name -> metric loss) for the sensitivity overlay.
    void setSensitivity(const QHash<QString, double> &lossByNode);
    // Times every node of the model and of the variant beside it (the time overlay starts it
    // when first chosen).
    void measureTimes();
    // What the last Quantize run left in float (GraphOverlays::leftInFloat of its recipe).
    void setLeftInFloat(const QHash<QString, QString> &reasons);

    // Lays the open model out again (the job replaces a running one).
    void relayout();
    void expandGroup(const QString &path);
    void collapseGroup(const QString &path);
    // Draws the subgraphs of the If/Loop/Scan node `displayName` inside its box, or closes it
    // (and what was opened inside it).
    void expandSubgraphs(const QString &displayName);
    void collapseSubgraphs(const QString &displayName);

    // Moves the keyboard focus to the search box (Edit > Find while this page shows).
    void focusFind();
    // Selects the next box matching `text` (after the selected one, wrapping) and returns it;
    // -1 when nothing matches.
    int findNext(const QString &text);
    // Selects `box`, centres it, and selects its node in the Workbench.
    void selectBox(int box);
    // Up/Down: the first producer / consumer of the selected box.
    void stepAlongFlow(bool downstream);

    // The box's context menu: producers and consumers, keep in float (node, op type), expand or
    // collapse its group or its subgraphs, copy name. The caller owns it; tests trigger its actions.
    QMenu *createContextMenu(int box, QWidget *parent = nullptr);

    // Writes the whole graph or the visible region as SVG or PNG (by suffix); empty on success.
    QString exportPicture(const QString &path, bool visibleRegionOnly);

signals:
    void laidOut();
    void variantLaidOut();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onModelChanged();
    void onLaidOut(std::shared_ptr<const GraphLayout> layout);
    void onTimesMeasured(const NodeTimes &times);
    void recolour();
    OverlayData referencePaneData() const;
    void refreshExclusionMarks();
    void rebuildLegend();
    void onSceneSelectionChanged();
    void onWorkbenchSelection(int nodeId);
    void askExport(bool visibleRegionOnly);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace qs::ui
