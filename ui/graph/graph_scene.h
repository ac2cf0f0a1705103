#pragma once
// The scene of one GraphLayout and the lookups the page navigates with: a node's box, a box's
// producers and consumers, matches of a search.
//
// Items are created lazily: a BoxItem or EdgeItem exists only once a view came near it (the
// view asks for its visible region and a margin, GraphView::createVisibleItems), or someone
// asked for that box's item (selection, tests). A 20,000-box picture therefore starts with
// no items at all. Below kItemsFromZoom, where a box is a coloured rectangle without text,
// the views paint the boxes and edges that have no item straight from the layout
// (drawOverview, through a grid of the layout's extent), so zooming out never creates items.
// What the items show (fill, dashed exclusion outline, tooltip) is kept here per box and
// handed to an item when it is created.

#include "graph_overlay.h"
#include "layout/graph_layout.h"

#include <QGraphicsScene>

#include <cstdint>
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
    // Views below this zoom draw from the layout instead of creating items (boxes have no
    // text below 0.35, edges no arrows below half of that).
    static constexpr double kItemsFromZoom = 0.175;

    explicit GraphScene(QObject *parent = nullptr);

    // Replaces the picture; null clears it. Creates no items.
    void setGraphLayout(std::shared_ptr<const GraphLayout> layout);
    const std::shared_ptr<const GraphLayout> &graphLayout() const { return m_layout; }
    // The layout's extent with a margin (the scene rect).
    QRectF pictureRect() const;

    int boxCount() const { return m_layout ? static_cast<int>(m_layout->boxes.size()) : 0; }
    int edgeCount() const { return m_layout ? static_cast<int>(m_layout->edges.size()) : 0; }
    const LayoutBox *layoutBox(int box) const;
    // The item of `box`, created now if no view came near it yet; null for no such box.
    BoxItem *boxItem(int box);
    // Every box's item, all created now: for tests and whole-picture work only.
    const std::vector<BoxItem *> &boxItems();
    // Items created so far (boxes and edges).
    int createdItemCount() const { return m_createdBoxes + m_createdEdges; }
    // Creates the items of the boxes and edges that reach into `region`.
    void createItemsIn(const QRectF &region);
    // The box under `scenePos` (the innermost, for subgraphs), -1 for none.
    int boxAt(const QPointF &scenePos) const;
    // Paints the boxes and edges without an item inside `exposed` from the layout, when
    // `painter`'s scale is below kItemsFromZoom (else nothing); `everything`: every box and
    // edge at any scale, items or not (the minimap).
    void drawOverview(QPainter *painter, const QRectF &exposed, bool everything = false) const;

    // The box that draws node `nodeId` (its own, or its collapsed group's); -1 when not drawn.
    int boxOfNode(int nodeId) const;
    // The selected box, -1 for none (or several).
    int selectedBox() const;

    // Fills every box with `overlay`'s colour and sets its tooltip (its lines, the
    // quantization state, time and sensitivity when known); `index` is the layout's model.
    void paint(GraphOverlay overlay, const GraphIndex &index, const OverlayData &data);
    // The dashed outline of nodes the user keeps in float (by name or op type).
    void markExcluded(const GraphIndex &index, const OverlayData &data);
    QColor boxFill(int box) const;
    bool isBoxExcluded(int box) const;

    // Boxes at the other end of the edges into (producers) or out of (consumers) `box`.
    std::vector<int> producers(int box) const;
    std::vector<int> consumers(int box) const;

    // Boxes whose node's display name contains `text` or whose op type is `text` (groups:
    // any member, or the group path contains it; inputs/outputs: their value name), both
    // case-insensitive, in box order.
    std::vector<int> find(const QString &text, const GraphIndex &index) const;

protected:
    // Scene rendering (minimap, export) draws the overview too.
    void drawBackground(QPainter *painter, const QRectF &rect) override;

private:
    struct Cell
    {
        std::vector<int> boxes;
        std::vector<int> edges;
    };

    void buildGrid();
    template<typename Visit>
    void forEachInRegion(const QRectF &region, Visit visit) const;
    BoxItem *createBoxItem(int box);
    void createEdgeItem(int edge);

    std::shared_ptr<const GraphLayout> m_layout;
    std::vector<BoxItem *> m_boxes; // null until created
    std::vector<EdgeItem *> m_edges;
    std::vector<BoxItem *> m_allBoxes; // boxItems()' answer
    int m_createdBoxes = 0;
    int m_createdEdges = 0;
    std::vector<std::vector<int>> m_in; // edge indices per box
    std::vector<std::vector<int>> m_out;
    std::vector<QRectF> m_boxBounds;
    std::vector<QRectF> m_edgeBounds;
    // A uniform grid over the picture: the boxes and edges reaching into each cell.
    std::vector<Cell> m_cells;
    int m_columns = 0;
    int m_rows = 0;
    double m_cellSize = 512;
    QRectF m_createdRegion; // all items inside it exist
    // Visit marks, so that a box in several cells is visited once per query.
    mutable std::vector<uint32_t> m_boxMark;
    mutable std::vector<uint32_t> m_edgeMark;
    mutable uint32_t m_mark = 0;
    // What the items show, per box.
    std::vector<QColor> m_fills;
    std::vector<QString> m_tips;
    std::vector<char> m_excluded;
};

} // namespace qs::ui
