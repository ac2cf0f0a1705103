#include "pane_sync.h"

#include "graph_scene.h"
#include "graph_view.h"

#include <limits>

namespace qs::ui {

PaneSync::PaneSync(GraphView *left, GraphView *right, QObject *parent)
    : QObject(parent)
    , m_left(left)
    , m_right(right)
{
    connect(left, &GraphView::viewMoved, this, [this] { follow(m_left, m_right, m_leftToRight); });
    connect(right, &GraphView::viewMoved, this, [this] { follow(m_right, m_left, m_rightToLeft); });
}

void PaneSync::setBoxMaps(BoxMap leftToRight, BoxMap rightToLeft)
{
    m_leftToRight = std::move(leftToRight);
    m_rightToLeft = std::move(rightToLeft);
}

void PaneSync::follow(GraphView *from, GraphView *to, const BoxMap &map)
{
    auto *fromScene = qobject_cast<GraphScene *>(from->scene());
    auto *toScene = qobject_cast<GraphScene *>(to->scene());
    if (!m_enabled || m_following || !map || !fromScene || !toScene)
        return;
    const QPointF centre = from->visibleSceneRect().center();
    // Positions come from the layouts: the items near the centre may not exist yet.
    auto position = [](const GraphScene *scene, int box) {
        const LayoutBox *b = scene->layoutBox(box);
        return QPointF(b->x, b->y);
    };
    int anchor = -1, counterpart = -1;
    double nearest = std::numeric_limits<double>::max();
    for (int box = 0; box < fromScene->boxCount(); ++box) {
        const QPointF offset = position(fromScene, box) - centre;
        const double distance = QPointF::dotProduct(offset, offset);
        if (distance >= nearest)
            continue;
        const int other = map(box);
        if (!toScene->layoutBox(other))
            continue;
        nearest = distance;
        anchor = box;
        counterpart = other;
    }
    m_following = true;
    if (to->zoom() != from->zoom())
        to->setZoom(from->zoom());
    if (anchor >= 0)
        to->centerOn(position(toScene, counterpart) + (centre - position(fromScene, anchor)));
    m_following = false;
}

} // namespace qs::ui
