#pragma once
// The Inspector page: the node table (filterable, with an exclude checkbox per row), the
// op-type panel (bar chart + table; checking an op type excludes it) and the detail pane of the
// selected node. Reads and changes the Workbench's model, exclusions and selection.

#include <QWidget>

class QAbstractItemModel;
class QCheckBox;
class QCustomPlot;
class QLineEdit;
class QMenu;
class QModelIndex;
class QTableView;

namespace qs::ui {

class Workbench;
class NodeTableModel;
class OpTypeModel;
class NodeDetailPane;

class InspectorPage : public QWidget
{
    Q_OBJECT

public:
    explicit InspectorPage(Workbench *workbench, QWidget *parent = nullptr);
    ~InspectorPage() override;

    // Moves the keyboard focus to the search box (Edit > Find).
    void focusFilter();

    // For tests and the main window.
    NodeTableModel *nodeTableModel() const;
    QAbstractItemModel *filteredNodes() const; // the proxy the table view shows
    OpTypeModel *opTypeModel() const;
    QLineEdit *filterEdit() const;
    // "Hide Constant nodes (342)": on by default; the count says how many rows it hides.
    QCheckBox *hideConstantsBox() const;
    QTableView *nodeView() const;
    QCustomPlot *opTypeChart() const;
    NodeDetailPane *detailPane() const;
    QTableView *opTypeView() const;

    // The table's context menu for `index` (an index of filteredNodes()): "Exclude node",
    // "Exclude all <OpType> nodes", "Copy name". The caller owns it; tests trigger its actions.
    QMenu *createContextMenu(const QModelIndex &index, QWidget *parent = nullptr);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override; // the op-type chart's labels on a language switch

private:
    struct Private;
    Private *d;
};

} // namespace qs::ui
