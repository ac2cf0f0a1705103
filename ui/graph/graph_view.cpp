#include "graph_view.h"

#include "graph_scene.h"

#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace qs::ui {

namespace {

constexpr double kMinZoom = 0.01;
constexpr double kMaxZoom = 8.0;
constexpr int kMiniMapSize = 180;

bool isViewShortcut(const QKeyEvent *key)
{
    const bool ctrl = key->modifiers() == Qt::ControlModifier;
    if (ctrl && (key->key() == Qt::Key_0 || key->key() == Qt::Key_1))
        return true;
    return key->modifiers() == Qt::NoModifier
           && (key->key() == Qt::Key_Up || key->key() == Qt::Key_Down);
}

} // namespace

GraphView::GraphView(QGraphicsScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_miniMap(nullptr)
{
    setObjectName(QStringLiteral("graphView"));
    setDragMode(ScrollHandDrag);
    setTransformationAnchor(AnchorUnderMouse);
    setResizeAnchor(AnchorViewCenter);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setViewportUpdateMode(SmartViewportUpdate);
    setOptimizationFlags(DontSavePainterState | DontAdjustForAntialiasing);
    setBackgroundBrush(QColor(0xfa, 0xfa, 0xfa));
    setFocusPolicy(Qt::StrongFocus);
    m_miniMap = new MiniMap(this);
}

double GraphView::zoom() const
{
    return transform().m11();
}

void GraphView::setZoom(double zoom)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    setTransform(QTransform::fromScale(zoom, zoom));
    createVisibleItems();
    emit zoomChanged(zoom);
    emit viewMoved();
    m_miniMap->update();
}

void GraphView::zoomBy(double factor)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    scale(target / zoom(), target / zoom());
    createVisibleItems();
    emit zoomChanged(zoom());
    emit viewMoved();
    m_miniMap->update();
}

QRectF GraphView::pictureRect() const
{
    if (const auto *graph = qobject_cast<const GraphScene *>(scene()))
        return graph->graphLayout() ? graph->pictureRect() : QRectF();
    return scene() ? scene()->itemsBoundingRect() : QRectF();
}

void GraphView::createVisibleItems()
{
    auto *graph = qobject_cast<GraphScene *>(scene());
    if (!graph || !graph->graphLayout() || zoom() < GraphScene::kItemsFromZoom)
        return;
    const QRectF visible = visibleSceneRect();
    graph->createItemsIn(visible.adjusted(-visible.width() / 2, -visible.height() / 2,
                                          visible.width() / 2, visible.height() / 2));
}

void GraphView::fitAll()
{
    const QRectF picture = pictureRect();
    if (picture.isEmpty())
        return;
    fitInView(picture.adjusted(20, 20, -20, -20), Qt::KeepAspectRatio);
    // A tall graph fitted whole is unreadable: never below the minimum, never above 100 %.
    setZoom(std::min(zoom(), 1.0));
}

QRectF GraphView::visibleSceneRect() const
{
    return mapToScene(viewport()->rect()).boundingRect();
}

void GraphView::refreshMiniMap()
{
    m_miniMap->refresh();
}

bool GraphView::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride
        && isViewShortcut(static_cast<QKeyEvent *>(event))) {
        event->accept();
        return true;
    }
    return QGraphicsView::event(event);
}

void GraphView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomBy(std::pow(1.2, steps));
    event->accept();
}

void GraphView::keyPressEvent(QKeyEvent *event)
{
    if (event->modifiers() == Qt::ControlModifier && event->key() == Qt::Key_0) {
        fitAll();
        return;
    }
    if (event->modifiers() == Qt::ControlModifier && event->key() == Qt::Key_1) {
        resetZoom();
        return;
    }
    if (event->modifiers() == Qt::NoModifier
        && (event->key() == Qt::Key_Up || event->key() == Qt::Key_Down)) {
        emit stepRequested(event->key() == Qt::Key_Down);
        return;
    }
    if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) {
        zoomBy(1.25);
        return;
    }
    if (event->key() == Qt::Key_Minus) {
        zoomBy(0.8);
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void GraphView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    createVisibleItems();
    const QRect area = viewport()->geometry();
    m_miniMap->setGeometry(area.right() - kMiniMapSize - 8, area.bottom() - kMiniMapSize - 8,
                           kMiniMapSize, kMiniMapSize);
}

void GraphView::paintEvent(QPaintEvent *event)
{
    createVisibleItems(); // a new layout or a resize since the last move
    QGraphicsView::paintEvent(event);
}

void GraphView::mousePressEvent(QMouseEvent *event)
{
    // Zoomed out, boxes are painted without items: the one clicked gets its item now, so
    // that selection and dragging work as at any zoom.
    if (auto *graph = qobject_cast<GraphScene *>(scene()))
        graph->boxItem(graph->boxAt(mapToScene(event->position().toPoint())));
    QGraphicsView::mousePressEvent(event);
}

void GraphView::drawBackground(QPainter *painter, const QRectF &rect)
{
    QGraphicsView::drawBackground(painter, rect); // the view's brush, not the scene's
    if (const auto *graph = qobject_cast<const GraphScene *>(scene()))
        graph->drawOverview(painter, rect);
}

void GraphView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    createVisibleItems();
    emit viewMoved();
    m_miniMap->update();
}

MiniMap::MiniMap(GraphView *view)
    : QWidget(view)
    , m_view(view)
{
    setObjectName(QStringLiteral("graphMiniMap"));
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Overview: click or drag to move the view"));
    hide(); // until there is a picture
}

void MiniMap::refresh()
{
    QGraphicsScene *scene = m_view->scene();
    m_sceneRect = m_view->pictureRect();
    if (m_sceneRect.isEmpty()) {
        m_picture = QPixmap();
        hide();
        return;
    }
    // Rendered once per layout or recolouring, boxes as coloured rectangles: panning only
    // repaints the pixmap and a rectangle.
    const QSizeF fitted = m_sceneRect.size().scaled(QSizeF(width() - 4, height() - 4),
                                                    Qt::KeepAspectRatio);
    m_picture = QPixmap(std::max(1, int(fitted.width())), std::max(1, int(fitted.height())));
    m_picture.fill(QColor(0xff, 0xff, 0xff));
    QPainter painter(&m_picture);
    if (const auto *graph = qobject_cast<const GraphScene *>(scene)) {
        // Straight from the layout: no item needs to exist for the overview.
        painter.setRenderHint(QPainter::Antialiasing);
        const double s = fitted.width() / m_sceneRect.width();
        painter.scale(s, s);
        painter.translate(-m_sceneRect.topLeft());
        graph->drawOverview(&painter, m_sceneRect, true);
    } else {
        scene->render(&painter, QRectF(QPointF(0, 0), fitted), m_sceneRect, Qt::KeepAspectRatio);
    }
    painter.end();
    show();
    raise();
    update();
}

QRectF MiniMap::pictureRect() const
{
    const QSizeF size = m_picture.size();
    return QRectF(QPointF((width() - size.width()) / 2, (height() - size.height()) / 2), size);
}

void MiniMap::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), QColor(255, 255, 255, 220));
    painter.setPen(QColor(0xa0, 0xa0, 0xa0));
    painter.drawRect(rect().adjusted(0, 0, -1, -1));
    if (m_picture.isNull())
        return;
    const QRectF target = pictureRect();
    painter.drawPixmap(target.topLeft(), m_picture);
    const double s = target.width() / m_sceneRect.width();
    const QRectF visible = m_view->visibleSceneRect();
    const QRectF marked((visible.left() - m_sceneRect.left()) * s + target.left(),
                        (visible.top() - m_sceneRect.top()) * s + target.top(), visible.width() * s,
                        visible.height() * s);
    painter.setPen(QPen(QColor(0x1c, 0x7e, 0xd6), 1.5));
    painter.setBrush(QColor(0x1c, 0x7e, 0xd6, 40));
    painter.drawRect(marked.intersected(target));
}

void MiniMap::centreViewAt(const QPointF &widgetPoint)
{
    if (m_picture.isNull())
        return;
    const QRectF target = pictureRect();
    const double s = m_sceneRect.width() / target.width();
    m_view->centerOn(QPointF((widgetPoint.x() - target.left()) * s + m_sceneRect.left(),
                             (widgetPoint.y() - target.top()) * s + m_sceneRect.top()));
    update();
}

void MiniMap::mousePressEvent(QMouseEvent *event)
{
    centreViewAt(event->position());
}

void MiniMap::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton)
        centreViewAt(event->position());
}

} // namespace qs::ui
