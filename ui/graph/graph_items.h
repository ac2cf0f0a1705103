#pragma once
// The items of the graph picture: one BoxItem per laid-out box (node, group, graph input or
// output) and one EdgeItem per edge, both drawn from the immutable GraphLayout the scene holds.
// Level of detail per item: text only when it is large enough to read, edge labels later
// still, so a zoomed-out 1,500-box picture paints rectangles and lines. An expanded If/Loop/
// Scan box is a frame with a section per subgraph; the subgraph's items stand above it.
// The scene creates items only for what a view comes near (graph_scene.h).

#include "layout/graph_layout.h"

#include <QColor>
#include <QCoreApplication>
#include <QGraphicsItem>
#include <QPainterPath>

namespace qs::ui {

class BoxItem : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(qs::ui::BoxItem)

public:
    enum { Type = UserType + 1 };

    BoxItem(const LayoutBox &box, int index);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    int boxIndex() const { return m_index; }
    const LayoutBox &box() const { return m_box; }
    QColor fill() const { return m_fill; }
    void setFill(const QColor &fill);
    // Kept in float by the user (node or op type excluded): a dashed red outline on any overlay.
    void setExcluded(bool excluded);
    bool isExcluded() const { return m_excluded; }
    // The second line of `box` as drawn (a group's op count in the interface's language).
    static QString subtitleOf(const LayoutBox &box);
    // The three lines drawn (a group's second line in the interface's language).
    QString title() const { return m_title; }
    QString subtitle() const { return m_subtitle; }
    QString detail() const { return m_detail; }

    // Stacking: a subgraph's edges and boxes above the box that holds them.
    static qreal boxZ(const LayoutBox &box) { return 2 * box.depth + 1; }
    static qreal edgeZ(int depth) { return 2 * depth; }

private:
    void paintSections(QPainter *painter);

    const LayoutBox &m_box; // owned by the scene's GraphLayout, which outlives the items
    int m_index;
    QRectF m_rect;
    QString m_title;
    QString m_subtitle;
    QString m_detail;
    QColor m_fill;
    bool m_excluded = false;
};

class EdgeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 2 };

    EdgeItem(const LayoutEdge &edge, int depth);

    int type() const override { return Type; }
    QRectF boundingRect() const override { return m_bounds; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    const LayoutEdge &edge() const { return m_edge; }

private:
    const LayoutEdge &m_edge;
    QPainterPath m_path;
    QPolygonF m_arrow;
    QPointF m_labelAt;
    QRectF m_bounds;
};

} // namespace qs::ui
