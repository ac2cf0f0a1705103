#pragma once
// Two graph views that look at the same place: the FP32 model and a quantized variant side by
// side. The views' pictures are laid out separately (the variant's boxes are a little wider,
// a few nodes exist on one side only), so positions are not shared: when one view zooms or
// pans, the other takes its zoom and puts the counterpart of the box nearest the first view's
// centre (the nearest box that has one) at the same offset from its own centre. Which box is
// whose counterpart the owner says with two maps.

#include <QObject>

#include <functional>

namespace qs::ui {

class GraphView;

class PaneSync : public QObject
{
    Q_OBJECT

public:
    // Box index in one scene -> its counterpart in the other scene's, -1 when none.
    using BoxMap = std::function<int(int box)>;

    PaneSync(GraphView *left, GraphView *right, QObject *parent = nullptr);

    void setBoxMaps(BoxMap leftToRight, BoxMap rightToLeft);
    void setEnabled(bool enabled) { m_enabled = enabled; }
    // Moves `right` to where `left` looks (after a new layout of either).
    void alignRightToLeft() { follow(m_left, m_right, m_leftToRight); }

private:
    void follow(GraphView *from, GraphView *to, const BoxMap &map);

    GraphView *m_left;
    GraphView *m_right;
    BoxMap m_leftToRight;
    BoxMap m_rightToLeft;
    bool m_enabled = false;
    bool m_following = false; // the move made here comes back as a signal of `to`
};

} // namespace qs::ui
