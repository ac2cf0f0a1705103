#include "variant_list_model.h"

#include <QFileInfo>
#include <QLocale>

namespace qs::ui {

VariantListModel::VariantListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int VariantListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_variants.size());
}

int VariantListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VariantListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Variant &variant = m_variants.at(index.row());
    if (role == Qt::ToolTipRole)
        return variant.path;
    if (role == Qt::CheckStateRole && index.column() == FileColumn)
        return variant.isReference || variant.checked ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::TextAlignmentRole
        && (index.column() == SizeColumn || index.column() == RatioColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case FileColumn: return QFileInfo(variant.path).fileName();
    case KindColumn: return variant.kind;
    case SizeColumn: return formatBytes(variant.sizeBytes);
    case RatioColumn: {
        const qint64 reference = m_variants.isEmpty() ? 0 : m_variants.front().sizeBytes;
        if (reference <= 0)
            return QString();
        return QStringLiteral("%1x").arg(double(variant.sizeBytes) / double(reference), 0, 'f', 2);
    }
    }
    return {};
}

QVariant VariantListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case FileColumn: return tr("File");
    case KindColumn: return tr("Kind");
    case SizeColumn: return tr("Size");
    case RatioColumn: return tr("Size ratio");
    }
    return {};
}

Qt::ItemFlags VariantListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    // The reference is always compared: it is what the others are measured against.
    if (index.isValid() && index.column() == FileColumn && !m_variants.at(index.row()).isReference)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

bool VariantListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || role != Qt::CheckStateRole
        || index.column() != FileColumn || m_variants.at(index.row()).isReference)
        return false;
    m_variants[index.row()].checked = value.toInt() == Qt::Checked;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    return true;
}

int VariantListModel::add(const Variant &variant)
{
    for (int row = 0; row < m_variants.size(); ++row) {
        if (m_variants[row].path == variant.path) {
            m_variants[row] = variant;
            emit dataChanged(this->index(row, 0), this->index(row, ColumnCount - 1));
            return row;
        }
    }
    const int row = int(m_variants.size());
    beginInsertRows(QModelIndex(), row, row);
    m_variants.append(variant);
    endInsertRows();
    return row;
}

void VariantListModel::remove(int row)
{
    if (row <= 0 || row >= m_variants.size() || m_variants[row].isReference)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_variants.removeAt(row);
    endRemoveRows();
}

void VariantListModel::clear()
{
    if (m_variants.isEmpty())
        return;
    beginResetModel();
    m_variants.clear();
    endResetModel();
}

QStringList VariantListModel::checkedVariantPaths() const
{
    QStringList paths;
    for (const Variant &variant : m_variants)
        if (!variant.isReference && variant.checked)
            paths.append(variant.path);
    return paths;
}

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 2, QLocale::DataSizeSIFormat);
}

} // namespace qs::ui
