#pragma once
// The node table: one row per node of the open model (subgraphs included, in GraphIndex order,
// so row == node id), and the proxy the view shows, filtered by the search box. Rows are read
// from the GraphIndex on demand: the model stays cheap with tens of thousands of nodes.

#include "exclusion_table_model.h"

#include <QAbstractTableModel>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStringList>

namespace qs::ui {

class Workbench;

class NodeTableModel : public ExclusionTableModel
{
    Q_OBJECT

public:
    // Exclude sits beside the name: ticking a node is the page's main action.
    enum Column {
        IndexColumn,
        ExcludeColumn,
        NameColumn,
        OpTypeColumn,
        DomainColumn,
        InputsColumn,
        OutputsColumn,
        OutputShapeColumn,
        ParamsColumn,
        MacsColumn,
        SubgraphColumn,
        ColumnCount
    };
    // Numbers for the numeric columns, the display text otherwise: the proxy sorts by it.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit NodeTableModel(Workbench *workbench, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The search keys of a row, kept as QStrings so that filtering does not convert per row.
    const QString &displayName(int row) const { return m_names.at(row); }
    const QString &opType(int row) const { return m_opTypes.at(row); }

protected:
    void setRowExcluded(int row, bool excluded) override;

private:
    void rebuild();
    void exclusionsChanged();

    Workbench *m_workbench;
    QStringList m_names;
    QStringList m_opTypes;
};

// Matches the display name or the op type, case-insensitively: as a regular expression when the
// text is a valid one ("^(Relu|Sigmoid)$"), else as a plain substring ("Conv(").
// Constant nodes are hidden unless asked for: they are values, not computations, and half the
// rows of a paddle2onnx export (342 of PaddleOCR det's 672).
class NodeFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit NodeFilterProxy(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    // True when the text is used as a regular expression (the search box shows which).
    bool isRegex() const { return m_useRegex; }
    void setHideConstants(bool hide);
    bool hidesConstants() const { return m_hideConstants; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QRegularExpression m_regex;
    bool m_useRegex = false;
    bool m_hideConstants = true;
};

} // namespace qs::ui
