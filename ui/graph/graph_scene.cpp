#include "graph_scene.h"

#include "graph_items.h"
#include "model/graph_index.h"

namespace qs::ui {

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
    m_in.clear();
    m_out.clear();
    m_layout = std::move(layout);
    if (!m_layout) {
        setSceneRect(QRectF());
        return;
    }
    const GraphLayout &l = *m_layout;
    m_in.resize(l.boxes.size());
    m_out.resize(l.boxes.size());
    // Sized before the items arrive, so the BSP tree is built once for the whole picture.
    setSceneRect(QRectF(-40, -40, l.width + 80, l.height + 80));
    m_boxes.reserve(l.boxes.size());
    for (size_t i = 0; i < l.boxes.size(); ++i) {
        auto *item = new BoxItem(l.boxes[i], static_cast<int>(i));
        addItem(item);
        m_boxes.push_back(item);
    }
    m_edges.reserve(l.edges.size());
    for (size_t i = 0; i < l.edges.size(); ++i) {
        auto *item = new EdgeItem(l.edges[i]);
        addItem(item);
        m_edges.push_back(item);
        m_out[l.edges[i].from].push_back(static_cast<int>(i));
        m_in[l.edges[i].to].push_back(static_cast<int>(i));
    }
}

BoxItem *GraphScene::boxItem(int box) const
{
    return box >= 0 && box < boxCount() ? m_boxes[box] : nullptr;
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
    for (BoxItem *item : m_boxes) {
        item->setFill(GraphOverlays::colour(overlay, item->box(), index, data));
        QStringList tip{item->title(), item->subtitle()};
        for (const QString &line :
             {item->detail(), GraphOverlays::quantizationNote(item->box(), index, data),
              GraphOverlays::measurementNote(item->box(), index, data)})
            if (!line.isEmpty())
                tip << line;
        item->setToolTip(tip.join(QLatin1Char('\n')));
    }
}

void GraphScene::markExcluded(const GraphIndex &index, const OverlayData &data)
{
    for (BoxItem *item : m_boxes) {
        if (item->box().kind != LayoutBox::Kind::Node)
            continue;
        const NodeInfo &node = index.nodes()[item->box().nodeId];
        item->setExcluded(data.excludedNodes.contains(QString::fromStdString(node.displayName))
                          || data.excludedOpTypes.contains(QString::fromStdString(node.opType)));
    }
}

} // namespace qs::ui
