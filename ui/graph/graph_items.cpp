#include "graph_items.h"

#include <QFontMetricsF>
#include <QLineF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace qs::ui {

namespace {

// Below these scales text is too small to read and skipped.
constexpr qreal kBoxTextLod = 0.35;
constexpr qreal kEdgeLabelLod = 0.7;

const QFont &titleFont()
{
    static const QFont font = [] {
        QFont f;
        f.setPixelSize(11);
        f.setBold(true);
        return f;
    }();
    return font;
}

const QFont &smallFont()
{
    static const QFont font = [] {
        QFont f;
        f.setPixelSize(9);
        return f;
    }();
    return font;
}

} // namespace

BoxItem::BoxItem(const LayoutBox &box, int index)
    : m_box(box)
    , m_index(index)
    , m_rect(-box.width / 2, -box.height / 2, box.width, box.height)
    , m_title(QString::fromStdString(box.title))
    , m_subtitle(subtitleOf(box))
    , m_detail(QString::fromStdString(box.detail))
    , m_fill(Qt::lightGray)
{
    setPos(box.x, box.y);
    setFlag(ItemIsSelectable);
    setZValue(boxZ(box));
    QString tip = m_title;
    if (!m_subtitle.isEmpty())
        tip += QLatin1Char('\n') + m_subtitle;
    if (!m_detail.isEmpty())
        tip += QLatin1Char('\n') + m_detail;
    setToolTip(tip);
}

QString BoxItem::subtitleOf(const LayoutBox &box)
{
    if (box.kind != LayoutBox::Kind::Group)
        return QString::fromStdString(box.subtitle);
    QString subtitle = tr("%n op(s)", nullptr, static_cast<int>(box.members.size()));
    if (box.identicalGroups > 0)
        subtitle += tr(", 1 of %1 identical").arg(box.identicalGroups + 1);
    return subtitle;
}

QRectF BoxItem::boundingRect() const
{
    return m_rect.adjusted(-3, -3, 3, 3); // the selection outline
}

void BoxItem::setFill(const QColor &fill)
{
    if (fill == m_fill)
        return;
    m_fill = fill;
    update();
}

void BoxItem::setExcluded(bool excluded)
{
    if (excluded == m_excluded)
        return;
    m_excluded = excluded;
    update();
}

void BoxItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const bool group = m_box.kind == LayoutBox::Kind::Group;
    QPen pen(m_fill.darker(170), group ? 2 : 1);
    pen.setCosmetic(lod < 1);
    if (m_excluded) {
        pen = QPen(QColor(0xc9, 0x2a, 0x2a), 2.5, Qt::DashLine);
    }
    if (isSelected()) {
        pen = QPen(QColor(0x1c, 0x7e, 0xd6), 3);
    }
    painter->setPen(pen);
    painter->setBrush(m_fill);
    if (lod < kBoxTextLod) {
        painter->drawRect(m_rect);
        return;
    }
    if (m_box.expanded) {
        paintSections(painter);
        return;
    }
    const qreal radius = m_box.kind == LayoutBox::Kind::Node || group ? 4 : 14;
    painter->drawRoundedRect(m_rect, radius, radius);
    if (group) { // a second outline: a box that holds boxes
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(m_rect.adjusted(3, 3, -3, -3), radius, radius);
    }
    if (m_box.identicalGroups > 0) { // a repeated block: a purple corner mark
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0x86, 0x3b, 0xd6));
        const QPointF corner = m_rect.topRight();
        painter->drawPolygon(QPolygonF{corner, corner + QPointF(-12, 0), corner + QPointF(0, 12)});
    }

    painter->setPen(m_fill.lightness() < 110 ? Qt::white : Qt::black);
    const QRectF text = m_rect.adjusted(6, 3, -6, -3);
    const qreal lineHeight = m_box.detail.empty() ? text.height() / 2 : text.height() / 3;
    QRectF line(text.left(), text.top(), text.width(), lineHeight);
    painter->setFont(titleFont());
    painter->drawText(line, Qt::AlignCenter,
                      QFontMetricsF(titleFont()).elidedText(m_title, Qt::ElideMiddle, line.width()));
    painter->setFont(smallFont());
    const QFontMetricsF small(smallFont());
    line.translate(0, lineHeight);
    painter->drawText(line, Qt::AlignCenter,
                      small.elidedText(m_subtitle, Qt::ElideMiddle, line.width()));
    if (!m_box.detail.empty()) {
        line.translate(0, lineHeight);
        painter->drawText(line, Qt::AlignCenter,
                          small.elidedText(m_detail, Qt::ElideRight, line.width()));
    }
}

void BoxItem::paintSections(QPainter *painter)
{
    // The box holds its subgraphs: its title on top, a pale frame per subgraph with its name.
    painter->drawRoundedRect(m_rect, 6, 6);
    painter->setPen(m_fill.lightness() < 110 ? Qt::white : Qt::black);
    painter->setFont(titleFont());
    const QRectF header(m_rect.left() + 8, m_rect.top() + 4, m_rect.width() - 16, 16);
    painter->drawText(header, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetricsF(titleFont())
                          .elidedText(m_title + QStringLiteral("  ") + m_subtitle, Qt::ElideMiddle,
                                      header.width()));
    painter->setFont(smallFont());
    painter->drawText(header.translated(0, 15), Qt::AlignLeft | Qt::AlignVCenter,
                      tr("%n subgraph(s), right-click to close", nullptr,
                         static_cast<int>(m_box.sections.size())));
    for (const LayoutSection &section : m_box.sections) {
        const QRectF frame
            = QRectF(section.x, section.y, section.width, section.height).translated(-pos());
        painter->setPen(QPen(m_fill.darker(150), 1, Qt::DashLine));
        painter->setBrush(QColor(255, 255, 255, 200));
        painter->drawRect(frame);
        painter->setPen(QColor(0x40, 0x40, 0x40));
        painter->drawText(frame.adjusted(6, 2, -6, 0), Qt::AlignLeft | Qt::AlignTop,
                          QString::fromStdString(section.title));
    }
}

EdgeItem::EdgeItem(const LayoutEdge &edge, int depth)
    : m_edge(edge)
{
    setZValue(BoxItem::edgeZ(depth));
    const auto &p = edge.path;
    if (!p.empty()) {
        m_path.moveTo(p[0].x, p[0].y);
        for (size_t i = 1; i + 2 < p.size(); i += 3)
            m_path.cubicTo(p[i].x, p[i].y, p[i + 1].x, p[i + 1].y, p[i + 2].x, p[i + 2].y);
        const QPointF base(p.back().x, p.back().y);
        const QPointF tip(edge.arrowTip.x, edge.arrowTip.y);
        QLineF axis(tip, base);
        if (axis.length() < 1 && p.size() >= 2)
            axis = QLineF(tip, QPointF(p[p.size() - 2].x, p[p.size() - 2].y));
        if (axis.length() > 0) {
            axis.setLength(8);
            QLineF left = axis;
            left.setAngle(axis.angle() + 25);
            QLineF right = axis;
            right.setAngle(axis.angle() - 25);
            m_arrow << tip << left.p2() << right.p2();
        }
        m_labelAt = m_path.pointAtPercent(0.5);
    }
    m_bounds = m_path.boundingRect().united(m_arrow.boundingRect()).adjusted(-4, -4, 4, 4);
    if (!edge.label.empty())
        m_bounds = m_bounds.united(QRectF(m_labelAt, QSizeF(edge.label.size() * 5.5 + 8, 12)));
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    QPen pen(QColor(0x70, 0x70, 0x70), 1);
    pen.setCosmetic(true);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    if (lod < kBoxTextLod / 2)
        return;
    painter->setBrush(pen.color());
    painter->drawPolygon(m_arrow);
    if (lod < kEdgeLabelLod || m_edge.label.empty())
        return;
    painter->setFont(smallFont());
    painter->setPen(QColor(0x50, 0x50, 0x50));
    painter->drawText(m_labelAt + QPointF(4, 9), QString::fromStdString(m_edge.label));
}

} // namespace qs::ui
