#include "graph_scene.h"

#include "graph_items.h"
#include "model/graph_index.h"

#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace qs::ui {

namespace {

// Cells of the lookup grid at most; a larger picture gets larger cells.
constexpr double kMaxCells = 1 << 20;
// Below this scale edges are drawn straight and boxes as batched rectangles: nobody can tell
// a spline from its chord at 5 %, and batching keeps a fitted 20,000-box picture fast.
constexpr double kStraightEdgesBelow = 0.05;

QRectF boundsOf(const LayoutBox &box)
{
    return QRectF(box.x - box.width / 2 - 3, box.y - box.height / 2 - 3, box.width + 6,
                  box.height + 6);
}

QRectF boundsOf(const LayoutEdge &edge)
{
    if (edge.path.empty())
        return {};
    double left = edge.arrowTip.x, right = left, top = edge.arrowTip.y, bottom = top;
    for (const LayoutPoint &p : edge.path) {
        left = std::min(left, p.x);
        right = std::max(right, p.x);
        top = std::min(top, p.y);
        bottom = std::max(bottom, p.y);
    }
    // The label starts at the middle of the spline and runs right (EdgeItem).
    const double label = edge.label.empty() ? 0 : edge.label.size() * 5.5 + 12;
    return QRectF(QPointF(left - 8, top - 8), QPointF(right + 8 + label, bottom + 16));
}

QPainterPath pathOf(const LayoutEdge &edge)
{
    QPainterPath path;
    const auto &p = edge.path;
    path.moveTo(p[0].x, p[0].y);
    for (size_t i = 1; i + 2 < p.size(); i += 3)
        path.cubicTo(p[i].x, p[i].y, p[i + 1].x, p[i + 1].y, p[i + 2].x, p[i + 2].y);
    return path;
}

} // namespace

GraphScene::GraphScene(QObject *parent)
    : QGraphicsScene(parent)
{
    setItemIndexMethod(BspTreeIndex);
}

void GraphScene::setGraphLayout(std::shared_ptr<const GraphLayout> layout)
{
    clearSelection();
    clear(); // deletes the items before the layout they point into goes
    m_boxes.clear();
    m_edges.clear();
    m_allBoxes.clear();
    m_createdBoxes = m_createdEdges = 0;
    m_in.clear();
    m_out.clear();
    m_cells.clear();
    m_createdRegion = QRectF();
    m_layout = std::move(layout);
    if (!m_layout) {
        setSceneRect(QRectF());
        return;
    }
    const GraphLayout &l = *m_layout;
    const size_t boxes = l.boxes.size();
    m_boxes.assign(boxes, nullptr);
    m_edges.assign(l.edges.size(), nullptr);
    m_in.resize(boxes);
    m_out.resize(boxes);
    m_fills.assign(boxes, QColor(Qt::lightGray));
    m_tips.assign(boxes, QString());
    m_excluded.assign(boxes, 0);
    m_boxMark.assign(boxes, 0);
    m_edgeMark.assign(l.edges.size(), 0);
    for (size_t i = 0; i < l.edges.size(); ++i) {
        m_out[l.edges[i].from].push_back(static_cast<int>(i));
        m_in[l.edges[i].to].push_back(static_cast<int>(i));
    }
    // Sized once for the whole picture, so the BSP tree never grows as items arrive.
    setSceneRect(QRectF(-40, -40, l.width + 80, l.height + 80));
    buildGrid();
}

QRectF GraphScene::pictureRect() const
{
    return sceneRect();
}

void GraphScene::buildGrid()
{
    const GraphLayout &l = *m_layout;
    const QRectF area = sceneRect();
    m_cellSize = std::max(512.0, std::sqrt(area.width() * area.height() / kMaxCells));
    m_columns = std::max(1, static_cast<int>(std::ceil(area.width() / m_cellSize)));
    m_rows = std::max(1, static_cast<int>(std::ceil(area.height() / m_cellSize)));
    m_cells.assign(static_cast<size_t>(m_columns) * m_rows, Cell{});
    m_boxBounds.resize(l.boxes.size());
    m_edgeBounds.resize(l.edges.size());
    auto insert = [&](const QRectF &bounds, auto member) {
        const int c0 = std::clamp(int((bounds.left() - area.left()) / m_cellSize), 0, m_columns - 1);
        const int c1 = std::clamp(int((bounds.right() - area.left()) / m_cellSize), 0,
                                  m_columns - 1);
        const int r0 = std::clamp(int((bounds.top() - area.top()) / m_cellSize), 0, m_rows - 1);
        const int r1 = std::clamp(int((bounds.bottom() - area.top()) / m_cellSize), 0, m_rows - 1);
        for (int r = r0; r <= r1; ++r)
            for (int c = c0; c <= c1; ++c)
                member(m_cells[static_cast<size_t>(r) * m_columns + c]);
    };
    for (size_t i = 0; i < l.boxes.size(); ++i) {
        m_boxBounds[i] = boundsOf(l.boxes[i]);
        insert(m_boxBounds[i], [i](Cell &cell) { cell.boxes.push_back(static_cast<int>(i)); });
    }
    for (size_t i = 0; i < l.edges.size(); ++i) {
        m_edgeBounds[i] = boundsOf(l.edges[i]);
        if (!m_edgeBounds[i].isEmpty())
            insert(m_edgeBounds[i], [i](Cell &cell) { cell.edges.push_back(static_cast<int>(i)); });
    }
}

// Calls visit(isBox, index) once for every box and edge whose bounds meet `region`.
template<typename Visit>
void GraphScene::forEachInRegion(const QRectF &region, Visit visit) const
{
    if (!m_layout || m_cells.empty())
        return;
    const QRectF area = sceneRect();
    const QRectF r = region.intersected(area);
    if (r.isEmpty())
        return;
    if (++m_mark == 0) { // wrapped: old marks could match again
        std::fill(m_boxMark.begin(), m_boxMark.end(), 0);
        std::fill(m_edgeMark.begin(), m_edgeMark.end(), 0);
        m_mark = 1;
    }
    const int c0 = std::clamp(int((r.left() - area.left()) / m_cellSize), 0, m_columns - 1);
    const int c1 = std::clamp(int((r.right() - area.left()) / m_cellSize), 0, m_columns - 1);
    const int r0 = std::clamp(int((r.top() - area.top()) / m_cellSize), 0, m_rows - 1);
    const int r1 = std::clamp(int((r.bottom() - area.top()) / m_cellSize), 0, m_rows - 1);
    for (int row = r0; row <= r1; ++row) {
        for (int column = c0; column <= c1; ++column) {
            const Cell &cell = m_cells[static_cast<size_t>(row) * m_columns + column];
            for (int e : cell.edges) {
                if (m_edgeMark[e] == m_mark)
                    continue;
                m_edgeMark[e] = m_mark;
                if (m_edgeBounds[e].intersects(region))
                    visit(false, e);
            }
            for (int b : cell.boxes) {
                if (m_boxMark[b] == m_mark)
                    continue;
                m_boxMark[b] = m_mark;
                if (m_boxBounds[b].intersects(region))
                    visit(true, b);
            }
        }
    }
}

const LayoutBox *GraphScene::layoutBox(int box) const
{
    return box >= 0 && box < boxCount() ? &m_layout->boxes[box] : nullptr;
}

BoxItem *GraphScene::createBoxItem(int box)
{
    auto *item = new BoxItem(m_layout->boxes[box], box);
    item->setFill(m_fills[box]);
    item->setExcluded(m_excluded[box]);
    if (!m_tips[box].isEmpty())
        item->setToolTip(m_tips[box]);
    addItem(item);
    m_boxes[box] = item;
    ++m_createdBoxes;
    return item;
}

void GraphScene::createEdgeItem(int edge)
{
    const LayoutEdge &e = m_layout->edges[edge];
    auto *item = new EdgeItem(e, m_layout->boxes[e.from].depth);
    addItem(item);
    m_edges[edge] = item;
    ++m_createdEdges;
}

BoxItem *GraphScene::boxItem(int box)
{
    if (box < 0 || box >= boxCount())
        return nullptr;
    return m_boxes[box] ? m_boxes[box] : createBoxItem(box);
}

const std::vector<BoxItem *> &GraphScene::boxItems()
{
    if (m_layout && m_createdBoxes < boxCount())
        createItemsIn(sceneRect());
    m_allBoxes = m_boxes;
    return m_allBoxes;
}

void GraphScene::createItemsIn(const QRectF &region)
{
    if (!m_layout || m_createdRegion.contains(region))
        return;
    forEachInRegion(region, [this](bool isBox, int i) {
        if (isBox && !m_boxes[i])
            createBoxItem(i);
        else if (!isBox && !m_edges[i])
            createEdgeItem(i);
    });
    m_createdRegion = region.contains(m_createdRegion) ? region : m_createdRegion;
    if (m_createdRegion.isEmpty())
        m_createdRegion = region;
}

int GraphScene::boxAt(const QPointF &scenePos) const
{
    int found = -1;
    forEachInRegion(QRectF(scenePos, QSizeF(0.01, 0.01)), [&](bool isBox, int i) {
        if (!isBox)
            return;
        const LayoutBox &box = m_layout->boxes[i];
        if (std::abs(scenePos.x() - box.x) <= box.width / 2
            && std::abs(scenePos.y() - box.y) <= box.height / 2
            && (found < 0 || box.depth > m_layout->boxes[found].depth))
            found = i;
    });
    return found;
}

void GraphScene::drawBackground(QPainter *painter, const QRectF &rect)
{
    QGraphicsScene::drawBackground(painter, rect);
    drawOverview(painter, rect);
}

void GraphScene::drawOverview(QPainter *painter, const QRectF &exposed, bool everything) const
{
    const qreal lod
        = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    if (!m_layout || (lod >= kItemsFromZoom && !everything))
        return;
    std::vector<int> boxes, edges;
    forEachInRegion(exposed, [&](bool isBox, int i) {
        if (isBox && (everything || !m_boxes[i]))
            boxes.push_back(i);
        else if (!isBox && (everything || !m_edges[i]))
            edges.push_back(i);
    });
    const auto &l = *m_layout;
    painter->save();
    // As the items paint themselves at this scale: edges under boxes, subgraphs over the box
    // that holds them.
    std::stable_sort(boxes.begin(), boxes.end(),
                     [&](int a, int b) { return l.boxes[a].depth < l.boxes[b].depth; });
    QPen edgePen(QColor(0x70, 0x70, 0x70), 1);
    edgePen.setCosmetic(true);
    painter->setPen(edgePen);
    painter->setBrush(Qt::NoBrush);
    if (lod < kStraightEdgesBelow) {
        std::vector<QLineF> lines;
        lines.reserve(edges.size());
        for (int e : edges) {
            const LayoutEdge &edge = l.edges[e];
            lines.emplace_back(edge.path.front().x, edge.path.front().y, edge.arrowTip.x,
                               edge.arrowTip.y);
        }
        painter->drawLines(lines.data(), static_cast<int>(lines.size()));
    } else {
        for (int e : edges)
            painter->drawPath(pathOf(l.edges[e]));
    }
    // Boxes by fill and outline, batched: one drawRects per colour.
    std::unordered_map<QRgb, std::vector<QRectF>> byFill;
    std::vector<QRectF> excluded;
    for (int b : boxes) {
        const LayoutBox &box = l.boxes[b];
        const QRectF rect(box.x - box.width / 2, box.y - box.height / 2, box.width, box.height);
        byFill[m_fills[b].rgba()].push_back(rect);
        if (m_excluded[b])
            excluded.push_back(rect);
    }
    for (const auto &[rgba, rects] : byFill) {
        const QColor fill = QColor::fromRgba(rgba);
        QPen pen(fill.darker(170), 1);
        pen.setCosmetic(true);
        painter->setPen(pen);
        painter->setBrush(fill);
        painter->drawRects(rects.data(), static_cast<int>(rects.size()));
    }
    if (!excluded.empty()) {
        painter->setPen(QPen(QColor(0xc9, 0x2a, 0x2a), 2.5, Qt::DashLine));
        painter->setBrush(Qt::NoBrush);
        painter->drawRects(excluded.data(), static_cast<int>(excluded.size()));
    }
    painter->restore();
}

int GraphScene::boxOfNode(int nodeId) const
{
    if (!m_layout || nodeId < 0 || nodeId >= static_cast<int>(m_layout->boxOfNode.size()))
        return -1;
    return m_layout->boxOfNode[nodeId];
}

int GraphScene::selectedBox() const
{
    const QList<QGraphicsItem *> selected = selectedItems();
    if (selected.size() != 1 || selected.front()->type() != BoxItem::Type)
        return -1;
    return static_cast<BoxItem *>(selected.front())->boxIndex();
}

std::vector<int> GraphScene::producers(int box) const
{
    std::vector<int> boxes;
    if (box >= 0 && box < boxCount())
        for (int e : m_in[box])
            boxes.push_back(m_layout->edges[e].from);
    return boxes;
}

std::vector<int> GraphScene::consumers(int box) const
{
    std::vector<int> boxes;
    if (box >= 0 && box < boxCount())
        for (int e : m_out[box])
            boxes.push_back(m_layout->edges[e].to);
    return boxes;
}

std::vector<int> GraphScene::find(const QString &text, const GraphIndex &index) const
{
    std::vector<int> matches;
    if (!m_layout || text.isEmpty())
        return matches;
    auto nodeMatches = [&](int id) {
        const NodeInfo &node = index.nodes()[id];
        return QString::fromStdString(node.displayName).contains(text, Qt::CaseInsensitive)
               || QString::fromStdString(node.opType).compare(text, Qt::CaseInsensitive) == 0;
    };
    for (size_t i = 0; i < m_layout->boxes.size(); ++i) {
        const LayoutBox &box = m_layout->boxes[i];
        bool match = false;
        switch (box.kind) {
        case LayoutBox::Kind::Node: match = nodeMatches(box.nodeId); break;
        case LayoutBox::Kind::Group:
            match = QString::fromStdString(box.group).contains(text, Qt::CaseInsensitive);
            for (size_t m = 0; !match && m < box.members.size(); ++m)
                match = nodeMatches(box.members[m]);
            break;
        case LayoutBox::Kind::Input:
        case LayoutBox::Kind::Output:
            match = QString::fromStdString(box.title).contains(text, Qt::CaseInsensitive);
            break;
        }
        if (match)
            matches.push_back(static_cast<int>(i));
    }
    return matches;
}

void GraphScene::paint(GraphOverlay overlay, const GraphIndex &index, const OverlayData &data)
{
    if (!m_layout)
        return;
    for (int b = 0; b < boxCount(); ++b) {
        const LayoutBox &box = m_layout->boxes[b];
        m_fills[b] = GraphOverlays::colour(overlay, box, index, data);
        QStringList tip{QString::fromStdString(box.title), BoxItem::subtitleOf(box)};
        for (const QString &line :
             {QString::fromStdString(box.detail), GraphOverlays::quantizationNote(box, index, data),
              GraphOverlays::measurementNote(box, index, data)})
            if (!line.isEmpty())
                tip << line;
        m_tips[b] = tip.join(QLatin1Char('\n'));
        if (BoxItem *item = m_boxes[b]) {
            item->setFill(m_fills[b]);
            item->setToolTip(m_tips[b]);
        }
    }
    update(); // the overview is painted from m_fills
}

void GraphScene::markExcluded(const GraphIndex &index, const OverlayData &data)
{
    if (!m_layout)
        return;
    for (int b = 0; b < boxCount(); ++b) {
        const LayoutBox &box = m_layout->boxes[b];
        if (box.kind != LayoutBox::Kind::Node)
            continue;
        const NodeInfo &node = index.nodes()[box.nodeId];
        m_excluded[b] = data.excludedNodes.contains(QString::fromStdString(node.displayName))
                        || data.excludedOpTypes.contains(QString::fromStdString(node.opType));
        if (BoxItem *item = m_boxes[b])
            item->setExcluded(m_excluded[b]);
    }
    update();
}

QColor GraphScene::boxFill(int box) const
{
    return box >= 0 && box < boxCount() ? m_fills[box] : QColor();
}

bool GraphScene::isBoxExcluded(int box) const
{
    return box >= 0 && box < boxCount() && m_excluded[box];
}

} // namespace qs::ui
