#include "graph_page.h"

#include "graph_export.h"
#include "graph_items.h"
#include "graph_page_private.h"
#include "graph_profile.h"
#include "graph_scene.h"
#include "graph_view.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "variant_pane.h"
#include "workbench/job_controller.h"
#include "workbench/settings.h"
#include "workbench/translated_text.h"
#include "workbench/workbench.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace qs::ui {

GraphPage::GraphPage(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->workbench = workbench;
    d->job = new JobController(workbench, this, JobController::Runs::OnAnyThread,
                               JobController::WhenBusy::Supersede);
    d->scene = new GraphScene(this);
    d->view = new GraphView(d->scene, this);
    d->view->setContextMenuPolicy(Qt::CustomContextMenu);
    d->variantPane = new VariantPane(workbench, d->scene, d->view, this);
    d->timer = new NodeTimer(workbench, this);

    d->overlay = new QComboBox;
    d->overlay->setObjectName(QStringLiteral("graphOverlay"));
    for (GraphOverlay o : {GraphOverlay::OpType, GraphOverlay::Quantization, GraphOverlay::Sqnr,
                           GraphOverlay::Time, GraphOverlay::Sensitivity})
        addTranslatedItem(
            d->overlay, [o] { return GraphOverlays::name(o); }, static_cast<int>(o));
    d->find = new QLineEdit;
    d->find->setObjectName(QStringLiteral("graphFind"));
    setTranslatedPlaceholder(d->find,
                             [] { return tr("Find node by name or op type (Enter: next)"); });
    d->find->setClearButtonEnabled(true);
    auto *fit = new QToolButton;
    setTranslatedText(fit, [] { return tr("Fit"); });
    setTranslatedToolTip(fit, [] { return tr("Show the whole graph (Ctrl+0); Ctrl+1: 100 %"); });
    auto *exportButton = new QToolButton;
    setTranslatedText(exportButton, [] { return tr("Export"); });
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    QAction *exportWhole = exportMenu->addAction(QString(), this, [this] { askExport(false); });
    QAction *exportVisible = exportMenu->addAction(QString(), this, [this] { askExport(true); });
    keepTranslated(exportButton, QStringLiteral("exportActions"), [exportWhole, exportVisible] {
        exportWhole->setText(tr("Whole graph as SVG or PNG..."));
        exportVisible->setText(tr("Visible region as SVG or PNG..."));
    });
    exportButton->setMenu(exportMenu);
    d->constants = translated<QCheckBox>([] { return tr("Constant nodes"); });
    setTranslatedToolTip(d->constants, [] {
        return tr("Draw Constant nodes; hidden, they are folded into their readers");
    });
    d->progress = new QProgressBar;
    d->progress->setMaximumWidth(160);
    d->progress->hide();
    d->cancel = translated<QPushButton>([] { return tr("Cancel"); });
    d->cancel->hide();
    d->status = new QLabel;
    d->status->setObjectName(QStringLiteral("graphStatus"));

    auto *top = new QHBoxLayout;
    top->addWidget(translated<QLabel>([] { return tr("Colour by:"); }));
    top->addWidget(d->overlay);
    top->addWidget(d->find, 1);
    top->addWidget(new QLabel(tr("Beside:")));
    top->addWidget(d->variantPane->selector());
    top->addWidget(fit);
    top->addWidget(exportButton);
    top->addWidget(d->constants);
    top->addWidget(d->progress);
    top->addWidget(d->cancel);
    d->legend = new QWidget;
    d->legend->setObjectName(QStringLiteral("graphLegend"));
    d->legendLayout = new QHBoxLayout(d->legend);
    d->legendLayout->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    auto *panes = new QSplitter;
    panes->addWidget(d->view);
    panes->addWidget(d->variantPane);
    layout->addWidget(panes, 1);
    layout->addWidget(d->legend);
    layout->addWidget(d->status);

    connect(d->overlay, &QComboBox::currentIndexChanged, this, [this] {
        // Time is measured when first asked for: a profile runs the models.
        if (overlay() == GraphOverlay::Time && d->data.timeScaleMs <= 0
            && !d->timer->job()->isRunning())
            measureTimes();
        recolour();
    });
    connect(d->timer, &NodeTimer::measured, this, &GraphPage::onTimesMeasured);
    connect(d->variantPane, &VariantPane::referenceNodeSelected, workbench, &Workbench::selectNode);
    connect(d->variantPane, &VariantPane::laidOut, this, [this] {
        // The variant drawn after the models were timed: time it too.
        if (overlay() == GraphOverlay::Time && d->data.timeScaleMs > 0)
            measureTimes();
        // The FP32 pane's SQNR is the error of the variant now beside it.
        if (overlay() == GraphOverlay::Sqnr && !d->data.sqnrByVariant.isEmpty())
            recolour();
        emit variantLaidOut();
    });
    connect(d->find, &QLineEdit::returnPressed, this, [this] { findNext(d->find->text()); });
    connect(fit, &QToolButton::clicked, d->view, &GraphView::fitAll);
    connect(d->constants, &QCheckBox::toggled, this, &GraphPage::setShowConstants);
    connect(d->cancel, &QPushButton::clicked, d->job, &JobController::cancel);
    connect(d->job, &JobController::progressChanged, this,
            [this](int permille, const QString &step, int) {
                d->progress->setRange(0, permille < 0 ? 0 : 1000);
                d->progress->setValue(std::max(permille, 0));
                // JobController words the step in the current language at every poll.
                setTranslatedText(d->status, [step] { return step; });
            });
    connect(d->job, &JobController::finished, this, [this](const QString &, bool cancelled) {
        d->progress->hide();
        d->cancel->hide();
        if (cancelled)
            setTranslatedText(d->status, [] {
                return tr("Layout cancelled; change an option or reopen the page to lay out "
                          "again.");
            });
    });
    connect(d->scene, &QGraphicsScene::selectionChanged, this, &GraphPage::onSceneSelectionChanged);
    connect(d->view, &GraphView::stepRequested, this, &GraphPage::stepAlongFlow);
    connect(d->view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        // From the layout: zoomed out, the box may have no item.
        const int box = d->scene->boxAt(d->view->mapToScene(pos));
        if (box < 0)
            return;
        QMenu *menu = createContextMenu(box, this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(d->view->viewport()->mapToGlobal(pos));
    });
    connect(workbench, &Workbench::modelChanged, this, &GraphPage::onModelChanged);
    connect(workbench, &Workbench::nodeSelected, this, &GraphPage::onWorkbenchSelection);
    connect(workbench, &Workbench::exclusionsChanged, this, [this] {
        const QStringList nodes = d->workbench->excludedNodes();
        const QStringList types = d->workbench->excludedOpTypes();
        d->data.excludedNodes = QSet<QString>(nodes.begin(), nodes.end());
        d->data.excludedOpTypes = QSet<QString>(types.begin(), types.end());
        refreshExclusionMarks();
        if (overlay() == GraphOverlay::Quantization)
            recolour();
    });
    rebuildLegend();
}

GraphPage::~GraphPage()
{
    // The scene goes with the children, after `d`; clearing its selection then must not
    // call back into this half-destroyed page.
    disconnect(d->scene, nullptr, this, nullptr);
}

JobController *GraphPage::job() const
{
    return d->job;
}
GraphScene *GraphPage::scene() const
{
    return d->scene;
}
VariantPane *GraphPage::variantPane() const
{
    return d->variantPane;
}
QList<JobController *> GraphPage::jobs() const
{
    return {d->job, d->variantPane->job(), d->timer->job()};
}
GraphView *GraphPage::view() const
{
    return d->view;
}
QComboBox *GraphPage::overlaySelector() const
{
    return d->overlay;
}
QWidget *GraphPage::legend() const
{
    return d->legend;
}
QStringList GraphPage::legendLabels() const
{
    return d->legendLabels;
}
QLineEdit *GraphPage::findEdit() const
{
    return d->find;
}
QString GraphPage::statusText() const
{
    return d->status->text();
}

const GraphLayout *GraphPage::graphLayout() const
{
    return d->scene->graphLayout().get();
}

void GraphPage::setMaxBoxes(int maxBoxes)
{
    d->options.maxBoxes = maxBoxes;
}

void GraphPage::setShowConstants(bool show)
{
    if (d->options.showConstants == show)
        return;
    d->options.showConstants = show;
    d->constants->setChecked(show);
    relayout();
}

void GraphPage::setOverlay(GraphOverlay overlay)
{
    d->overlay->setCurrentIndex(d->overlay->findData(static_cast<int>(overlay)));
}

GraphOverlay GraphPage::overlay() const
{
    return static_cast<GraphOverlay>(d->overlay->currentData().toInt());
}

void GraphPage::setNodeErrors(const QHash<QString, double> &sqnrDb)
{
    d->data.sqnrDb = sqnrDb;
    d->data.sqnrByVariant.clear();
    if (overlay() == GraphOverlay::Sqnr)
        recolour();
    else
        rebuildLegend();
}

void GraphPage::setNodeErrors(const quantscope::Report &report)
{
    d->data.sqnrDb = GraphOverlays::nodeSqnr(report);
    d->data.sqnrByVariant = GraphOverlays::nodeSqnrByVariant(report);
    if (overlay() == GraphOverlay::Sqnr)
        recolour();
    else
        rebuildLegend();
}

void GraphPage::setSensitivity(const QHash<QString, double> &lossByNode)
{
    d->data.sensitivity = lossByNode;
    if (overlay() == GraphOverlay::Sensitivity)
        recolour();
}

void GraphPage::measureTimes()
{
    setTranslatedText(d->status, [] { return tr("Timing every node on a random sample..."); });
    d->timer->measure(d->workbench->model(), d->variantPane->variantModel());
}

void GraphPage::onTimesMeasured(const NodeTimes &times)
{
    if (!times.error.isEmpty())
        setTranslatedText(d->status, [error = times.error] {
            return tr("Cannot time the nodes: %1").arg(error);
        });
    d->data.timeMs = times.reference.ms;
    d->data.timeScaleMs = times.reference.totalMs;
    d->variantPane->setTimes(times.variant, times.reference.totalMs);
    if (times.error.isEmpty())
        setTranslatedText(d->status, [withVariant = d->variantPane->variantModel() != nullptr,
                                      reference = times.reference.totalMs,
                                      variant = times.variant.totalMs] {
            return withVariant
                       ? tr("FP32: %1 ms per run, variant: %2 ms (engine profile, one random "
                            "sample)")
                             .arg(reference, 0, 'f', 2)
                             .arg(variant, 0, 'f', 2)
                       : tr("FP32: %1 ms per run (engine profile, one random sample)")
                             .arg(reference, 0, 'f', 2);
        });
    recolour();
}

void GraphPage::setLeftInFloat(const QHash<QString, QString> &reasons)
{
    d->data.leftInFloat = reasons;
    d->data.quantized = true;
    if (overlay() == GraphOverlay::Quantization)
        recolour();
}

void GraphPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (d->stale && !d->job->isRunning())
        relayout();
}

void GraphPage::onModelChanged()
{
    d->scene->setGraphLayout(nullptr);
    d->view->refreshMiniMap();
    d->options.expanded.clear();
    d->options.expandedSubgraphs.clear();
    d->data.leftInFloat.clear();
    d->data.quantized = false;
    d->data.sqnrDb.clear();
    d->data.timeMs.clear();
    d->data.timeScaleMs = 0;
    d->data.sensitivity.clear();
    d->variantPane->clear();
    d->data.excludedNodes.clear();
    d->data.excludedOpTypes.clear();
    d->stale = true;
    d->status->clear();
    rebuildLegend();
    // Laid out when first shown: a user who never opens the page never pays for dot.
    if (isVisible())
        relayout();
}

void GraphPage::relayout()
{
    std::shared_ptr<const Model> model = d->workbench->model();
    if (!model)
        return;
    d->stale = false;
    d->progress->show();
    d->progress->setRange(0, 0);
    d->cancel->show();
    const LayoutOptions options = d->options;
    d->variantPane->setLayoutOptions(options);
    d->job->run<std::shared_ptr<Result<GraphLayout>>>(
        [] { return tr("Laying out the graph"); },
        [model, options](Progress &progress) {
            return std::make_shared<Result<GraphLayout>>(
                layoutGraph(model->index(), options, progress));
        },
        [this](std::shared_ptr<Result<GraphLayout>> result) {
            if (!*result) {
                if (result->status().code() != StatusCode::Cancelled)
                    setTranslatedText(d->status, [message = QString::fromStdString(
                                                      result->status().message())] {
                        return tr("Layout failed: %1").arg(message);
                    });
                return;
            }
            onLaidOut(std::make_shared<const GraphLayout>(std::move(**result)));
        });
}

namespace {

// The status line after a layout, in the current language.
QString layoutFacts(const GraphLayout &layout, int nodes)
{
    QStringList facts;
    facts << GraphPage::tr("%n node(s) in %1 boxes", nullptr, nodes).arg(layout.boxes.size());
    if (layout.hiddenConstants > 0)
        facts << GraphPage::tr("%n Constant node(s) folded into their readers", nullptr,
                               layout.hiddenConstants);
    if (layout.collapseDepth > 0)
        facts << GraphPage::tr(
            "grouped by module path, %n level(s) deep (right-click a group to expand it)", nullptr,
            layout.collapseDepth);
    facts << (layout.layered ? GraphPage::tr("placed in layers (too many boxes for dot) in %1 s")
                             : GraphPage::tr("laid out by Graphviz dot in %1 s"))
                 .arg(layout.layoutSeconds, 0, 'f', 2);
    return facts.join(QStringLiteral("; "));
}

} // namespace

void GraphPage::onLaidOut(std::shared_ptr<const GraphLayout> layout)
{
    const int selected = d->pendingNode >= 0 ? d->pendingNode : d->workbench->selectedNode();
    d->pendingNode = -1;
    d->scene->setGraphLayout(layout);
    d->variantPane->referenceLaidOut();
    recolour();
    refreshExclusionMarks();
    d->view->fitAll();
    // A deep network fitted whole is a thread: start readable, at the graph's inputs, as
    // Netron does; Ctrl+0 still shows it all.
    if (d->view->zoom() < 0.25) {
        d->view->setZoom(0.8);
        const QRectF all = d->scene->pictureRect();
        d->view->centerOn(all.center().x(), all.top() + d->view->visibleSceneRect().height() / 2);
    }
    onWorkbenchSelection(selected);

    int nodes = 0;
    for (const LayoutBox &box : layout->boxes)
        nodes += box.kind == LayoutBox::Kind::Node ? 1 : static_cast<int>(box.members.size());
    setTranslatedText(d->status, [layout, nodes] { return layoutFacts(*layout, nodes); });
    emit laidOut();
}

void GraphPage::recolour()
{
    const GraphIndex *index = d->index();
    if (index && d->scene->graphLayout()) {
        d->scene->paint(overlay(), *index, referencePaneData());
        d->view->refreshMiniMap();
    }
    d->variantPane->recolour(overlay(), d->data);
    rebuildLegend();
}

OverlayData GraphPage::referencePaneData() const
{
    // The FP32 pane shows the error of the variant beside it, when that one was compared.
    OverlayData data = d->data;
    if (const QHash<QString, double> *shown
        = GraphOverlays::sqnrOfVariant(d->data.sqnrByVariant, d->variantPane->variantPath()))
        data.sqnrDb = *shown;
    return data;
}

void GraphPage::refreshExclusionMarks()
{
    if (const GraphIndex *index = d->index())
        d->scene->markExcluded(*index, d->data);
    d->variantPane->markExcluded(d->data);
}

void GraphPage::rebuildLegend()
{
    while (QLayoutItem *item = d->legendLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    d->legendLabels.clear();
    const GraphIndex *index = d->index();
    const GraphLayout *layout = graphLayout();
    if (!index || !layout)
        return;
    for (const LegendEntry &entry :
         GraphOverlays::legend(overlay(), *layout, *index, referencePaneData())) {
        QPixmap swatch(14, 14);
        swatch.fill(entry.colour);
        auto *box = new QLabel;
        box->setPixmap(swatch);
        d->legendLayout->addWidget(box);
        d->legendLayout->addWidget(new QLabel(entry.label));
        d->legendLayout->addSpacing(10);
        d->legendLabels.append(entry.label);
    }
    d->legendLayout->addStretch(1);
}

void GraphPage::onSceneSelectionChanged()
{
    if (d->syncing)
        return;
    const int box = d->scene->selectedBox();
    BoxItem *item = d->scene->boxItem(box);
    if (item && item->box().kind == LayoutBox::Kind::Node) {
        d->syncing = true;
        d->workbench->selectNode(item->box().nodeId);
        d->syncing = false;
    }
}

void GraphPage::onWorkbenchSelection(int nodeId)
{
    d->variantPane->selectReferenceNode(nodeId); // also when the selection came from this pane
    if (d->syncing)
        return;
    if (d->job->isRunning())
        d->pendingNode = nodeId;
    const int box = d->scene->boxOfNode(nodeId);
    BoxItem *item = d->scene->boxItem(box);
    if (!item || (item->isSelected() && d->scene->selectedItems().size() == 1))
        return;
    d->syncing = true;
    d->scene->clearSelection();
    item->setSelected(true);
    d->view->centerOn(item);
    d->syncing = false;
}

void GraphPage::selectBox(int box)
{
    BoxItem *item = d->scene->boxItem(box);
    if (!item)
        return;
    d->scene->clearSelection(); // emits selectionChanged with nothing selected: ignored
    item->setSelected(true);
    d->view->centerOn(item);
}

void GraphPage::expandGroup(const QString &path)
{
    d->options.expanded.insert(path.toStdString());
    relayout();
}

void GraphPage::collapseGroup(const QString &path)
{
    // Collapsing a group also collapses what was opened inside it.
    const std::string prefix = path.toStdString();
    std::erase_if(d->options.expanded, [&](const std::string &p) {
        return p == prefix || p.rfind(prefix + "/", 0) == 0;
    });
    relayout();
}

void GraphPage::expandSubgraphs(const QString &displayName)
{
    d->options.expandedSubgraphs.insert(displayName.toStdString());
    relayout();
}

void GraphPage::collapseSubgraphs(const QString &displayName)
{
    // What was opened inside its subgraphs closes with it.
    const GraphIndex *index = d->index();
    const NodeInfo *owner = index ? index->findByDisplayName(displayName.toStdString()) : nullptr;
    d->options.expandedSubgraphs.erase(displayName.toStdString());
    if (owner) {
        std::vector<int> graphs(owner->subgraphs.begin(), owner->subgraphs.end());
        while (!graphs.empty()) {
            const GraphInfo &graph = index->graphs()[graphs.back()];
            graphs.pop_back();
            for (int id : graph.nodes) {
                const NodeInfo &node = index->nodes()[id];
                d->options.expandedSubgraphs.erase(node.displayName);
                graphs.insert(graphs.end(), node.subgraphs.begin(), node.subgraphs.end());
            }
        }
    }
    relayout();
}

void GraphPage::focusFind()
{
    d->find->setFocus(Qt::ShortcutFocusReason);
    d->find->selectAll();
}

int GraphPage::findNext(const QString &text)
{
    const GraphIndex *index = d->index();
    if (!index)
        return -1;
    const std::vector<int> matches = d->scene->find(text, *index);
    if (matches.empty()) {
        setTranslatedText(d->status, [text] { return tr("No box matches \"%1\"").arg(text); });
        return -1;
    }
    const int current = d->scene->selectedBox();
    auto next = std::upper_bound(matches.begin(), matches.end(), current);
    if (next == matches.end())
        next = matches.begin();
    selectBox(*next);
    setTranslatedText(d->status, [number = next - matches.begin() + 1, count = matches.size()] {
        return tr("Match %1 of %2").arg(number).arg(count);
    });
    return *next;
}

void GraphPage::stepAlongFlow(bool downstream)
{
    const int box = d->scene->selectedBox();
    const std::vector<int> next = downstream ? d->scene->consumers(box) : d->scene->producers(box);
    if (!next.empty())
        selectBox(next.front());
}

} // namespace qs::ui
