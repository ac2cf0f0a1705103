#include "tune_trials.h"

#include "workbench/variant_list_model.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <algorithm>
#include <numeric>

namespace qs::ui {

QList<int> paretoFrontier(const QList<TrialPoint> &points)
{
    QList<int> order(points.size());
    std::iota(order.begin(), order.end(), 0);
    // Fastest first; of equal latency the more accurate first, so it shadows the others.
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        if (points[a].latencyMs != points[b].latencyMs)
            return points[a].latencyMs < points[b].latencyMs;
        return points[a].accuracy > points[b].accuracy;
    });
    QList<int> frontier;
    for (const int index : order) {
        // A slower trial is on the frontier only when it is more accurate than every faster one.
        if (frontier.isEmpty() || points[index].accuracy > points[frontier.back()].accuracy)
            frontier.append(index);
    }
    return frontier;
}

TrialTableModel::TrialTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int TrialTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_trials.size());
}

int TrialTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrialTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TrialPoint &trial = m_trials.at(index.row());
    if (role == SortRole) {
        switch (index.column()) {
        case NumberColumn: return trial.number;
        case DescriptionColumn: return trial.description;
        case AccuracyColumn: return trial.accuracy;
        case LatencyColumn: return trial.latencyMs;
        case SizeColumn: return trial.sizeBytes;
        case KeptFloatColumn: return trial.keptFloat;
        case MeetsColumn: return trial.meets;
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        const QLocale locale;
        switch (index.column()) {
        case NumberColumn: return trial.number;
        case DescriptionColumn: return trial.description;
        case AccuracyColumn: return locale.toString(trial.accuracy, 'g', 6);
        case LatencyColumn: return locale.toString(trial.latencyMs, 'f', 2);
        case SizeColumn: return formatBytes(trial.sizeBytes);
        case KeptFloatColumn: return trial.keptFloat;
        case MeetsColumn: return trial.meets ? tr("yes") : tr("no");
        }
        return {};
    }
    if (role == Qt::ForegroundRole && index.column() == MeetsColumn)
        return QBrush(trial.meets ? QColor(0, 120, 0) : QColor(180, 30, 30));
    if (role == Qt::TextAlignmentRole && index.column() != DescriptionColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant TrialTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NumberColumn: return tr("#");
    case DescriptionColumn: return tr("Recipe");
    case AccuracyColumn: return tr("Accuracy");
    case LatencyColumn: return tr("Latency (ms)");
    case SizeColumn: return tr("Size");
    case KeptFloatColumn: return tr("Kept float");
    case MeetsColumn: return tr("Meets target");
    }
    return {};
}

void TrialTableModel::addTrial(const TrialPoint &trial)
{
    const int row = int(m_trials.size());
    beginInsertRows(QModelIndex(), row, row);
    m_trials.append(trial);
    endInsertRows();
}

void TrialTableModel::setModelPath(int row, const QString &path)
{
    if (row >= 0 && row < m_trials.size())
        m_trials[row].modelPath = path; // not shown in a column: no dataChanged needed
}

void TrialTableModel::clear()
{
    if (m_trials.isEmpty())
        return;
    beginResetModel();
    m_trials.clear();
    endResetModel();
}

int TrialTableModel::bestRow() const
{
    int best = -1;
    for (int row = 0; row < m_trials.size(); ++row) {
        if (m_trials[row].meets && (best < 0 || m_trials[row].latencyMs < m_trials[best].latencyMs))
            best = row;
    }
    return best;
}

} // namespace qs::ui
