#pragma once
// The Tune page's data as the widgets see it: one TrialPoint per finished trial (its recipe,
// accuracy, latency, size, whether it meets the target), one SensitivityPoint per node, and the
// table model of the trials. Filled from the tune run's per-trial callback (ui/tune/tune_runner.h),
// on the GUI thread.

#include "quantscope.pb.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace qs::ui {

struct TrialPoint
{
    int number = 0;      // 1-based, in the order the trials finished
    QString description; // "MinMax, per-channel, 3 nodes in float"
    double accuracy = 0; // the target metric's value (cosine, SQNR dB, IoU...)
    double latencyMs = 0;
    qint64 sizeBytes = 0;
    bool meets = false;
    int keptFloat = 0;         // nodes left in float (block list, exclusions)
    quantscope::Recipe recipe; // what Apply loads into the Quantize page
    QString modelPath;         // the trial's saved model, when the run kept it
};

// The metric loss of one node (quantized alone, or kept float alone), in graph order.
struct SensitivityPoint
{
    QString node; // display name
    double loss = 0;
};

// Indexes into `points` of the Pareto frontier for (higher accuracy, lower latency): the trials
// no other trial beats on both; sorted by latency. Ties keep the first.
QList<int> paretoFrontier(const QList<TrialPoint> &points);

class TrialTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NumberColumn,
        DescriptionColumn,
        AccuracyColumn,
        LatencyColumn,
        SizeColumn,
        KeptFloatColumn,
        MeetsColumn,
        ColumnCount
    };
    // The raw value of a cell (numbers as numbers), for a sorting proxy.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit TrialTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const QList<TrialPoint> &trials() const { return m_trials; }
    const TrialPoint &at(int row) const { return m_trials.at(row); }
    void addTrial(const TrialPoint &trial);
    void setModelPath(int row, const QString &path);
    void clear();
    // The row of the fastest trial that meets the target; -1 when none does.
    int bestRow() const;

private:
    QList<TrialPoint> m_trials;
};

} // namespace qs::ui
