#pragma once
// The Compare page's result table: one row per variant of a Report, the columns of
// `quantscope-cli bench` (size, ratio, latency and its spread, speedup, worst accuracy, NaN/Inf),
// the NaN cell painted red because such a variant is unusable whatever its other numbers say,
// and the figures a report warning puts in doubt (latency too noisy to rank, an output whose
// metric cannot see the error) painted amber with the warning as their tooltip. The verdict
// column answers "which variant should I ship?" against the targets the user set. The ONNX
// Runtime columns show the same variant timed in ORT, or in their tooltip how to get a runner.

#include "quantscope.pb.h"

#include <QAbstractTableModel>

#include <optional>

namespace qs::ui {

class ReportTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        VariantColumn,
        SizeColumn,
        RatioColumn,
        MedianColumn,
        P90Column,
        P90RatioColumn,    // p90 / median: spread inside the runs
        RoundSpreadColumn, // (max - min) / median of the interleaved rounds' medians
        SpeedupColumn,
        CosineColumn,
        SqnrColumn,
        NanColumn,
        VerdictColumn,  // against the user's targets: green when met, red when missed
        OrtColumn,      // median in ONNX Runtime, or why it did not run (tooltip)
        OrtRatioColumn, // our median / ORT's
        ColumnCount
    };

    explicit ReportTableModel(QObject *parent = nullptr);

    void setReport(const std::optional<quantscope::Report> &report);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Row `row`'s verdict in the interface's language ("3.9x smaller, 2.6x faster, top-1 99.5%:
    // meets targets"), as the table and the charts' tooltips show it; "reference" for row 0.
    static QString verdictText(const quantscope::Report &report, int row);

private:
    QString text(const quantscope::VariantReport &variant, int column) const;
    // The warnings that put this cell's figure in doubt; empty for most cells.
    QStringList warnings(int row, int column) const;
    QString ortText(const quantscope::VariantReport &variant, int column) const;
    QString ortToolTip(const quantscope::VariantReport &variant) const;

    std::optional<quantscope::Report> m_report;
};

} // namespace qs::ui
