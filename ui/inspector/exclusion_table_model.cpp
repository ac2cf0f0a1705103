#include "exclusion_table_model.h"

namespace qs::ui {

ExclusionTableModel::ExclusionTableModel(int excludeColumn, QObject *parent)
    : QAbstractTableModel(parent)
    , m_excludeColumn(excludeColumn)
{}

bool ExclusionTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || index.column() != m_excludeColumn || role != Qt::CheckStateRole)
        return false;
    // The Workbench emits exclusionsChanged, which refreshes the column.
    setRowExcluded(index.row(), value.toInt() == Qt::Checked);
    return true;
}

Qt::ItemFlags ExclusionTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == m_excludeColumn)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

} // namespace qs::ui
