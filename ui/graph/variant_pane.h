#pragma once
// The right-hand pane of the Graph page: a quantized variant of the open model (one the
// Workbench lists, from a Quantize run or opened, or any file) drawn beside the FP32 picture.
// Its nodes are matched to the reference's (core/layout's matchVariantNodes) and its Q/DQ
// plumbing is folded into the op it wraps, so both pictures have the same boxes; the two views
// zoom and pan together (PaneSync) and share the selection through the Workbench. It paints
// the page's overlay with the reference's data read through the matching (per-node SQNR from
// Compare, Tune's sensitivity, the quantization state) and its own per-node time.

#include "graph_overlay.h"
#include "graph_profile.h"

#include <QWidget>

#include <memory>

class QComboBox;

namespace qs {
class Model;
struct NodeMatching;
} // namespace qs

namespace qs::ui {

class GraphScene;
class GraphView;
class JobController;
class PaneSync;
class Workbench;

class VariantPane : public QWidget
{
    Q_OBJECT

public:
    // `referenceScene` and `referenceView`: the page's FP32 picture, which the pane follows.
    VariantPane(Workbench *workbench, GraphScene *referenceScene, GraphView *referenceView,
                QWidget *parent = nullptr);
    ~VariantPane() override;

    // "Beside:": nothing, the Workbench's variants, or a file chosen in a dialog.
    QComboBox *selector() const;
    JobController *job() const;
    GraphScene *scene() const;
    GraphView *view() const;
    QString variantPath() const; // empty while nothing is shown
    std::shared_ptr<const Model> variantModel() const;
    const NodeMatching *matching() const; // null before the variant is matched
    QString statusText() const;

    // Loads, matches and lays out `path` beside the reference (a job); empty hides the pane.
    void showVariant(const QString &path);
    // The page's layout options (grouping, expanded groups, constants): the variant follows.
    void setLayoutOptions(const LayoutOptions &options);
    // The open model changed: nothing is shown any more.
    void clear();
    // The reference pane has a new layout: the views' box maps are rebuilt.
    void referenceLaidOut();

    void recolour(GraphOverlay overlay, const OverlayData &referenceData);
    void markExcluded(const OverlayData &referenceData);
    // The variant's own profile; `fp32TotalMs` is 100 % on both panes.
    void setTimes(const ModelTimes &times, double fp32TotalMs);
    // Selects the variant's counterpart of reference node `nodeId` (none: clears).
    void selectReferenceNode(int nodeId);

signals:
    // The user selected a variant box whose node stands for reference node `nodeId`.
    void referenceNodeSelected(int nodeId);
    void laidOut();

private:
    void fillSelector();
    void onSelectorActivated(int row);
    void layOut();
    void onSceneSelectionChanged();
    void rebuildBoxMaps();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace qs::ui
