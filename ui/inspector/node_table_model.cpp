#include "node_table_model.h"

#include "workbench/workbench.h"

#include "model/element_type.h"
#include "model/graph_index.h"
#include "model/model.h"

#include <QLocale>
#include <QPalette>

namespace qs::ui {

namespace {

QString joinNames(const std::vector<ValueRef> &values)
{
    QStringList names;
    names.reserve(int(values.size()));
    for (const ValueRef &value : values) {
        if (!value.name.empty()) // omitted optional inputs have no name to show
            names.append(QString::fromStdString(value.name));
    }
    return names.join(QStringLiteral(", "));
}

QString typeText(const TensorType &type)
{
    if (type.elementType == 0 && !type.hasShape)
        return QStringLiteral("?");
    return QString::fromStdString(std::string(elementTypeName(type.elementType))
                                  + type.shapeString());
}

} // namespace

NodeTableModel::NodeTableModel(Workbench *workbench, QObject *parent)
    : ExclusionTableModel(ExcludeColumn, parent)
    , m_workbench(workbench)
{
    connect(workbench, &Workbench::modelChanged, this, &NodeTableModel::rebuild);
    connect(workbench, &Workbench::exclusionsChanged, this, &NodeTableModel::exclusionsChanged);
    rebuild();
}

void NodeTableModel::rebuild()
{
    beginResetModel();
    m_names.clear();
    m_opTypes.clear();
    if (const auto &model = m_workbench->model()) {
        const auto &nodes = model->index().nodes();
        m_names.reserve(int(nodes.size()));
        m_opTypes.reserve(int(nodes.size()));
        for (const NodeInfo &node : nodes) {
            m_names.append(QString::fromStdString(node.displayName));
            m_opTypes.append(QString::fromStdString(node.opType));
        }
    }
    endResetModel();
}

void NodeTableModel::exclusionsChanged()
{
    if (m_names.isEmpty())
        return;
    // The checkbox column and the rows' text colour change; the text itself stays.
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                     {Qt::CheckStateRole, Qt::ToolTipRole, Qt::ForegroundRole});
}

int NodeTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_names.size());
}

int NodeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NodeTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &model = m_workbench->model();
    if (!model)
        return {};
    const NodeInfo &node = model->index().nodes()[size_t(index.row())];
    const int column = index.column();

    const bool excluded = m_workbench->isNodeExcluded(m_names.at(index.row()));
    const bool excludedByOpType = m_workbench->isOpTypeExcluded(m_opTypes.at(index.row()));
    // A row kept in float, by its own tick or by its op type's, reads as such: greyed text.
    if (role == Qt::ForegroundRole)
        return excluded || excludedByOpType ? QVariant(QPalette().color(QPalette::PlaceholderText))
                                            : QVariant();
    if (column == ExcludeColumn) {
        // Partly checked: kept in float by the op type's tick; ticking the node keeps it so
        // when the op type is cleared.
        if (role == Qt::CheckStateRole)
            return excluded ? Qt::Checked : excludedByOpType ? Qt::PartiallyChecked : Qt::Unchecked;
        if (role == SortRole)
            return excluded ? 1 : 0;
        if (role == Qt::ToolTipRole && excludedByOpType)
            return tr("All %1 nodes are kept in float by their op type.")
                .arg(m_opTypes.at(index.row()));
        return {};
    }

    if (role == SortRole) {
        switch (column) {
        case IndexColumn: return node.id;
        case ParamsColumn: return qlonglong(node.paramCount);
        case MacsColumn: return qlonglong(node.macs.value_or(-1)); // unknown sorts first
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::TextAlignmentRole) {
        if (column == IndexColumn || column == ParamsColumn || column == MacsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};

    switch (column) {
    case IndexColumn: return node.id;
    case NameColumn: return m_names.at(index.row());
    case OpTypeColumn: return m_opTypes.at(index.row());
    case DomainColumn: return QString::fromStdString(node.domain);
    case InputsColumn: return joinNames(node.inputs);
    case OutputsColumn: return joinNames(node.outputs);
    case OutputShapeColumn:
        return node.outputs.empty() ? QString() : typeText(node.outputs.front().type);
    case ParamsColumn: return QLocale().toString(qlonglong(node.paramCount));
    case MacsColumn: return node.macs ? QLocale().toString(qlonglong(*node.macs)) : QString();
    case SubgraphColumn:
        return QString::fromStdString(model->index().graphs()[size_t(node.graph)].path);
    default: return {};
    }
}

void NodeTableModel::setRowExcluded(int row, bool excluded)
{
    m_workbench->setNodeExcluded(m_names.at(row), excluded);
}

QVariant NodeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole && section == ExcludeColumn)
        return tr("Checked nodes are kept in float, in every mode (INT8 and FP16).");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IndexColumn: return tr("#");
    case NameColumn: return tr("Name");
    case OpTypeColumn: return tr("Op type");
    case DomainColumn: return tr("Domain");
    case InputsColumn: return tr("Inputs");
    case OutputsColumn: return tr("Outputs");
    case OutputShapeColumn: return tr("Output shape");
    case ParamsColumn: return tr("Params");
    case MacsColumn: return tr("MACs");
    case SubgraphColumn: return tr("Subgraph");
    case ExcludeColumn: return tr("Kept in float");
    default: return {};
    }
}

NodeFilterProxy::NodeFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(NodeTableModel::SortRole);
}

void NodeFilterProxy::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_regex = QRegularExpression(text, QRegularExpression::CaseInsensitiveOption);
    m_useRegex = !text.isEmpty() && m_regex.isValid();
    if (m_useRegex)
        m_regex.optimize(); // matched against every row at once
    invalidateFilter();
}

void NodeFilterProxy::setHideConstants(bool hide)
{
    if (hide == m_hideConstants)
        return;
    m_hideConstants = hide;
    invalidateFilter();
}

bool NodeFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    QString name;
    QString opType;
    if (const auto *nodes = qobject_cast<const NodeTableModel *>(sourceModel())) {
        name = nodes->displayName(sourceRow);
        opType = nodes->opType(sourceRow);
    } else {
        const QAbstractItemModel *source = sourceModel();
        name = source->index(sourceRow, NodeTableModel::NameColumn, sourceParent).data().toString();
        opType
            = source->index(sourceRow, NodeTableModel::OpTypeColumn, sourceParent).data().toString();
    }
    if (m_hideConstants && opType == QLatin1String("Constant"))
        return false;
    if (m_text.isEmpty())
        return true;
    if (m_useRegex)
        return m_regex.match(name).hasMatch() || m_regex.match(opType).hasMatch();
    return name.contains(m_text, Qt::CaseInsensitive)
           || opType.contains(m_text, Qt::CaseInsensitive);
}

} // namespace qs::ui
