#include "compare_page.h"
#include "compare_page_private.h"

#include "bench_warnings.h"
#include "chart_export.h"
#include "compare_charts.h"
#include "compare_settings.h"
#include "report_table_model.h"
#include "verify_panel.h"

#include "compare/benchmark.h"
#include "compare/ort_comparison.h"
#include "workbench/core_messages.h"
#include "workbench/error_dialog.h"
#include "workbench/job_controller.h"
#include "workbench/settings.h"
#include "workbench/table_height.h"
#include "workbench/translated_text.h"
#include "workbench/workbench.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace qs::ui {

ComparePage::ComparePage(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , d(new Private)
{
    d->workbench = workbench;
    d->job = new JobController(workbench, this);
    d->settings = new CompareSettingsWidget(workbench);
    buildLayout();

    connect(d->compareButton, &QPushButton::clicked, this, &ComparePage::startCompare);
    connect(d->settings, &CompareSettingsWidget::readinessChanged, this,
            &ComparePage::updateCompareButton);
    connect(d->cancelButton, &QPushButton::clicked, d->job, &JobController::cancel);
    connect(d->job, &JobController::progressChanged, this, &ComparePage::onProgress);
    connect(d->job, &JobController::finished, this,
            [this](const QString &, bool cancelled) { onJobFinished(cancelled); });
    connect(d->accuracyMetric, &QComboBox::currentIndexChanged, this, &ComparePage::refreshAccuracy);
    connect(d->perNodeVariant, &QComboBox::currentIndexChanged, this, &ComparePage::refreshPerNode);
    connect(d->worstCount, &QSpinBox::valueChanged, this, &ComparePage::refreshPerNode);
    connect(d->perNodeChart, &QCustomPlot::plottableClick, this, &ComparePage::onPerNodeClick);
    connect(d->excludeButton, &QPushButton::clicked, this, &ComparePage::excludeClickedNode);
    connect(d->exportCsvButton, &QPushButton::clicked, this, &ComparePage::askExportCsv);
    connect(d->clearButton, &QPushButton::clicked, this, &ComparePage::clearResults);
    // A report names nodes of the model it was made with; it means nothing for another model.
    connect(workbench, &Workbench::modelChanged, this, &ComparePage::clearResults);
    clearResults();
    updateCompareButton();
}

ComparePage::~ComparePage()
{
    // A closing page stops its comparison rather than waiting for it; the result callback
    // (which uses the page) is then never called, and no signal reaches a half-destroyed page.
    d->job->cancel();
    d->job->waitForFinished();
    disconnect(d->job, nullptr, this, nullptr);
    delete d;
}

void ComparePage::buildLayout()
{
    d->compareButton = translated<QPushButton>([] { return tr("Compare"); });
    d->compareButton->setDefault(true);
    d->cancelButton = translated<QPushButton>([] { return tr("Cancel"); });
    d->progressBar = new QProgressBar;
    d->progressBar->setObjectName(QStringLiteral("compareProgress"));
    d->progressBar->setRange(0, 1000);
    d->progressBar->setTextVisible(false);
    d->stepLabel = new QLabel;
    d->etaLabel = new QLabel;
    d->blockedReason = new QLabel;
    d->blockedReason->setObjectName(QStringLiteral("compareBlockedReason"));
    d->blockedReason->setWordWrap(true);

    auto *left = new QWidget;
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(d->compareButton);
    buttons->addWidget(d->cancelButton);
    auto *status = new QHBoxLayout;
    status->addWidget(d->stepLabel, 1);
    status->addWidget(d->etaLabel);
    // The settings scroll when the window is too short for them; the buttons stay in view.
    auto *settingsScroll = new QScrollArea;
    settingsScroll->setWidget(d->settings);
    settingsScroll->setWidgetResizable(true);
    settingsScroll->setFrameShape(QFrame::NoFrame);
    settingsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(settingsScroll, 1);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(d->blockedReason);
    leftLayout->addWidget(d->progressBar);
    leftLayout->addLayout(status);
    leftLayout->addWidget(new VerifyPanel(d->workbench));

    auto onError = [this](const QString &message) { reportError(message); };
    auto makeChart = [&](const QString &title, const QString &valueLabel, const QString &fileName) {
        auto *plot = new QCustomPlot;
        plot->setObjectName(fileName + QStringLiteral("Chart"));
        CompareCharts::setUp(plot, title, valueLabel);
        ChartExport::installContextMenu(plot, d->workbench, fileName, onError);
        return plot;
    };
    d->sizeChart = makeChart(tr("Size"), tr("MB"), QStringLiteral("size"));
    d->latencyChart = makeChart(tr("Latency (median, p90 whisker)"), tr("ms"),
                                QStringLiteral("latency"));
    d->accuracyChart = makeChart(tr("Accuracy"), tr("worst cosine"), QStringLiteral("accuracy"));
    d->perNodeChart = makeChart(tr("Per-node error"), tr("SQNR (dB)"), QStringLiteral("per_node"));

    d->accuracyMetric = new QComboBox;
    d->accuracyMetric->setObjectName(QStringLiteral("accuracyMetric"));
    addTranslatedItem(
        d->accuracyMetric, [] { return tr("Worst cosine"); }, int(AccuracyMetric::Cosine));
    addTranslatedItem(
        d->accuracyMetric, [] { return tr("Worst SQNR"); }, int(AccuracyMetric::Sqnr));
    d->perNodeVariant = new QComboBox;
    d->perNodeVariant->setObjectName(QStringLiteral("perNodeVariant"));
    setTranslatedToolTip(d->perNodeVariant,
                         [] { return tr("The variant whose per-node error is shown"); });
    d->worstCount = new QSpinBox;
    d->worstCount->setRange(0, 100);
    d->worstCount->setValue(5);
    d->worstCount->setPrefix(tr("worst "));
    setTranslatedToolTip(d->worstCount,
                         [] { return tr("How many of the worst tensors are drawn in red"); });
    d->excludeButton = new QPushButton; // names the clicked node later
    setTranslatedText(d->excludeButton, [] { return tr("Keep in float"); });

    auto panel = [](QCustomPlot *plot, const QList<QWidget *> &controls) {
        auto *widget = new QWidget;
        auto *layout = new QVBoxLayout(widget);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(plot, 1);
        if (!controls.isEmpty()) {
            auto *row = new QHBoxLayout;
            for (QWidget *control : controls)
                row->addWidget(control);
            row->addStretch();
            layout->addLayout(row);
        }
        return widget;
    };
    auto *charts = new QWidget;
    auto *grid = new QGridLayout(charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(panel(d->sizeChart, {}), 0, 0);
    grid->addWidget(panel(d->latencyChart, {}), 0, 1);
    grid->addWidget(panel(d->accuracyChart, {d->accuracyMetric}), 1, 0);
    grid->addWidget(panel(d->perNodeChart, {d->perNodeVariant, d->worstCount, d->excludeButton}), 1,
                    1);

    d->resultsModel = new ReportTableModel(this);
    d->resultsView = new QTableView;
    d->resultsView->setModel(d->resultsModel);
    d->resultsView->verticalHeader()->hide();
    d->resultsView->horizontalHeader()->setSectionResizeMode(ReportTableModel::VariantColumn,
                                                             QHeaderView::Stretch);
    d->resultsView->verticalHeader()->setDefaultSectionSize(d->resultsView->fontMetrics().height()
                                                            + 8);
    keepRowsVisible(d->resultsView, 5);
    d->exportCsvButton = translated<QPushButton>([] { return tr("Export CSV..."); });
    d->clearButton = translated<QPushButton>([] { return tr("Clear"); });
    d->clearButton->setObjectName(QStringLiteral("clearResults"));
    setTranslatedToolTip(d->clearButton,
                         [] { return tr("Clear the results; a running comparison is cancelled"); });
    auto *table = new QWidget;
    auto *tableLayout = new QVBoxLayout(table);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    // Issue 16: cosine 1.00000 on a saturated output and latency moved 6x by the machine's load
    // were shown without a word; the report's warnings stand where the figures are read.
    d->warnings = new QLabel;
    d->warnings->setObjectName(QStringLiteral("compareWarnings"));
    d->warnings->setWordWrap(true);
    d->warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    d->warnings->setStyleSheet(
        QStringLiteral("QLabel { background: #fdb863; color: black; padding: 4px; }"));
    d->warningsScroll = new QScrollArea;
    d->warningsScroll->setWidget(d->warnings);
    d->warningsScroll->setWidgetResizable(true);
    d->warningsScroll->setFrameShape(QFrame::NoFrame);
    d->warningsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    d->warningsScroll->setMaximumHeight(4 * d->warnings->fontMetrics().lineSpacing() + 10);
    tableLayout->addWidget(d->warningsScroll);
    tableLayout->addWidget(d->resultsView, 1);
    auto *tableButtons = new QHBoxLayout;
    tableButtons->addStretch();
    tableButtons->addWidget(d->clearButton);
    tableButtons->addWidget(d->exportCsvButton);
    tableLayout->addLayout(tableButtons);

    // The charts scroll when the window is too short for them and the table's 5 rows (1024x700).
    charts->setMinimumHeight(2 * 230);
    auto *chartScroll = new QScrollArea;
    chartScroll->setWidget(charts);
    chartScroll->setWidgetResizable(true);
    chartScroll->setFrameShape(QFrame::NoFrame);
    chartScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    chartScroll->setMinimumHeight(120);
    auto *right = new QSplitter(Qt::Vertical);
    right->setChildrenCollapsible(false);
    right->addWidget(chartScroll);
    right->addWidget(table);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);
}

JobController *ComparePage::job() const
{
    return d->job;
}

const std::optional<quantscope::Report> &ComparePage::lastReport() const
{
    return d->report;
}

void ComparePage::setDataFolder(const QString &folder)
{
    d->settings->setDataFolder(folder);
}

void ComparePage::setIterations(int iterations)
{
    d->settings->setIterations(iterations);
}

void ComparePage::setSamples(int samples)
{
    d->settings->setSamples(samples);
}

void ComparePage::setWarmup(int warmup)
{
    d->settings->setWarmup(warmup);
}

void ComparePage::setThreads(int threads)
{
    d->settings->setThreads(threads);
}

void ComparePage::setPerNode(bool perNode)
{
    d->settings->setPerNode(perNode);
}

void ComparePage::setTargets(const QString &targets)
{
    d->settings->setTargets(targets);
}

void ComparePage::setPreprocessing(const quantscope::ImagePreprocessing &prep)
{
    d->settings->setPreprocessing(prep);
}

void ComparePage::addVariantFile(const QString &path)
{
    d->settings->addVariantFile(path);
}

QCustomPlot *ComparePage::sizeChart() const
{
    return d->sizeChart;
}

QCustomPlot *ComparePage::latencyChart() const
{
    return d->latencyChart;
}

QCustomPlot *ComparePage::accuracyChart() const
{
    return d->accuracyChart;
}

QCustomPlot *ComparePage::perNodeChart() const
{
    return d->perNodeChart;
}

QTableView *ComparePage::resultsView() const
{
    return d->resultsView;
}

ReportTableModel *ComparePage::resultsModel() const
{
    return d->resultsModel;
}

const QList<PerNodePoint> &ComparePage::perNodePoints() const
{
    return d->perNodePoints;
}

QString ComparePage::clickedNode() const
{
    return d->clickedNode;
}

QString ComparePage::perNodeMessage() const
{
    return CompareCharts::message(d->perNodeChart);
}

QString ComparePage::compareBlockedReason() const
{
    return d->blockedReason->text();
}

void ComparePage::startCompare()
{
    if (d->job->isRunning())
        return;
    BenchSettings settings;
    QString error;
    if (!d->settings->benchSettings(&settings, &error)) {
        reportError(error);
        return;
    }
    d->settings->setRunning(true);
    d->compareButton->setEnabled(false);
    d->cancelButton->setEnabled(true);
    const bool perNode = settings.perNode;
    const std::string ortRunner = settings::ortRunner().toStdString();
    d->progressBar->setValue(0);
    d->etaLabel->clear();
    d->job->run<Result<quantscope::Report>>(
        [] { return tr("Comparing variants"); },
        // ONNX Runtime beside our engine whenever a runner answers: the probe is cached.
        [settings, ortRunner](Progress &progress) {
            return runBenchmarkBesideOrt(settings, ortRunner, progress);
        },
        [this, perNode](Result<quantscope::Report> result) {
            if (result) {
                showReport(std::move(*result), perNode);
            } else if (result.status().code() != StatusCode::Cancelled) {
                reportError(
                    tr("The comparison failed: %1").arg(CoreMessages::text(result.status())));
            }
        });
}

void ComparePage::onProgress(int permille, const QString &step, int secondsLeft)
{
    if (permille < 0) {
        d->progressBar->setRange(0, 0); // busy indicator while the total is unknown
    } else {
        d->progressBar->setRange(0, 1000);
        d->progressBar->setValue(permille);
    }
    d->stepLabel->setText(step);
    d->etaLabel->setText(secondsLeft < 0 ? QString()
                                         : tr("%1 left").arg(formatDuration(secondsLeft)));
}

void ComparePage::onJobFinished(bool cancelled)
{
    d->settings->setRunning(false);
    d->cancelButton->setEnabled(false);
    // Cleared: a full bar left standing read as "a comparison is done", even after Clear.
    d->progressBar->setRange(0, 1000);
    d->progressBar->setValue(0);
    setTranslatedText(d->stepLabel, [cancelled] { return cancelled ? tr("Cancelled") : QString(); });
    d->etaLabel->clear();
    updateCompareButton();
}

// Issue 16: with no variant checked, Compare ran the reference against itself for half a minute
// and replaced the previous results with that.
void ComparePage::updateCompareButton()
{
    const QString reason = d->settings->whyNothingToCompare();
    d->compareButton->setEnabled(reason.isEmpty() && !d->job->isRunning());
    // Worded again on a language switch (ComparePage::changeEvent calls this again).
    d->compareButton->setToolTip(
        reason.isEmpty() ? tr("Compare the checked variants with the reference") : reason);
    d->blockedReason->setText(reason);
    d->blockedReason->setVisible(!reason.isEmpty());
}

void ComparePage::refreshPerNode()
{
    d->clickedNode.clear();
    d->excludeButton->setEnabled(false);
    setTranslatedText(d->excludeButton, [] { return tr("Keep in float"); });
    const int variant = d->perNodeVariant->currentData().toInt();
    if (!d->report || variant < 0 || variant >= d->report->variants_size()) {
        d->perNodePoints.clear();
        CompareCharts::clear(d->perNodeChart);
        if (d->report)
            CompareCharts::showMessage(d->perNodeChart, tr("No variant was compared."));
        return;
    }
    Workbench *workbench = d->workbench;
    const quantscope::VariantReport &shown = d->report->variants(variant);
    d->perNodePoints = CompareCharts::perNodeInGraphOrder(
        shown, [workbench](const QString &name) { return workbench->nodeIdByName(name); },
        d->worstCount->value());
    CompareCharts::fillPerNode(d->perNodeChart, d->perNodePoints);
    if (!d->perNodePoints.isEmpty())
        return;
    // An empty chart without a word looked like a broken page (issue 16).
    if (!d->reportHasPerNode)
        CompareCharts::showMessage(d->perNodeChart,
                                   tr("Per-node error was off for this comparison.\nTick "
                                      "\"Per-node error\" and compare again to see it."));
    else if (shown.path() == d->report->reference())
        CompareCharts::showMessage(d->perNodeChart,
                                   tr("The reference compared with itself has no error."));
    else
        CompareCharts::showMessage(
            d->perNodeChart,
            tr("%1 has no float tensor named as in the reference,\nso no tensor could be "
               "compared.")
                .arg(CompareCharts::variantLabel(shown)));
}

void ComparePage::onPerNodeClick(QCPAbstractPlottable *plottable, int dataIndex, QMouseEvent *event)
{
    if (event && event->button() != Qt::LeftButton)
        return; // the right button opens the export menu
    QCPPlottableInterface1D *data = plottable ? plottable->interface1D() : nullptr;
    if (!data || dataIndex < 0 || dataIndex >= data->dataCount())
        return;
    // Bars are keyed by their position in perNodePoints, whichever series (normal or worst)
    // holds them.
    const int position = qRound(data->dataMainKey(dataIndex));
    if (position < 0 || position >= d->perNodePoints.size())
        return;
    const PerNodePoint &point = d->perNodePoints.at(position);
    if (point.nodeId < 0)
        return; // a graph input: no node to show or exclude
    d->clickedNode = point.node;
    d->workbench->selectNode(point.nodeId);
    emit showNodeRequested(point.nodeId);
    setTranslatedText(d->excludeButton,
                      [node = point.node] { return tr("Keep %1 in float").arg(node); });
    d->excludeButton->setEnabled(!d->workbench->isNodeExcluded(point.node));
    if (event) {
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        QAction *exclude = menu->addAction(tr("Keep %1 in float").arg(point.node), this,
                                           &ComparePage::excludeClickedNode);
        exclude->setEnabled(!d->workbench->isNodeExcluded(point.node));
        menu->popup(event->globalPosition().toPoint());
    }
}

void ComparePage::excludeClickedNode()
{
    if (d->clickedNode.isEmpty())
        return;
    d->workbench->setNodeExcluded(d->clickedNode, true);
    d->workbench->addMessage(Severity::Info, tr("%1 will be kept in float.").arg(d->clickedNode),
                             d->clickedNode);
    d->excludeButton->setEnabled(false);
}

QString ComparePage::exportCsv(const QString &path) const
{
    if (!d->report)
        return tr("There is no comparison to export yet.");
    return ChartExport::saveCsv(*d->report, path);
}

void ComparePage::askExportCsv()
{
    const QString path = ChartExport::askSavePath(this, d->workbench, tr("Export results as CSV"),
                                                  QStringLiteral("comparison.csv"),
                                                  tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (QString error = exportCsv(path); !error.isEmpty())
        reportError(error);
}

void ComparePage::reportError(const QString &message)
{
    showError(d->workbench, this, tr("Compare"), message);
    emit failed(message);
}

} // namespace qs::ui
