#pragma once
// The op-type panel's data: one row per op type of the open model (all graphs, domains merged,
// because the recipe excludes op types by name), most frequent first, with a checkbox bound to
// Workbench::setOpTypeExcluded. fillOpTypeChart() draws the same rows as a QCustomPlot bar chart.

#include "exclusion_table_model.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

class QCustomPlot;

namespace qs::ui {

class Workbench;

class OpTypeModel : public ExclusionTableModel
{
    Q_OBJECT

public:
    enum Column {
        OpTypeColumn,
        CountColumn,
        ParamsColumn,
        ShareColumn,
        ExcludeColumn,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    struct Row
    {
        QString opType;
        qint64 count = 0;
        qint64 params = 0;
    };

    explicit OpTypeModel(Workbench *workbench, QObject *parent = nullptr);

    const QList<Row> &rows() const { return m_rows; } // sorted by count, then name

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    void setRowExcluded(int row, bool excluded) override;

private:
    void rebuild();

    Workbench *m_workbench;
    QList<Row> m_rows;
    qint64 m_totalNodes = 0;
};

// Replaces the plot's content by horizontal bars of node counts per op type, the most frequent
// at the top, labelled with the op type on the key axis. Bar i (key rows().size() - i) is row i.
void fillOpTypeChart(QCustomPlot *plot, const OpTypeModel &model);

} // namespace qs::ui
