#pragma once
// The Compare page: pick variants (the Workbench's checked variants, plus files opened here),
// data (folder or random), samples, iterations, threads; runBenchmark() in the background; four
// QCustomPlot charts side by side (size, latency median with p90 whiskers, worst accuracy per
// variant, per-node SQNR in graph order with the worst highlighted; clicking a per-node bar
// selects that node in the Workbench and offers to exclude it), the result table, and export of
// each chart as PNG/SVG and of the table as CSV. Clearing the results (or opening another model)
// also drops the comparison that is running: its report would replace what was cleared. What
// cannot run is disabled with the reason beside it (no variant checked would compare the
// reference with itself), and an empty per-node chart says why it is empty. The report's
// warnings (an output whose metric cannot see the error, latency too noisy to rank the variants)
// stand above the table, colour the figures they concern and go to the Diagnostics dock.
//
// Files of this folder: compare_settings (the inputs of a run), compare_charts (drawing a
// Report), chart_export (PNG/SVG/CSV files), report_table_model (the result table),
// bench_warnings (the report's warnings in the interface's language), verify_panel ("against
// saved outputs": the export check on the open model). Depends on ui/workbench and core only.

#include "quantscope.pb.h"

#include <QStringList>
#include <QWidget>

#include <optional>

class QCustomPlot;
class QCPAbstractPlottable;
class QMouseEvent;
class QTableView;

namespace qs::ui {

class Workbench;
class JobController;
class ReportTableModel;
struct PerNodePoint;

class ComparePage : public QWidget
{
    Q_OBJECT

public:
    explicit ComparePage(Workbench *workbench, QWidget *parent = nullptr);
    ~ComparePage() override;

    JobController *job() const;
    // The last finished comparison, if any.
    const std::optional<quantscope::Report> &lastReport() const;

    void setDataFolder(const QString &folder); // empty: random inputs
    void setIterations(int iterations);
    void setSamples(int samples);
    void setWarmup(int warmup);
    void setThreads(int threads); // 0: all cores
    void setPerNode(bool perNode);
    // What each variant's verdict judges ("cosine>=0.99 speedup>=1.2").
    void setTargets(const QString &targets);
    // How images become tensors (a recipe's preprocessing); random inputs take its size for a
    // dynamic height/width.
    void setPreprocessing(const quantscope::ImagePreprocessing &prep);
    // Adds a model file to the Workbench's variants (kind "opened file"), checked.
    void addVariantFile(const QString &path);

    QCustomPlot *sizeChart() const;
    QCustomPlot *latencyChart() const;
    QCustomPlot *accuracyChart() const;
    QCustomPlot *perNodeChart() const;
    QTableView *resultsView() const;
    ReportTableModel *resultsModel() const;

    // The bars of the per-node chart in drawing order (the bar at key i is element i).
    const QList<PerNodePoint> &perNodePoints() const;
    // The display name of the last clicked per-node bar; empty before a click.
    QString clickedNode() const;
    // Why the per-node chart is empty after a comparison (per-node error was off, the variant
    // shares no tensor name with the reference...), as the chart shows it; empty when it has bars.
    QString perNodeMessage() const;
    // Why Compare cannot run now (no variant checked...), as the page shows it beside the
    // disabled button; empty when it can.
    QString compareBlockedReason() const;

    // The report's warnings as the page shows them above the table (a saturated output, latency
    // too noisy to rank...), one a line; empty when there are none.
    QString warningsText() const;

    // Writes the result table as CSV (core's report writer); empty on success, else the error.
    QString exportCsv(const QString &path) const;

public slots:
    void startCompare();
    // Empties the charts and the table, and cancels the running comparison, whose report is
    // then dropped.
    void clearResults();
    // Marks the last clicked per-node node as excluded from quantization in the Workbench.
    void excludeClickedNode();

signals:
    void compared();
    // The user clicked a per-node bar: the main window shows that node in the inspector.
    void showNodeRequested(int nodeId);
    // A comparison could not start or failed (not emitted for a cancel); also in the Workbench.
    void failed(const QString &message);

protected:
    // LanguageChange: the charts' titles, and the report's charts and warnings, worded again.
    void changeEvent(QEvent *event) override;

private:
    void buildLayout();
    void retranslateCharts();
    QStringList warningTexts() const;
    void onProgress(int permille, const QString &step, int secondsLeft);
    void onJobFinished(bool cancelled);
    void updateCompareButton();
    void showReport(quantscope::Report report, bool perNodeRequested);
    void showWarnings();
    void refreshAccuracy();
    void refreshPerNode();
    void onPerNodeClick(QCPAbstractPlottable *plottable, int dataIndex, QMouseEvent *event);
    void askExportCsv();
    void reportError(const QString &message);

    struct Private;
    Private *d;
};

} // namespace qs::ui
