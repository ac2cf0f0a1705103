#pragma once
// The scene of one GraphLayout: a BoxItem per box and an EdgeItem per edge, created once when
// a layout arrives (Qt's BSP index finds the visible ones when painting), plus the lookups the
// page navigates with: a node's box, a box's producers and consumers, matches of a search.

#include "graph_overlay.h"
#include "layout/graph_layout.h"

#include <QGraphicsScene>

#include <memory>
#include <vector>

namespace qs {
class GraphIndex;
}

namespace qs::ui {

class BoxItem;
class EdgeItem;

class GraphScene : public QGraphicsScene
{
    Q_OBJECT

public:
    explicit GraphScene(QObject *parent = nullptr);

    // Replaces the picture; null clears it.
    void setGraphLayout(std::shared_ptr<const GraphLayout> layout);
    const std::shared_ptr<const GraphLayout> &graphLayout() const { return m_layout; }

    int boxCount() const { return static_cast<int>(m_boxes.size()); }
    BoxItem *boxItem(int box) const;
    const std::vector<BoxItem *> &boxItems() const { return m_boxes; }
    int edgeCount() const { return static_cast<int>(m_edges.size()); }
    // The box that draws node `nodeId` (its own, or its collapsed group's); -1 when not drawn.
    int boxOfNode(int nodeId) const;
    // The selected box, -1 for none (or several).
    int selectedBox() const;

    // Fills every box with `overlay`'s colour and sets its tooltip (its lines, the
    // quantization state, time and sensitivity when known); `index` is the layout's model.
    void paint(GraphOverlay overlay, const GraphIndex &index, const OverlayData &data);
    // The dashed outline of nodes the user keeps in float (by name or op type).
    void markExcluded(const GraphIndex &index, const OverlayData &data);

    // Boxes at the other end of the edges into (producers) or out of (consumers) `box`.
    std::vector<int> producers(int box) const;
    std::vector<int> consumers(int box) const;

    // Boxes whose node's display name contains `text` or whose op type is `text` (groups:
    // any member, or the group path contains it; inputs/outputs: their value name), both
    // case-insensitive, in box order.
    std::vector<int> find(const QString &text, const GraphIndex &index) const;

private:
    std::shared_ptr<const GraphLayout> m_layout;
    std::vector<BoxItem *> m_boxes;
    std::vector<EdgeItem *> m_edges;
    std::vector<std::vector<int>> m_in; // edge indices per box
    std::vector<std::vector<int>> m_out;
};

} // namespace qs::ui
