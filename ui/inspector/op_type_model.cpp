#include "op_type_model.h"

#include "workbench/workbench.h"

#include "model/model.h"
#include "model/model_summary.h"

#include <QLocale>
#include <QMap>

#include <QFontMetrics>
#include <qcustomplot.h>

#include <algorithm>

namespace qs::ui {

OpTypeModel::OpTypeModel(Workbench *workbench, QObject *parent)
    : ExclusionTableModel(ExcludeColumn, parent)
    , m_workbench(workbench)
{
    connect(workbench, &Workbench::modelChanged, this, &OpTypeModel::rebuild);
    connect(workbench, &Workbench::exclusionsChanged, this, [this] {
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, ExcludeColumn), index(rowCount() - 1, ExcludeColumn),
                             {Qt::CheckStateRole});
    });
    rebuild();
}

void OpTypeModel::rebuild()
{
    beginResetModel();
    m_rows.clear();
    m_totalNodes = 0;
    if (m_workbench->model()) {
        const ModelSummary &summary = m_workbench->summary();
        m_totalNodes = summary.nodeCountTotal;
        // The summary counts per (domain, op type); exclusions name op types only.
        QMap<QString, Row> byType;
        for (const OpTypeStats &stats : summary.opTypes) {
            Row &row = byType[QString::fromStdString(stats.opType)];
            row.opType = QString::fromStdString(stats.opType);
            row.count += stats.count;
            row.params += stats.params;
        }
        m_rows = byType.values();
        std::stable_sort(m_rows.begin(), m_rows.end(),
                         [](const Row &a, const Row &b) { return a.count > b.count; });
    }
    endResetModel();
}

int OpTypeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int OpTypeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OpTypeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const double share = m_totalNodes > 0 ? 100.0 * double(row.count) / double(m_totalNodes) : 0.0;
    switch (index.column()) {
    case OpTypeColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return row.opType;
        break;
    case CountColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return row.count;
        break;
    case ParamsColumn:
        if (role == Qt::DisplayRole)
            return QLocale().toString(row.params);
        if (role == SortRole)
            return row.params;
        break;
    case ShareColumn:
        if (role == Qt::DisplayRole)
            return tr("%1 %").arg(QLocale().toString(share, 'f', 1));
        if (role == SortRole)
            return share;
        break;
    case ExcludeColumn: {
        const bool excluded = m_workbench->isOpTypeExcluded(row.opType);
        if (role == Qt::CheckStateRole)
            return excluded ? Qt::Checked : Qt::Unchecked;
        if (role == SortRole)
            return excluded ? 1 : 0;
        break;
    }
    default: break;
    }
    if (role == Qt::TextAlignmentRole && index.column() != OpTypeColumn
        && index.column() != ExcludeColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

void OpTypeModel::setRowExcluded(int row, bool excluded)
{
    m_workbench->setOpTypeExcluded(m_rows.at(row).opType, excluded);
}

QVariant OpTypeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole && section == ExcludeColumn)
        return tr("Checked op types are kept in float, in every mode (INT8 and FP16).");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case OpTypeColumn: return tr("Op type");
    case CountColumn: return tr("Count");
    case ParamsColumn: return tr("Params");
    case ShareColumn: return tr("Share");
    case ExcludeColumn: return tr("Kept in float");
    default: return {};
    }
}

void fillOpTypeChart(QCustomPlot *plot, const OpTypeModel &model)
{
    plot->clearPlottables();
    const QList<OpTypeModel::Row> &rows = model.rows();
    auto *bars = new QCPBars(plot->yAxis, plot->xAxis); // horizontal: keys on the left axis
    bars->setName(OpTypeModel::tr("Nodes"));
    bars->setWidth(0.7);
    bars->setBrush(QColor(70, 130, 180));
    bars->setPen(Qt::NoPen);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    QVector<double> keys;
    QVector<double> values;
    const int n = int(rows.size());
    double maxCount = 0;
    for (int i = 0; i < n; ++i) {
        const double key = n - i; // the most frequent op type on top
        keys.append(key);
        values.append(double(rows[i].count));
        ticker->addTick(key, rows[i].opType);
        maxCount = std::max(maxCount, double(rows[i].count));
    }
    bars->setData(keys, values); // sorts by key: data index 0 is the last row
    plot->yAxis->setTicker(ticker);
    plot->yAxis->setSubTicks(false);
    plot->yAxis->setTickLength(0, 2);
    plot->yAxis->setRange(0.3, n + 0.7);
    // A label's height per bar, so 20+ op types stay readable instead of overlapping.
    plot->setMinimumHeight(
        std::max(220, n * (QFontMetrics(plot->yAxis->tickLabelFont()).height() + 2) + 70));
    plot->xAxis->setLabel(OpTypeModel::tr("Nodes"));
    plot->xAxis->setRange(0, std::max(1.0, maxCount * 1.05));
    plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace qs::ui
