#pragma once
// What the Inspector's two tables (nodes, op types) share: a checkable "Exclude" column whose
// tick keeps the row's node or op type in float through the Workbench's exclusion sets.

#include <QAbstractTableModel>

namespace qs::ui {

class ExclusionTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

protected:
    ExclusionTableModel(int excludeColumn, QObject *parent);
    // The user ticked (or cleared) the Exclude box of `row`.
    virtual void setRowExcluded(int row, bool excluded) = 0;

private:
    int m_excludeColumn;
};

} // namespace qs::ui
