#include "report_table_model.h"

#include "bench_warnings.h"
#include "compare_charts.h"

#include "compare/targets.h"

#include <QBrush>
#include <QColor>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace qs::ui {

namespace {

QString fixed(double value, int decimals)
{
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    if (std::isnan(value))
        return QStringLiteral("nan");
    return QString::number(value, 'f', decimals);
}

int64_t nanCount(const quantscope::VariantReport &variant)
{
    int64_t count = 0;
    for (const auto &output : variant.outputs())
        count += output.nan_count();
    return count;
}

QString roundMedians(const quantscope::VariantReport &variant)
{
    QStringList medians;
    for (const double median : variant.latency().round_median_ms())
        medians << fixed(median, 2);
    return ReportTableModel::tr("Median of each round (ms): %1")
        .arg(medians.join(QStringLiteral(", ")));
}

} // namespace

ReportTableModel::ReportTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ReportTableModel::setReport(const std::optional<quantscope::Report> &report)
{
    beginResetModel();
    m_report = report;
    endResetModel();
}

int ReportTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_report ? 0 : m_report->variants_size();
}

int ReportTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ReportTableModel::text(const quantscope::VariantReport &variant, int column) const
{
    const double referenceMs = m_report->variants(0).latency().median_ms();
    const double median = variant.latency().median_ms();
    switch (column) {
    case VariantColumn: return CompareCharts::variantLabel(variant);
    case SizeColumn: return fixed(double(variant.size_bytes()) / 1e6, 2);
    case RatioColumn: return fixed(variant.size_ratio(), 3);
    case MedianColumn: return fixed(median, 2);
    case P90Column: return fixed(variant.latency().p90_ms(), 2);
    case P90RatioColumn: return fixed(variant.latency().p90_over_median(), 2);
    case RoundSpreadColumn:
        if (variant.latency().round_median_ms_size() < 2)
            return QStringLiteral("-"); // one round shows no spread
        return tr("%1%").arg(fixed(100.0 * variant.latency().round_variation(), 1));
    case SpeedupColumn:
        return median > 0 ? tr("%1x").arg(fixed(referenceMs / median, 2)) : QStringLiteral("-");
    case CosineColumn: return fixed(CompareCharts::worstCosine(variant), 5);
    case SqnrColumn: return fixed(CompareCharts::worstSqnr(variant), 1);
    case NanColumn: return variant.has_nan() ? tr("yes (%1)").arg(nanCount(variant)) : tr("no");
    case OrtColumn:
    case OrtRatioColumn: return ortText(variant, column);
    }
    return QString();
}

QString ReportTableModel::ortText(const quantscope::VariantReport &variant, int column) const
{
    if (m_report->ort_runtime().empty())
        return column == OrtColumn && !m_report->ort_unavailable().empty() ? tr("not found")
                                                                           : QStringLiteral("-");
    const quantscope::OrtMeasurement &ort = variant.ort();
    if (!ort.error().empty())
        return column == OrtColumn ? tr("failed") : QStringLiteral("-");
    if (column == OrtColumn)
        return fixed(ort.median_ms(), 2);
    return tr("%1x").arg(fixed(ort.ours_over_ort(), 2));
}

QString ReportTableModel::ortToolTip(const quantscope::VariantReport &variant) const
{
    if (m_report->ort_runtime().empty()) {
        if (m_report->ort_unavailable().empty())
            return tr("ONNX Runtime was not run.");
        return tr("No ONNX Runtime runner: %1")
            .arg(QString::fromStdString(m_report->ort_unavailable()));
    }
    const quantscope::OrtMeasurement &ort = variant.ort();
    const QString runtime = QString::fromStdString(m_report->ort_runtime());
    if (!ort.error().empty())
        return tr("%1 failed: %2").arg(runtime, QString::fromStdString(ort.error()));
    double cosine = 1.0, maxAbs = 0.0;
    for (const auto &output : ort.outputs()) {
        cosine = std::min(cosine, output.cosine());
        maxAbs = std::max(maxAbs, output.max_abs());
    }
    return tr("%1: median %2 ms, p90 %3 ms; its outputs against ours: worst cosine %4, "
              "max abs %5. Ours/ORT above 1: our engine is slower.")
        .arg(runtime, fixed(ort.median_ms(), 2), fixed(ort.p90_ms(), 2), fixed(cosine, 5),
             QString::number(maxAbs, 'g', 3));
}

// Worded here rather than taken from core's English summary, so that it is translated.
QString ReportTableModel::verdictText(const quantscope::Report &report, int row)
{
    if (row == 0)
        return tr("reference");
    QStringList parts;
    if (auto smaller = targetFigure(report, row, TargetMetric::Smaller))
        parts << (*smaller >= 1 ? tr("%1x smaller").arg(fixed(*smaller, 1))
                                : tr("%1x larger").arg(fixed(1.0 / *smaller, 1)));
    if (auto faster = targetFigure(report, row, TargetMetric::Speedup))
        parts << (*faster >= 1 ? tr("%1x faster").arg(fixed(*faster, 1))
                               : tr("%1x slower").arg(fixed(1.0 / *faster, 1)));
    if (auto top1 = targetFigure(report, row, TargetMetric::Top1))
        parts << tr("top-1 %1%").arg(fixed(100.0 * *top1, 1));
    else if (auto cosine = targetFigure(report, row, TargetMetric::Cosine))
        parts << tr("cosine %1").arg(fixed(*cosine, 5));
    QString text = parts.join(QStringLiteral(", "));
    const quantscope::Verdict &verdict = report.variants(row).verdict();
    if (report.targets_size() == 0)
        return text;
    if (verdict.meets_targets())
        return tr("%1: meets targets").arg(text);
    QStringList missed;
    for (const auto &target : verdict.missed())
        missed << QString::fromStdString(target);
    return tr("%1: misses %2").arg(text, missed.join(QStringLiteral(", ")));
}

QStringList ReportTableModel::warnings(int row, int column) const
{
    switch (column) {
    case MedianColumn:
    case RoundSpreadColumn:
    case SpeedupColumn: return BenchWarnings::latencyWarnings(*m_report, row);
    case CosineColumn:
    case SqnrColumn: return BenchWarnings::accuracyWarnings(*m_report, row);
    }
    return {};
}

QVariant ReportTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &variant = m_report->variants(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == VerdictColumn)
            return verdictText(*m_report, index.row());
        return text(variant, index.column());
    case Qt::ToolTipRole: {
        const QStringList doubts = warnings(index.row(), index.column());
        if (!doubts.isEmpty())
            return doubts.join(QLatin1Char('\n'));
        if (index.column() == RoundSpreadColumn)
            return roundMedians(variant);
        if (index.column() == OrtColumn || index.column() == OrtRatioColumn)
            return ortToolTip(variant);
        return QString::fromStdString(variant.path());
    }
    case Qt::TextAlignmentRole:
        if (index.column() != VariantColumn && index.column() != VerdictColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::BackgroundRole:
        if (variant.has_nan() && (index.column() == NanColumn || index.column() == VariantColumn))
            return QBrush(QColor(215, 48, 39));
        if (index.column() == VerdictColumn && index.row() > 0 && m_report->targets_size() > 0)
            return QBrush(variant.verdict().meets_targets() ? QColor(166, 217, 106)
                                                            : QColor(215, 48, 39));
        if (!warnings(index.row(), index.column()).isEmpty())
            return QBrush(QColor(253, 184, 99)); // amber: a figure in doubt, not a failure
        return {};
    case Qt::ForegroundRole:
        if (variant.has_nan() && (index.column() == NanColumn || index.column() == VariantColumn))
            return QBrush(Qt::white);
        if (index.column() == VerdictColumn && index.row() > 0 && m_report->targets_size() > 0
            && !variant.verdict().meets_targets())
            return QBrush(Qt::white);
        return {};
    }
    return {};
}

QVariant ReportTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case VariantColumn: return tr("Variant");
    case SizeColumn: return tr("Size (MB)");
    case RatioColumn: return tr("Ratio");
    case MedianColumn: return tr("Median (ms)");
    case P90Column: return tr("p90 (ms)");
    case P90RatioColumn: return tr("p90/median");
    case RoundSpreadColumn: return tr("Round spread");
    case SpeedupColumn: return tr("Speedup");
    case CosineColumn: return tr("Worst cosine");
    case SqnrColumn: return tr("Worst SQNR (dB)");
    case NanColumn: return tr("NaN/Inf");
    case VerdictColumn: return tr("Verdict");
    case OrtColumn: return tr("ONNX Runtime (ms)");
    case OrtRatioColumn: return tr("Ours/ORT");
    }
    return {};
}

} // namespace qs::ui
