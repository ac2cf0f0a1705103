#pragma once
// The graph's view: zoom with the wheel (around the cursor), Ctrl+0 fits the graph, Ctrl+1 is
// 100 %, dragging pans, Up/Down ask the page to step along the data flow; and the minimap, a
// picture of the whole scene in the corner with the visible region marked, where a click or a
// drag moves the view. The view takes Ctrl+0/Ctrl+1 and the arrows before the window's
// shortcuts while it has the focus. Before painting, after each move and before a click, the
// view has its scene create the items of its visible region and half a view around it
// (GraphScene creates items lazily); zoomed out below GraphScene::kItemsFromZoom it paints
// the picture from the layout instead.

#include <QGraphicsView>
#include <QPixmap>
#include <QPointer>

namespace qs::ui {

class MiniMap;

class GraphView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit GraphView(QGraphicsScene *scene, QWidget *parent = nullptr);

    double zoom() const; // 1.0: one scene point per pixel
    void setZoom(double zoom);
    void zoomBy(double factor);
    void fitAll();
    void resetZoom() { setZoom(1.0); }
    // The region shown, in scene coordinates.
    QRectF visibleSceneRect() const;
    MiniMap *miniMap() const { return m_miniMap; }
    // Redraws the minimap's picture of the scene (after a new layout or recolouring).
    void refreshMiniMap();
    // Has the scene create the items in and near the visible region (nothing when zoomed out).
    void createVisibleItems();
    // The picture's extent: the scene's layout, or its items for another scene.
    QRectF pictureRect() const;

signals:
    void stepRequested(bool downstream);
    void zoomChanged(double zoom);
    // The visible region changed: a scroll, a zoom or a resize (PaneSync follows it).
    void viewMoved();

protected:
    bool event(QEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;

private:
    MiniMap *m_miniMap;
};

class MiniMap : public QWidget
{
    Q_OBJECT

public:
    explicit MiniMap(GraphView *view);
    void refresh();

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    QRectF pictureRect() const; // where the scene's picture is drawn in the widget
    void centreViewAt(const QPointF &widgetPoint);

    GraphView *m_view;
    QPixmap m_picture;
    QRectF m_sceneRect;
};

} // namespace qs::ui
