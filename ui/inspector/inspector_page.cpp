#include "inspector_page.h"

#include "node_detail_pane.h"
#include "node_table_model.h"
#include "op_type_model.h"
#include "workbench/exclusion_actions.h"
#include "workbench/table_height.h"
#include "workbench/translated_text.h"
#include "workbench/workbench.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <qcustomplot.h>

namespace qs::ui {

struct InspectorPage::Private
{
    Workbench *workbench = nullptr;
    NodeTableModel *nodes = nullptr;
    NodeFilterProxy *proxy = nullptr;
    OpTypeModel *opTypes = nullptr;
    QSortFilterProxyModel *opTypeProxy = nullptr;
    QLineEdit *filter = nullptr;
    QCheckBox *hideConstants = nullptr;
    QSplitter *side = nullptr; // detail pane over the op-type panel
    bool shownOnce = false;
    QTableView *nodeView = nullptr;
    QTableView *opTypeView = nullptr;
    QCustomPlot *chart = nullptr;
    NodeDetailPane *detail = nullptr;
    // While the filter changes, the view moves its current index off removed rows: that is not
    // the user picking another node.
    bool filtering = false;
};

namespace {

// Sets up a table for many rows: fixed row heights (no per-row measuring), no word wrap.
void configureTable(QTableView *view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setSortingEnabled(true);
    view->setWordWrap(false);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setHighlightSections(false);
}

} // namespace

InspectorPage::InspectorPage(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , d(new Private)
{
    d->workbench = workbench;
    d->nodes = new NodeTableModel(workbench, this);
    d->proxy = new NodeFilterProxy(this);
    d->proxy->setSourceModel(d->nodes);

    d->filter = new QLineEdit(this);
    d->filter->setClearButtonEnabled(true);
    setTranslatedPlaceholder(d->filter, [] {
        return tr("Filter nodes by name or op type (case-insensitive; regular expressions such as "
                  "^(Relu|Sigmoid)$ work)");
    });

    d->nodeView = new QTableView(this);
    configureTable(d->nodeView);
    d->nodeView->setModel(d->proxy);
    d->nodeView->setContextMenuPolicy(Qt::CustomContextMenu);
    d->nodeView->sortByColumn(NodeTableModel::IndexColumn, Qt::AscendingOrder);
    // Fixed widths: resizing to contents would measure all rows of a 20,000-node model.
    const QList<QPair<int, int>> widths
        = {{NodeTableModel::IndexColumn, 60},        {NodeTableModel::NameColumn, 220},
           {NodeTableModel::OpTypeColumn, 120},      {NodeTableModel::DomainColumn, 80},
           {NodeTableModel::InputsColumn, 200},      {NodeTableModel::OutputsColumn, 160},
           {NodeTableModel::OutputShapeColumn, 160}, {NodeTableModel::ParamsColumn, 90},
           {NodeTableModel::MacsColumn, 110},        {NodeTableModel::SubgraphColumn, 140},
           {NodeTableModel::ExcludeColumn, 70}};
    for (const auto &[column, width] : widths)
        d->nodeView->setColumnWidth(column, width);

    auto *tablePane = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    d->hideConstants = new QCheckBox(this);
    d->hideConstants->setChecked(d->proxy->hidesConstants());
    setTranslatedToolTip(d->hideConstants, [] {
        return tr("Constant nodes hold values, not computations. The op-type counts and the "
                  "model's totals include them either way.");
    });
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(d->filter, 1);
    filterRow->addWidget(d->hideConstants);
    tableLayout->addLayout(filterRow);
    tableLayout->addWidget(d->nodeView, 1);

    d->opTypes = new OpTypeModel(workbench, this);
    d->opTypeProxy = new QSortFilterProxyModel(this);
    d->opTypeProxy->setSortRole(OpTypeModel::SortRole);
    d->opTypeProxy->setSourceModel(d->opTypes);
    d->opTypeView = new QTableView(this);
    configureTable(d->opTypeView);
    d->opTypeView->setModel(d->opTypeProxy);
    d->opTypeView->sortByColumn(OpTypeModel::CountColumn, Qt::DescendingOrder);
    d->opTypeView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    keepRowsVisible(d->opTypeView, 5);
    keepRowsVisible(d->nodeView, 5);

    d->chart = new QCustomPlot(this);
    d->chart->setMinimumHeight(160);
    d->chart->setInteractions(QCP::iSelectPlottables);

    d->detail = new NodeDetailPane(workbench, this);

    // The chart keeps a label's height per bar (op_type_model.cpp) and scrolls when the window
    // is too small for all of them, instead of pushing the detail pane's histogram off screen.
    auto *chartScroll = new QScrollArea(this);
    chartScroll->setWidget(d->chart);
    chartScroll->setWidgetResizable(true);
    chartScroll->setFrameShape(QFrame::NoFrame);
    chartScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    chartScroll->setMinimumHeight(120);
    auto *opTypePanel = new QSplitter(Qt::Vertical, this);
    opTypePanel->addWidget(chartScroll);
    opTypePanel->addWidget(d->opTypeView);
    // One bar per op type needs height (PaddleOCR det has ~15 types): the chart gets the most.
    opTypePanel->setStretchFactor(0, 3);
    opTypePanel->setStretchFactor(1, 2);
    auto *side = new QSplitter(Qt::Vertical, this);
    d->side = side;
    side->addWidget(d->detail);
    side->addWidget(opTypePanel);
    // The detail pane (attributes, weight histogram) gets the larger share: at 1024x700 the
    // histogram must show without dragging the splitter (issue 16).
    side->setStretchFactor(0, 3);
    side->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(tablePane);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(d->filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        d->filtering = true;
        d->proxy->setFilterText(text);
        // Keep the highlighted row on the Workbench's node, or on none when it is filtered out.
        const int selected = d->workbench->selectedNode();
        const QModelIndex proxyIndex = selected >= 0 && selected < d->nodes->rowCount()
                                           ? d->proxy->mapFromSource(d->nodes->index(selected, 0))
                                           : QModelIndex();
        if (proxyIndex.isValid()) {
            d->nodeView->selectionModel()->setCurrentIndex(proxyIndex,
                                                           QItemSelectionModel::ClearAndSelect
                                                               | QItemSelectionModel::Rows);
        } else {
            d->nodeView->selectionModel()->clearSelection();
            d->nodeView->selectionModel()->setCurrentIndex(QModelIndex(),
                                                           QItemSelectionModel::NoUpdate);
        }
        d->filtering = false;
        const bool plainText = !d->proxy->isRegex() && !text.isEmpty();
        setTranslatedToolTip(d->filter, [plainText] {
            return plainText ? tr("Not a valid regular expression: matching the plain text.")
                             : QString();
        });
    });
    const auto countConstants = [this] {
        int constants = 0;
        for (int row = 0; row < d->nodes->rowCount(); ++row)
            constants += d->nodes->opType(row) == QLatin1String("Constant") ? 1 : 0;
        setTranslatedText(d->hideConstants,
                          [constants] { return tr("Hide Constant nodes (%1)").arg(constants); });
    };
    countConstants();
    connect(d->nodes, &QAbstractItemModel::modelReset, this, countConstants);
    connect(d->hideConstants, &QCheckBox::toggled, this, [this](bool hide) {
        d->filtering = true;
        d->proxy->setHideConstants(hide);
        d->filtering = false;
    });
    connect(d->nodeView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid() && !d->filtering)
                    d->workbench->selectNode(d->proxy->mapToSource(current).row());
            });
    connect(workbench, &Workbench::nodeSelected, this, [this](int nodeId) {
        if (nodeId < 0 || nodeId >= d->nodes->rowCount())
            return;
        QModelIndex proxyIndex = d->proxy->mapFromSource(d->nodes->index(nodeId, 0));
        if (!proxyIndex.isValid()) { // filtered out: show all rows again
            d->filter->clear();
            if (d->nodes->opType(nodeId) == QLatin1String("Constant"))
                d->hideConstants->setChecked(false);
            proxyIndex = d->proxy->mapFromSource(d->nodes->index(nodeId, 0));
        }
        if (d->nodeView->currentIndex().row() != proxyIndex.row()
            || !d->nodeView->selectionModel()->isRowSelected(proxyIndex.row(), QModelIndex())) {
            d->nodeView->selectionModel()->setCurrentIndex(proxyIndex,
                                                           QItemSelectionModel::ClearAndSelect
                                                               | QItemSelectionModel::Rows);
        }
        d->nodeView->scrollTo(proxyIndex, QAbstractItemView::PositionAtCenter);
    });
    connect(d->nodeView, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = d->nodeView->indexAt(pos);
        if (!index.isValid())
            return;
        QMenu *menu = createContextMenu(index, this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(d->nodeView->viewport()->mapToGlobal(pos));
    });
    connect(d->opTypes, &QAbstractItemModel::modelReset, this,
            [this] { fillOpTypeChart(d->chart, *d->opTypes); });
    // Clicking a bar filters the table to that op type.
    connect(d->chart, &QCustomPlot::plottableClick, this,
            [this](QCPAbstractPlottable *, int dataIndex, QMouseEvent *) {
                const int row = int(d->opTypes->rows().size()) - 1 - dataIndex;
                if (row >= 0 && row < d->opTypes->rows().size()) {
                    d->filter->setText(QStringLiteral("^%1$").arg(
                        QRegularExpression::escape(d->opTypes->rows()[row].opType)));
                }
            });
    fillOpTypeChart(d->chart, *d->opTypes);
}

InspectorPage::~InspectorPage()
{
    delete d;
}

QMenu *InspectorPage::createContextMenu(const QModelIndex &index, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    const int row = d->proxy->mapToSource(index).row();
    if (row < 0)
        return menu;
    const QString name = d->nodes->displayName(row);
    const QString opType = d->nodes->opType(row);

    addExclusionActions(*menu, *d->workbench, name, opType);
    menu->addSeparator();
    QAction *copy = menu->addAction(tr("Copy name"));
    connect(copy, &QAction::triggered, menu,
            [name] { QGuiApplication::clipboard()->setText(name); });
    return menu;
}

void InspectorPage::focusFilter()
{
    d->filter->setFocus(Qt::ShortcutFocusReason);
    d->filter->selectAll();
}

NodeTableModel *InspectorPage::nodeTableModel() const
{
    return d->nodes;
}
QAbstractItemModel *InspectorPage::filteredNodes() const
{
    return d->proxy;
}
OpTypeModel *InspectorPage::opTypeModel() const
{
    return d->opTypes;
}
// The first layout of a splitter follows its children's size hints, which gave the op-type chart
// most of the side and left the weight histogram of the detail pane off screen at 1024x700
// (issue 16). Once the page has its real height, the detail pane gets 60 % of it.
void InspectorPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (d->shownOnce)
        return;
    d->shownOnce = true;
    const int height = d->side->height();
    d->side->setSizes({height * 3 / 5, height - height * 3 / 5});
}

void InspectorPage::changeEvent(QEvent *event)
{
    // The chart's legend and axis are worded as it is filled: fill it again.
    if (event->type() == QEvent::LanguageChange)
        fillOpTypeChart(d->chart, *d->opTypes);
    QWidget::changeEvent(event);
}

QCheckBox *InspectorPage::hideConstantsBox() const
{
    return d->hideConstants;
}

QLineEdit *InspectorPage::filterEdit() const
{
    return d->filter;
}
QTableView *InspectorPage::nodeView() const
{
    return d->nodeView;
}
QTableView *InspectorPage::opTypeView() const
{
    return d->opTypeView;
}
QCustomPlot *InspectorPage::opTypeChart() const
{
    return d->chart;
}
NodeDetailPane *InspectorPage::detailPane() const
{
    return d->detail;
}

} // namespace qs::ui
