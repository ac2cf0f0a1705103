#pragma once
// Internal to ui/graph: the Graph page's state, shared by graph_page.cpp (layout, overlays,
// selection, find) and graph_page_menu.cpp (the box context menu and export).

#include "graph_page.h"
#include "model/model.h"
#include "workbench/workbench.h"

#include <QStringList>

class QCheckBox;
class QHBoxLayout;
class QProgressBar;
class QPushButton;

namespace qs::ui {

class NodeTimer;

struct GraphPage::Private
{
    Workbench *workbench = nullptr;
    JobController *job = nullptr;
    GraphScene *scene = nullptr;
    GraphView *view = nullptr;
    VariantPane *variantPane = nullptr;
    NodeTimer *timer = nullptr;
    QComboBox *overlay = nullptr;
    QLineEdit *find = nullptr;
    QCheckBox *constants = nullptr;
    QProgressBar *progress = nullptr;
    QPushButton *cancel = nullptr;
    QLabel *status = nullptr;
    QWidget *legend = nullptr;
    QHBoxLayout *legendLayout = nullptr;
    QStringList legendLabels;

    LayoutOptions options;
    OverlayData data;
    bool stale = true; // the open model has no layout yet
    bool syncing = false;
    int pendingNode = -1; // selected in the Workbench while the layout ran

    const GraphIndex *index() const
    {
        return workbench->model() ? &workbench->model()->index() : nullptr;
    }
};

} // namespace qs::ui
