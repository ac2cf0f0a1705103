// The Graph page's box context menu (producers, consumers, keep in float, groups, copy name)
// and its SVG/PNG export.
#include "graph_export.h"
#include "graph_items.h"
#include "graph_page_private.h"
#include "graph_scene.h"
#include "graph_view.h"
#include "model/graph_index.h"
#include "workbench/exclusion_actions.h"
#include "workbench/settings.h"
#include "workbench/translated_text.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>

namespace qs::ui {

QMenu *GraphPage::createContextMenu(int box, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    BoxItem *item = d->scene->boxItem(box);
    const GraphIndex *index = d->index();
    if (!item || !index)
        return menu;
    const LayoutBox &b = item->box();
    const auto &boxes = graphLayout()->boxes;
    auto describe = [&](int other) {
        const LayoutBox &o = boxes[other];
        return o.kind == LayoutBox::Kind::Node
                   ? QStringLiteral("%1 (%2)").arg(QString::fromStdString(o.subtitle),
                                                   QString::fromStdString(o.title))
                   : QString::fromStdString(o.title);
    };
    QMenu *producers = menu->addMenu(tr("Go to producer"));
    for (int p : d->scene->producers(box))
        producers->addAction(describe(p), this, [this, p] { selectBox(p); });
    producers->setEnabled(!producers->isEmpty());
    QMenu *consumers = menu->addMenu(tr("Go to consumer"));
    for (int c : d->scene->consumers(box))
        consumers->addAction(describe(c), this, [this, c] { selectBox(c); });
    consumers->setEnabled(!consumers->isEmpty());
    menu->addSeparator();

    if (b.kind == LayoutBox::Kind::Node) {
        const NodeInfo &node = index->nodes()[b.nodeId];
        const QString name = QString::fromStdString(node.displayName);
        addExclusionActions(*menu, *d->workbench, name, QString::fromStdString(node.opType));
        // The innermost expanded group this node belongs to can be folded back.
        std::string group = b.group;
        while (!group.empty() && !d->options.expanded.count(group))
            group = group.substr(0, group.rfind('/') == std::string::npos ? 0 : group.rfind('/'));
        if (!group.empty()) {
            const QString path = QString::fromStdString(group);
            menu->addAction(tr("Collapse group %1").arg(path), this,
                            [this, path] { collapseGroup(path); });
        }
        if (!node.subgraphs.empty()) {
            if (b.expanded)
                menu->addAction(tr("Close subgraphs"), this,
                                [this, name] { collapseSubgraphs(name); });
            else
                menu->addAction(tr("Expand subgraphs in place"), this,
                                [this, name] { expandSubgraphs(name); });
        }
        // Inside a subgraph: its owner's box can be closed from here too.
        if (b.container >= 0) {
            const LayoutBox &owner = boxes[b.container];
            const QString ownerName = QString::fromStdString(owner.subtitle);
            menu->addAction(tr("Close subgraphs of %1").arg(ownerName), this,
                            [this, ownerName] { collapseSubgraphs(ownerName); });
        }
        menu->addSeparator();
        menu->addAction(tr("Copy name"), menu, [name] { QApplication::clipboard()->setText(name); });
    } else if (b.kind == LayoutBox::Kind::Group) {
        const QString path = QString::fromStdString(b.group);
        menu->addAction(tr("Expand group"), this, [this, path] { expandGroup(path); });
        if (path.contains(QLatin1Char('/'))) {
            const QString parentPath = path.left(path.lastIndexOf(QLatin1Char('/')));
            if (d->options.expanded.count(parentPath.toStdString()))
                menu->addAction(tr("Collapse group %1").arg(parentPath), this,
                                [this, parentPath] { collapseGroup(parentPath); });
        }
    }
    return menu;
}

QString GraphPage::exportPicture(const QString &path, bool visibleRegionOnly)
{
    const QRectF source = visibleRegionOnly ? d->view->visibleSceneRect()
                                            : d->scene->pictureRect().adjusted(20, 20, -20, -20);
    return exportGraphPicture(d->scene, source, path);
}

void GraphPage::askExport(bool visibleRegionOnly)
{
    QString path = QFileDialog::getSaveFileName(this,
                                                visibleRegionOnly ? tr("Export Visible Region")
                                                                  : tr("Export Graph"),
                                                d->workbench->dialogFolder(settings::Folder::Export),
                                                tr("SVG pictures (*.svg);;PNG pictures (*.png)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".svg");
    d->workbench->rememberDialogFolder(settings::Folder::Export, path);
    const QString error = exportPicture(path, visibleRegionOnly);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export failed"), error);
    else
        setTranslatedText(d->status, [path] { return tr("Exported %1").arg(path); });
}

} // namespace qs::ui
